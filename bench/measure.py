#!/usr/bin/env python3
"""Times several commands, given as arguments separated by `:::`, RUNS times
each, taking turns (A B C, A B C, ...) so that the machine's drift during the
measurement touches every command alike. Prints one line per command, in the
order given: its median wall time in seconds (Python's clock: GNU time's 10 ms
is too coarse for small assets) and the highest peak RSS in KiB of any run (GNU
time's %M: a child forked from Python would count Python's own pages until it
execs). An argument holding `{fresh}` gets a new empty directory under
$FRESH_BASE for every run, so an install never replaces the previous run's file
(as in a Docker build, where the destination is new)."""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def split(argv):
    commands, current = [], []
    for arg in argv:
        if arg == ":::":
            commands.append(current)
            current = []
        else:
            current.append(arg)
    commands.append(current)
    return [c for c in commands if c]


def run_once(command, out):
    fresh = tempfile.mkdtemp(dir=os.environ.get("FRESH_BASE"))
    args = [a.replace("{fresh}", fresh) for a in command]
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *args],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"measure: {' '.join(command)} failed")
    out.seek(0)
    return took, int(out.read().split()[-1])


def main():
    runs = int(os.environ.get("RUNS", "3"))
    commands = split(sys.argv[1:])
    times = [[] for _ in commands]
    rss = [0 for _ in commands]
    with tempfile.NamedTemporaryFile("r") as out:
        for _ in range(runs):
            for i, command in enumerate(commands):
                took, peak = run_once(command, out)
                times[i].append(took)
                rss[i] = max(rss[i], peak)
    for i in range(len(commands)):
        print(f"{statistics.median(times[i]):.3f} {rss[i]}")


main()
