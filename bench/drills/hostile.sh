#!/usr/bin/env bash
# Hostile-input drill: sends generated hostile requests (every method on every route family, every content type the
# servlet stack parses itself, malformed encodings, with and without credentials) to a broker in production mode and
# prints the answers by status. Rules: never a 5xx, every API 4xx is a problem, nothing stored changes.
#
# Usage: bench/drills/hostile.sh                 (100,000 requests)
#        COUNT=5000 bench/drills/hostile.sh      (a quick look)
# Settings (environment): COUNT 100000, THREADS 8, SEED 1, PORT 19080, MANAGEMENT_PORT 19081, KEEP_DB 0, SKIP_BUILD 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$(pwd)/bench/results/hostile-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
source bench/drills/common.sh
COUNT=${COUNT:-100000}
THREADS=${THREADS:-8}
SEED=${SEED:-1}
PORT=${PORT:-19080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19081}
require_tools pg_dump
require_build
trap stop_brokers EXIT

make_keys
DB=$(fresh_database hostile)
log "broker on database $DB"
start_broker "$DB" "$PORT" "$MANAGEMENT_PORT" \
  --broker.limits.groups.reads.per-caller.capacity=1000000 --broker.limits.groups.proxy.per-caller.capacity=1000000
# Something to protect, where a provider is configured (the sandbox exists in dev mode only).
ADMIN=$(service_token app-drill-owner "connectors:read connectors:admin")
curl -fs -X PUT -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{}' \
  "http://127.0.0.1:$PORT/connectors/sandbox" >/dev/null || log "(no sandbox connector: nothing configured)"
BEFORE=$(table_checksum "$DB")
SCOPELESS=$(service_token app-drill-scopeless "" 86400)

log "sending $COUNT generated requests with $THREADS threads (seed $SEED)"
set +e
java -cp "$ROOT/target/test-classes" io.tokenbroker.hostile.HostileDrill 127.0.0.1 "$PORT" "$COUNT" "$SEED" \
  "$THREADS" "$SCOPELESS" | tee "$OUT/results.txt"
RULES=${PIPESTATUS[0]}
set -e
AFTER=$(table_checksum "$DB")
echo "stored data: $([[ "$BEFORE" == "$AFTER" ]] && echo unchanged || echo "CHANGED ($BEFORE -> $AFTER)")" \
  | tee -a "$OUT/results.txt"
echo "5xx in the broker log: $(grep -c 'Unhandled error' "$OUT"/broker-*.log || true)" | tee -a "$OUT/results.txt"
echo "# commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc=$(nproc)" >>"$OUT/results.txt"
stop_brokers
[[ "${KEEP_DB:-0}" == 1 ]] || psql -d postgres -Atqc "drop database $DB" >/dev/null
[[ $RULES -eq 0 && "$BEFORE" == "$AFTER" ]]
