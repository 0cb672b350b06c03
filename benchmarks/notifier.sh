#!/usr/bin/env bash
# Each service starts in a subshell that exports its own environment, on purpose:
# shellcheck disable=SC2030,SC2031
# The notifier under load, with the packaged jars and a real broker (LocalKafka on a free port), in four parts:
#   throughput  emails/s of one notifier, warm (a warm-up batch delivered first, then the timed events preloaded on
#               a per-type topic while it is stopped, routed to 1 and to 50 mailboxes), next to plain loops of Vert.x mail
#               sends (the client under quarkus-mailer, also after a warm-up; one at a time, 8 and 16 at once) and, where python3 is
#               installed, of smtplib sends (the issue's comparator), to the same SMTP sink
#   idle        the pipeline below, started and warmed, then BENCH_SECONDS without traffic: CPU seconds per process
#   scaleout    the pipeline below, warm, at BENCH_SCALEOUT_RATE (200/s) for 60 s; a second notifier joins after 20 s
#   latency     the whole pipeline (ingest, router, notifier as bin/pipeline starts them): from the ingest's 202 to the
#               mail's arrival at the SMTP sink, spot-rollback posted at 20/s and 200/s, email-only routes and then
#               with a Slack route added (Slack is paced at 1/s and lags by design: the emails' latency is reported)
#   heap        heap used after a full GC (jcmd GC.run, GC.heap_info) at 0 and every quarter of BENCH_HEAP_DELIVERIES
#               deliveries (200,000 by default: ~7 min here; 1,000,000 takes ~35 min at ~500 emails/s)
#   split       the whole pipeline with three notifiers, one per group of types, all delivering; 600 events of the
#               eight types posted at 20/s (after a warm-up of BENCH_SPLIT_WARMUP_SECONDS, 30) to one mailbox and one
#               shared Slack webhook (paced 10/s, burst 5): the emails' latency from the 202, the most Slack requests
#               in any 10 s window against 10 x rate + burst, and lost/doubled messages counted by event id
#   fold        the same three notifiers, 10,000 events of the eight types at once, the route folding bursts
#               (fold: {after: 5, within: 30s}) and Slack at its production pace (1/s, burst 3): how many Slack
#               messages and emails it took, how many deliveries each marked sent (outcomes topic), and how long
# The sinks (BenchSinks: a minimal SMTP server and a Slack-compatible HTTP sink) timestamp every arrival.
# Sizes: BENCH_PARTS ("throughput latency heap split fold"; idle and scaleout on demand), BENCH_EMAILS (20000), BENCH_WARM_EMAILS (20000, delivered
# before the timed emails), BENCH_MAILBOXES ("1 50"),
# BENCH_RATES ("20 200"), BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (10) at BENCH_WARMUP_RATE (20/s), BENCH_LATENCY_SETUPS ("email slack"), BENCH_LEAD_IN_SECONDS (15: each phase's
# generator posts at its rate that long, unmeasured, before the measured posts), BENCH_HEAP_DELIVERIES (200000),
# BENCH_SPLIT_EVENTS (600), BENCH_SPLIT_WARMUP_SECONDS (30), BENCH_FOLD_EVENTS (10000), BENCH_NOTIFIER_OPTS (more java options for every notifier, e.g.
# "-Xlog:gc:file=/tmp/gc.log"). BENCH_JFR=1 records the throughput notifier with JFR into $WORK, kept (as with BENCH_KEEP=1).
# Needs a JDK (jcmd) and curl, and a build:
#   ./mvnw -B -DskipTests install && ./mvnw -B -Pbenchmarks -DskipTests package -pl benchmarks/notifier-load
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d)"
PARTS="${BENCH_PARTS:-throughput latency heap split fold}"
EMAILS="${BENCH_EMAILS:-20000}"
WARM_EMAILS="${BENCH_WARM_EMAILS:-20000}"
MAILBOXES="${BENCH_MAILBOXES:-1 50}"
RATES="${BENCH_RATES:-20 200}"
SECONDS_PER_RATE="${BENCH_SECONDS:-30}"
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-10}"
WARMUP_RATE="${BENCH_WARMUP_RATE:-20}"
LATENCY_SETUPS="${BENCH_LATENCY_SETUPS:-email slack}"
LEAD_IN_SECONDS="${BENCH_LEAD_IN_SECONDS:-15}"
HEAP_DELIVERIES="${BENCH_HEAP_DELIVERIES:-200000}"
SPLIT_EVENTS="${BENCH_SPLIT_EVENTS:-600}"
SPLIT_WARMUP_SECONDS="${BENCH_SPLIT_WARMUP_SECONDS:-30}"
FOLD_EVENTS="${BENCH_FOLD_EVENTS:-10000}"
LOCAL_CP="$ROOT/herald-local/target/herald-local-0.1.0-SNAPSHOT.jar:$ROOT/herald-local/target/lib/*"
LOAD_CP="$ROOT/benchmarks/notifier-load/target/classes:$ROOT/benchmarks/notifier-load/target/lib/*"
QUIET=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn
EXAMPLE=/work/shared/seed/examples/spot-rollback.json
[ -f "$EXAMPLE" ] || EXAMPLE="$ROOT/herald-events/src/main/resources/dev/herald/events/examples/spot-rollback.json"
TOKEN=bench-token
pids=()
cleanup() {
  # A stopped notifier (the throughput part) holds SIGTERM until it is continued.
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${BENCH_JFR:-0}" = 1 ] || [ "${BENCH_KEEP:-0}" = 1 ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

load() { java "$QUIET" -cp "$LOAD_CP" dev.herald.benchmarks.NotifierLoad "$@"; }

free_port() { # a port nothing listens on, from a range the services' defaults (8080-8083, 9092) stay out of
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

wait_for() { # url
  for _ in $(seq 1 360); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "not ready: $1" >&2; exit 1
}

stop() { # pid...: SIGTERM, then wait for it
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

# A fresh broker and fresh sinks for each part: $1 names the part's directory.
start_infra() {
  DIR="$WORK/$1"; mkdir -p "$DIR"
  KAFKA_PORT="$(free_port)"; BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
  java "$QUIET" -Xmx512m -cp "$LOCAL_CP" dev.herald.kafka.embedded.LocalKafka --port "$KAFKA_PORT" \
    --data-dir "$DIR/kafka" >"$DIR/kafka.log" 2>&1 &
  kafka_pid=$!; pids+=($!)
  SMTP_PORT="$(free_port)"; SINKS_PORT="$(free_port)"; SINKS="http://127.0.0.1:$SINKS_PORT"
  java -Xmx512m -cp "$LOAD_CP" dev.herald.benchmarks.BenchSinks "$SMTP_PORT" "$SINKS_PORT" "$DIR/arrivals.tsv" \
    >"$DIR/sinks.log" 2>&1 &
  sinks_pid=$!; pids+=($!)
  for _ in $(seq 1 240); do grep -q 'Kafka ready' "$DIR/kafka.log" && break; sleep 0.5; done
  grep -q 'Kafka ready' "$DIR/kafka.log" || { echo "Kafka did not start: $DIR/kafka.log" >&2; exit 1; }
  wait_for "$SINKS/health"
}

stop_infra() { stop "${notifier_pids[@]}" "${service_pids[@]}" "$sinks_pid" "$kafka_pid"; notifier_pids=(); service_pids=(); }
notifier_pids=(); service_pids=()

routes() { # file route-yaml-lines...: every type to the given channels
  local file="$1"; shift
  { echo "routes:"; echo "  - name: bench"; echo '    types: ["*"]'; printf '%s\n' "$@"; } >"$file"
}

# Starts a packaged notifier as bin/pipeline does (environment variables, -Xmx256m); extra -D options after $2.
start_notifier() { # name routes-file [java options...]
  local name="$1" routes_file="$2"; shift 2
  local port; port="$(free_port)"
  ( export KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" \
      QUARKUS_LOG_CONSOLE_JSON_ENABLED=false HERALD_ROUTES="$routes_file" \
      HERALD_SLACK_ALLOWED_URL_PREFIXES="$SINKS/slack/" QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT="$SMTP_PORT" \
      QUARKUS_MAILER_FROM="herald@herald.local"
    # shellcheck disable=SC2086 # BENCH_NOTIFIER_OPTS holds several options
    exec java -Xmx256m ${BENCH_NOTIFIER_OPTS:-} "$@" -jar "$ROOT/notifier-service/target/quarkus-app/quarkus-run.jar" \
      >"$DIR/$name.log" 2>&1 ) &
  notifier_pid=$!; pids+=($!); notifier_pids+=($!)
  wait_for "http://127.0.0.1:$port/q/health/ready"
}

cpu_seconds() { # pid: user + system CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"
}

# CPU seconds of the latency part's processes and of the whole machine (the load generator included), as one line.
cpu_split() {
  printf '%s %s %s %s %s %s' "$(cpu_seconds "${service_pids[0]}")" "$(cpu_seconds "${service_pids[1]}")" \
    "$(cpu_seconds "$notifier_pid")" "$(cpu_seconds "$kafka_pid")" "$(cpu_seconds "$sinks_pid")" \
    "$(awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.1f", ($2 + $3 + $4 + $7 + $8) / hz}' /proc/stat)"
}
cpu_split_since() { # an earlier cpu_split
  awk -v a="$1" -v b="$(cpu_split)" 'BEGIN { split(a, x, " "); split(b, y, " ")
    printf "ingest %.1f, router %.1f, notifier %.1f, Kafka %.1f, sinks %.1f; machine busy %.1f",
      y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4] - x[4], y[5] - x[5], y[6] - x[6] }'
}

heap_used() { # pid: MiB used after a full GC
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '
    /garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen|Shenandoah|ZHeap/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/[^0-9].*/, "", v); u += v } }
    END { printf "%.1f", u / 1024 }'
}

part_throughput() {
  echo "== Email throughput of one notifier: $EMAILS emails, events pre-loaded on uniskai.events.spot-rollback"
  for boxes in $MAILBOXES; do
    start_infra "throughput-$boxes"
    local events=$((EMAILS / boxes)) lines=() i
    for ((i = 0; i < boxes; i++)); do lines+=("      - box-$i@bench.local"); done
    routes "$DIR/routes.yaml" "    email:" "${lines[@]}"
    # A warm-up batch first, as the plain loop below has one: the notifier's JIT and connections warm, its first
    # batch delivered (fan-out and delivery both). The timed batch is then preloaded with the notifier stopped
    # (SIGSTOP), so that the preloading JVM, itself cold, does not take the 2 cores from it: the notifier then drains
    # a backlog of the whole batch. The rate counts from the first timed email to the last.
    local warm_events=$((WARM_EMAILS / boxes))
    [ "$warm_events" -gt 0 ] && load preload "$BOOTSTRAP" spot-rollback "$warm_events" "warm$boxes-" | sed 's/^/  warm-up: /'
    local jfr=()
    [ "${BENCH_JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$DIR/notifier.jfr")
    start_notifier notifier "$DIR/routes.yaml" "${jfr[@]}"
    load await "$SINKS" email "$((warm_events * boxes))" 600
    # The warm-up's last done marks and outcomes are written before the stop (the broker aborts a transaction left
    # open for 10 s), and a watchdog lets the notifier go on after 8 s whatever happens: under that transaction
    # timeout and the 15-s session timeout, so no transaction is aborted and no partition moves. Its ownership lease
    # (12 s from the last confirmed commit) may run out; its senders then wait for the next commit, a few ms.
    sleep 2
    local stopped watchdog
    stopped="$(date +%s%N)"
    kill -STOP "$notifier_pid"
    ( sleep 8; kill -CONT "$notifier_pid" 2>/dev/null ) & watchdog=$!
    load preload "$BOOTSTRAP" spot-rollback "$events" "tp$boxes-" | sed 's/^/  /' || { kill -CONT "$notifier_pid"; exit 1; }
    kill -CONT "$notifier_pid"; kill "$watchdog" 2>/dev/null || true
    local stopped_ms=$((($(date +%s%N) - stopped) / 1000000))
    echo "  (the notifier was stopped for $stopped_ms ms)"
    [ "$stopped_ms" -lt 8000 ] || echo "  WARNING: the preload outlasted the 8-s stop: the notifier ran during part of it" >&2
    local cpu0 kcpu0 scpu0 t0=$SECONDS
    cpu0="$(cpu_seconds "$notifier_pid")"; kcpu0="$(cpu_seconds "$kafka_pid")"; scpu0="$(cpu_seconds "$sinks_pid")"
    load await "$SINKS" email "$(((warm_events + events) * boxes))" 600
    awk -v n="$(cpu_seconds "$notifier_pid")" -v n0="$cpu0" -v k="$(cpu_seconds "$kafka_pid")" -v k0="$kcpu0" \
      -v s="$(cpu_seconds "$sinks_pid")" -v s0="$scpu0" -v t=$((SECONDS - t0)) -v e=$((events * boxes)) \
      'BEGIN {printf "  CPU from the notifier going on to the last email (%d s): notifier %.1f s, Kafka %.1f s, SMTP sink %.1f s (of %d core-seconds); per email: %.2f, %.2f, %.2f ms\n", t, n - n0, k - k0, s - s0, 2 * t, (n - n0) * 1000 / e, (k - k0) * 1000 / e, (s - s0) * 1000 / e}'
    load throughput "$DIR/arrivals.tsv" "tp$boxes-" "  notifier, $events events x $boxes mailbox(es)" | tee "$DIR/tp.out" | grep -v '^BYTES'
    local bytes; bytes="$(awk '/^BYTES/ {print $2}' "$DIR/tp.out")"
    [ "${BENCH_JFR:-0}" = 1 ] && { jcmd "$notifier_pid" JFR.dump filename="$DIR/notifier.jfr" >/dev/null; echo "  JFR: $DIR/notifier.jfr"; }
    stop "${notifier_pids[@]}"; notifier_pids=()
    # The same sink, the notifier gone: plain loops of Vert.x mail sends through a pool of 10 connections
    # (quarkus.mailer.max-pool-size's default), one send after another (concurrency 1: the issue's comparator, a
    # plain loop), and with the notifier's concurrency (a mailbox's in-flight limit 8, or the 16 sender threads).
    for concurrency in 1 8 16; do
      scpu0="$(cpu_seconds "$sinks_pid")"
      load smtp-loop 127.0.0.1 "$SMTP_PORT" "$((events * boxes))" "$concurrency" "$boxes" "${bytes:-6000}" 10 | sed 's/^/  /'
      echo "    (SMTP sink CPU $(awk -v a="$(cpu_seconds "$sinks_pid")" -v b="$scpu0" 'BEGIN {printf "%.1f", a - b}') s, warm-up included)"
    done
    # The issue's own comparator, literally: Python's smtplib on one connection, one mail after another.
    if command -v python3 >/dev/null; then
      python3 - 127.0.0.1 "$SMTP_PORT" "$((events * boxes))" "$boxes" "${bytes:-6000}" <<'PY' | sed 's/^/  /' \
        || echo "  the smtplib loop failed; the other figures stand" >&2
import smtplib, sys, time
host, port, n, boxes, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
body = "Subject: plain loop\r\nContent-Type: text/plain\r\n\r\n" + "y" * max(0, size - 60)
with smtplib.SMTP(host, port, timeout=30) as smtp:
    for i in range(min(n, 2000)):  # warm-up, not timed
        smtp.sendmail("bench@herald.local", ["box-%d@bench.local" % (i % boxes)], body)
    started = time.monotonic()
    for i in range(n):
        smtp.sendmail("bench@herald.local", ["box-%d@bench.local" % (i % boxes)], body)
    took = time.monotonic() - started
print("plain smtplib loop: %d mails, one connection, one after another: %.1f s, %.0f mails/s" % (n, took, n / took))
PY
    fi
    stop_infra
  done
}

warm_up() { # id-prefix
  load post "http://127.0.0.1:$INGEST_PORT/webhooks/uniskai" "$TOKEN" "$EXAMPLE" "$WARMUP_RATE" "$WARMUP_SECONDS" "$1" \
    "$DIR/$1.posts" | sed 's/^/    warm-up: /'
  await_emails "$1" "$(awk '$4 == 202' "$DIR/$1.posts" | wc -l)"
  sleep 2
}

await_emails() { # id-prefix count: until that many emails of those ids arrived (or 120 s)
  await_arrivals email "$1" "$2" 120
}

await_arrivals() { # channel id-prefix count timeout-seconds: until that many messages of those ids arrived
  for _ in $(seq 1 $(($4 * 2))); do
    [ "$(grep -c -P "\t$1\t[^\t]*\t$2[0-9]+\t" "$DIR/arrivals.tsv" || true)" -ge "$3" ] && return; sleep 0.5
  done
  echo "    WARNING: not all $3 $1 messages of $2 arrived within $4 s; the figures below count what did" >&2
}

post_phase() { # label rate seconds id-prefix channel...
  local label="$1" rate="$2" seconds="$3" prefix="$4"; shift 4
  local before t0=$SECONDS; before="$(cpu_split)"
  load post "http://127.0.0.1:$INGEST_PORT/webhooks/uniskai" "$TOKEN" "$EXAMPLE" "$rate" "$seconds" "$prefix" \
    "$DIR/$prefix.posts" "$LEAD_IN_SECONDS" | sed 's/^/    /'
  # Every accepted event is one email; wait until the last of this phase's arrived (or 120 s).
  await_emails "$prefix" "$(awk '$4 == 202' "$DIR/$prefix.posts" | wc -l)"
  sleep 0.3
  echo "    CPU seconds over the phase ($((SECONDS - t0)) s: the generator's start, its lead-in, the measured posts and their emails): $(cpu_split_since "$before")"
  for channel in "$@"; do
    load latency "$DIR/$prefix.posts" "$DIR/arrivals.tsv" "$channel" "  $label" | sed 's/^/  /'
  done
  # Where the emails' time went: ingest, Kafka's ack, router and fan-out, delivery (from the records' timestamps).
  load stages "$BOOTSTRAP" "$DIR/$prefix.posts" "$DIR/arrivals.tsv" "  $label" | sed 's/^/  /'
  if [ $# -gt 1 ]; then # Slack is paced at 1/s: its lane works through the earlier events first
    echo "      Slack messages received so far, all phases: $(curl -fsS "$SINKS/count" | awk '{print $2}')"
  fi
}

# The pipeline as the latency part starts it, with no traffic: what each process costs at rest, in CPU seconds.
part_idle() {
  echo "== Idle: the pipeline (ingest, router, notifier, broker) started, warmed with 200 events, then ${SECONDS_PER_RATE}s without traffic"
  start_infra idle
  start_services
  routes "$DIR/email.yaml" "    email: [ops@bench.local]"
  start_notifier notifier "$DIR/email.yaml"
  load post "http://127.0.0.1:$INGEST_PORT/webhooks/uniskai" "$TOKEN" "$EXAMPLE" 20 10 "idle-warm-" "$DIR/warm.posts" >/dev/null
  load await "$SINKS" email 200 120
  sleep 5
  local before; before="$(cpu_split)"
  sleep "$SECONDS_PER_RATE"
  echo "  CPU seconds over ${SECONDS_PER_RATE} s at rest: $(cpu_split_since "$before")"
  stop_infra
}

# The ingest and the router as bin/pipeline starts them (service_pids 0 and 1).
start_services() {
  INGEST_PORT="$(free_port)"; local router_port; router_port="$(free_port)"
  ( export KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" HERALD_INGEST_TOKENS="$TOKEN" QUARKUS_HTTP_HOST=127.0.0.1 \
      QUARKUS_HTTP_PORT="$INGEST_PORT" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
    exec java -Xmx256m -jar "$ROOT/ingest-service/target/quarkus-app/quarkus-run.jar" >"$DIR/ingest.log" 2>&1 ) &
  pids+=($!); service_pids+=($!)
  ( export KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$router_port" \
      QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
    exec java -Xmx256m "-Dkafka-streams.state.dir=$DIR/router-state" \
      -jar "$ROOT/router-service/target/quarkus-app/quarkus-run.jar" >"$DIR/router.log" 2>&1 ) &
  pids+=($!); service_pids+=($!)
  wait_for "http://127.0.0.1:$INGEST_PORT/q/health/ready"
  wait_for "http://127.0.0.1:$router_port/q/health/ready"
}

# KEDA's case: a second notifier (a cold JVM, and a rebalance of the type's and the deliveries' partitions) joins
# while a warm pipeline is under load. Latency per 5 s of posting time shows the transition.
part_scaleout() {
  local rate="${BENCH_SCALEOUT_RATE:-200}" seconds=60 join=20
  echo "== Scale-out under load: one notifier, warm, at $rate/s; a second one starts ${join} s into ${seconds} measured seconds"
  start_infra scaleout
  start_services
  routes "$DIR/email.yaml" "    email: [ops@bench.local]"
  start_notifier notifier-a "$DIR/email.yaml"
  warm_up "warm-scaleout-"
  load post "http://127.0.0.1:$INGEST_PORT/webhooks/uniskai" "$TOKEN" "$EXAMPLE" "$rate" "$seconds" "scaleout-" \
    "$DIR/scaleout-.posts" "$LEAD_IN_SECONDS" >"$DIR/post.out" &
  local post_pid=$! t0
  sleep "$LEAD_IN_SECONDS"; t0=$SECONDS
  sleep "$join"
  start_notifier notifier-b "$DIR/email.yaml"
  echo "  the second notifier was ready $((SECONDS - t0)) s into the measured posts"
  wait "$post_pid"; sed 's/^/    /' "$DIR/post.out"
  await_emails "scaleout-" "$(awk '$4 == 202' "$DIR/scaleout-.posts" | wc -l)"
  load latency "$DIR/scaleout-.posts" "$DIR/arrivals.tsv" email "  scale-out, $rate/s" 5 | sed 's/^/  /'
  stop_infra
}

part_latency() {
  echo "== End-to-end latency, 202 to arrival at the sink: spot-rollback at ${RATES// //s, }/s for ${SECONDS_PER_RATE}s each"
  start_infra latency
  start_services
  routes "$DIR/email.yaml" "    email: [ops@bench.local]"
  routes "$DIR/slack.yaml" "    email: [ops@bench.local]" "    slack: [\"$SINKS/slack/ops\"]"
  for setup in $LATENCY_SETUPS; do
    echo "  routes: every type to ops@bench.local$([ "$setup" = slack ] && echo " and the Slack webhook $SINKS/slack/ops (1/s, burst 3)")"
    start_notifier "notifier-$setup" "$DIR/$setup.yaml"
    # Warm-up (not counted): the JIT and the connections of every stage; its emails all arrive before the phases.
    [ "$WARMUP_SECONDS" -gt 0 ] && warm_up "warm-$setup-"
    for rate in $RATES; do
      local channels=(email); [ "$setup" = slack ] && channels+=(slack)
      post_phase "$setup routes, $rate/s" "$rate" "$SECONDS_PER_RATE" "lat-$setup-$rate-" "${channels[@]}"
    done
    [ "$setup" = slack ] && load partitions "$BOOTSTRAP" | sed 's/^/  /'
    stop "${notifier_pids[@]}"; notifier_pids=()
  done
  stop_infra
}

part_heap() {
  local boxes=4 events=$((HEAP_DELIVERIES / 4)) step=$((HEAP_DELIVERIES / 4))
  echo "== Heap after a full GC across $HEAP_DELIVERIES deliveries ($events events x $boxes mailboxes), notifier -Xmx256m"
  start_infra heap
  routes "$DIR/routes.yaml" "    email: [a@bench.local, b@bench.local, c@bench.local, d@bench.local]"
  start_notifier notifier "$DIR/routes.yaml"
  local started=$SECONDS
  printf '  %9s delivered: %s MiB used after GC\n' 0 "$(heap_used "$notifier_pid")"
  load preload "$BOOTSTRAP" spot-rollback "$events" "heap-" | sed 's/^/  /' &
  local preload_pid=$!
  for ((target = step; target <= HEAP_DELIVERIES; target += step)); do
    load await "$SINKS" email "$target" 1200
    printf '  %9s delivered: %s MiB used after GC (%d s)\n' "$target" "$(heap_used "$notifier_pid")" $((SECONDS - started))
  done
  wait "$preload_pid"
  load throughput "$DIR/arrivals.tsv" "heap-" "  overall" | grep -v '^BYTES'
  stop_infra
}

# The per-type split of split and fold: three notifiers, each fanning out a group of types, all delivering.
SPLIT_GROUPS=("spot-recreated,spot-rollback,managed-on-demand-back-to-spot" \
  "cloudsitter-start-stop,cloudsitter-policy-failed" \
  "trial-period-ending,trial-period-ended,team-member-permission-request,unknown")

# The per-type split as the Kubernetes Deployments run it, through the whole pipeline (ingest, router, three notifiers:
# spot / cloudsitter / the rest, each fanning out its types, all three delivering). The eight types are posted in
# turn at 20/s to one mailbox and one Slack webhook paced at 10/s, burst 5: the posts outrun the webhook, Slack lags
# by design, and the emails must not. A warm-up first, its Slack messages drained; then a lead-in and the measured
# posts.
part_split() {
  local rate=10 burst=5 post_rate=20
  local seconds=$((SPLIT_EVENTS / post_rate)) events
  events=$((seconds * post_rate)) # what the generator posts: the events checked for losses
  echo "== The per-type split, whole pipeline: three notifiers (spot / cloudsitter / the rest), $events events of the eight types posted at $post_rate/s, to one mailbox and one Slack webhook ($rate/s, burst $burst)"
  start_infra split
  start_services
  routes "$DIR/routes.yaml" "    email: [ops@bench.local]" "    slack: [\"$SINKS/slack/shared\"]"
  local group n=0
  for group in "${SPLIT_GROUPS[@]}"; do
    n=$((n + 1))
    start_notifier "notifier-$n" "$DIR/routes.yaml" "-Dherald.notifier.types=$group" \
      "-Dherald.slack.messages-per-second=$rate" "-Dherald.slack.burst=$burst"
  done
  local url="http://127.0.0.1:$INGEST_PORT/webhooks/uniskai" accepted
  load post "$url" "$TOKEN" all "$post_rate" "$SPLIT_WARMUP_SECONDS" "split-warm-" "$DIR/split-warm-.posts" \
    | sed 's/^/  warm-up: /'
  accepted="$(awk '$4 == 202' "$DIR/split-warm-.posts" | wc -l)"
  await_arrivals email "split-warm-" "$accepted" 120
  await_arrivals slack "split-warm-" "$accepted" $((accepted / rate + 120))
  load post "$url" "$TOKEN" all "$post_rate" "$seconds" "split-" "$DIR/split-.posts" "$LEAD_IN_SECONDS" | sed 's/^/  /'
  accepted="$(awk '$4 == 202' "$DIR/split-.posts" | wc -l)"
  await_arrivals email "split-" "$accepted" 120
  await_arrivals slack "split-" "$accepted" $(((accepted + LEAD_IN_SECONDS * post_rate) / rate + 120))
  sleep 5 # anything doubled late
  load latency "$DIR/split-.posts" "$DIR/arrivals.tsv" email "  split, $post_rate/s, the eight types" 5 | sed 's/^/  /'
  load stages "$BOOTSTRAP" "$DIR/split-.posts" "$DIR/arrivals.tsv" "  split, $post_rate/s" | sed 's/^/  /'
  load slack-window "$DIR/arrivals.tsv" "split-" "$events" 10 "$rate" "$burst" | sed 's/^/  /'
  stop_infra
}

part_fold() {
  echo "== Three notifiers as in split, $FOLD_EVENTS events of the eight types at once, folded (after 5 within 30 s), Slack at 1/s, burst 3"
  start_infra fold
  routes "$DIR/routes.yaml" "    email: [ops@bench.local]" "    slack: [\"$SINKS/slack/shared\"]" \
    "    fold: {after: 5, within: 30s}"
  local group n=0
  for group in "${SPLIT_GROUPS[@]}"; do
    n=$((n + 1))
    start_notifier "notifier-$n" "$DIR/routes.yaml" "-Dherald.notifier.types=$group"
  done
  local t0=$SECONDS
  load preload "$BOOTSTRAP" all "$FOLD_EVENTS" "fold-" | sed 's/^/  /'
  load outcomes "$BOOTSTRAP" "fold-" "$FOLD_EVENTS" 900 | sed 's/^/  /'
  echo "  from the preload's start to the last delivery marked sent: $((SECONDS - t0)) s"
  sleep 5 # anything sent late
  curl -fsS "$SINKS/count" | awk '{printf "  messages received: %d emails, %d Slack messages\n", $1, $2}'
  stop_infra
}

echo "Notifier benchmark on $(nproc) cores, $(java -version 2>&1 | head -1)"
for part in $PARTS; do
  "part_$part"
done
