"""Benchmark: ``klimaregnskap status --year 2025`` on the demo trust.

Copies the demo project (``klimaregnskap.toml``, ``inputs/``, ``factors/``)
into a temporary folder, runs ``status`` once cold (ledger built, accounts
computed and cached), then ``--runs`` times on the unchanged project, each in
a fresh subprocess, and prints the wall times. The target for an unchanged
project is 1 s or less. A last run after one input changed shows the cost of
recomputing.

Usage: ``python benchmarks/bench_status.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_status(project: Path) -> float:
    """Wall time of one ``status`` run [s]."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "klimaregnskap", "status", "--year", "2025",
                    "--project", str(project)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "demo"
        project.mkdir()
        shutil.copy(REPO / "klimaregnskap.toml", project)
        shutil.copytree(REPO / "inputs", project / "inputs")
        shutil.copytree(REPO / "factors", project / "factors")
        print(f"cold (ledger built, accounts computed): {run_status(project):.2f} s")
        times = [run_status(project) for _ in range(args.runs)]
        print(f"unchanged project, {args.runs} runs: median {statistics.median(times):.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f}); target 1 s")
        ops = next((project / "inputs").glob("*drift*"), None) or sorted(
            (project / "inputs").glob("*.csv"))[0]
        ops.write_bytes(ops.read_bytes() + b"\n")
        print(f"after {ops.name} changed (recomputed): {run_status(project):.2f} s")


if __name__ == "__main__":
    main()
