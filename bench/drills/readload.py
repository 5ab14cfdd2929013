#!/usr/bin/env python3
"""Steady token reads for the fault drills, and their figures.

  readload.py run BASE_URL TARGETS DURATION OUT.csv [THREADS_PER_LABEL] [PAUSE_MS]
      TARGETS is a file of lines "label path token"; each label gets its own threads (so a slow label cannot hold up
      another's reads), each thread reads its label's targets in turn, pausing PAUSE_MS between reads. Every read is
      one CSV row: seconds since the start (epoch), label, HTTP status (0: no answer), latency in ms, Retry-After.
  readload.py summary OUT.csv PHASES
      PHASES is a file of lines "epoch_seconds phase_name" (the phase starts then); prints per phase and label the
      reads, failures, answers by status, 503s with Retry-After, and latency percentiles.
"""
import collections
import csv
import http.client
import sys
import threading
import time
from urllib.parse import urlparse


def run(base, targets_file, duration, out, threads_per_label=2, pause_ms=20):
    url = urlparse(base)
    by_label = collections.OrderedDict()
    with open(targets_file) as f:
        for line in f:
            if line.strip():
                label, path, token = line.split()
                by_label.setdefault(label, []).append((path, token))
    rows = []
    lock = threading.Lock()
    deadline = time.time() + duration

    def worker(label, targets, offset):
        conn = None
        i = offset
        while time.time() < deadline:
            path, token = targets[i % len(targets)]
            i += 1
            start = time.time()
            status, retry_after = 0, ""
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=90)
                conn.request("GET", path, headers={"Authorization": "Bearer " + token})
                response = conn.getresponse()
                response.read()
                status = response.status
                retry_after = response.getheader("Retry-After") or ""
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except Exception:
                if conn is not None:
                    conn.close()
                conn = None
            latency = (time.time() - start) * 1000
            with lock:
                rows.append((f"{start:.3f}", label, status, f"{latency:.1f}", retry_after))
            time.sleep(pause_ms / 1000)

    threads = []
    for label, targets in by_label.items():
        for n in range(threads_per_label):
            t = threading.Thread(target=worker, args=(label, targets, n * len(targets) // threads_per_label))
            t.start()
            threads.append(t)
    for t in threads:
        t.join()
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "label", "status", "latency_ms", "retry_after"])
        writer.writerows(sorted(rows))


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(out, phases_file):
    phases = []
    with open(phases_file) as f:
        for line in f:
            if line.strip():
                at, name = line.split(None, 1)
                phases.append((float(at), name.strip()))
    phases.sort()
    groups = collections.OrderedDict()
    with open(out) as f:
        for row in csv.DictReader(f):
            at = float(row["epoch"])
            phase = None
            for start, name in phases:
                if at >= start:
                    phase = name
            if phase is None:
                continue
            groups.setdefault((phase, row["label"]), []).append(row)
    print(f"{'phase':<28} {'label':<10} {'reads':>6} {'failed':>6} {'503+RA':>6}  {'p50':>7} {'p99':>7} {'max':>8}  answers")
    for (phase, label), rows in groups.items():
        latencies = [float(r["latency_ms"]) for r in rows]
        statuses = collections.Counter(r["status"] for r in rows)
        failed = sum(n for s, n in statuses.items() if s != "200")
        with_retry = sum(1 for r in rows if r["status"] == "503" and r["retry_after"])
        answers = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        print(f"{phase:<28} {label:<10} {len(rows):>6} {failed:>6} {with_retry:>6}  {percentile(latencies, 50):>6.0f}ms"
              f" {percentile(latencies, 99):>6.0f}ms {max(latencies):>7.0f}ms  {answers}")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5],
            *(int(a) for a in sys.argv[6:8]))
    elif sys.argv[1] == "summary":
        summary(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
