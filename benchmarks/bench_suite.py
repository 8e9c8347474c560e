"""Benchmark: the whole test suite (the README's test command), with the machine's speed.

This machine's speed varies by half from one hour to the next: the same
suite took 146 s and 166 s. A suite time alone therefore cannot be compared
with one taken at another time. This script times a fixed piece of pure
Python (ten million additions, the median of three) before and after the
run, for context: it shows whether the machine was in a fast or a slow hour.
It then runs ``python -m pytest -q -p no:randomly`` in this repository and
prints the wall time and the CPU time of the run. The CPU time counts the
pytest process and its xdist workers, user + system.

Compare two versions by running this back to back. The target is 90 s of
wall time (issue 10). The tests keep the accounts they built
(tests/accounts_memo.py); ``KLIMAREGNSKAP_TEST_BUILDS=off python
benchmarks/bench_suite.py`` times the suite building every time.

Usage: ``python benchmarks/bench_suite.py [--runs 1] [pytest arguments ...]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

def loop_seconds() -> float:
    """Wall time [s] of ten million additions in pure Python: the median of three."""
    times = []
    for _ in range(3):
        t = time.perf_counter()
        s = 0
        for i in range(10_000_000):
            s += i
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_suite(extra: list[str]) -> tuple[float, float, int]:
    """(wall [s], CPU of the children [s], exit code) of one run of the suite."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *extra],
                          cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1)
    args, extra = ap.parse_known_args()
    loop = loop_seconds()
    print(f"machine before: 10^7 additions in {loop:.2f} s")
    for k in range(1, args.runs + 1):
        wall, cpu, code = run_suite(extra)
        print(f"run {k}: {wall:.1f} s wall, {cpu:.0f} s CPU; "
              f"{'passed' if code == 0 else f'FAILED (exit {code})'}; target 90 s wall")
    print(f"machine after: 10^7 additions in {loop_seconds():.2f} s")


if __name__ == "__main__":
    main()
