#!/usr/bin/env bash
# Provider fault drill: a broker in production mode serves a steady read load over the connections of two providers,
# both issuing short-lived tokens so that refreshes run all the time. One provider's token endpoint then answers 500
# for a minute, and hangs for a minute (each request held HANG seconds, longer than the broker's read timeout), then
# recovers. Prints, per phase and provider, the reads, failures, 503s with Retry-After and latency percentiles: the
# healthy provider's reads should not notice; the faulty one's are served while their tokens last, then answered 503.
# During the 500s and the hang the faulty provider's circuit breaker opens after its first few failures: then its reads
# that need a refresh are answered 503 in milliseconds instead of after the read timeout, and the breaker's state at
# the end of the hang (open or half-open) and after recovery (closed) is printed. A refresh that timed out after it
# was sent keeps its connection from being served until a repeat settles it: those connections answer 503 until the
# provider answers and its breaker lets a repeat through (up to wait-in-open-state after the provider is back); the
# stub does not rotate, so they are expected back as "recovered" interrupted refreshes.
#
# Usage: bench/drills/provider-fault.sh
# Settings (environment): CONNECTIONS 10 (per provider), LIFETIME 60 (s, both providers' tokens), BASELINE 30,
#   FAILING 60, HANGING 60, RECOVERY 60 (s of each phase), HANG 60 (s each token request is held), THREADS 2 (per
#   provider), PAUSE_MS 20, PORT 19210, MANAGEMENT_PORT 19211, STUB_PORT 19212, KEEP_DB 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$(pwd)/bench/results/provider-fault-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
source bench/drills/common.sh
CONNECTIONS=${CONNECTIONS:-10}
LIFETIME=${LIFETIME:-60}
BASELINE=${BASELINE:-30}
FAILING=${FAILING:-60}
HANGING=${HANGING:-60}
RECOVERY=${RECOVERY:-60}
HANG=${HANG:-60}
THREADS=${THREADS:-2}
PAUSE_MS=${PAUSE_MS:-20}
PORT=${PORT:-19210}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19211}
STUB_PORT=${STUB_PORT:-19212}
require_tools
require_build
STUB_PID=
cleanup() {
  stop_brokers
  [[ -n "$STUB_PID" ]] && kill "$STUB_PID" 2>/dev/null || true
}
trap cleanup EXIT
control() { curl -fsS -X POST "http://127.0.0.1:$STUB_PORT/control/faulty?mode=$1&hang=$HANG" >/dev/null; }
phase() {
  echo "$(date +%s.%N) $1" >>"$OUT/phases.txt"
  log "phase: $1"
}

python3 bench/drills/stub_provider.py "$STUB_PORT" "healthy=$LIFETIME" "faulty=$LIFETIME" &
STUB_PID=$!
make_keys
DB=$(fresh_database providerfault)
log "broker on database $DB"
start_broker "$DB" "$PORT" "$MANAGEMENT_PORT" --broker.public-url="http://127.0.0.1:$PORT" \
  $(stub_provider_settings healthy "$STUB_PORT") $(stub_provider_settings faulty "$STUB_PORT")

log "connecting $CONNECTIONS apps to each provider"
: >"$OUT/targets.txt"
for type in healthy faulty; do
  for i in $(seq 1 "$CONNECTIONS"); do
    token=$(service_token "drill-$type-$i" "connectors:read connectors:admin" 86400)
    connect_app "$PORT" "$type" "$token"
    echo "$type /connectors/$type/connection $token" >>"$OUT/targets.txt"
  done
done

TOTAL=$((BASELINE + FAILING + HANGING + RECOVERY))
log "read load for ${TOTAL}s with $THREADS threads per provider"
: >"$OUT/phases.txt"
phase "1-baseline"
python3 bench/drills/readload.py run "http://127.0.0.1:$PORT" "$OUT/targets.txt" "$TOTAL" "$OUT/reads.csv" \
  "$THREADS" "$PAUSE_MS" &
LOAD_PID=$!
sleep "$BASELINE"
control 500
phase "2-faulty-answers-500"
sleep "$FAILING"
control hang
phase "3-faulty-hangs-${HANG}s"
sleep "$HANGING"
BREAKER_HANGING=$(curl -fsS "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" \
  | grep -E '^resilience4j_circuitbreaker_state\{.*name="faulty".*\} 1\.0' || true)
control ok
phase "4-recovered"
wait "$LOAD_PID"
STATS=$(curl -fsS "http://127.0.0.1:$STUB_PORT/stats")
METRICS=$(curl -fsS "http://127.0.0.1:$MANAGEMENT_PORT/actuator/prometheus" | grep -E \
  '^(broker_refresh_attempts_total|broker_refresh_interrupted_total|resilience4j_circuitbreaker_not_permitted_calls_total)|^resilience4j_circuitbreaker_state\{.*\} 1\.0' \
  || true)

{
  python3 bench/drills/readload.py summary "$OUT/reads.csv" "$OUT/phases.txt"
  echo "token requests at the stub provider, by provider and mode: $STATS"
  echo "faulty provider's circuit breaker at the end of the hang: ${BREAKER_HANGING:-none}"
  echo "broker refresh attempts, interrupted refreshes and circuit breakers at the end:"
  echo "$METRICS" | sed 's/^/  /'
  echo "# commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ), nproc=$(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/results.txt"
stop_brokers
[[ "${KEEP_DB:-0}" == 1 ]] || psql -d postgres -Atqc "drop database $DB" >/dev/null
