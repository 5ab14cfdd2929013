#!/usr/bin/env bash
# Refresher throughput benchmark: a stub token endpoint answering after 50 ms, N due connections, 1, 2 or 3 replicas
# on one PostgreSQL (the tests' server: 127.0.0.1:5432 or BROKER_TEST_DATABASE_URL). Prints one line per run with the
# CPU time of the brokers and of PostgreSQL (read from /proc when the server runs on this machine), and a SUMMARY
# line with medians. Not part of the test suite.
#
#   bench/refresh/run.sh                      # 1 replica x 20,000 connections, then 2 replicas x 100,000; 3 runs each
#   MODE=scale bench/refresh/run.sh           # 3 replicas renew 1,000,000 due connections; 3 runs
#   MODE=single bench/refresh/run.sh          # only the first part (MODE=pair: only the second)
#   CONNECTIONS=50000 RUNS=5 bench/refresh/run.sh
#   PROFILE=1 bench/refresh/run.sh            # also profiles each first run with async-profiler (target/bench-results)
#   JAVA=<JDK 25>/bin/java VIRTUAL_THREADS=1 bench/refresh/run.sh
#                                             # the brokers on another JDK, with virtual threads
#                                             # (spring.threads.virtual.enabled; JDK 21 and later)
set -euo pipefail
cd "$(dirname "$0")/../.."

MODE=${MODE:-default}
CONNECTIONS=${CONNECTIONS:-100000}
SINGLE_CONNECTIONS=${SINGLE_CONNECTIONS:-20000}
SCALE_CONNECTIONS=${SCALE_CONNECTIONS:-1000000}
RUNS=${RUNS:-3}
MAX_CONCURRENT=${MAX_CONCURRENT:-64}
BATCH_SIZE=${BATCH_SIZE:-100}
POOL=${POOL:-16}
PROFILE=${PROFILE:-0}
JAVA=${JAVA:-java}
VIRTUAL_THREADS=${VIRTUAL_THREADS:-0}

./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
# HttpURLConnection (the provider client) keeps only 5 idle connections per host by default; the broker's main()
# raises that to 256 unless set, and these replicas start without it.
JAVA_OPTS=(-Xmx3g -XX:+UseG1GC -Dhttp.maxConnections=256)

PROFILE_OPTS=()
if [[ "$PROFILE" == 1 ]]; then
  AP_VERSION=4.1
  if [[ ! -f target/bench-tools/async-profiler/linux-x64/libasyncProfiler.so ]]; then
    ./mvnw -q dependency:copy -Dartifact=tools.profiler:async-profiler:$AP_VERSION -DoutputDirectory=target/bench-tools
    unzip -o -q "target/bench-tools/async-profiler-$AP_VERSION.jar" 'linux-x64/*' -d target/bench-tools/async-profiler
  fi
  mkdir -p target/bench-results
  PROFILE_OPTS=(-Dbench.profile="$PWD/target/bench-tools/async-profiler/linux-x64/libasyncProfiler.so")
fi

# bench REPLICAS CONNECTIONS
bench() {
  local out="$PWD/target/bench-results/refresh-$1x$2-$(date -u +%Y%m%dT%H%M%S).collapsed"
  "$JAVA" "${JAVA_OPTS[@]}" "${PROFILE_OPTS[@]}" -Dbench.profile-out="$out" -Dbench.replicas="$1" \
    -Dbench.connections="$2" -Dbench.runs="$RUNS" -Dbench.max-concurrent="$MAX_CONCURRENT" \
    -Dbench.batch-size="$BATCH_SIZE" -Dbench.pool="$POOL" -Dbench.virtual-threads="$VIRTUAL_THREADS" \
    -cp "$CP" io.tokenbroker.refresh.RefreshBench 2>&1 \
    | grep --line-buffered -E '^(seeded|warm-up|progress|run|cpu|SUMMARY)'
  if [[ "$PROFILE" == 1 ]]; then echo "profile: $out"; fi
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD) $(date -u +%Y-%m-%dT%H:%MZ)"
echo "settings: max-concurrent=$MAX_CONCURRENT batch-size=$BATCH_SIZE pool=$POOL runs=$RUNS virtual-threads=$VIRTUAL_THREADS java: $("$JAVA" -version 2>&1 | head -1)"
case "$MODE" in
  scale) bench 3 "$SCALE_CONNECTIONS" ;;
  single) bench 1 "$SINGLE_CONNECTIONS" ;;
  pair) bench 2 "$CONNECTIONS" ;;
  *) bench 1 "$SINGLE_CONNECTIONS"; bench 2 "$CONNECTIONS" ;;
esac
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
