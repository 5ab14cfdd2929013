#!/usr/bin/env bash
# Replica-kill drill: three brokers (the packaged jar, production profile) on one fresh PostgreSQL database, connections
# at a strict authorization server (refresh tokens rotate, a reused one revokes its grant, superseded access tokens are
# revoked; access tokens live LIFETIME seconds, so refreshes run all the time), a steady read load spread over the
# replicas, and one replica stopped every KILL_EVERY seconds for DURATION seconds and started again at once.
# Prints per variant: connections lost (and whether each was stranded by a stop), refresh-token reuse, reads served a
# token the provider had already revoked or that had expired, failed reads by status.
#
# Usage: bench/drills/replica-kill.sh                    (three variants, 5 minutes each, about 12 minutes per variant)
#        DURATION=60 CONNECTIONS=200 VARIANTS=KILL:500 bench/drills/replica-kill.sh   (a quick look)
# Settings (environment):
#   VARIANTS      signal:held-back-ms per run                "TERM:0 KILL:0 KILL:500"
#                 (KILL:500: the server holds each token answer back 500 ms after rotating)
#   CONNECTIONS   connections (one app each)                 1000
#   DURATION      seconds of stopping replicas               300
#   KILL_EVERY    seconds between two stops                  20
#   LIFETIME      access token lifetime in seconds           120
#   READ_RATE     token reads per second, over all replicas  100
#   BASE_PORT     replica i listens on BASE_PORT+2i (management on the next port)   19100
#   JAVA_OPTS     broker JVM options   -Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dhttp.maxConnections=16
#   BROKER_ARGS   extra broker settings     --broker.oauth.read-timeout=60s
#                 (the strict server runs in the driver on this machine: an answer later than the read timeout is lost
#                 for good with a rotating provider, a fault of its own, counted below as network errors)
#   KEEP_DB       keep the drill databases (1/0)             0
# Needs a build: ./mvnw verify (or ./mvnw -DskipTests package test-compile).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$(pwd)/bench/results/replica-kill-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
source bench/drills/common.sh
VARIANTS=${VARIANTS:-"TERM:0 KILL:0 KILL:500"}
require_tools
require_build

# The driver (the strict server, the load, the stops) runs from the test classes with the test classpath.
./mvnw -q dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=test >/dev/null
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$OUT/classpath.txt")"

echo "# commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc=$(nproc)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/results.txt"
STATUS=0
for variant in $VARIANTS; do
  signal=${variant%%:*}
  hold=${variant##*:}
  DB=$(fresh_database killdrill)
  log "variant SIG$signal, answers held back $hold ms, on database $DB"
  set +e
  java -Xmx1g -Dlogging.level.root=WARN -cp "$CP" \
    -Ddrill.jar="$JAR" -Ddrill.database-url="jdbc:postgresql://$PGHOST:$PGPORT/$DB" -Ddrill.database-user="$PGUSER" \
    -Ddrill.signal="$signal" -Ddrill.hold-ms="$hold" -Ddrill.connections="${CONNECTIONS:-1000}" \
    -Ddrill.duration="${DURATION:-300}" -Ddrill.kill-every="${KILL_EVERY:-20}" -Ddrill.lifetime="${LIFETIME:-120}" \
    -Ddrill.read-rate="${READ_RATE:-100}" -Ddrill.base-port="${BASE_PORT:-19100}" -Ddrill.out="$OUT" \
    -Ddrill.jvm-options="${JAVA_OPTS:--Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dhttp.maxConnections=16}" -Ddrill.broker-args="${BROKER_ARGS:---broker.oauth.read-timeout=60s}" \
    io.tokenbroker.drills.ReplicaKillDrill 2> >(tee -a "$OUT/log.txt" >&2) | tee -a "$OUT/results.txt"
  rc=${PIPESTATUS[0]}
  set -e
  [[ $rc -eq 0 ]] || { log "variant SIG$signal:$hold failed ($rc)"; STATUS=1; }
  echo "refresh calls without an answer (network errors in the broker logs, each a refresh token possibly spent):" \
    "$(cat "$OUT"/broker-*.log 2>/dev/null | grep -c 'failed: network_error' || true)" | tee -a "$OUT/results.txt"
  for f in "$OUT"/broker-*.log; do [[ -f "$f" ]] && mv "$f" "${f%.log}-$signal-$hold.log"; done
  [[ "${KEEP_DB:-0}" == 1 ]] || psql -d postgres -Atqc "drop database $DB" >/dev/null
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/results.txt"
exit $STATUS
