# Shared by bench/hotpath.sh, bench/latency.sh and bench/coldstart.sh (the others take ensure_wrk): tools, the build, keys, seeding a database of N stored
# connections with a pool of service JWTs, starting a production-mode broker with the ceiling endpoint, and CPU time
# per request. Source it from the repository root after setting OUT (the results directory) and RESULTS.
#
# Settings it reads (environment): JAVA (the broker's java, default: java on the PATH), JAVA_OPTS, BROKER_ARGS,
# VIRTUAL_THREADS (1: the broker runs with --spring.threads.virtual.enabled=true, which takes effect on JDK 21+; 0),
# PORT / MANAGEMENT_PORT (18080 / 18081), PGHOST/PGPORT/PGUSER (127.0.0.1 / 5432 / postgres), SKIP_BUILD (0), THREADS
# (wrk threads, 2), POOL (service JWTs, 5000), KEEP_DB (0), BROKER_JAR (another build of the broker to measure,
# e.g. an older commit's, default: target/'s).

ROOT=$(pwd)
JAVA=${JAVA:-java}
# jcmd of the same JDK as the broker's java.
JCMD="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd"
JAVA_OPTS=${JAVA_OPTS:-}
BROKER_ARGS=${BROKER_ARGS:-}
VIRTUAL_THREADS=${VIRTUAL_THREADS:-0}
if [[ "$VIRTUAL_THREADS" == 1 ]]; then
  BROKER_ARGS="--spring.threads.virtual.enabled=true${BROKER_ARGS:+ $BROKER_ARGS}"
fi
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
SKIP_BUILD=${SKIP_BUILD:-0}
THREADS=${THREADS:-2}
POOL=${POOL:-5000}
KEEP_DB=${KEEP_DB:-0}
BROKER_PID=
HOT=/connectors/github/connection
CEILING=/bench/ceiling

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt" >&2; }
now_ms() { date +%s%3N; }

stop_broker() {
  if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
    kill "$BROKER_PID"
    wait "$BROKER_PID" 2>/dev/null || true
  fi
  BROKER_PID=
}

# ensure_wrk: wrk, installed from Debian's packages when run as root.
ensure_wrk() {
  command -v wrk >/dev/null && return
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing wrk" >&2
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is required (Debian: apt-get install wrk)" >&2
    exit 1
  fi
}

# require_tools [more...]: wrk, java and its jcmd, psql, curl, and PostgreSQL.
require_tools() {
  ensure_wrk
  local tool
  for tool in "$JAVA" "$JCMD" psql curl "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
  done
  psql -d postgres -Atqc 'select 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }
}

# build: the jar, the test classes (seeder, load generator) and their classpath, unless SKIP_BUILD=1. Sets JAR and
# BENCH_CP, makes the run's keys (KEYSET, HMAC_SECRET) and writes the header of RESULTS.
build() {
  if [[ "$SKIP_BUILD" != 1 ]]; then
    log "building"
    ./mvnw -q -DskipTests package
    ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
  fi
  JAR=${BROKER_JAR:-"$ROOT/$(ls target/token-broker-*.jar | grep -v original | head -1)"}
  BENCH_CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/bench-classpath.txt)"
  KEYSET="$OUT/keyset.json"
  "$JAVA" -jar "$JAR" generate-keyset >"$KEYSET"
  HMAC_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
  {
    echo "# commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes)')"
    echo "# date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    [[ -z "${BROKER_JAR:-}" ]] || echo "# jar $BROKER_JAR (not built from this commit)"
    echo "# machine nproc=$(nproc) mem=$(free -g | awk '/Mem:/{print $2}')GiB $(uname -sr); $("$JAVA" -version 2>&1 | head -1)"
  } >>"$RESULTS"
}

# seed N: a fresh database bench_hotpath_N (sets DB) with N apps, connectors and active app-wide connections, and
# a pool of POOL service JWTs for random apps in $OUT/tokens-N.txt (sets TOKENS). See BENCHMARKS.md, "Hot path".
seed() {
  local n=$1 start app
  DB="bench_hotpath_$n"
  TOKENS="$OUT/tokens-$n.txt"
  log "size $n: seeding $DB"
  psql -d postgres -qc "drop database if exists $DB" -c "create database $DB"
  start=$(now_ms)
  java -cp "$BENCH_CP" io.tokenbroker.connection.BenchSeeder "jdbc:postgresql://$PGHOST:$PGPORT/$DB" "$PGUSER" "" \
    "$n" "$KEYSET" "$HMAC_SECRET" "$TOKENS" "$POOL" >>"$OUT/seed.log" 2>&1
  echo "seed $n $(($(now_ms) - start))ms $(psql -d "$DB" -Atc "select pg_size_pretty(pg_database_size('$DB'))")" >>"$RESULTS"
  # The plan of the hot-path query for one stored app (the statement ConnectionStore.find runs).
  app=$(psql -d "$DB" -Atc "select id from app order by random() limit 1")
  psql -d "$DB" -c "explain (analyze, buffers) select c.id, c.access_token from connection c join connector k on k.id = c.connector_id
    where k.app_id = '$app' and k.integration_type = 'github' and c.app_user_id = ''" >"$OUT/explain-$n.txt"
}

drop_database() {
  [[ "$KEEP_DB" == 1 ]] || psql -d postgres -qc "drop database if exists $1"
}

wait_ready() {
  local deadline=$(($(now_ms) + ${READY_TIMEOUT:-300} * 1000))
  until curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health/readiness"; do
    kill -0 "$BROKER_PID" 2>/dev/null || { echo "the broker exited; see $OUT/broker.log" >&2; return 1; }
    (($(now_ms) < deadline)) || { echo "the broker did not become ready" >&2; return 1; }
    sleep 0.02
  done
}

# launch MODE DB JAR [extra java options...]: starts the broker in the background (BROKER_PID), with the ceiling
# endpoint unless WITH_CEILING=0.
launch() {
  local mode=$1 db=$2 jar=$3 ceiling=()
  shift 3
  # Not even =false without it: the setting is one that ahead-of-time definitions record (unset).
  [[ "${WITH_CEILING:-1}" == 1 ]] && ceiling=(--broker.bench.ceiling-endpoint=true)
  if [[ "$mode" == prod ]]; then
    SPRING_PROFILES_ACTIVE=prod \
      SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" SPRING_DATASOURCE_USERNAME=$PGUSER \
      BROKER_CRYPTO_KEYSET_FILE="file:$KEYSET" BROKER_SECURITY_SERVICE_TOKEN_HMAC_SECRET="$HMAC_SECRET" BROKER_SECURITY_SERVICE_TOKEN_AUDIENCE=token-broker-tests \
      "$JAVA" $JAVA_OPTS "$@" -jar "$jar" --server.port=$PORT --management.server.port=$MANAGEMENT_PORT "${ceiling[@]}" $BROKER_ARGS \
      >>"$OUT/broker.log" 2>&1 &
  else
    # Relative to the repository root, the working directory: the H2 URL prefixes the data directory with "./".
    "$JAVA" $JAVA_OPTS "$@" -jar "$jar" --server.port=$PORT --management.server.port=$MANAGEMENT_PORT --broker.bench.ceiling-endpoint=true \
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
# measured runs), PostgreSQL's backends serving the benchmark database, and the load generator.
ticks_of() { # pid...
  local total=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] && total=$((total + $(sed 's/.*) //' /proc/"$p"/stat | awk '{print $12 + $13}')))
  done
  echo $total
}
broker_ticks() {
  local jit
  # cat, not awk on the files: a thread that ends between the glob and the read must not fail the run.
  jit=$(cat /proc/"$BROKER_PID"/task/*/stat 2>/dev/null | awk '{ match($0, /\(.*\)/); comm = substr($0, RSTART + 1, RLENGTH - 2); split(substr($0, RSTART + RLENGTH + 1), a, " ")
               if (comm ~ /^C[12] CompilerThre/) t += a[12] + a[13] } END { print t + 0 }')
  echo $(($(ticks_of "$BROKER_PID") - jit))
}
pg_backends() { pgrep -f "postgres: .* $DB " | tr '\n' ' '; }

# A broker that died (or was stopped by someone else's cleanup) must end the run, not yield empty results.
broker_alive() {
  kill -0 "$BROKER_PID" 2>/dev/null || { echo "the broker (pid $BROKER_PID) is gone; see $OUT/broker.log" >&2; exit 1; }
}

# measured LABEL COMMAND...: runs a load generator whose output has a line "RESULT label <fields...>" with the
# request count in field REQUESTS_FIELD (counted after "RESULT label"), and prints those fields followed by the CPU
# microseconds per request of the broker, PostgreSQL and the generator.
measured() {
  local label=$1 b0 p0 b1 p1 gen_ticks result requests tick_us
  shift
  broker_alive
  # shellcheck disable=SC2046
  b0=$(broker_ticks); p0=$(ticks_of $(pg_backends))
  gen_ticks=$(
    "$@" >"$OUT/load-$label.txt" 2>&1
    # The children's user and system time, as "0m1.234s 0m0.567s" (a builtin in a pipeline would run in a fresh
    # subshell that has no children, hence the file).
    times >"$OUT/times.txt"
    tail -1 "$OUT/times.txt" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print int((u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 100) }'
  )
  broker_alive
  # shellcheck disable=SC2046
  b1=$(broker_ticks); p1=$(ticks_of $(pg_backends))
  result=$(grep '^RESULT' "$OUT/load-$label.txt" | sed 's/^RESULT [^ ]* //')
  [[ -n "$result" ]] || { echo "no result from the load generator; see $OUT/load-$label.txt" >&2; exit 1; }
  requests=$(echo "$result" | awk -v f="$REQUESTS_FIELD" '{print $f}')
  ((requests > 0)) || requests=1
  tick_us=$((1000000 / $(getconf CLK_TCK)))
  echo "$label $result $(((b1 - b0) * tick_us / requests)) $(((p1 - p0) * tick_us / requests)) $((gen_ticks * 10000 / requests))"
}

# run_wrk LABEL CONNECTIONS DURATION PATH [TOKENS]: closed loop (wrk); prints "label rps p50 p99 p99.9 errors
# requests broker_us pg_us wrk_us", latencies in ms, the last three CPU microseconds per request.
run_wrk() {
  local label=$1 conns=$2 duration=$3 path=$4 tokens=${5:-}
  REQUESTS_FIELD=6 BENCH_LABEL=$label BENCH_PATH=$path TOKENS=$tokens measured "$label" \
    wrk -t"$THREADS" -c"$conns" -d"$duration" --timeout 5s -s bench/hotpath.lua "http://127.0.0.1:$PORT"
}

# The image's JVM flags (Dockerfile, JAVA_TOOL_OPTIONS), with -XX:MaxRAM standing in for the chart's and compose
# file's memory limit of 768 MiB, and the collector the JVM picks itself under such a limit (it counts a machine with
# less than about 1.8 GB as a client machine, whatever its cores): the serial one.
IMAGE_FLAGS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=12.5 -XX:+ExitOnOutOfMemoryError -XX:MaxRAM=768m -XX:+UseSerialGC"

# thread_cpu PID: the process's CPU time so far by thread kind, in ms: the main thread, the C1 and C2 compilers, the
# collector (the serial collector runs in the VM thread) and all others. How much of a start the JIT compilers take
# depends on how long the start lasts (they compile beside it), so compare the main thread's and the collector's.
thread_cpu() {
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk -v tck="$(getconf CLK_TCK)" '{ match($0, /\(.*\)/); c = substr($0, RSTART + 1, RLENGTH - 2)
      split(substr($0, RSTART + RLENGTH + 1), a, " "); t = a[12] + a[13]
      if (c == "java") main += t; else if (c ~ /^C1 Comp/) c1 += t; else if (c ~ /^C2 Comp/) c2 += t
      else if (c ~ /GC|VM Thread/) gc += t; else other += t }
    END { printf "main=%dms c1=%dms c2=%dms gc=%dms other=%dms", main * 1000 / tck, c1 * 1000 / tck, c2 * 1000 / tck, gc * 1000 / tck, other * 1000 / tck }'
}

# cold_start RUNS: process start to readiness, RUNS times per variant and mode (dev: fresh H2 database and
# migrations; prod: PostgreSQL, migrations applied), and the process's CPU time (user + system) at readiness, which
# moves far less with the machine's load than the wall time. Variants: plain (java -jar), cds (an extracted jar and a
# class-data sharing archive recorded per mode by a training run that stops once the context is refreshed), aot on
# JDK 25 and later (the same with the ahead-of-time cache, JEP 483/514/515), spring-aot (prod only: the jar built
# with Spring's ahead-of-time processing, `-Paot`, extracted, started with -Dspring.aot.enabled=true and no archive),
# and image: prod mode as the container image starts it (its JVM flags and a 768 MiB memory limit). On JDK 25 and
# later, image is what the Dockerfile builds: the `-Paot` jar extracted, and an AOT cache recorded at build time by a
# production-mode start with Spring's ahead-of-time definitions on a throwaway H2 database, run to readiness and
# stopped; on JDK 17, the plain jar with the dev-mode CDS archive of the cds variant. CDS=0 measures plain only.
cold_start() {
  local runs=$1 db=bench_hotpath_coldstart variants=(plain) jar extracted aot_extracted archive mode run variant major
  major=$("$JAVA" -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/')
  psql -d postgres -qc "drop database if exists $db" -c "create database $db"
  extracted="$OUT/extracted/$(basename "$JAR")"
  if [[ "${CDS:-1}" == 1 ]]; then
    rm -rf "$OUT/extracted"
    "$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$OUT/extracted" >/dev/null
    for mode in dev prod; do
      log "cold start: training runs ($mode)"
      rm -rf "$OUT/devdata"
      launch "$mode" "$db" "$extracted" -XX:ArchiveClassesAtExit="$OUT/$mode.jsa" -Dspring.context.exit=onRefresh
      wait "$BROKER_PID" || true
      if ((major >= 25)); then
        rm -rf "$OUT/devdata"
        launch "$mode" "$db" "$extracted" -XX:AOTCacheOutput="$OUT/$mode.aot" -Dspring.context.exit=onRefresh
        wait "$BROKER_PID" || true
        aot_cache_usable "$OUT/$mode.aot" "$extracted"
      fi
      BROKER_PID=
    done
    variants+=(cds)
    if ((major >= 25)); then
      variants+=(aot spring-aot)
      aot_extracted=$(extract_aot_jar)
      train_image "$aot_extracted"
      aot_cache_usable "$OUT/image.aot" "$aot_extracted"
    fi
    variants+=(image)
  fi
  for run in $(seq 1 "$runs"); do
    for variant in "${variants[@]}"; do
      for mode in dev prod; do
        [[ "$variant" == image || "$variant" == spring-aot ]] && [[ "$mode" == dev ]] && continue
        rm -rf "$OUT/devdata"
        case "$variant" in
          plain) start_broker "$mode" "$db" "$JAR" ;;
          cds) start_broker "$mode" "$db" "$extracted" -XX:SharedArchiveFile="$OUT/$mode.jsa" ;;
          aot)
            if [[ ! -f "$OUT/$mode.aot" ]]; then
              echo "# coldstart aot $mode $run: no usable cache" >>"$RESULTS"
              continue
            fi
            start_broker "$mode" "$db" "$extracted" -XX:AOTCache="$OUT/$mode.aot" ;;
          # Without the ceiling endpoint, which the image's processing leaves out: with it, the start would not use
          # the ahead-of-time definitions (README, "Deployment").
          spring-aot) WITH_CEILING=0 start_broker "$mode" "$db" "$aot_extracted" -Dspring.aot.enabled=true ;;
          image)
            if ((major >= 25)); then
              # shellcheck disable=SC2086
              WITH_CEILING=0 start_broker "$mode" "$db" "$aot_extracted" $IMAGE_FLAGS -XX:AOTCache="$OUT/image.aot" \
                -Dspring.aot.enabled=true
            else
              # shellcheck disable=SC2086
              start_broker "$mode" "$db" "$extracted" $IMAGE_FLAGS -XX:SharedArchiveFile="$OUT/dev.jsa"
            fi ;;
        esac
        echo "coldstart $variant $mode $run ${READY_MS}ms (load $(cut -d' ' -f1 /proc/loadavg))" >>"$RESULTS"
        echo "coldstart_cpu $variant $mode $run $(($(ticks_of "$BROKER_PID") * 1000 / $(getconf CLK_TCK)))ms" >>"$RESULTS"
        echo "coldstart_threads $variant $mode $run $(thread_cpu "$BROKER_PID")" >>"$RESULTS"
        log "cold start $variant $mode run $run: ${READY_MS} ms"
        if [[ "$variant" == image ]]; then
          echo "image_rss $run $(awk '/VmRSS/{print int($2 / 1024)}' /proc/"$BROKER_PID"/status)MB" >>"$RESULTS"
        fi
        stop_broker
      done
    done
  done
  drop_database "$db"
}

# extract_aot_jar: builds the jar with Spring's ahead-of-time processing for production mode (`-Paot`, into
# target/aot/, beside the plain jar) unless SKIP_BUILD=1 or BROKER_AOT_JAR names one, extracts it and prints the
# extracted jar's path.
extract_aot_jar() {
  local aot_jar
  if [[ -z "${BROKER_AOT_JAR:-}" && "$SKIP_BUILD" != 1 ]]; then
    log "building the ahead-of-time processed jar (-Paot)"
    ./mvnw -q -DskipTests -Paot package >&2
  fi
  aot_jar=${BROKER_AOT_JAR:-"$ROOT/$(ls target/aot/token-broker-*.jar | grep -v original | head -1)"}
  rm -rf "$OUT/extracted-aot"
  "$JAVA" -Djarmode=tools -jar "$aot_jar" extract --destination "$OUT/extracted-aot" >/dev/null
  echo "$OUT/extracted-aot/$(basename "$aot_jar")"
}

# aot_cache_usable CACHE JAR: a JVM that maps CACHE with JAR's class path must at least start (as the Dockerfile
# checks). JDK 25.0.3 has crashed (SIGSEGV while loading the cache's linked classes) on a cache recorded by a
# production-mode start that stopped once the context was refreshed; such a cache is logged and removed, and its
# variant is reported as unusable instead of measured.
aot_cache_usable() {
  if ! "$JAVA" -XX:AOTCache="$1" -cp "$2" -version >/dev/null 2>&1; then
    log "the ahead-of-time cache $(basename "$1") crashes this JVM: removed"
    echo "# unusable ahead-of-time cache $(basename "$1") (the JVM crashed mapping it)" >>"$RESULTS"
    rm -f "$1"
  fi
}

# train_image EXTRACTED_JAR: the Dockerfile's training run: production mode with Spring's ahead-of-time definitions
# on a throwaway H2 database (no PostgreSQL exists at build time) and throwaway keys, until ready; records
# $OUT/image.aot.
train_image() {
  local training="$OUT/aot-training"
  log "cold start: training run (image)"
  rm -rf "$training" && mkdir -p "$training"
  "$JAVA" -jar "$1" generate-keyset >"$training/keyset.json"
  "$JAVA" -XX:AOTCacheOutput="$OUT/image.aot" -Dspring.aot.enabled=true -jar "$1" --spring.profiles.active=prod \
    --spring.datasource.url="jdbc:h2:file:$training/broker" --spring.datasource.username=sa \
    --broker.crypto.keyset-file="file:$training/keyset.json" \
    --broker.security.service-token.hmac-secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    --broker.security.service-token.audience=aot-training \
    --server.port=$PORT --management.server.port=$MANAGEMENT_PORT >>"$OUT/broker.log" 2>&1 &
  BROKER_PID=$!
  wait_ready
  stop_broker
  rm -rf "$training"
}
