#!/usr/bin/env bash
# Measures POST /webhooks/uniskai (auth, parse, validate, publish with acks=all, 202 after the ack) against two
# baselines in the same run, with the broker local: a bare Quarkus endpoint that only reads the body, and the plain
# REST -> Kafka endpoint (quarkus-messaging-kafka emitter, acks=all, idempotent, linger.ms=0, 202 after the ack):
#   wrk -t1 -c32 -d20s   (and -c128)
# Every JVM runs with the options the container image's run-java.sh uses, the Deployment's 512 MiB limit as MaxRAM.
# Then checks that every 202 is a record on the raw topic, and prints each service's RSS after the load.
# BENCH_JFR=1 also records the ingest with JFR (profile settings) into $BENCH_JFR_FILE (/tmp/herald-ingest.jfr).
# While exploring: BENCH_DURATION (20s) shortens each measurement, BENCH_CONNECTIONS ("32 128") and BENCH_ENDPOINTS
# ("bare plain ingest") pick what is measured, BENCH_INGEST_JVM and BENCH_PLAIN_JVM add options to the ingest's and the plain endpoint's JVM; figures worth
# quoting come from full runs of all three.
# Needs wrk (Debian package), a JDK, and a build:
#   ./mvnw -B -DskipTests package && ./mvnw -B -Pbenchmarks -DskipTests package -pl benchmarks/bare-endpoint,benchmarks/plain-kafka-endpoint
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d)"
KAFKA_PORT=9192
LOCAL_CP="$ROOT/herald-local/target/herald-local-0.1.0-SNAPSHOT.jar:$ROOT/herald-local/target/lib/*"
DURATION="${BENCH_DURATION:-20s}"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

wait_for() { # url [curl options]
  local url="$1"; shift
  for _ in $(seq 1 120); do curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0; sleep 0.5; done
  echo "not ready: $url" >&2; exit 1
}

java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LOCAL_CP" dev.herald.kafka.embedded.LocalKafka \
  --port "$KAFKA_PORT" --data-dir "$WORK/kafka" >"$WORK/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do grep -q 'Kafka ready' "$WORK/kafka.log" && break; sleep 0.5; done

# What the UBI OpenJDK image's run-java.sh passes, with the container limit (k8s/base/ingest.yaml: 512Mi) as MaxRAM
# and the Deployment's JAVA_MAX_MEM_RATIO (50) as the heap's share of it.
IMAGE_JVM=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=50.0 -XX:+UseParallelGC -XX:MinHeapFreeRatio=10
  -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError)
# The ingest's own image adds a fixed young generation (ingest-service/pom.xml, Dockerfile.jvm); the baselines keep
# the base image's options, as a quickstart built on the same image would.
INGEST_JVM=(-Xmn32m)
read -ra EXTRA_INGEST_JVM <<<"${BENCH_INGEST_JVM:-}"
read -ra EXTRA_PLAIN_JVM <<<"${BENCH_PLAIN_JVM:-}"
JFR=()
if [ "${BENCH_JFR:-0}" = 1 ]; then JFR=("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=${BENCH_JFR_FILE:-/tmp/herald-ingest.jfr}"); fi

KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" HERALD_INGEST_TOKENS=bench-token QUARKUS_HTTP_PORT=8180 \
  java "${IMAGE_JVM[@]}" "${INGEST_JVM[@]}" "${EXTRA_INGEST_JVM[@]}" "${JFR[@]}" -jar ingest-service/target/quarkus-app/quarkus-run.jar >"$WORK/ingest.log" 2>&1 &
ingest_pid=$!; pids+=($!)
java "${IMAGE_JVM[@]}" -jar benchmarks/bare-endpoint/target/quarkus-app/quarkus-run.jar >"$WORK/bare.log" 2>&1 &
bare_pid=$!; pids+=($!)
# The plain endpoint writes to a topic of the raw topic's partitions and size that nothing else writes in this run.
KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" MP_MESSAGING_OUTGOING_RAW_TOPIC=uniskai.events.unknown \
  java "${IMAGE_JVM[@]}" "${EXTRA_PLAIN_JVM[@]}" -jar benchmarks/plain-kafka-endpoint/target/quarkus-app/quarkus-run.jar >"$WORK/plain.log" 2>&1 &
plain_pid=$!; pids+=($!)
wait_for http://127.0.0.1:8180/q/health/ready
wait_for http://127.0.0.1:8181/bare -d '{}'
wait_for http://127.0.0.1:8182/plain -d '{}'

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks

run() { # name url connections pid
  wrk -t1 -c"$3" -d5s -s benchmarks/post-webhook.lua "$2" >/dev/null
  printf '%-28s c=%-4s ' "$1" "$3"
  local before result
  before="$(cpu_ticks "$4")"
  result="$(HERALD_BENCH_TOKEN=bench-token wrk -t1 -c"$3" -d"$DURATION" -s benchmarks/post-webhook.lua "$2" | grep '^RESULT')"
  # The service's own CPU per request (its process only, not the broker's): less at the mercy of the machine's
  # other load than requests/s.
  awk -v r="$result" -v ticks="$(( $(cpu_ticks "$4") - before ))" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(r, f, "requests="); split(f[2], n, " "); printf "%s cpu_us_per_request=%.0f\n", r, ticks / hz * 1e6 / n[1] }'
}

rss() { printf '%-28s RSS %d MiB, peak %d MiB\n' "$1" "$(( $(ps -o rss= -p "$2") / 1024 ))" "$(( $(awk '/^VmHWM/ {print $2}' "/proc/$2/status") / 1024 ))"; }

measured() { [[ " ${BENCH_ENDPOINTS:-bare plain ingest} " == *" $1 "* ]]; }
for connections in ${BENCH_CONNECTIONS:-32 128}; do
  if measured bare; then run "bare endpoint (reads body)" http://127.0.0.1:8181/bare "$connections" "$bare_pid"; fi
  if measured plain; then run "plain REST → Kafka" http://127.0.0.1:8182/plain "$connections" "$plain_pid"; fi
  if measured ingest; then run "ingest → Kafka acks=all" http://127.0.0.1:8180/webhooks/uniskai "$connections" "$ingest_pid"; fi
done
rss "bare endpoint" "$bare_pid"
rss "plain REST → Kafka" "$plain_pid"
rss "ingest" "$ingest_pid"

curl -fsS http://127.0.0.1:8180/q/metrics | awk '/^herald_webhooks_received_total/ {split($1, a, "outcome=\""); split(a[2], b, "\""); n[b[1]] += $2} END {for (o in n) printf "outcome %-12s %d\n", o, n[o]}'
accepted="$(curl -fsS http://127.0.0.1:8180/q/metrics | awk '/^herald_webhooks_received_total\{outcome="accepted"/ {s+=$2} END {printf "%d", s}')"
records="$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$LOCAL_CP" dev.herald.local.ConsumerLag count \
  --bootstrap "127.0.0.1:$KAFKA_PORT" --topic uniskai.webhooks.raw)"
echo "202s counted by the ingest (warm-ups included): $accepted; records on uniskai.webhooks.raw: $records"
