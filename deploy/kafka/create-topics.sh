#!/usr/bin/env bash
# Creates the job's topics on the compose stack's broker (docker-compose.yml, service kafka-init).
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}"
create() {  # name partitions [config...]
  local name="$1" partitions="$2"; shift 2
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1 "$@"
}
create transactions 4
create decisions 4
create transactions-dlq 1
create drift-reports 1
create retrain-requests 1
create labels 4
create performance-reports 1
# one partition, compacted, read from the start (JobConfig topic.model-updates)
create model-updates 1 --config cleanup.policy=compact
create model-status 1
# one partition, compacted, read from the start (JobConfig topic.rule-sets)
create rule-sets 1 --config cleanup.policy=compact
create rule-status 1
