#!/usr/bin/env bash
# Where the start goes: starts the broker RUNS times in prod mode (PostgreSQL, migrations applied by a first start
# that is not counted) and in dev mode (a fresh H2 database each time) under StartupCosts, which records each startup
# step's own CPU time on the thread that ran it, and ranks what the steps build by their share of the main thread's
# CPU time. CPU time, unlike wall time, hardly depends on what else the machine runs. See BENCHMARKS.md ("Where the
# start goes").
#
# Usage: bench/startup.sh                     (3 starts per mode, the java on the PATH)
# Settings (environment): RUNS (3), MODES ("prod dev"), and those of bench/lib.sh (JAVA, PORT, SKIP_BUILD ...).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
MODES=${MODES:-prod dev}
OUT="$(pwd)/bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: >"$RESULTS"
source bench/lib.sh
psql -d postgres -Atqc 'select 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }
if [[ "$SKIP_BUILD" != 1 ]]; then
  log "building"
  ./mvnw -q -DskipTests package
  ./mvnw -q test-compile
fi
JAR=${BROKER_JAR:-"$ROOT/$(ls target/token-broker-*.jar | grep -v original | head -1)"}
KEYSET="$OUT/keyset.json"
"$JAVA" -jar "$JAR" generate-keyset >"$KEYSET"
HMAC_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
echo "# commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc=$(nproc), $("$JAVA" -version 2>&1 | head -1)" >>"$RESULTS"
db=bench_startup
psql -d postgres -qc "drop database if exists $db" -c "create database $db"
# The broker's own jar, extracted, and only the measuring class beside it: the test class path would bring the test
# libraries' auto-configurations into the start.
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$OUT/extracted" >/dev/null
mkdir -p "$OUT/costs/io/tokenbroker/bench"
cp target/test-classes/io/tokenbroker/bench/StartupCosts*.class "$OUT/costs/io/tokenbroker/bench/"
CP="$OUT/costs:$OUT/extracted/$(basename "$JAR")"
costs() { # MODE FILE
  if [[ "$1" == prod ]]; then
    SPRING_PROFILES_ACTIVE=prod SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" SPRING_DATASOURCE_USERNAME=$PGUSER \
      BROKER_CRYPTO_KEYSET_FILE="file:$KEYSET" BROKER_SECURITY_SERVICE_TOKEN_HMAC_SECRET="$HMAC_SECRET" \
      BROKER_SECURITY_SERVICE_TOKEN_AUDIENCE=token-broker-tests \
      "$JAVA" $JAVA_OPTS -cp "$CP" io.tokenbroker.bench.StartupCosts --server.port=$PORT --management.server.port=$MANAGEMENT_PORT >"$2" 2>&1
  else
    rm -rf "$OUT/devdata"
    "$JAVA" $JAVA_OPTS -cp "$CP" io.tokenbroker.bench.StartupCosts --server.port=$PORT --management.server.port=$MANAGEMENT_PORT \
      --broker.dev.data-dir="${OUT#"$ROOT"/}/devdata" >"$2" 2>&1
  fi
}
[[ " $MODES " == *" prod "* ]] && costs prod "$OUT/migrate.txt"
for mode in $MODES; do
  for run in $(seq 1 "$RUNS"); do
    log "$mode start $run (load $(cut -d' ' -f1 /proc/loadavg))"
    costs "$mode" "$OUT/$mode-$run.txt"
  done
  echo "## $mode" >>"$RESULTS"
  python3 bench/startup_rank.py "$OUT/$mode"-*.txt >>"$RESULTS"
done
drop_database "$db"
cat "$RESULTS"
