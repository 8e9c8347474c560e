"""Benchmark: where the test suite's CPU time goes, per test file and per stage.

:mod:`bench_suite` says how long the suite takes; this script says what it
spends that time on, so that the next attempt at the suite's 90 s (issue 10)
starts from figures instead of guesses. It runs the README's test command
(``python -m pytest -q -p no:randomly``, the xdist workers included) with
this file loaded as a pytest plugin. In each worker the plugin measures, with
the process's CPU clock (``time.process_time``: a busy neighbour on the
machine does not count), each test's CPU from setup to teardown and the
share of it spent in five stages of the product:

* ``load``: :func:`klimaregnskap.importing.load_files` (reading and checking
  files, storing them in a ledger);
* ``build``: :func:`klimaregnskap.pipeline.build_accounts` where it really
  builds (a build the tests keep, ``tests/accounts_memo.py``, costs nothing
  here);
* ``draw``: :func:`klimaregnskap.report.plots.draw_all` (charts to PNG and
  SVG; a test with ``undrawn_charts`` draws nothing);
* ``xlsx``: :func:`klimaregnskap.report.xlsx.write_xlsx`;
* ``connect``: :func:`klimaregnskap.ledger.connect` (DuckDB's start-up,
  ~15 ms even in memory with duckdb 2.0, and the schema of a new ledger).

Each worker's span (its first test's start to its last test's end) is
printed beside the wall time its tests took: a worker whose span is much
longer than its tests waited for work, and one whose tests' wall time is
much longer than their CPU waited for a lock or a subprocess.

A stage called inside another stage counts once, in the outer one. Time
outside the stages (pandas, the rest of the pipeline, the tests themselves)
is ``other``. CPU spent in a subprocess a test starts is not counted (the
plugin cannot see it), nor the workers' start-up and collection (~5 s each).

Usage: ``python benchmarks/suite_breakdown.py [--top 30] [pytest arguments ...]``
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: environment variable: the folder the plugin writes one JSON file per process into
OUT_ENV = "KLIMAREGNSKAP_SUITE_BREAKDOWN"
STAGES = ("load", "build", "draw", "xlsx", "connect")

# ------------------------------------------------------------------ the plugin

_test: list[str | None] = [None]        # the test running now
_depth = [0]                            # stages entered and not left (inner ones count once)
_cpu: dict[str, Counter] = defaultdict(Counter)
_span: list[float] = []                 # wall clock at each test's start and end
_wall = [0.0]                           # wall time [s] inside this process's tests


def _stage(module, name: str, stage: str) -> None:
    """Replace ``module.name`` by a wrapper adding its CPU time to ``stage`` of the test running."""
    real = getattr(module, name)

    @functools.wraps(real)
    def timed(*args, **kwargs):
        _depth[0] += 1
        t = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            _depth[0] -= 1
            if _depth[0] == 0:
                _cpu[_test[0] or "(outside tests)"][stage] += time.process_time() - t

    setattr(module, name, timed)


if os.environ.get(OUT_ENV):
    # Loaded as a plugin (``-p suite_breakdown``): plugins are imported before
    # the tests' conftest, so build_accounts is wrapped here before
    # tests/accounts_memo.py wraps it in turn, and counts only real builds.
    from klimaregnskap import importing, ledger, pipeline
    from klimaregnskap.report import plots, xlsx

    _stage(importing, "load_files", "load")
    _stage(pipeline, "build_accounts", "build")
    _stage(plots, "draw_all", "draw")
    _stage(xlsx, "write_xlsx", "xlsx")
    _stage(ledger, "connect", "connect")

    import pytest

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        _test[0] = item.nodeid
        t, w = time.process_time(), time.time()
        yield
        _cpu[item.nodeid]["total"] += time.process_time() - t
        _wall[0] += time.time() - w
        _span.extend((w, time.time()))
        _test[0] = None

    def pytest_unconfigure(config):
        out = Path(os.environ[OUT_ENV]) / f"{os.getpid()}.json"
        worker = {"name": os.environ.get("PYTEST_XDIST_WORKER", "main"), "tests_wall_s": _wall[0],
                  "tests_cpu_s": sum(c["total"] for c in _cpu.values()),
                  "span_s": max(_span) - min(_span) if _span else 0.0}
        out.write_text(json.dumps({"tests": _cpu, "worker": worker}), encoding="utf-8")


# ------------------------------------------------------------------ the script

def breakdown(folder: Path) -> tuple[dict[str, Counter], list[dict]]:
    """Test file -> stage -> CPU [s], and each worker's span and tests' wall time [s],
    from the plugin's files in ``folder``."""
    files: dict[str, Counter] = defaultdict(Counter)
    workers = []
    for f in folder.glob("*.json"):
        got = json.loads(f.read_text(encoding="utf-8"))
        for test, stages in got["tests"].items():
            files[test.split("::")[0]].update(stages)
        if got["worker"]["span_s"]:
            workers.append(got["worker"])
    return files, sorted(workers, key=lambda w: w["name"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=30, help="test files shown (the costliest)")
    args, extra = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, OUT_ENV: tmp,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent),
                                                          os.environ.get("PYTHONPATH")]))}
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
                               "-p", "suite_breakdown", *extra], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        files, workers = breakdown(Path(tmp))
    if done.returncode != 0:
        print(f"note: the suite failed (exit {done.returncode}); the figures are of what ran")
    total = Counter()
    for stages in files.values():
        total.update(stages)
    head = f"{'test file':52s} {'CPU s':>7s}" + "".join(f" {s:>7s}" for s in STAGES) + "   other"
    print(head)
    print("-" * len(head))
    rows = sorted(files.items(), key=lambda kv: -kv[1]["total"])
    for name, c in [*rows[:args.top], ("all test files", total)]:
        other = c["total"] - sum(c[s] for s in STAGES)
        print(f"{name[-52:]:52s} {c['total']:7.1f}" + "".join(f" {c[s]:7.1f}" for s in STAGES)
              + f" {other:7.1f}")
    print(f"\nwall {wall:.1f} s; CPU inside tests {total['total']:.1f} s "
          f"(workers' start-up, collection and subprocesses not counted)")
    for w in workers:
        print(f"{w['name']}: span {w['span_s']:.1f} s, in tests {w['tests_wall_s']:.1f} s wall, "
              f"{w['tests_cpu_s']:.1f} s CPU")


if __name__ == "__main__":
    main()
