#!/usr/bin/env bash
# PostgreSQL restart drill: a broker in production mode serves a steady read load over CONNECTIONS connections while
# PostgreSQL is restarted once. Prints the reads that failed and how (503 problems with Retry-After expected), how long
# the database was gone, how long after it was back the reads recovered, whether the broker process kept running (no
# restart needed) and whether anything stored was lost (every connection still served, its stored data unchanged).
#
# RESTARTS THE WHOLE POSTGRESQL SERVER (every database on it): run it where a few seconds of outage hurt nobody.
#
# Usage: bench/drills/postgres-restart.sh
#        RESTART=0 bench/drills/postgres-restart.sh    (rehearsal: the same load, no restart)
# Settings (environment): CONNECTIONS 20, DURATION 60 (s of load), RESTART_AT 20 (s into the load), THREADS 4,
#   PAUSE_MS 20, PORT 19200, MANAGEMENT_PORT 19201, STUB_PORT 19202, PG_RESTART (the restart command, default
#   "pg_ctlcluster --skip-systemctl-redirect 15 main restart"), KEEP_DB 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$(pwd)/bench/results/postgres-restart-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
source bench/drills/common.sh
CONNECTIONS=${CONNECTIONS:-20}
DURATION=${DURATION:-60}
RESTART_AT=${RESTART_AT:-20}
THREADS=${THREADS:-4}
PAUSE_MS=${PAUSE_MS:-20}
PORT=${PORT:-19200}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19201}
STUB_PORT=${STUB_PORT:-19202}
PG_RESTART=${PG_RESTART:-pg_ctlcluster --skip-systemctl-redirect 15 main restart}
require_tools pg_dump pg_isready
require_build
STUB_PID=
cleanup() {
  stop_brokers
  [[ -n "$STUB_PID" ]] && kill "$STUB_PID" 2>/dev/null || true
}
trap cleanup EXIT

python3 bench/drills/stub_provider.py "$STUB_PORT" &
STUB_PID=$!
make_keys
DB=$(fresh_database pgrestart)
log "broker on database $DB"
start_broker "$DB" "$PORT" "$MANAGEMENT_PORT" --broker.public-url="http://127.0.0.1:$PORT" \
  $(stub_provider_settings stubidp "$STUB_PORT")
BROKER_PID=${BROKER_PIDS[-1]}

log "connecting $CONNECTIONS apps to stubidp"
: >"$OUT/targets.txt"
for i in $(seq 1 "$CONNECTIONS"); do
  token=$(service_token "drill-pg-$i" "connectors:read connectors:admin" 86400)
  connect_app "$PORT" stubidp "$token"
  echo "stubidp /connectors/stubidp/connection $token" >>"$OUT/targets.txt"
done
BEFORE=$(table_checksum "$DB")

log "read load for ${DURATION}s with $THREADS threads; PostgreSQL restart at ${RESTART_AT}s"
START=$(date +%s.%N)
echo "$START steady" >"$OUT/phases.txt"
python3 bench/drills/readload.py run "http://127.0.0.1:$PORT" "$OUT/targets.txt" "$DURATION" "$OUT/reads.csv" \
  "$THREADS" "$PAUSE_MS" &
LOAD_PID=$!
sleep "$RESTART_AT"
if [[ "${RESTART:-1}" == 1 ]]; then
  DOWN=$(date +%s.%N)
  echo "$DOWN database-restarting" >>"$OUT/phases.txt"
  log "restarting PostgreSQL: $PG_RESTART"
  $PG_RESTART
  until pg_isready -q -h "$PGHOST" -p "$PGPORT"; do sleep 0.05; done
  UP=$(date +%s.%N)
  echo "$UP database-back" >>"$OUT/phases.txt"
  log "PostgreSQL accepts connections again after $(python3 -c "print(f'{$UP - $DOWN:.1f}')") s"
fi
wait "$LOAD_PID"

ALIVE=$(kill -0 "$BROKER_PID" 2>/dev/null && echo "yes (pid $BROKER_PID, never restarted)" || echo NO)
READY=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANAGEMENT_PORT/actuator/health/readiness")
SERVED=0
while read -r _ path token; do
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path") == 200 ]] \
    && SERVED=$((SERVED + 1))
done <"$OUT/targets.txt"
AFTER=$(table_checksum "$DB")

{
  python3 bench/drills/readload.py summary "$OUT/reads.csv" "$OUT/phases.txt"
  if [[ "${RESTART:-1}" == 1 ]]; then
    python3 - "$OUT/reads.csv" "$DOWN" "$UP" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
down, up = float(sys.argv[2]), float(sys.argv[3])
failed = [r for r in rows if r["status"] != "200"]
print(f"database gone for {up - down:.1f} s (restart command to pg_isready)")
if failed:
    first, last = float(failed[0]["epoch"]), max(float(r["epoch"]) + float(r["latency_ms"]) / 1000 for r in failed)
    print(f"failed reads: {len(failed)} of {len(rows)}, from {first - down:+.1f} s to {last - down:+.1f} s after the restart began")
    print(f"reads recovered {max(0.0, last - up):.1f} s after the database was back (end of the last failed read)")
    print("failed reads by status: " + ", ".join(f"{s}: {sum(1 for r in failed if r['status'] == s)}"
                                                  for s in sorted({r['status'] for r in failed})))
    print(f"503 answers with Retry-After: {sum(1 for r in failed if r['status'] == '503' and r['retry_after'])}"
          f" of {sum(1 for r in failed if r['status'] == '503')}")
else:
    print("failed reads: 0 of %d" % len(rows))
PY
  fi
  echo "broker process alive: $ALIVE; readiness after: HTTP $READY"
  echo "connections served after: $SERVED of $CONNECTIONS"
  echo "stored data: $([[ "$BEFORE" == "$AFTER" ]] && echo unchanged || echo "CHANGED ($BEFORE -> $AFTER)")"
  echo "# commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc=$(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/results.txt"
stop_brokers
[[ "${KEEP_DB:-0}" == 1 ]] || psql -d postgres -Atqc "drop database $DB" >/dev/null
[[ $SERVED -eq $CONNECTIONS && "$BEFORE" == "$AFTER" ]]
