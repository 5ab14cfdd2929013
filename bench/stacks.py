#!/usr/bin/env python3
"""CPU per request by component, from async-profiler's collapsed stacks (bench/hotpath.sh with PROFILE=async).

Usage: bench/stacks.py RESULTS_DIR SIZE

Reads hot-SIZE.collapsed and ceiling-SIZE.collapsed (1 ms CPU samples) and the request counts of the profiled runs
in results.txt, and prints, for each component, the CPU microseconds per request it costs on the hot path and on the
ceiling. A sample counts for a component when any frame of its stack matches; components nest (the filter chain
contains the controller), so the rows do not add up.
"""
import os
import sys

COMPONENTS = [
    ("whole request (Tomcat worker)", "NioEndpoint$SocketProcessor.doRun"),
    ("Micrometer observations", "io/micrometer/observation"),
    ("Spring Security filter chain", "FilterChainProxy.doFilterInternal"),
    ("bearer token resolution", "DefaultBearerTokenResolver"),
    ("JWT authentication (incl. cache)", "JwtAuthenticationProvider.authenticate"),
    ("rate limits", "RateLimiter.preHandle"),
    ("controller: token read", "TokenService.accessGrant"),
    ("connection row cache", "ConnectionRowCache.get"),
    ("database read (pgjdbc)", "ConnectionStore.find"),
    ("decryption", "ConnectionSecrets.accessToken"),
    ("audit record (request thread)", "AuditTrail.record"),
    ("audit writer (COPY)", "AuditWriter.run"),
    ("JSON response", "AbstractJacksonHttpMessageConverter.writeInternal"),
    ("socket writes (kernel)", "sys_write"),
    ("JIT compiler", "CompileBroker"),
    ("garbage collector", "G1"),
]


def requests(results, label):
    with open(results) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == label:
                return int(parts[6])
    raise SystemExit("no run labelled %s in %s" % (label, results))


def profile(path):
    stacks = []
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip().rpartition(" ")
            stacks.append((stack, int(count)))
    return stacks


def per_request(stacks, count, pattern=None):
    samples = sum(n for stack, n in stacks if pattern is None or pattern in stack)
    return samples * 1000.0 / count


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    directory, size = sys.argv[1], sys.argv[2]
    results = os.path.join(directory, "results.txt")
    runs = {}
    for endpoint in ("hot", "ceiling"):
        count = requests(results, "profile-%s-%s" % (endpoint, size))
        runs[endpoint] = (profile(os.path.join(directory, "%s-%s.collapsed" % (endpoint, size))), count)
    print("| component | hot path µs/request | ceiling µs/request |")
    print("|---|---:|---:|")
    hot, ceiling = runs["hot"], runs["ceiling"]
    print("| all broker CPU | %.1f | %.1f |" % (per_request(*hot), per_request(*ceiling)))
    for name, pattern in COMPONENTS:
        print("| %s | %.1f | %.1f |" % (name, per_request(hot[0], hot[1], pattern),
                                        per_request(ceiling[0], ceiling[1], pattern)))


if __name__ == "__main__":
    main()
