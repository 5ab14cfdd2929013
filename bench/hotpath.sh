#!/usr/bin/env bash
# Hot-path benchmark: GET /connectors/{type}/connection against its ceiling (/bench/ceiling), with N stored
# connections, plus cold start. See BENCHMARKS.md ("Hot path") for what it measures and how to read the results.
#
# Usage: bench/hotpath.sh            (everything, defaults below)
#        SIZES="1000" RUNS=1 bench/hotpath.sh   (a quick look)
# Settings (environment):
#   SIZES         stored connections per round               "1000 100000 1000000"
#   CONNECTIONS   wrk concurrent connections                 "16 64"
#   RUNS          measured runs per size and concurrency     3 (the summary reports medians)
#   DURATION      one measured run                           20s
#   WARMUP        warm-up before measuring, per size         120s
#   POOL          service JWTs (apps) drawn from at random   5000 (below the broker's verified-token cache size)
#   THREADS       wrk threads                                2
#   COLDSTART     cold-start runs per mode (0 = skip)        5
#   CDS           also measure cold start with class-data sharing (1/0)   1
#   JAVA          the broker's java                          java (on the PATH)
#   JAVA_OPTS     broker JVM options                         (none: the JVM's defaults)
#   BROKER_ARGS   extra broker arguments, e.g. "--broker.security.service-token.cache.size=0"   (none)
#   VIRTUAL_THREADS  1: virtual threads (--spring.threads.virtual.enabled=true; JDK 21+, see JAVA)   0
#   PORT          broker port                                18080
#   MANAGEMENT_PORT  the broker's management (Actuator) port 18081
#   PGHOST/PGPORT/PGUSER   PostgreSQL (trust auth)           127.0.0.1 / 5432 / postgres
#   KEEP_DB       keep the benchmark databases (1/0)         0
#   SKIP_BUILD    reuse target/ (1/0)                        0
#   PROFILE       profile one 64-connection run of each endpoint: jfr (JDK Flight Recorder), async
#                 (async-profiler from Maven Central: CPU samples including native and kernel frames, written as
#                 collapsed stacks and a flame graph), or 0                     0
#   PROFILE_EVENT with PROFILE=async: cpu, or alloc (bytes allocated, by allocating stack)   cpu
set -euo pipefail

cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 100000 1000000"}
CONNECTIONS=${CONNECTIONS:-"16 64"}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-120s}
COLDSTART=${COLDSTART:-5}
CDS=${CDS:-1}
PROFILE=${PROFILE:-0}
PROFILE_EVENT=${PROFILE_EVENT:-cpu}

OUT="$(pwd)/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: >"$RESULTS"
source bench/lib.sh
trap stop_broker EXIT

require_tools
build
echo "# settings SIZES='$SIZES' CONNECTIONS='$CONNECTIONS' RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP POOL=$POOL THREADS=$THREADS JAVA_OPTS='$JAVA_OPTS' BROKER_ARGS='$BROKER_ARGS'" >>"$RESULTS"

# --- hot path per size ------------------------------------------------------------------------------------------
for n in $SIZES; do
  seed "$n"
  db=$DB
  tokens=$TOKENS

  log "size $n: starting the broker"
  start_broker prod "$db" "$JAR"
  echo "ready prod $n ${READY_MS}ms" >>"$RESULTS"
  # Same body size on both endpoints, or the comparison is unfair.
  one=$(head -1 "$tokens")
  hot_size=$(curl -fs -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $one" "http://127.0.0.1:$PORT$HOT")
  ceil_size=$(curl -fs -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$CEILING")
  echo "bodies $n hot=${hot_size}B ceiling=${ceil_size}B" >>"$RESULTS"

  log "size $n: warm-up"
  run_wrk "warmup-hot-$n" 64 "$WARMUP" "$HOT" "$tokens" >/dev/null
  run_wrk "warmup-ceiling-$n" 64 "$WARMUP" "$CEILING" >/dev/null

  for run in $(seq 1 "$RUNS"); do
    for c in $CONNECTIONS; do
      broker_alive
      log "size $n run $run c=$c (load: $(cut -d' ' -f1-3 /proc/loadavg))"
      echo "load $(cut -d' ' -f1 /proc/loadavg) hot $n $c $run" >>"$RESULTS"
      echo "hot $n $c $run $(run_wrk "hot-$n-c$c-r$run" "$c" "$DURATION" "$HOT" "$tokens")" >>"$RESULTS"
      echo "ceiling $n $c $run $(run_wrk "ceiling-$n-c$c-r$run" "$c" "$DURATION" "$CEILING")" >>"$RESULTS"
    done
  done

  if [[ "$PROFILE" == async ]]; then
    log "size $n: profiling one run of each endpoint with async-profiler"
    AP_VERSION=4.1
    if [[ ! -f target/bench-tools/async-profiler/linux-x64/libasyncProfiler.so ]]; then
      ./mvnw -q dependency:copy -Dartifact=tools.profiler:async-profiler:$AP_VERSION -DoutputDirectory=target/bench-tools
      unzip -o -q "target/bench-tools/async-profiler-$AP_VERSION.jar" 'linux-x64/*' -d target/bench-tools/async-profiler
    fi
    AP="$ROOT/target/bench-tools/async-profiler/linux-x64/libasyncProfiler.so"
    # Allocation profiles count bytes (total), CPU profiles samples.
    total=$([[ $PROFILE_EVENT == alloc ]] && echo ,total || true)
    for endpoint in hot ceiling; do
      # jcmd would read "event=cpu" as an option of its own: the agent's options go in quotes.
      "$JCMD" "$BROKER_PID" JVMTI.agent_load "$AP" '"start,event='"$PROFILE_EVENT"',interval='"$([[ $PROFILE_EVENT == alloc ]] && echo 512k || echo 1ms)"'"' >/dev/null
      if [[ $endpoint == hot ]]; then
        run_wrk "profile-hot-$n" 64 "$DURATION" "$HOT" "$tokens" >>"$RESULTS"
      else
        run_wrk "profile-ceiling-$n" 64 "$DURATION" "$CEILING" >>"$RESULTS"
      fi
      "$JCMD" "$BROKER_PID" JVMTI.agent_load "$AP" "\"stop,file=$OUT/$endpoint-$n.collapsed,collapsed$total\"" >/dev/null
    done
  fi

  if [[ "$PROFILE" == 1 || "$PROFILE" == jfr ]]; then
    log "size $n: profiling one hot-path run"
    # The JDK's "profile" settings, sampling every millisecond instead of every 10 ms.
    sed 's/<setting name="period" control="method-sampling-java-interval">10 ms/<setting name="period" control="method-sampling-java-interval">1 ms/' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")/lib/jfr/profile.jfc" >"$OUT/profile.jfc"
    "$JCMD" "$BROKER_PID" JFR.start name=hot settings="$OUT/profile.jfc" filename="$OUT/hot-$n.jfr" >/dev/null
    run_wrk "profile-hot-$n" 64 "$DURATION" "$HOT" "$tokens" >>"$RESULTS"
    "$JCMD" "$BROKER_PID" JFR.dump name=hot filename="$OUT/hot-$n.jfr" >/dev/null
    "$JCMD" "$BROKER_PID" JFR.stop name=hot >/dev/null
    "$JCMD" "$BROKER_PID" JFR.start name=ceiling settings="$OUT/profile.jfc" filename="$OUT/ceiling-$n.jfr" >/dev/null
    run_wrk "profile-ceiling-$n" 64 "$DURATION" "$CEILING" >>"$RESULTS"
    "$JCMD" "$BROKER_PID" JFR.dump name=ceiling filename="$OUT/ceiling-$n.jfr" >/dev/null
    "$JCMD" "$BROKER_PID" JFR.stop name=ceiling >/dev/null
  fi

  cached=$(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" | awk '/^broker_connection_cache_size/ { print int($2) }')
  "$JCMD" "$BROKER_PID" GC.run >/dev/null
  sleep 1
  "$JCMD" "$BROKER_PID" GC.heap_info >"$OUT/heap-$n.txt"
  heap_used=$(grep -oE 'used [0-9]+K' "$OUT/heap-$n.txt" | head -1 | grep -oE '[0-9]+')
  rss=$(awk '/VmRSS/{print $2}' /proc/"$BROKER_PID"/status)
  echo "memory $n heap_after_gc=$((heap_used / 1024))MB rss=$((rss / 1024))MB cached_rows=${cached:-?}" >>"$RESULTS"
  stop_broker
  drop_database "$db"
done

# --- cold start -------------------------------------------------------------------------------------------------
((COLDSTART > 0)) && cold_start "$COLDSTART"

bench/summarize.sh "$RESULTS" | tee "$OUT/summary.md"
