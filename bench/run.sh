#!/usr/bin/env bash
# Cutover benchmark: one command, from a fresh clone:   bash bench/run.sh
#
# What it does (bounded to about five minutes, all traffic on 127.0.0.1):
#   1. installs wrk from Debian's packages if it is missing (falls back to the Java generator without it);
#   2. builds the jar and the test classes (the load generator and the stand-ins live in
#      src/test/java/dev/cutover/bench/, compiled with the tests, never run by surefire);
#   3. starts the stand-ins in their own JVM: a fake Slack Web API + response_url sink, and a slow PlanetScale
#      answering every call after 1.5 s (async, so hundreds of calls can wait at once);
#   4. starts Cutover with `bin/cutover` (the README's run command: bin/jvm.options, the AOT cache) as its own process,
#      and times start-up to the first healthy /healthz;
#   5. runs the scenarios: webhook → first Slack call (10 channels subscribed by signed /pscale subscribe),
#      slash commands + button clicks against the slow PlanetScale, webhook intake with wrk (closed loop) and
#      with the open-loop generator at 2 000/s; reads VmHWM/VmRSS from /proc/<pid>/status;
#   6. profiles one intake run with JFR in a second Cutover process and summarises the hot spots;
#   7. writes bench/out/results.md (and logs, the JFR file and its summary) and prints the table.
#
# Knobs (environment): MVN_ARGS (default "-B -q"; add -o offline), SKIP_BUILD=1, SKIP_PROFILE=1,
# PROFILE_LOAD (openloop, or wrk: profile under wrk's closed loop), WRK_SECONDS (10), OPEN_LOOP_RATE (2000), OPEN_LOOP_SECONDS (20), COMMAND_SECONDS (25), COMMAND_RATE (200),
# SCENARIOS (default "notify commands wrk openloop side burst idle"), SIDE_ROUNDS (3),
# EXTRA_JAVA_FLAGS (appended to bin/jvm.options through JAVA_OPTS).
#
# Issue 9's scenarios: "side" runs wrk against nginx answering 204 and against Cutover's durable intake, alternating,
# SIDE_ROUNDS times in one run, and reports each round's ratio (the machine's speed drifts; the ratio does not);
# it installs nginx from Debian's packages when missing (as root or with sudo -n), and is skipped without it.
# "replicas" (not in the default list) starts an embedded PostgreSQL and measures intake on SQLite, then on
# PostgreSQL with one replica and with two (a wrk on each), in one run.
# "burst" sends 200 transitions over 20 deploy requests into one channel; "idle" leaves 4 500 new deploy requests
# waiting for one channel's pace and reads the process's CPU time from /proc/<pid>/stat over 30 s.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
# Java 25 for everything here (the jar, the stand-ins, jcmd, jfr), found as bin/cutover finds it.
. bin/find-jdk.sh
JAVA_HOME=$(find_jdk25) || { no_jdk25_message >&2; exit 1; }
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
OUT=$ROOT/bench/out
mkdir -p "$OUT"
rm -f "$OUT"/rows.txt "$OUT"/*.log "$OUT"/*.jfr
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cutover-bench.XXXXXX")
MVN_ARGS=${MVN_ARGS:--B -q}
WRK_SECONDS=${WRK_SECONDS:-10}
OPEN_LOOP_RATE=${OPEN_LOOP_RATE:-2000}
OPEN_LOOP_SECONDS=${OPEN_LOOP_SECONDS:-20}
COMMAND_SECONDS=${COMMAND_SECONDS:-25}
COMMAND_RATE=${COMMAND_RATE:-200}
SCENARIOS=" ${SCENARIOS:-notify commands wrk openloop side burst idle} "
SIDE_ROUNDS=${SIDE_ROUNDS:-3}
PROFILE_LOAD=${PROFILE_LOAD:-openloop}
EXTRA_JAVA_FLAGS=${EXTRA_JAVA_FLAGS:-}
ORG=bench-org
SIGNING_SECRET=bench-signing-secret
WEBHOOK_SECRET=bench-webhook-secret
TAG=$(date +%s)
PIDS=()
CUTOVER_ENV=() # extra environment for the next start_cutover (the replica scenario's CUTOVER_DATABASE_URL)

log() { printf '\n== %s\n' "$*"; }

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

row() { echo "ROW|$1|$2|$3|$4|$5" >> "$OUT/rows.txt"; }

# ---- 1. wrk ----
log "wrk"
if ! command -v wrk >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  $SUDO apt-get install -y wrk >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null 2>&1 && $SUDO apt-get install -y wrk >/dev/null 2>&1; } \
    || echo "could not install wrk; the Java open-loop generator still runs"
fi
if [[ " ${SCENARIOS:-side} " == *" side "* ]] && ! command -v nginx >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  $SUDO apt-get install -y nginx-light >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null 2>&1 && $SUDO apt-get install -y nginx-light >/dev/null 2>&1; } \
    || echo "could not install nginx; the side-by-side intake run is skipped"
fi
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
HAVE_WRK=0
if command -v wrk >/dev/null 2>&1; then HAVE_WRK=1; echo "using $(wrk -v 2>&1 | head -1)"; fi

# ---- 2. build ----
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the jar and the test classes"
  mvn $MVN_ARGS -DskipTests package
  mvn $MVN_ARGS test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test
else
  mvn $MVN_ARGS dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test
fi
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$WORK/cp.txt")"
# Cutover runs through bin/cutover, the README's run command: bin/jvm.options (shared with the Dockerfile), the AOT
# cache (trained here, untimed, so start-up is measured as users see it from the second start on), MALLOC_ARENA_MAX.
JAVA_FLAGS=$(sed 's/#.*//' bin/jvm.options | xargs)
bin/cutover --help > /dev/null
echo "JVM flags from bin/jvm.options: $JAVA_FLAGS"

# ---- 3. stand-ins ----
log "starting the stand-ins (Slack, PlanetScale answering after 1.5 s)"
java -Xmx512m -XX:+UseParallelGC -cp "$CP" dev.cutover.bench.StandIns "$WORK/ports" 1500 > "$OUT/standins.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do [ -f "$WORK/ports" ] && break; sleep 0.05; done
# shellcheck disable=SC1091
. "$WORK/ports"
SLACK="http://127.0.0.1:$SLACK_PORT"
echo "Slack stand-in on $SLACK_PORT, PlanetScale stand-in on $PLANETSCALE_PORT"

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Starts Cutover as Main does; sets CUTOVER_PID, CUTOVER and STARTUP_MS. $1: extra JVM flags.
start_cutover() {
  local port data start end
  port=$(free_port)
  data=$(mktemp -d "$WORK/data.XXXXXX")
  start=$(date +%s%N)
  env -i PATH="$PATH" HOME="${HOME:-/tmp}" JAVA_HOME="$JAVA_HOME" JAVA_OPTS="$EXTRA_JAVA_FLAGS $1" \
    SLACK_BOT_TOKEN=xoxb-bench-token SLACK_SIGNING_SECRET="$SIGNING_SECRET" SLACK_API_URL="$SLACK/api/" \
    PLANETSCALE_ORG="$ORG" PLANETSCALE_SERVICE_TOKEN_ID=bench-token-id PLANETSCALE_SERVICE_TOKEN=pscale_tkn_bench \
    PLANETSCALE_API_URL="http://127.0.0.1:$PLANETSCALE_PORT/v1" PLANETSCALE_WEBHOOK_SECRET="$WEBHOOK_SECRET" \
    CUTOVER_DATA_DIR="$data" PORT="$port" "${CUTOVER_ENV[@]}" \
    "$ROOT/bin/cutover" >> "$OUT/cutover.log" 2>&1 &
  CUTOVER_PID=$!
  PIDS+=("$CUTOVER_PID")
  CUTOVER="http://127.0.0.1:$port"
  for _ in $(seq 1 1500); do
    if curl -fs -o /dev/null "$CUTOVER/healthz" 2>/dev/null; then
      end=$(date +%s%N)
      STARTUP_MS=$(( (end - start) / 1000000 ))
      return 0
    fi
    kill -0 "$CUTOVER_PID" 2>/dev/null || { echo "Cutover exited; see $OUT/cutover.log"; exit 1; }
    sleep 0.01
  done
  echo "Cutover did not become healthy in 15 s"; exit 1
}

stop_cutover() {
  kill "$CUTOVER_PID" 2>/dev/null || true
  wait "$CUTOVER_PID" 2>/dev/null || true
}

outbox() { curl -fs "$CUTOVER/healthz" | sed -n 's/.*"outbox":\([0-9]*\).*/\1/p'; }

# Waits (at most $1 s) until the outbox is empty, so one scenario's backlog does not pollute the next.
drain() {
  local depth
  for _ in $(seq 1 $(( $1 * 4 ))); do
    depth=$(outbox)
    [ "${depth:-1}" = 0 ] && return 0
    sleep 0.25
  done
  echo "outbox still holds $(outbox) events after $1 s"
}

generate() { java -Xmx768m -cp "$CP" dev.cutover.bench.LoadGenerator "$@" cutover="$CUTOVER" slack="$SLACK" \
  org="$ORG" webhookSecret="$WEBHOOK_SECRET" signingSecret="$SIGNING_SECRET" | tee -a "$OUT/generator.log" \
  | grep '^ROW|' >> "$OUT/rows.txt" || true; }

accepted() { curl -fs "$CUTOVER/metrics" | awk '/^cutover_webhook_events_total\{.*outcome="accepted"/ { s += $2 } END { printf "%.0f", s }'; }

rss() { awk -v key="$2" '$1 == key":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# ---- 4. start-up ----
log "starting Cutover (bin/cutover)"
start_cutover ""
echo "healthy after ${STARTUP_MS} ms"
row "start-up" "process start → first 200 from /healthz" "${STARTUP_MS} ms" "≤ 2 000 ms" \
  "$([ "$STARTUP_MS" -le 2000 ] && echo met || echo MISSED)"
row "memory" "RSS right after start-up (VmRSS)" "$(rss "$CUTOVER_PID" VmRSS) MiB" "—" "—"

# ---- 5. scenarios ----
if [[ $SCENARIOS == *" notify "* ]]; then
log "webhook → first Slack call: 50 events/s over 10 channels for 10 s (the target)"
generate notify rate=50 seconds=10 channels=10 idBase=100000 tag="n1-$TAG" waitSeconds=120
drain 30
log "webhook → first Slack call: 8 events/s over 10 channels for 20 s (inside Slack's 1 post/s per channel)"
generate notify rate=8 seconds=20 channels=10 idBase=200000 tag="n2-$TAG" waitSeconds=30
drain 30
fi

if [[ $SCENARIOS == *" commands "* ]]; then
log "slash commands + clicks: ${COMMAND_RATE} req/s for ${COMMAND_SECONDS} s, PlanetScale answering after 1.5 s"
generate commands rate="$COMMAND_RATE" seconds="$COMMAND_SECONDS" tag="c-$TAG" waitSeconds=120
PS_STATS=$(curl -fs "http://127.0.0.1:$PLANETSCALE_PORT/bench/stats" || echo '{}')
echo "PlanetScale stand-in: $PS_STATS"
row "commands + clicks" "PlanetScale calls in flight at once (max)" \
  "$(echo "$PS_STATS" | sed -n 's/.*"max_in_flight":\([0-9]*\).*/\1/p')" "—" "—"
fi

if [ "$HAVE_WRK" = 1 ] && [[ $SCENARIOS == *" wrk "* ]]; then
  log "webhook intake with wrk: 2 threads, 32 connections, ${WRK_SECONDS} s (closed loop)"
  generate bodies out="$WORK/bodies.txt" count=$(( WRK_SECONDS * 12000 )) idBase=1000000 tag="$TAG"
  drain 60
  BEFORE=$(accepted)
  WRK_OUT=$(wrk -t2 -c32 -d"${WRK_SECONDS}s" --timeout 5s -s "$ROOT/bench/intake.lua" "$CUTOVER" -- "$WORK/bodies.txt" 2 2>&1 \
    | tee -a "$OUT/wrk.log" | grep '^WRK ' || true)
  echo "$WRK_OUT"
  get() { echo "$WRK_OUT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  if [ -n "$WRK_OUT" ]; then
    ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }
    row "webhook intake" "wrk closed loop (32 connections): throughput" "$(get rate) events/s" "≥ 2 000/s" \
      "$([ "$(get rate)" -ge 2000 ] && echo met || echo MISSED)"
    row "webhook intake" "wrk closed loop: non-200 answers / socket errors" "$(get non200) / $(get errors)" "0" \
      "$([ "$(get non200)" = 0 ] && [ "$(get errors)" = 0 ] && echo met || echo MISSED)"
    row "webhook intake" "wrk closed loop: ack p50" "$(ms "$(get p50_us)")" "—" "—"
    row "webhook intake" "wrk closed loop: ack p99 (at saturation)" "$(ms "$(get p99_us)")" "≤ 20 ms" \
      "$([ "$(get p99_us)" -le 20000 ] && echo met || echo MISSED)"
  fi
  row "webhook intake" "wrk: new events recorded (metric delta; duplicates excluded)" "$(( $(accepted) - BEFORE ))" "—" "—"
  rm -f "$WORK/bodies.txt"
  drain 30
fi

if [[ $SCENARIOS == *" openloop "* ]]; then
log "webhook intake, open loop: ${OPEN_LOOP_RATE} events/s for ${OPEN_LOOP_SECONDS} s"
BEFORE=$(accepted)
generate intake rate="$OPEN_LOOP_RATE" seconds="$OPEN_LOOP_SECONDS" idBase=3000000 tag="$TAG"
row "webhook intake" "open loop: new events recorded (metric delta; duplicates excluded)" "$(( $(accepted) - BEFORE ))" \
  "$(( OPEN_LOOP_RATE * OPEN_LOOP_SECONDS ))" "$([ $(( $(accepted) - BEFORE )) = $(( OPEN_LOOP_RATE * OPEN_LOOP_SECONDS )) ] && echo met || echo MISSED)"
fi


# CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

if [ "$HAVE_WRK" = 1 ] && [ -n "$NGINX" ] && [[ $SCENARIOS == *" side "* ]]; then
  log "side by side: wrk against nginx 204 and against Cutover's durable intake, alternating, $SIDE_ROUNDS rounds"
  NGINX_PORT=$(free_port)
  mkdir -p "$WORK/nginx/logs"
  cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$NGINX_PORT; location / { return 204; } }
}
CONF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" > "$OUT/nginx.log" 2>&1 &
  PIDS+=($!)
  sleep 0.5
  for round in $(seq 1 "$SIDE_ROUNDS"); do
    generate bodies out="$WORK/side.txt" count=$(( WRK_SECONDS * 12000 )) idBase=$(( 6000000 + round * 200000 )) tag="side$round-$TAG"
    drain 60
    N_OUT=$(wrk -t2 -c32 -d"${WRK_SECONDS}s" --timeout 5s -s "$ROOT/bench/intake.lua" "http://127.0.0.1:$NGINX_PORT" -- "$WORK/side.txt" 2 repeat 2>&1 | tee -a "$OUT/wrk.log" | grep '^WRK ' || true)
    BEFORE=$(accepted)
    C_OUT=$(wrk -t2 -c32 -d"${WRK_SECONDS}s" --timeout 5s -s "$ROOT/bench/intake.lua" "$CUTOVER" -- "$WORK/side.txt" 2 2>&1 | tee -a "$OUT/wrk.log" | grep '^WRK ' || true)
    RECORDED=$(( $(accepted) - BEFORE ))
    n_rate=$(echo "$N_OUT" | tr ' ' '\n' | sed -n 's/^rate=//p')
    c_rate=$(echo "$C_OUT" | tr ' ' '\n' | sed -n 's/^rate=//p')
    c_p99=$(echo "$C_OUT" | tr ' ' '\n' | sed -n 's/^p99_us=//p')
    ratio=$(awk -v c="${c_rate:-0}" -v n="${n_rate:-1}" 'BEGIN { printf "%.3f", c / n }')
    echo "round $round: nginx ${n_rate}/s, Cutover ${c_rate}/s (${RECORDED} recorded, p99 ${c_p99} µs), ratio $ratio"
    row "durable intake vs nginx 204" "round $round: Cutover / nginx (wrk, 32 connections, ${WRK_SECONDS} s each)" \
      "${c_rate}/s / ${n_rate}/s = ×$ratio (${RECORDED} recorded)" "≥ ×0.10" \
      "$(awk -v r="$ratio" 'BEGIN { print (r >= 0.10) ? "met" : "MISSED" }')"
    rm -f "$WORK/side.txt"
  done
fi

PEAK=$(rss "$CUTOVER_PID" VmHWM)
NOW=$(rss "$CUTOVER_PID" VmRSS)
if [[ $EXTRA_JAVA_FLAGS == *NativeMemoryTracking* ]]; then
  # Where the resident memory is, by the JVM's own account (with EXTRA_JAVA_FLAGS=-XX:NativeMemoryTracking=summary).
  { grep -E '^(VmHWM|VmRSS|RssAnon|RssFile)' "/proc/$CUTOVER_PID/status"; jcmd "$CUTOVER_PID" VM.native_memory summary; } \
    > "$OUT/nmt.txt" 2>&1 || true
fi
row "memory" "peak RSS over all runs (VmHWM)" "$PEAK MiB" "≤ 256 MiB" "$([ "$PEAK" -le 256 ] && echo met || echo MISSED)"
row "memory" "RSS after the runs (VmRSS)" "$NOW MiB" "≤ 256 MiB" "$([ "$NOW" -le 256 ] && echo met || echo MISSED)"
stop_cutover


if [[ $SCENARIOS == *" burst "* ]]; then
  log "burst: 200 transitions over 20 deploy requests into one channel (fresh Cutover)"
  start_cutover ""
  generate burst requests=20 idBase=8000000 tag="b-$TAG" waitSeconds=120
  stop_cutover
fi

if [[ $SCENARIOS == *" idle "* ]]; then
  log "idle under a paced backlog: 4 500 new deploy requests into one channel, then no traffic (fresh Cutover)"
  start_cutover ""
  generate backlog count=4500 idBase=9000000 tag="i-$TAG"
  sleep 20 # the first passes book every waiting post its slot; then only about one event a second is due
  DEPTH_BEFORE=$(outbox)
  CPU_BEFORE=$(cpu_seconds "$CUTOVER_PID")
  sleep 30
  CPU_AFTER=$(cpu_seconds "$CUTOVER_PID")
  DEPTH_AFTER=$(outbox)
  IDLE_PCT=$(awk -v a="$CPU_BEFORE" -v b="$CPU_AFTER" 'BEGIN { printf "%.1f", (b - a) / 30 * 100 }')
  echo "CPU over 30 s: $CPU_BEFORE s → $CPU_AFTER s (${IDLE_PCT} % of one CPU); outbox $DEPTH_BEFORE → $DEPTH_AFTER"
  row "paced backlog" "CPU over 30 s with ~4 500 events waiting for one channel's pace, no traffic" \
    "${IDLE_PCT} % of one CPU (outbox $DEPTH_BEFORE → $DEPTH_AFTER)" "< 5 %" \
    "$(awk -v p="$IDLE_PCT" 'BEGIN { print (p < 5) ? "met" : "MISSED" }')"
  stop_cutover
fi

# Intake over wrk against N processes at once (one wrk each, 32 connections in all, distinct bodies), for the
# replica scenario. Sets REPLICA_RATE (sum), REPLICA_P50 and REPLICA_P99 (the worst process's, in µs).
intake_on() {
  local urls=("$@") n=${#@} i pids=() conns
  conns=$(( 32 / n ))
  for i in $(seq 0 $(( n - 1 ))); do
    generate bodies out="$WORK/replica-$i.txt" count=$(( WRK_SECONDS * 12000 / n )) \
      idBase=$(( 12000000 + RANDOM * 1000 + i * 500000 )) tag="r$i-$RANDOM-$TAG"
  done
  for i in $(seq 0 $(( n - 1 ))); do
    wrk -t1 -c"$conns" -d"${WRK_SECONDS}s" --timeout 5s -s "$ROOT/bench/intake.lua" "${urls[$i]}" -- \
      "$WORK/replica-$i.txt" 1 > "$WORK/replica-$i.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  REPLICA_RATE=0; REPLICA_P50=0; REPLICA_P99=0
  for i in $(seq 0 $(( n - 1 ))); do
    local line rate p50 p99
    line=$(grep '^WRK ' "$WORK/replica-$i.out" | tr ' ' '\n')
    rate=$(echo "$line" | sed -n 's/^rate=//p'); p50=$(echo "$line" | sed -n 's/^p50_us=//p')
    p99=$(echo "$line" | sed -n 's/^p99_us=//p')
    REPLICA_RATE=$(( REPLICA_RATE + ${rate:-0} ))
    [ "${p50:-0}" -gt "$REPLICA_P50" ] && REPLICA_P50=$p50
    [ "${p99:-0}" -gt "$REPLICA_P99" ] && REPLICA_P99=$p99
    cat "$WORK/replica-$i.out" >> "$OUT/wrk.log"
    rm -f "$WORK/replica-$i.txt"
  done
}

if [ "$HAVE_WRK" = 1 ] && [[ $SCENARIOS == *" replicas "* ]]; then
  log "replicas: durable intake on SQLite (one process) and on PostgreSQL with one and two replicas, in one run"
  java -Xmx256m -cp "$CP" dev.cutover.bench.PostgresServer "$WORK/pg.env" > "$OUT/postgres.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 600); do [ -f "$WORK/pg.env" ] && break; sleep 0.1; done
  # shellcheck disable=SC1091
  . "$WORK/pg.env"
  ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }
  CUTOVER_ENV=()
  start_cutover ""
  intake_on "$CUTOVER"
  echo "SQLite, 1 process: ${REPLICA_RATE}/s, p50 $(ms $REPLICA_P50), p99 $(ms $REPLICA_P99)"
  row "replicas" "SQLite, one process (wrk, 32 connections, ${WRK_SECONDS} s)" \
    "${REPLICA_RATE}/s, p50 $(ms $REPLICA_P50), p99 $(ms $REPLICA_P99)" "—" "—"
  stop_cutover
  CUTOVER_ENV=("CUTOVER_DATABASE_URL=$PG_URL")
  start_cutover ""
  FIRST_PID=$CUTOVER_PID FIRST=$CUTOVER
  intake_on "$FIRST"
  echo "PostgreSQL, 1 replica: ${REPLICA_RATE}/s, p50 $(ms $REPLICA_P50), p99 $(ms $REPLICA_P99)"
  row "replicas" "PostgreSQL, one replica (wrk, 32 connections, ${WRK_SECONDS} s)" \
    "${REPLICA_RATE}/s, p50 $(ms $REPLICA_P50), p99 $(ms $REPLICA_P99)" "—" "—"
  start_cutover ""
  intake_on "$FIRST" "$CUTOVER"
  echo "PostgreSQL, 2 replicas: ${REPLICA_RATE}/s, p50 $(ms $REPLICA_P50), p99 $(ms $REPLICA_P99)"
  row "replicas" "PostgreSQL, two replicas (wrk on each, 16 connections each, ${WRK_SECONDS} s)" \
    "${REPLICA_RATE}/s in all, worst p50 $(ms $REPLICA_P50), worst p99 $(ms $REPLICA_P99)" "—" "—"
  stop_cutover
  CUTOVER_PID=$FIRST_PID
  stop_cutover
  CUTOVER_ENV=()
fi

# ---- 6. profile ----
if [ "${SKIP_PROFILE:-0}" != 1 ]; then
  log "profiling one intake run with JFR (second Cutover process)"
  start_cutover "-XX:StartFlightRecording=name=bench,settings=profile,filename=$OUT/intake.jfr"
  if [ "$PROFILE_LOAD" = wrk ] && [ "$HAVE_WRK" = 1 ]; then
    generate bodies out="$WORK/profile.txt" count=$(( WRK_SECONDS * 12000 )) idBase=5000000 tag="p-$TAG"
    wrk -t2 -c32 -d"${WRK_SECONDS}s" --timeout 5s -s "$ROOT/bench/intake.lua" "$CUTOVER" -- "$WORK/profile.txt" 2 \
      > "$OUT/profile-run.log" 2>&1 || true
  else
    java -Xmx768m -cp "$CP" dev.cutover.bench.LoadGenerator intake rate="$OPEN_LOOP_RATE" seconds=10 idBase=5000000 tag="p-$TAG" \
      cutover="$CUTOVER" slack="$SLACK" org="$ORG" webhookSecret="$WEBHOOK_SECRET" signingSecret="$SIGNING_SECRET" \
      > "$OUT/profile-run.log" 2>&1 || true
  fi
  jcmd "$CUTOVER_PID" JFR.dump name=bench filename="$OUT/intake.jfr" > /dev/null 2>&1 || true
  stop_cutover
  java -cp "$CP" dev.cutover.bench.JfrHotSpots "$OUT/intake.jfr" 15 > "$OUT/profile.md" 2>&1 || true
  jfr summary "$OUT/intake.jfr" > "$OUT/jfr-summary.txt" 2>&1 || true
fi

# ---- 7. results ----
{
  echo "# Cutover benchmark results"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ) at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)."
  echo "JVM: $(java -version 2>&1 | sed -n 2p); Cutover started by bin/cutover with \`$JAVA_FLAGS\` and its AOT cache."
  echo "Stand-ins and load generators share the same CPUs as Cutover."
  echo
  echo "| Area | Measure | Value | Target | Verdict |"
  echo "|---|---|---|---|---|"
  sed 's/^ROW|/| /; s/|/ | /g; s/$/ |/' "$OUT/rows.txt" | sed 's/  */ /g'
  if [ -s "$OUT/profile.md" ]; then
    echo
    echo "## JFR profile of one open-loop intake run (${OPEN_LOOP_RATE}/s, 10 s)"
    echo
    cat "$OUT/profile.md"
  fi
} > "$OUT/results.md"

log "summary (full table: bench/out/results.md)"
awk -F'|' '{ printf "%-28s %-70s %-22s %-12s %s\n", $2, $3, $4, $5, $6 }' "$OUT/rows.txt"
