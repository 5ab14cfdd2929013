#!/usr/bin/env bash
# The JVM inside the container's memory limit: runs a production-mode broker with the limit the Helm chart and the
# compose file give it (768 MiB) applied to the JVM as the image does (-XX:MaxRAM stands in for the cgroup limit,
# plus the image's JAVA_TOOL_OPTIONS), drives token reads and proxy-free API calls with wrk, and samples the process's
# resident set and the heap while it does. Record the summary in BENCHMARKS.md ("Memory"); if RSS comes near the
# limit, lower MaxRAMPercentage or raise the limit in both places.
#
# Usage: bench/memory.sh                      (defaults below)
#        WARMUP=0 DURATION=10s SIZE=1000 bench/memory.sh   (a quick look)
# Settings (environment):
#   LIMIT         the container memory limit the JVM believes it has   768m
#   SIZE          stored connections                                   100000
#   WARMUP        load before sampling (JIT, caches), 0 to skip       60s
#   DURATION      the load run                                         300s
#   CONNECTIONS   wrk concurrent connections                           64
#   SAMPLE        seconds between samples                              5
#   POOL          service JWTs (apps) drawn from at random             5000
#   PORT / MANAGEMENT_PORT                                             18080 / 18081
#   PGHOST/PGPORT/PGUSER   PostgreSQL (trust auth)                     127.0.0.1 / 5432 / postgres
#   SKIP_BUILD    reuse target/ (1/0)                                  0
#   KEEP_DB       keep the benchmark database (1/0)                    0
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
LIMIT=${LIMIT:-768m}
SIZE=${SIZE:-100000}
WARMUP=${WARMUP:-60s}
DURATION=${DURATION:-300s}
CONNECTIONS=${CONNECTIONS:-64}
SAMPLE=${SAMPLE:-5}
POOL=${POOL:-5000}
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_DB=${KEEP_DB:-0}
# The image's flags (Dockerfile, JAVA_TOOL_OPTIONS); MaxRAM makes the JVM size itself as under the container limit.
IMAGE_FLAGS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=12.5 -XX:+ExitOnOutOfMemoryError"

OUT="$ROOT/bench/results/memory-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
DB="bench_memory_$$"
BROKER_PID=
WRK_PID=

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt" >&2; }

cleanup() {
  [[ -n "$WRK_PID" ]] && kill "$WRK_PID" 2>/dev/null || true
  if [[ -n "$BROKER_PID" ]] && kill -0 "$BROKER_PID" 2>/dev/null; then
    kill "$BROKER_PID"
    wait "$BROKER_PID" 2>/dev/null || true
  fi
  [[ "$KEEP_DB" == 1 ]] || psql -d postgres -qc "drop database if exists $DB" 2>/dev/null || true
}
trap cleanup EXIT

source bench/lib.sh
ensure_wrk
for tool in java jcmd psql curl; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
psql -d postgres -Atqc 'select 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }

if [[ "$SKIP_BUILD" != 1 ]]; then
  log "building"
  ./mvnw -q -DskipTests package
  ./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
fi
JAR="$ROOT/$(ls target/token-broker-*.jar | grep -v original | head -1)"
SEED_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
KEYSET="$OUT/keyset.json"
java -jar "$JAR" generate-keyset >"$KEYSET"
HMAC_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
TOKENS="$OUT/tokens.txt"

log "seeding $SIZE connections into $DB"
psql -d postgres -qc "drop database if exists $DB" -c "create database $DB"
java -cp "$SEED_CP" io.tokenbroker.connection.BenchSeeder "jdbc:postgresql://$PGHOST:$PGPORT/$DB" "$PGUSER" "" \
  "$SIZE" "$KEYSET" "$HMAC_SECRET" "$TOKENS" "$POOL" >>"$OUT/seed.log" 2>&1

log "starting the broker with MaxRAM=$LIMIT $IMAGE_FLAGS"
SPRING_PROFILES_ACTIVE=prod \
  SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" SPRING_DATASOURCE_USERNAME=$PGUSER \
  BROKER_CRYPTO_KEYSET_FILE="file:$KEYSET" BROKER_SECURITY_SERVICE_TOKEN_HMAC_SECRET="$HMAC_SECRET" \
  BROKER_SECURITY_SERVICE_TOKEN_AUDIENCE=token-broker-tests \
  java -XX:MaxRAM="$LIMIT" $IMAGE_FLAGS -XX:NativeMemoryTracking=summary -jar "$JAR" \
  --server.port=$PORT --management.server.port=$MANAGEMENT_PORT >>"$OUT/broker.log" 2>&1 &
BROKER_PID=$!
until curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health/readiness"; do
  kill -0 "$BROKER_PID" 2>/dev/null || { echo "the broker stopped; see $OUT/broker.log" >&2; exit 1; }
  sleep 0.5
done
max_heap=$(jcmd "$BROKER_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:MaxHeapSize=/{printf "%.0f", $2/1048576}')
log "ready; max heap ${max_heap} MiB"

# sample LABEL: one line "label rss_mib heap_used_mib heap_committed_mib nonheap_used_mib threads"
sample() {
  local rss metrics heap committed nonheap threads
  rss=$(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$BROKER_PID/status")
  metrics=$(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" || true)
  heap=$(awk '/^jvm_memory_used_bytes\{.*area="heap"/{s+=$NF} END{printf "%.0f", s/1048576}' <<<"$metrics")
  committed=$(awk '/^jvm_memory_committed_bytes\{.*area="heap"/{s+=$NF} END{printf "%.0f", s/1048576}' <<<"$metrics")
  nonheap=$(awk '/^jvm_memory_used_bytes\{.*area="nonheap"/{s+=$NF} END{printf "%.0f", s/1048576}' <<<"$metrics")
  threads=$(awk '/^jvm_threads_live_threads/{printf "%.0f", $NF}' <<<"$metrics")
  echo "$1 $rss $heap $committed $nonheap $threads" | tee -a "$OUT/samples.txt"
}

echo "# label rss_MiB heap_used_MiB heap_committed_MiB nonheap_used_MiB threads (limit $LIMIT, max heap ${max_heap} MiB)" \
  | tee "$OUT/samples.txt"
sample idle
if [[ "$WARMUP" != 0 ]]; then
  log "warming up for $WARMUP"
  BENCH_LABEL=warmup BENCH_PATH=/connectors/github/connection TOKENS=$TOKENS \
    wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" --timeout 5s -s bench/hotpath.lua "http://127.0.0.1:$PORT" >/dev/null 2>&1
  sample warm
fi
BENCH_LABEL=reads BENCH_PATH=/connectors/github/connection TOKENS=$TOKENS \
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s -s bench/hotpath.lua "http://127.0.0.1:$PORT" \
  >"$OUT/wrk.txt" 2>&1 &
WRK_PID=$!
while kill -0 "$WRK_PID" 2>/dev/null; do
  sleep "$SAMPLE"
  kill -0 "$BROKER_PID" 2>/dev/null || { echo "the broker died under load; see $OUT/broker.log" >&2; exit 1; }
  sample load
done
WRK_PID=
sample after
jcmd "$BROKER_PID" VM.native_memory summary >"$OUT/native-memory.txt" 2>&1 || true

awk -v limit="$LIMIT" '
  $1 == "load" { n++; if ($2 > rss) rss = $2; if ($3 > heap) heap = $3; if ($4 > com) com = $4; if ($5 > nh) nh = $5 }
  END { printf "peak under load (%d samples): RSS %d MiB, heap used %d MiB (committed %d), non-heap %d MiB; limit %s\n", n, rss, heap, com, nh, limit }
' "$OUT/samples.txt" | tee "$OUT/summary.txt"
grep RESULT "$OUT/wrk.txt" | awk '{printf "load: %s req/s, p99 %s ms, errors %s\n", $3, $5, $7}' | tee -a "$OUT/summary.txt"
log "results in $OUT"
