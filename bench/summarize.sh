#!/usr/bin/env bash
# Turns a results.txt of bench/hotpath.sh into Markdown tables: medians over the runs, errors summed, and the ratio
# of the medians (hot path / ceiling). Usage: bench/summarize.sh bench/results/<run>/results.txt
set -euo pipefail
awk '
function median(list,    n, v, i, j, t) {
  n = split(list, v, " ")
  for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
  if (n == 0) return 0
  return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
/^#/ { print "    " substr($0, 3); next }
$1 == "hot" || $1 == "ceiling" {
  k = $2 SUBSEP $3; key[k] = 1; runs[$1, k]++
  rps[$1, k] = rps[$1, k] " " $6; p50[$1, k] = p50[$1, k] " " $7; p99[$1, k] = p99[$1, k] " " $8
  p999[$1, k] = p999[$1, k] " " $9; err[$1, k] += $10; reqs[$1, k] += $11
  bcpu[$1, k] = bcpu[$1, k] " " $12; pcpu[$1, k] = pcpu[$1, k] " " $13; wcpu[$1, k] = wcpu[$1, k] " " $14
  if (!(($2) in seenN)) { seenN[$2] = 1; ns[++nn] = $2 }
  if (!(($3) in seenC)) { seenC[$3] = 1; cs[++nc] = $3 }
}
$1 == "load" { load = load " " $2 }
$1 == "memory" { mem[$2] = $3 " " $4 " " $5 }
$1 == "seed" { seed[$2] = $3 " (" $4 " " $5 ")" }
$1 == "bodies" { bodies = $3 " " $4 }
$1 == "image_rss" { sub(/MB$/, "", $3); irss = irss " " $3 }
$1 == "coldstart" { sub(/ms$/, "", $5); cs_ms[$2 " " $3] = cs_ms[$2 " " $3] " " $5; csv[$2 " " $3] = 1 }
$1 == "coldstart_cpu" { sub(/ms$/, "", $5); cs_cpu[$2 " " $3] = cs_cpu[$2 " " $3] " " $5 }
END {
  print ""
  print "| stored | conns | hot req/s | ceiling req/s | ratio | hot p50 / p99 / p99.9 ms | ceiling p50 / p99 / p99.9 ms | errors hot / ceiling | CPU µs/req hot: broker + PostgreSQL + wrk | CPU µs/req ceiling: broker + wrk | CPU ratio | runs |"
  print "|---:|---:|---:|---:|---:|---|---|---|---|---|---:|---:|"
  for (i = 1; i <= nn; i++) for (j = 1; j <= nc; j++) {
    k = ns[i] SUBSEP cs[j]; if (!(k in key)) continue
    h = median(rps["hot", k]); c = median(rps["ceiling", k])
    hc = median(bcpu["hot", k]) + median(pcpu["hot", k]) + median(wcpu["hot", k])
    cc = median(bcpu["ceiling", k]) + median(wcpu["ceiling", k])
    printf "| %s | %s | %.0f | %.0f | %.2f | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %d / %d | %.0f + %.0f + %.0f | %.0f + %.0f | %.2f | %d |\n",
      ns[i], cs[j], h, c, (c > 0 ? h / c : 0), median(p50["hot", k]), median(p99["hot", k]), median(p999["hot", k]),
      median(p50["ceiling", k]), median(p99["ceiling", k]), median(p999["ceiling", k]), err["hot", k],
      err["ceiling", k], median(bcpu["hot", k]), median(pcpu["hot", k]), median(wcpu["hot", k]),
      median(bcpu["ceiling", k]), median(wcpu["ceiling", k]), (hc > 0 ? cc / hc : 0), runs["hot", k]
  }
  print ""
  for (i = 1; i <= nn; i++) if (ns[i] in mem) printf "- %s stored: %s; seeding %s\n", ns[i], mem[ns[i]], seed[ns[i]]
  if (bodies != "") printf "- response bodies: %s\n", bodies
  if (load != "") printf "- 1-minute load average at the start of each measured pair: median %.2f (%s )\n", median(load), load
  first = 1
  for (v in csv) {
    if (first) { print ""; print "| cold start (to readiness) | median ms | runs (ms) | CPU median ms | CPU runs (ms) |"; print "|---|---:|---|---:|---|"; first = 0 }
    printf "| %s | %.0f | %s | %.0f | %s |\n", v, median(cs_ms[v]), cs_ms[v], median(cs_cpu[v]), cs_cpu[v]
  }
  if (irss != "") printf "\n- RSS right after an image-like start: median %d MB (%s )\n", median(irss), irss
}' "$1"
