#!/usr/bin/env bash
# Cold start alone: process start to readiness, plain, with class-data sharing, with JDK 25's ahead-of-time cache
# (when JAVA is JDK 25 or later), and as the container image starts (prod mode). See bench/lib.sh (cold_start) and
# BENCHMARKS.md ("Cold start").
#
# Usage: bench/coldstart.sh                                          (5 runs each, the java on the PATH)
#        RUNS=3 JAVA=<JDK 25>/bin/java bench/coldstart.sh
# Settings (environment): RUNS (5), CDS (1: also the archive variants), and those of bench/lib.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
OUT="$(pwd)/bench/results/coldstart-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: >"$RESULTS"
source bench/lib.sh
trap stop_broker EXIT
require_tools
build
cold_start "$RUNS"
bench/summarize.sh "$RESULTS" | tee "$OUT/summary.md"
