#!/usr/bin/env bash
# Per-end-user token reads at scale against the app-connection hot path: starts a production-mode broker on a fresh
# database of the local PostgreSQL (the one the tests use), stores USERS end users x 3 connectors with encrypted
# tokens, checks that a user's read is one index lookup, and drives both reads with wrk from another process.
# Needs wrk (installed from Debian's packages when run as root).
# Usage: bench/user-connections.sh [users] [duration]     e.g. bench/user-connections.sh 100000 20s
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ensure_wrk
./mvnw -q test -Dtest=UserConnectionsBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.users="${1:-100000}" -Dbench.duration="${2:-20s}"
cat target/bench/user-connections.md
