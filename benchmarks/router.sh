#!/usr/bin/env bash
# Routed records/s of the router (Kafka Streams, exactly_once_v2) next to Kafka's own ceilings on the same broker,
# in the same run: ProducerPerformance and ConsumerPerformance (kafka-tools), and a plain consume-and-produce loop.
# Needs a JDK and a build:
#   ./mvnw -B -DskipTests package && ./mvnw -B -Pbenchmarks -DskipTests package -pl benchmarks/bare-endpoint
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d)"
KAFKA_PORT=9192
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
N="${BENCH_RECORDS:-200000}"
LOCAL_CP="$ROOT/herald-local/target/herald-local-0.1.0-SNAPSHOT.jar:$ROOT/herald-local/target/lib/*"
BENCH_CP="$ROOT/benchmarks/bare-endpoint/target/classes:$ROOT/benchmarks/bare-endpoint/target/quarkus-app/lib/main/*"
QUIET=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

java "$QUIET" -cp "$LOCAL_CP" dev.herald.kafka.embedded.LocalKafka --port "$KAFKA_PORT" --data-dir "$WORK/kafka" \
  >"$WORK/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q 'Kafka ready' "$WORK/kafka.log" && break; sleep 0.5; done

echo "Kafka's ceilings on this broker ($N records of ~200 bytes):"
java "$QUIET" -cp "$BENCH_CP" org.apache.kafka.tools.ProducerPerformance --topic bench.perf --num-records "$N" \
  --record-size 200 --throughput -1 --producer-props "bootstrap.servers=$BOOTSTRAP" acks=all linger.ms=5 \
  | tail -1 | sed 's/^/  ProducerPerformance: /'
java "$QUIET" -cp "$BENCH_CP" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$BOOTSTRAP" \
  --topic bench.perf --messages "$N" --hide-header | awk -F', ' '{print "  ConsumerPerformance: " $6 " records/s"}'

java "$QUIET" -cp "$BENCH_CP" dev.herald.benchmarks.RawLoad produce "$BOOTSTRAP" uniskai.webhooks.raw "$N" | sed 's/^/  /'
java "$QUIET" -cp "$BENCH_CP" dev.herald.benchmarks.RawLoad copy "$BOOTSTRAP" uniskai.webhooks.raw bench.copy "$N" | sed 's/^/  /'

# The heap as the pod has it: JAVA_MAX_MEM_RATIO=50 of its 768 MiB limit, with the image's collector.
KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" QUARKUS_HTTP_PORT=8191 java -XX:MaxRAM=768m -XX:MaxRAMPercentage=50 -XX:+UseParallelGC \
  -Dkafka-streams.state.dir="$WORK/router-state" -jar router-service/target/quarkus-app/quarkus-run.jar \
  >"$WORK/router.log" 2>&1 &
router_pid=$!
pids+=("$router_pid")
java "$QUIET" -cp "$BENCH_CP" dev.herald.benchmarks.RawLoad await "$BOOTSTRAP" herald-router uniskai.webhooks.raw "$N" \
  | sed 's/^/  /'
# The most the router's process held resident (its heap, RocksDB's stores and the rest): the pod's limit
# is 768 MiB.
awk '/VmHWM/ {printf "  router peak resident memory: %d MiB\n", $2 / 1024}' "/proc/$router_pid/status"
