"""Benchmark: ``klimaregnskap load`` of hourly readings CSV files against a bare floor.

Generates one trust with ``benchmarks/make_region.py`` (machine-written long
CSV ``meter_id,timestamp,value,quality``, ISO UTC stamps; default 100 meters
for one year, 876,000 rows, in one file) and times, each in a fresh process,

* the floor: a bare ``pandas.read_csv(engine="pyarrow")`` of every readings
  file, each written to Parquet (the same interpreter start-up and pandas
  import the CLI pays), and
* ``klimaregnskap load`` of the same files in one command, in a project that
  holds the meter registry already (the files are validated, stored in the
  ledger in one transaction each and copied into ``inputs/``).

Prints wall and CPU time (user + system of the child, from ``os.wait4``),
peak memory, rows per second and the ratios load / floor (target: at most
1.2), with the machine's load average: on a shared machine the wall time
measures the neighbours too, the CPU time much less so.

Shapes (``--layout``): ``one`` file with every meter and year (one trust's
whole history: ``--meters 500 --years 7`` is 30.7 M readings, 1.7 GB),
``year`` one file per year, ``meter-year`` one file per meter and year
(Elhub's shape: many small files).

Usage: ``python benchmarks/bench_load.py [--meters 100] [--years 1]
[--layout one|year|meter-year] [--repeat 3] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_region  # noqa: E402  (the generator beside this file)

FLOOR = """
import sys
import pandas as pd
for i, f in enumerate(sys.argv[2:]):
    pd.read_csv(f, engine="pyarrow").to_parquet(f"{sys.argv[1]}/floor{i}.parquet")
"""


def run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a child; return (wall [s], CPU user + system [s], peak RSS [MiB])."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives this child's own usage (RUSAGE_CHILDREN would add up every child)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meters", type=int, default=100)
    ap.add_argument("--years", type=int, default=1)
    ap.add_argument("--layout", choices=("one", "year", "meter-year"), default="one")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated files here")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_load_"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    t = time.perf_counter()
    if not (data / "inputs" / "maalepunkter.csv").exists():
        shutil.rmtree(data, ignore_errors=True)
        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = true")
        make_region.write_trust(con, data, 0, 1, args.meters, args.years, args.layout)
        con.close()
    registry = data / "inputs" / "maalepunkter.csv"
    files = sorted(p for p in (data / "inputs").glob("*.csv")
                   if p.name not in ("maalepunkter.csv", "drift.csv"))
    rows = sum(max(0, sum(1 for _ in open(p, "rb")) - 1) for p in files)
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"{len(files)} readings file(s), {rows:,} rows ({size_mb:,.1f} MB), ready in "
          f"{time.perf_counter() - t:.1f} s; {os.cpu_count()} cores")

    floors, loads = [], []
    for k in range(args.repeat):
        before = load_average()
        floors.append(run([sys.executable, "-c", FLOOR, str(work)] + [str(p) for p in files],
                          work))
        for f in work.glob("floor*.parquet"):
            f.unlink()
        project = work / f"project{k}"
        shutil.rmtree(project, ignore_errors=True)
        (project / "inputs").mkdir(parents=True)
        shutil.copy(data / "klimaregnskap.toml", project)
        run([sys.executable, "-m", "klimaregnskap", "load", str(registry), "--project",
             str(project)], work)
        loads.append(run([sys.executable, "-m", "klimaregnskap", "load"]
                         + [str(p) for p in files] + ["--project", str(project)], work))
        shutil.rmtree(project, ignore_errors=True)
        print(f"  run {k + 1}: floor {floors[-1][0]:.2f} s wall {floors[-1][1]:.2f} s CPU, "
              f"load {loads[-1][0]:.2f} s wall {loads[-1][1]:.2f} s CPU "
              f"(load average before: {before})")
    fw, fc = min(f[0] for f in floors), min(f[1] for f in floors)
    lw, lc = min(x[0] for x in loads), min(x[1] for x in loads)
    print(f"floor (read_csv pyarrow + to_parquet): {fw:.2f} s wall = {rows / fw:,.0f} rows/s, "
          f"{fc:.2f} s CPU, peak {max(f[2] for f in floors):,.0f} MiB")
    print(f"klimaregnskap load:                    {lw:.2f} s wall = {rows / lw:,.0f} rows/s, "
          f"{lc:.2f} s CPU, peak {max(x[2] for x in loads):,.0f} MiB")
    print(f"ratio load / floor: {lw / fw:.2f} wall, {lc / fc:.2f} CPU (target <= 1.2); "
          f"best of {args.repeat}; load average now {load_average()}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
