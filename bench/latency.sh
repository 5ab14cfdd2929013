#!/usr/bin/env bash
# Latency the way callers feel it: open-loop runs at constant request rates (a share of the ceiling's measured
# throughput), hot path and ceiling side by side, with SIZE stored connections and POOL callers. The generator
# (io.tokenbroker.bench.OpenLoopLoad, test classpath) sends each request when it is due whatever the broker does and
# measures its latency from that moment, so queueing behind a stall is counted (no coordinated omission). See
# BENCHMARKS.md ("Latency at constant rates").
#
# Usage: bench/latency.sh                           (defaults below)
#        RUNS=1 DURATION=10 WARMUP=20s bench/latency.sh   (a quick look)
# Settings (environment), besides those of bench/lib.sh (JAVA, JAVA_OPTS, BROKER_ARGS, VIRTUAL_THREADS, PORT,
# MANAGEMENT_PORT, POOL, THREADS, SKIP_BUILD, KEEP_DB, PG*):
#   SIZE          stored connections                                     100000
#   SHARES        request rates, in percent of the ceiling's throughput  "25 50 75"
#   RUNS          measured runs per share and endpoint                   3 (the summary reports medians)
#   DURATION      one measured open-loop run, seconds                    30
#   GEN_WARMUP    seconds of each open-loop run not counted               5
#   WARMUP        closed-loop warm-up of each endpoint (wrk, 64 conns)   60s
#   CEILING_RUNS  wrk runs (64 connections, 20 s) measuring the ceiling's throughput   3
#   CEILING_RPS   skip that measurement and use this throughput          (measured)
#   MAX_CONNECTIONS  connections the generator may open                  1000
# Each open-loop run also leaves timeline-LABEL.txt in the results folder: per second of the run, the requests answered
# and the worst latency (ms), to tell a stall from a steady queue.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE=${SIZE:-100000}
SHARES=${SHARES:-"25 50 75"}
RUNS=${RUNS:-3}
DURATION=${DURATION:-30}
GEN_WARMUP=${GEN_WARMUP:-5}
WARMUP=${WARMUP:-60s}
CEILING_RUNS=${CEILING_RUNS:-3}
CEILING_RPS=${CEILING_RPS:-}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-1000}

OUT="$(pwd)/bench/results/latency-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: >"$RESULTS"
source bench/lib.sh
trap stop_broker EXIT

require_tools
build
echo "# settings SIZE=$SIZE SHARES='$SHARES' RUNS=$RUNS DURATION=$DURATION GEN_WARMUP=$GEN_WARMUP WARMUP=$WARMUP POOL=$POOL MAX_CONNECTIONS=$MAX_CONNECTIONS JAVA_OPTS='$JAVA_OPTS' BROKER_ARGS='$BROKER_ARGS'" >>"$RESULTS"

# run_open LABEL RATE PATH [TOKENS]: prints "label rate achieved p50 p99 p99.9 max errors requests broker_us pg_us
# generator_us". The generator gets a small fixed heap and the serial collector: its own pauses would show up as
# latency.
run_open() {
  local label=$1 rate=$2 path=$3 tokens=${4:--}
  REQUESTS_FIELD=8 measured "$label" java -Xms256m -Xmx256m -XX:+UseSerialGC -Dtimeline="$OUT/timeline-$label.txt" \
    -cp "$BENCH_CP" \
    io.tokenbroker.bench.OpenLoopLoad 127.0.0.1 "$PORT" "$path" "$rate" "$GEN_WARMUP" "$DURATION" "$tokens" \
    "$MAX_CONNECTIONS" "$label"
}

# settle: waits (up to 60 s) until the broker is idle, so that a run's backlog (an overloaded run can leave seconds of
# accepted requests behind) is not charged to the next run.
settle() {
  local before after tick
  tick=$(getconf CLK_TCK)
  for _ in $(seq 1 60); do
    before=$(ticks_of "$BROKER_PID")
    sleep 1
    after=$(ticks_of "$BROKER_PID")
    ((after - before < tick / 5)) && return
  done
  log "the broker did not settle within 60 s"
}

seed "$SIZE"
log "starting the broker"
start_broker prod "$DB" "$JAR"
echo "ready prod $SIZE ${READY_MS}ms" >>"$RESULTS"

log "warm-up (closed loop, $WARMUP per endpoint)"
run_wrk warmup-hot 64 "$WARMUP" "$HOT" "$TOKENS" >/dev/null
run_wrk warmup-ceiling 64 "$WARMUP" "$CEILING" >/dev/null

if [[ -z "$CEILING_RPS" ]]; then
  rates=()
  for run in $(seq 1 "$CEILING_RUNS"); do
    log "ceiling throughput, run $run (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    line=$(run_wrk "throughput-ceiling-r$run" 64 20s "$CEILING")
    echo "closed ceiling $line" >>"$RESULTS"
    rates+=("$(echo "$line" | awk '{print $2}')")
  done
  CEILING_RPS=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
fi
echo "ceiling_rps $CEILING_RPS" >>"$RESULTS"
log "ceiling throughput (median): $CEILING_RPS req/s"

for run in $(seq 1 "$RUNS"); do
  for share in $SHARES; do
    rate=$(awk -v c="$CEILING_RPS" -v s="$share" 'BEGIN {printf "%.0f", c * s / 100}')
    for endpoint in hot ceiling; do
      log "run $run: $endpoint at $share % ($rate req/s; load: $(cut -d' ' -f1-3 /proc/loadavg))"
      settle
      load=$(cut -d' ' -f1 /proc/loadavg)
      if [[ $endpoint == hot ]]; then
        line=$(run_open "open-hot-$share-r$run" "$rate" "$HOT" "$TOKENS")
      else
        line=$(run_open "open-ceiling-$share-r$run" "$rate" "$CEILING")
      fi
      echo "open $endpoint $share $run $load $line" >>"$RESULTS"
    done
  done
done

rss=$(awk '/VmRSS/{print $2}' /proc/"$BROKER_PID"/status)
echo "memory rss=$((rss / 1024))MB" >>"$RESULTS"
stop_broker
drop_database "$DB"

# Medians per share and endpoint, side by side.
awk '
function median(list,    n, v, i, j, t) {
  n = split(list, v, " ")
  for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
  if (n == 0) return 0
  return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
/^#/ { print "    " substr($0, 3); next }
$1 == "ceiling_rps" { ceiling = $2 }
$1 == "open" {
  k = $2 SUBSEP $3; if (!(($3) in seen)) { seen[$3] = 1; shares[++ns] = $3 }
  rate[$3] = $7; load[$3] = load[$3] " " $5
  got[k] = got[k] " " $8; p50[k] = p50[k] " " $9; p99[k] = p99[k] " " $10; p999[k] = p999[k] " " $11
  mx[k] = mx[k] " " $12; err[k] += $13; n[k]++; bcpu[k] = bcpu[k] " " $15; pcpu[k] = pcpu[k] " " $16
}
END {
  printf "\nceiling throughput (wrk, 64 connections, median): %s req/s\n\n", ceiling
  print "| share | rate req/s | hot achieved | hot p50 / p99 / p99.9 / max ms | ceiling p50 / p99 / p99.9 / max ms | hot p99 / ceiling p99 | errors hot / ceiling | CPU µs/req hot: broker + PostgreSQL | ceiling: broker | runs | load (1 min) |"
  print "|---:|---:|---:|---|---|---:|---|---|---|---:|---|"
  for (i = 1; i <= ns; i++) {
    s = shares[i]; h = "hot" SUBSEP s; c = "ceiling" SUBSEP s
    printf "| %s %% | %s | %.0f | %.2f / %.2f / %.2f / %.1f | %.2f / %.2f / %.2f / %.1f | %.2f | %d / %d | %.0f + %.0f | %.0f | %d |%s |\n",
      s, rate[s], median(got[h]), median(p50[h]), median(p99[h]), median(p999[h]), median(mx[h]),
      median(p50[c]), median(p99[c]), median(p999[c]), median(mx[c]),
      (median(p99[c]) > 0 ? median(p99[h]) / median(p99[c]) : 0), err[h], err[c],
      median(bcpu[h]), median(pcpu[h]), median(bcpu[c]), n[h], load[s]
  }
}' "$RESULTS" | tee "$OUT/summary.md"
log "results in $OUT"
