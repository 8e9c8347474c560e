"""Benchmark: ``klimaregnskap report --year 2025`` run again on the demo trust.

Copies the repository's demo project (``klimaregnskap.toml``, ``inputs/``,
``factors/``) into a temporary folder and times the command, each run in a
fresh subprocess:

1. cold: builds the ledger and draws every chart;
2. ``--reruns`` reruns with nothing changed (ledger and charts current);
3. a rerun with ``charts/`` deleted (ledger current, every chart drawn);
4. a rerun after one food-waste weighing changed (the ledger loads that file
   again; only the food-waste chart should be drawn).

Each line gives the wall time and the charts the run wrote. The target for
a rerun is 4 s or less.

Usage: ``python benchmarks/bench_report_rerun.py [--reruns 5] [--keep DIR]``
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
YEAR = 2025
FOOD_WASTE = "food_waste_fjordklinikk_2019-2025.csv"


def run_report(project: Path) -> tuple[float, list[str]]:
    """Wall time of one report run [s], and the charts it wrote (PNG stems)."""
    charts = project / "reports" / str(YEAR) / "charts"
    before = {p.stem: p.stat().st_mtime_ns for p in charts.glob("*.png")}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "klimaregnskap", "report", "--year", str(YEAR),
                           "--project", str(project)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"report failed:\n{proc.stdout}\n{proc.stderr}")
    written = sorted(p.stem for p in charts.glob("*.png")
                     if before.get(p.stem) != p.stat().st_mtime_ns)
    return wall, written


def change_one_weighing(project: Path) -> None:
    """Add 1 kg to the first food-waste weighing of 2023 at Fjordklinikken."""
    path = project / "inputs" / FOOD_WASTE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        date, site, category, quantity, unit = line.rstrip("\r\n").split(";")
        if date.endswith(".2023"):
            lines[i] = ";".join([date, site, category, str(int(quantity) + 1000), unit]) + "\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


def _show(label: str, wall: float, written: list[str]) -> None:
    charts = ", ".join(written) if len(written) <= 3 else f"{len(written)} charts"
    print(f"{label:<44} {wall:6.2f} s   charts written: {charts or 'none'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reruns", type=int, default=5)
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_report_rerun_"))
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copy(REPO / "klimaregnskap.toml", project)
    for folder in ("inputs", "factors"):
        shutil.copytree(REPO / folder, project / folder)

    _show("cold (ledger built, every chart drawn)", *run_report(project))
    walls = []
    for i in range(args.reruns):
        wall, written = run_report(project)
        walls.append(wall)
        _show(f"rerun {i + 1}", wall, written)
    if walls:
        print(f"{'reruns: median / best':<44} {statistics.median(walls):6.2f} s / {min(walls):.2f} s"
              "   (target <= 4 s)")
    shutil.rmtree(project / "reports" / str(YEAR) / "charts")
    _show("rerun without charts/ (every chart drawn)", *run_report(project))
    change_one_weighing(project)
    _show("rerun after one food-waste weighing changed", *run_report(project))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
