#!/usr/bin/env python3
"""Runs a command RUNS times; prints its median wall time in seconds (Python's
clock: GNU time's 10 ms is too coarse for small assets) and the highest peak
RSS in KiB of any run (GNU time's %M: a child forked from Python would count
Python's own pages until it execs). An argument holding `{fresh}` gets a new
empty directory under $FRESH_BASE for every run, so an install never replaces
the previous run's file (as in a Docker build, where the destination is new)."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

runs = int(os.environ.get("RUNS", "3"))
times, rss = [], 0
with tempfile.NamedTemporaryFile("r") as out:
    for _ in range(runs):
        fresh = tempfile.mkdtemp(dir=os.environ.get("FRESH_BASE"))
        args = [a.replace("{fresh}", fresh) for a in sys.argv[1:]]
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"measure: {' '.join(sys.argv[1:])} failed")
        out.seek(0)
        rss = max(rss, int(out.read().split()[-1]))
print(f"{statistics.median(times):.3f} {rss}")
