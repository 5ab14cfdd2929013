# Shared by the drills: a broker (the packaged jar) in production mode on a fresh PostgreSQL database.
# Source it from a drill after setting OUT (the results directory). Needs java, psql, curl, python3.

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AUDIENCE=token-broker-drills
BROKER_PIDS=()

log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/log.txt" >&2; }

require_tools() {
  for tool in java psql curl python3 "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
  done
  psql -d postgres -Atqc 'select 1' >/dev/null || { echo "no PostgreSQL at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }
}

# The jar and the test classes (the drills' clients and stubs), built here unless SKIP_BUILD=1 (then from an earlier
# ./mvnw verify or ./mvnw -DskipTests package).
require_build() {
  if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building"
    (cd "$ROOT" && ./mvnw -q -DskipTests package)
  fi
  JAR=$(ls "$ROOT"/target/token-broker-*.jar 2>/dev/null | grep -v original | head -1 || true)
  [[ -n "$JAR" && -d "$ROOT/target/test-classes" ]] || {
    echo "no build: run without SKIP_BUILD=1, or ./mvnw -DskipTests package first" >&2; exit 1; }
}

# fresh_database NAME: creates an empty database and prints its name.
fresh_database() {
  local db="drill_$1_$(date +%s)"
  psql -d postgres -Atqc "create database $db" >/dev/null
  echo "$db"
}

# Keys for every broker of one drill.
make_keys() {
  KEYSET="$OUT/keyset.json"
  java -jar "$JAR" generate-keyset >"$KEYSET"
  HMAC_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
}

# start_broker DB PORT MANAGEMENT_PORT [extra arguments...]: starts a broker in the background, appends its pid to
# BROKER_PIDS and waits until it is ready.
start_broker() {
  local db=$1 port=$2 management=$3
  shift 3
  SPRING_PROFILES_ACTIVE=prod \
    SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" SPRING_DATASOURCE_USERNAME=$PGUSER \
    BROKER_CRYPTO_KEYSET_FILE="file:$KEYSET" BROKER_SECURITY_SERVICE_TOKEN_HMAC_SECRET="$HMAC_SECRET" \
    BROKER_SECURITY_SERVICE_TOKEN_AUDIENCE=$AUDIENCE \
    java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$port" --management.server.port="$management" "$@" \
    >>"$OUT/broker-$port.log" 2>&1 &
  BROKER_PIDS+=($!)
  local deadline=$(($(date +%s) + ${READY_TIMEOUT:-300}))
  until curl -fs -o /dev/null "http://127.0.0.1:$management/actuator/health/readiness"; do
    kill -0 "${BROKER_PIDS[-1]}" 2>/dev/null || { echo "the broker exited; see $OUT/broker-$port.log" >&2; return 1; }
    (($(date +%s) < deadline)) || { echo "the broker did not become ready" >&2; return 1; }
    sleep 0.2
  done
}

stop_brokers() {
  for pid in "${BROKER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${BROKER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  BROKER_PIDS=()
}

# service_token APP SCOPE [SECONDS]: an HS256 service JWT for the drill's brokers.
service_token() {
  python3 - "$HMAC_SECRET" "$AUDIENCE" "$1" "$2" "${3:-3600}" <<'PY'
import base64, hashlib, hmac, json, sys, time
secret, audience, app, scope, lifetime = sys.argv[1:6]
enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
now = int(time.time())
header = enc(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
claims = enc(json.dumps({"sub": "drill", "app_id": app, "scope": scope, "aud": audience, "iat": now,
                         "exp": now + int(lifetime)}).encode())
signature = enc(hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest())
print(f"{header}.{claims}.{signature}")
PY
}

# table_checksum DB: a checksum of the data requests could change (apps, connectors, connections, authorization
# states, API keys), from pg_dump. The audit trail is left out: refused requests are recorded there, as they should be.
table_checksum() {
  local dump="$OUT/data-$(date +%s%N).sql"
  pg_dump --data-only --no-owner --table=app --table=connector --table=connection --table=oauth_state \
    --table=api_key "$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' >"$dump"
  sha256sum <"$dump" | cut -c1-16
}

# stub_provider_settings NAME STUB_PORT: broker arguments that register provider NAME of bench/drills/stub_provider.py
# (listening on STUB_PORT) as a custom provider type, as an operator would.
stub_provider_settings() {
  local name=$1 base="http://127.0.0.1:$2/$1"
  echo "--broker.providers.$name.display-name=Drill-$name --broker.providers.$name.authorization-url=$base/authorize" \
    "--broker.providers.$name.token-url=$base/token --broker.providers.$name.revocation-url=$base/revoke" \
    "--broker.providers.$name.client-id=drill-client --broker.providers.$name.client-secret=drill-client-secret-$name"
}

# connect_app PORT TYPE SERVICE_TOKEN: saves the connector TYPE of the token's app and completes its authorization at
# the stub provider (which redirects straight back), as a browser would.
connect_app() {
  local port=$1 type=$2 token=$3 redirect callback
  redirect=$(curl -fsS -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$port/connectors/$type" | python3 -c 'import json, sys; print(json.load(sys.stdin)["redirectUrl"])')
  callback=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$redirect")
  curl -fsS -H 'Accept: text/html' "$callback" | grep -q 'Connected' || {
    echo "connecting $type failed" >&2
    return 1
  }
}
