#!/usr/bin/env bash
# Start-up to healthy and resident memory of the README's run command:   bash bench/startup.sh
#
# Alternating, ROUNDS times, each on a fresh data directory and port, all on 127.0.0.1:
#   aot      bin/cutover --sandbox                        (bin/jvm.options + the AOT cache)
#   no-aot   CUTOVER_AOT=off bin/cutover --sandbox        (bin/jvm.options, no cache)
#   java-jar java -jar target/cutover.jar --sandbox        (JVM defaults: what `java -jar` alone gives)
#   jwebserver  the JDK's own minimal HTTP server, started the same way: the same JDK and flags file
#            (java @bin/jvm.options -m jdk.httpserver, which is what bin/jwebserver runs)
# Start-up is process start -> first 200 (GET /healthz for Cutover, GET / for jwebserver), polled every 10 ms with
# curl. RSS (VmRSS) is read at healthy and after IDLE_SECONDS idle; VmHWM at the end. Medians are printed with
# the ratio to jwebserver's median. The cache is built (untimed) before the first round.
# Knobs: ROUNDS (7), IDLE_SECONDS (5), VARIANTS ("aot no-aot java-jar jwebserver").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. bin/find-jdk.sh
JAVA_HOME=$(find_jdk25) || { no_jdk25_message >&2; exit 1; }
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
ROUNDS=${ROUNDS:-7}
IDLE_SECONDS=${IDLE_SECONDS:-5}
VARIANTS=${VARIANTS:-aot no-aot java-jar jwebserver}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cutover-startup.XXXXXX")
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
rss() { awk -v key="$2" '$1 == key":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Untimed: builds the jar if needed and trains the cache (bin/cutover --help exits right after).
bin/cutover --help > /dev/null

echo "JDK: $("$JAVA" -version 2>&1 | sed -n 2p); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "round variant startup_ms rss_healthy_mib rss_idle_mib hwm_mib"
for round in $(seq 1 "$ROUNDS"); do
  for variant in $VARIANTS; do
    port=$(free_port)
    data=$(mktemp -d "$WORK/data.XXXXXX")
    path=/healthz
    start=$(date +%s%N)
    case $variant in
      aot) env SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET=bench PORT="$port" CUTOVER_DATA_DIR="$data" \
             bin/cutover --sandbox > "$WORK/out.log" 2>&1 & ;;
      no-aot) env CUTOVER_AOT=off SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET=bench PORT="$port" \
             CUTOVER_DATA_DIR="$data" bin/cutover --sandbox > "$WORK/out.log" 2>&1 & ;;
      java-jar) env SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET=bench PORT="$port" CUTOVER_DATA_DIR="$data" \
             "$JAVA" -jar target/cutover.jar --sandbox > "$WORK/out.log" 2>&1 & ;;
      jwebserver) path=/
             "$JAVA" @bin/jvm.options -m jdk.httpserver -b 127.0.0.1 -p "$port" -d "$data" > "$WORK/out.log" 2>&1 & ;;
    esac
    PID=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$port$path"; do
      kill -0 "$PID" 2>/dev/null || { echo "$variant exited:"; cat "$WORK/out.log"; exit 1; }
      sleep 0.01
    done
    end=$(date +%s%N)
    healthy=$(rss "$PID" VmRSS)
    sleep "$IDLE_SECONDS"
    echo "$round $variant $(( (end - start) / 1000000 )) $healthy $(rss "$PID" VmRSS) $(rss "$PID" VmHWM)"
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    PID=""
  done
done | tee "$WORK/rows.txt"

echo
echo "medians over $ROUNDS rounds (startup ratio to jwebserver's median):"
awk '
  { ms[$2] = ms[$2] " " $3; idle[$2] = idle[$2] " " $5; hwm[$2] = hwm[$2] " " $6; if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 } }
  function median(list,   a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    base = ("jwebserver" in seen) ? median(ms["jwebserver"]) : 0
    for (i = 1; i <= n; i++) {
      v = order[i]
      printf "%-11s start-up %5d ms%s   RSS idle %3d MiB   peak %3d MiB\n", v, median(ms[v]),
        base ? sprintf(" (x%.1f)", median(ms[v]) / base) : "", median(idle[v]), median(hwm[v])
    }
  }' "$WORK/rows.txt"
