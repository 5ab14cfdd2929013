#!/usr/bin/env bash
# Webhook delivery on one production-mode replica with the local PostgreSQL (the one the tests use), to a receiver
# that answers in RECEIVER_MS: commit-to-delivery latency with no backlog (events committed through the API at RATE
# per second for SECONDS), then a BACKLOG of events committed at once and drained (deliveries per second, and the
# database's counters meanwhile). Results: target/bench/webhooks.md.
# Usage: bench/webhooks.sh                                   (defaults below)
#        BACKLOG=2000 SECONDS_=5 bench/webhooks.sh          (a quick look)
# Settings (environment):
#   RATE         events per second in the latency phase          50
#   SECONDS_     length of the latency phase                     20
#   BACKLOG      events in the backlog phase                     100000
#   RECEIVER_MS  the receiver's answer time                      20
#   CONCURRENCY  broker.webhooks.concurrency                     32
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q test -Dtest=WebhookBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.rate="${RATE:-50}" -Dbench.seconds="${SECONDS_:-20}" -Dbench.backlog="${BACKLOG:-100000}" \
  -Dbench.receiver-ms="${RECEIVER_MS:-20}" -Dbench.concurrency="${CONCURRENCY:-32}"
cat target/bench/webhooks.md
