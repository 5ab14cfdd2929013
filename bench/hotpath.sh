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
#   JAVA_OPTS     broker JVM options                         (none: the JVM's defaults)
#   BROKER_ARGS   extra broker arguments, e.g. "--broker.security.service-token.cache.size=0"   (none)
#   PORT          broker port                                18080
#   MANAGEMENT_PORT  the broker's management (Actuator) port 18081
#   PGHOST/PGPORT/PGUSER   PostgreSQL (trust auth)           127.0.0.1 / 5432 / postgres
#   KEEP_DB       keep the benchmark databases (1/0)         0
#   SKIP_BUILD    reuse target/ (1/0)                        0
#   PROFILE       profile one 64-connection run of each endpoint: jfr (JDK Flight Recorder), async
#                 (async-profiler from Maven Central: CPU samples including native and kernel frames, written as
#                 collapsed stacks and a flame graph), or 0                     0
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=${SIZES:-"1000 100000 1000000"}
CONNECTIONS=${CONNECTIONS:-"16 64"}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-120s}
POOL=${POOL:-5000}
THREADS=${THREADS:-2}
COLDSTART=${COLDSTART:-5}
CDS=${CDS:-1}
JAVA_OPTS=${JAVA_OPTS:-}
BROKER_ARGS=${BROKER_ARGS:-}
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
KEEP_DB=${KEEP_DB:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
PROFILE=${PROFILE:-0}

OUT="$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
BROKER_PID=

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt" >&2; }

stop_broker() {
  if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
    kill "$BROKER_PID"
    wait "$BROKER_PID" 2>/dev/null || true
  fi
  BROKER_PID=
}
trap stop_broker EXIT

# --- tools ------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is required (Debian: apt-get install wrk)" >&2
    exit 1
  fi
fi
for tool in java jcmd psql curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
psql -d postgres -Atqc 'select 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }

# --- build ------------------------------------------------------------------------------------------------------
if [[ "$SKIP_BUILD" != 1 ]]; then
  log "building"
  ./mvnw -q -DskipTests package
  ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
JAR="$ROOT/$(cd "$ROOT" && ls target/token-broker-*.jar | grep -v original | head -1)"
SEED_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"

KEYSET="$OUT/keyset.json"
java -jar "$JAR" generate-keyset >"$KEYSET"
HMAC_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')

{
  echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes)')"
  echo "# date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# machine nproc=$(nproc) mem=$(free -g | awk '/Mem:/{print $2}')GiB $(uname -sr); $(java -version 2>&1 | head -1)"
  echo "# settings SIZES='$SIZES' CONNECTIONS='$CONNECTIONS' RUNS=$RUNS DURATION=$DURATION WARMUP=$WARMUP POOL=$POOL THREADS=$THREADS JAVA_OPTS='$JAVA_OPTS' BROKER_ARGS='$BROKER_ARGS'"
} >"$RESULTS"

# --- helpers ----------------------------------------------------------------------------------------------------
now_ms() { date +%s%3N; }

wait_ready() {
  local deadline=$(($(now_ms) + ${READY_TIMEOUT:-300} * 1000))
  until curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health/readiness"; do
    kill -0 "$BROKER_PID" 2>/dev/null || { echo "the broker exited; see $OUT/broker.log" >&2; return 1; }
    (($(now_ms) < deadline)) || { echo "the broker did not become ready" >&2; return 1; }
    sleep 0.02
  done
}

# launch MODE DB JAR [extra java options...]: starts the broker in the background (BROKER_PID).
launch() {
  local mode=$1 db=$2 jar=$3
  shift 3
  if [[ "$mode" == prod ]]; then
    SPRING_PROFILES_ACTIVE=prod \
      SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" SPRING_DATASOURCE_USERNAME=$PGUSER \
      BROKER_CRYPTO_KEYSET_FILE="file:$KEYSET" BROKER_SECURITY_SERVICE_TOKEN_HMAC_SECRET="$HMAC_SECRET" BROKER_SECURITY_SERVICE_TOKEN_AUDIENCE=token-broker-tests \
      java $JAVA_OPTS "$@" -jar "$jar" --server.port=$PORT --management.server.port=$MANAGEMENT_PORT --broker.bench.ceiling-endpoint=true $BROKER_ARGS \
      >>"$OUT/broker.log" 2>&1 &
  else
    # Relative to the repository root, the working directory: the H2 URL prefixes the data directory with "./".
    java $JAVA_OPTS "$@" -jar "$jar" --server.port=$PORT --management.server.port=$MANAGEMENT_PORT --broker.bench.ceiling-endpoint=true \
      --broker.dev.data-dir="${OUT#"$ROOT"/}/devdata" $BROKER_ARGS >>"$OUT/broker.log" 2>&1 &
  fi
  BROKER_PID=$!
}

# start_broker MODE DB JAR [extra java options...]: launches the broker and sets READY_MS to the time from process
# start to readiness.
start_broker() {
  local start
  start=$(now_ms)
  launch "$@"
  wait_ready
  READY_MS=$(($(now_ms) - start))
}

# CPU time in clock ticks. Per request, CPU time is the figure least disturbed by other work on the machine: the
# broker (request threads, GC; not the JIT compiler, whose work is warm-up that a busy machine drags into the
# measured runs), PostgreSQL's backends serving the benchmark database, and wrk.
ticks_of() { # pid...
  local total=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] && total=$((total + $(sed 's/.*) //' /proc/"$p"/stat | awk '{print $12 + $13}')))
  done
  echo $total
}
broker_ticks() {
  local jit
  jit=$(awk '{ match($0, /\(.*\)/); comm = substr($0, RSTART + 1, RLENGTH - 2); split(substr($0, RSTART + RLENGTH + 1), a, " ")
               if (comm ~ /^C[12] CompilerThre/) t += a[12] + a[13] } END { print t + 0 }' /proc/"$BROKER_PID"/task/*/stat)
  echo $(($(ticks_of "$BROKER_PID") - jit))
}
pg_backends() { pgrep -f "postgres: .* $DB " | tr '\n' ' '; }

# A broker that died (or was stopped by someone else's cleanup) must end the run, not yield empty results.
broker_alive() {
  kill -0 "$BROKER_PID" 2>/dev/null || { echo "the broker (pid $BROKER_PID) is gone; see $OUT/broker.log" >&2; exit 1; }
}

# run_wrk LABEL CONNECTIONS DURATION PATH [TOKENS]: prints "rps p50 p99 p99.9 errors requests broker_us pg_us wrk_us",
# the last three being CPU microseconds per request.
run_wrk() {
  local label=$1 conns=$2 duration=$3 path=$4 tokens=${5:-}
  local b0 p0 b1 p1 wrk_ticks result requests tick_us
  broker_alive
  # shellcheck disable=SC2046
  b0=$(broker_ticks); p0=$(ticks_of $(pg_backends))
  wrk_ticks=$(
    BENCH_LABEL=$label BENCH_PATH=$path TOKENS=$tokens \
      wrk -t"$THREADS" -c"$conns" -d"$duration" --timeout 5s -s bench/hotpath.lua "http://127.0.0.1:$PORT" \
      >"$OUT/wrk-$label.txt" 2>&1
    # The children's user and system time, as "0m1.234s 0m0.567s" (a builtin in a pipeline would run in a fresh
    # subshell that has no children, hence the file).
    times >"$OUT/times.txt"
    tail -1 "$OUT/times.txt" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print int((u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 100) }'
  )
  broker_alive
  # shellcheck disable=SC2046
  b1=$(broker_ticks); p1=$(ticks_of $(pg_backends))
  result=$(grep '^RESULT' "$OUT/wrk-$label.txt" | sed 's/^RESULT [^ ]* //')
  requests=$(echo "$result" | awk '{print $6}')
  ((requests > 0)) || requests=1
  tick_us=$((1000000 / $(getconf CLK_TCK)))
  echo "$label $result $(((b1 - b0) * tick_us / requests)) $(((p1 - p0) * tick_us / requests)) $((wrk_ticks * 10000 / requests))"
}

HOT=/connectors/github/connection
CEILING=/bench/ceiling

# --- hot path per size ------------------------------------------------------------------------------------------
for n in $SIZES; do
  db="bench_hotpath_$n"
  DB=$db
  tokens="$OUT/tokens-$n.txt"
  log "size $n: seeding $db"
  psql -d postgres -qc "drop database if exists $db" -c "create database $db"
  seed_start=$(now_ms)
  java -cp "$SEED_CP" io.tokenbroker.connection.BenchSeeder "jdbc:postgresql://$PGHOST:$PGPORT/$db" "$PGUSER" "" \
    "$n" "$KEYSET" "$HMAC_SECRET" "$tokens" "$POOL" >>"$OUT/seed.log" 2>&1
  echo "seed $n $(($(now_ms) - seed_start))ms $(psql -d "$db" -Atc "select pg_size_pretty(pg_database_size('$db'))")" >>"$RESULTS"
  # The plan of the hot-path query for one stored app (the statement ConnectionStore.find runs).
  app=$(psql -d "$db" -Atc "select id from app order by random() limit 1")
  psql -d "$db" -c "explain (analyze, buffers) select c.id, c.access_token from connection c join connector k on k.id = c.connector_id
    where k.app_id = '$app' and k.integration_type = 'github' and c.app_user_id = ''" >"$OUT/explain-$n.txt"

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
    for endpoint in hot ceiling; do
      # jcmd would read "event=cpu" as an option of its own: the agent's options go in quotes.
      jcmd "$BROKER_PID" JVMTI.agent_load "$AP" '"start,event=cpu,interval=1ms"' >/dev/null
      if [[ $endpoint == hot ]]; then
        run_wrk "profile-hot-$n" 64 "$DURATION" "$HOT" "$tokens" >>"$RESULTS"
      else
        run_wrk "profile-ceiling-$n" 64 "$DURATION" "$CEILING" >>"$RESULTS"
      fi
      jcmd "$BROKER_PID" JVMTI.agent_load "$AP" "\"stop,file=$OUT/$endpoint-$n.collapsed,collapsed\"" >/dev/null
    done
  fi

  if [[ "$PROFILE" == 1 || "$PROFILE" == jfr ]]; then
    log "size $n: profiling one hot-path run"
    # The JDK's "profile" settings, sampling every millisecond instead of every 10 ms.
    sed 's/<setting name="period" control="method-sampling-java-interval">10 ms/<setting name="period" control="method-sampling-java-interval">1 ms/' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$OUT/profile.jfc"
    jcmd "$BROKER_PID" JFR.start name=hot settings="$OUT/profile.jfc" filename="$OUT/hot-$n.jfr" >/dev/null
    run_wrk "profile-hot-$n" 64 "$DURATION" "$HOT" "$tokens" >>"$RESULTS"
    jcmd "$BROKER_PID" JFR.dump name=hot filename="$OUT/hot-$n.jfr" >/dev/null
    jcmd "$BROKER_PID" JFR.stop name=hot >/dev/null
    jcmd "$BROKER_PID" JFR.start name=ceiling settings="$OUT/profile.jfc" filename="$OUT/ceiling-$n.jfr" >/dev/null
    run_wrk "profile-ceiling-$n" 64 "$DURATION" "$CEILING" >>"$RESULTS"
    jcmd "$BROKER_PID" JFR.dump name=ceiling filename="$OUT/ceiling-$n.jfr" >/dev/null
    jcmd "$BROKER_PID" JFR.stop name=ceiling >/dev/null
  fi

  cached=$(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" | awk '/^broker_connection_cache_size/ { print int($2) }')
  jcmd "$BROKER_PID" GC.run >/dev/null
  sleep 1
  jcmd "$BROKER_PID" GC.heap_info >"$OUT/heap-$n.txt"
  heap_used=$(grep -oE 'used [0-9]+K' "$OUT/heap-$n.txt" | head -1 | grep -oE '[0-9]+')
  rss=$(awk '/VmRSS/{print $2}' /proc/"$BROKER_PID"/status)
  echo "memory $n heap_after_gc=$((heap_used / 1024))MB rss=$((rss / 1024))MB cached_rows=${cached:-?}" >>"$RESULTS"
  stop_broker
  [[ "$KEEP_DB" == 1 ]] || psql -d postgres -qc "drop database $db"
done

# --- cold start -------------------------------------------------------------------------------------------------
if ((COLDSTART > 0)); then
  db=bench_hotpath_coldstart
  psql -d postgres -qc "drop database if exists $db" -c "create database $db"
  variants=(plain)
  if [[ "$CDS" == 1 ]]; then
    # Class-data sharing: an extracted jar, and an archive per mode recorded by a training run that stops after
    # the context refreshed.
    rm -rf "$OUT/extracted"
    java -Djarmode=tools -jar "$JAR" extract --destination "$OUT/extracted" >/dev/null
    for mode in dev prod; do
      log "cold start: CDS training run ($mode)"
      rm -rf "$OUT/devdata"
      launch "$mode" "$db" "$OUT/extracted/$(basename "$JAR")" -XX:ArchiveClassesAtExit="$OUT/$mode.jsa" \
        -Dspring.context.exit=onRefresh
      wait "$BROKER_PID" || true
      BROKER_PID=
    done
    variants+=(cds)
  fi
  for run in $(seq 1 "$COLDSTART"); do
    for variant in "${variants[@]}"; do
      for mode in dev prod; do
        rm -rf "$OUT/devdata"
        if [[ "$variant" == cds ]]; then
          start_broker "$mode" "$db" "$OUT/extracted/$(basename "$JAR")" -XX:SharedArchiveFile="$OUT/$mode.jsa"
        else
          start_broker "$mode" "$db" "$JAR"
        fi
        echo "coldstart $variant $mode $run ${READY_MS}ms (load $(cut -d' ' -f1 /proc/loadavg))" >>"$RESULTS"
        log "cold start $variant $mode run $run: ${READY_MS} ms"
        stop_broker
      done
    done
  done
  psql -d postgres -qc "drop database $db"
fi

bench/summarize.sh "$RESULTS" | tee "$OUT/summary.md"
