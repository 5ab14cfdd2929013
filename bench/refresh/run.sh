#!/usr/bin/env bash
# Refresher throughput benchmark: a stub token endpoint answering after 50 ms, N due connections, 1 and 2 replicas
# on one PostgreSQL (the tests' server: 127.0.0.1:5432 or BROKER_TEST_DATABASE_URL). Prints one line per run and a
# SUMMARY line with medians. Not part of the test suite.
#
#   bench/refresh/run.sh                      # 2 replicas x 100,000 connections, 3 runs; 1 replica x 20,000
#   CONNECTIONS=50000 RUNS=5 bench/refresh/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNECTIONS=${CONNECTIONS:-100000}
SINGLE_CONNECTIONS=${SINGLE_CONNECTIONS:-20000}
RUNS=${RUNS:-3}
MAX_CONCURRENT=${MAX_CONCURRENT:-64}

./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
  -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
# HttpURLConnection (the provider client) keeps only 5 idle connections per host by default; a replica refreshing
# 64 at a time would open and close a TCP connection per refresh.
JAVA_OPTS=(-Xmx3g -XX:+UseG1GC -Dhttp.maxConnections=128)

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD) $(date -u +%Y-%m-%dT%H:%MZ)"
java "${JAVA_OPTS[@]}" -Dbench.replicas=1 -Dbench.connections="$SINGLE_CONNECTIONS" -Dbench.runs="$RUNS" \
  -Dbench.max-concurrent="$MAX_CONCURRENT" -cp "$CP" io.tokenbroker.refresh.RefreshBench 2>&1 | grep -E '^(seeded|run|SUMMARY)'
java "${JAVA_OPTS[@]}" -Dbench.replicas=2 -Dbench.connections="$CONNECTIONS" -Dbench.runs="$RUNS" \
  -Dbench.max-concurrent="$MAX_CONCURRENT" -cp "$CP" io.tokenbroker.refresh.RefreshBench 2>&1 | grep -E '^(seeded|run|SUMMARY)'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
