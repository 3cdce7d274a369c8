#!/bin/bash
# The GPU check (dev.riskstream.bench.GpuCheck) on the device machine, which has a GPU and CUDA 13 but no
# Java: here, build the check's jar against onnxruntime_gpu and a kit (JRE, ONNX Runtime's GPU natives,
# CUDA 12 libraries) in parts of at most 50 MB; there, stage the parts one device call each and run.
#   gpu-check.sh kit           here: benchmarks-gpu.jar (-Pgpu) and the kit as .gpu0 ... .gpuN, then `calls`
#   gpu-check.sh calls         here: prints the device calls, in order
#   gpu-check.sh run [OPTION]  there, after the last part is unpacked: GpuCheck on the baseline and on the
#                              MLP bundle of docs/performance.md; OPTIONs go to GpuCheck (--seconds, --batches, ...)
# STAGE (default /tmp/stage) is where stage.sh unpacks the kit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stage=${STAGE:-/tmp/stage}

parts() {
  find "$root" -maxdepth 1 -name '.gpu[0-9]*' -type d | wc -l
}

case "${1:-}" in
  kit)
    cd "$root"
    # -am: the streaming-job of this checkout, not whichever one the local repository holds
    mvn -B -q -Pgpu -pl benchmarks -am package -DskipTests
    "$here/make-kit.sh" "$root" benchmarks/target/benchmarks-gpu.jar
    "$0" calls
    ;;
  calls)
    n=$(parts)
    [ "$n" -gt 0 ] || { echo "no kit: run '$0 kit' first" >&2; exit 1; }
    echo "device calls, back to back (the machine keeps $stage while warm):"
    for ((k = 0; k < n - 1; k++)); do
      echo "  run carry=[\".gpu$k\"] command=\"bash benchmarks/gpu/stage.sh .gpu$k\""
    done
    last=$((n - 1))
    echo "  run carry=[\".gpu$last\"] command=\"bash benchmarks/gpu/stage.sh .gpu$last --unpack" \
      "&& bash benchmarks/gpu/gpu-check.sh run\""
    echo "then, while warm, more checks: run command=\"bash benchmarks/gpu/gpu-check.sh run --seconds 5\""
    echo "results: the table and JSON in the output, and gpu-check.txt under \$OUT"
    ;;
  run)
    shift
    java=$stage/kit/jre/bin/java
    jar=$stage/kit/benchmarks-gpu.jar
    [ -x "$java" ] && [ -f "$jar" ] || { echo "no unpacked kit in $stage: stage the parts first ($0 calls)" >&2; exit 2; }
    # the CUDA 12 libraries from the kit; cuDNN 9 from the machine
    export LD_LIBRARY_PATH=$stage/natives:/usr/lib/x86_64-linux-gnu
    cd "$root"
    "$java" -cp "$jar" dev.riskstream.bench.MlpBundle "$stage/mlp"
    out=${OUT:-$stage}
    set +e
    "$java" -Donnxruntime.native.path="$stage/natives" -cp "$jar" dev.riskstream.bench.GpuCheck "$@" \
      models/baseline "$stage/mlp" | tee "$out/gpu-check.txt"
    status=${PIPESTATUS[0]}
    exit "$status"
    ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
