#!/bin/bash
# On the device machine: moves one carried part into $STAGE (default /tmp/stage), which outlives the call
# while the machine is warm (30 s between calls). After the last part: unpack.
#   usage: stage.sh .gpuK [--unpack]
set -e
stage=${STAGE:-/tmp/stage}
mkdir -p "$stage" && mv "$1"/* "$stage"/
echo "staged $(ls "$stage" | wc -l) parts, $(du -sm "$stage" | cut -f1) MB"
if [ "${2:-}" = --unpack ]; then
  cd "$stage" && cat part* | xz -d -T0 | tar x && rm -f part*
  echo "JAVA=$stage/kit/jre/bin/java"
  echo "export LD_LIBRARY_PATH=$stage/natives:/usr/lib/x86_64-linux-gnu   # cuDNN 9 comes from the machine"
  echo "java flag: -Donnxruntime.native.path=$stage/natives"
fi
