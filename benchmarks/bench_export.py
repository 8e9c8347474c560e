"""Benchmark: export of a trust with 500 hourly meters over 7 years, and DuckDB
answering "emissions by year" from the export.

Generates the ledger with :func:`bench_report.generate` (about 30 million
readings, 2019-2025, written straight with DuckDB SQL), then, in a child
process per format (its peak memory from ``os.wait4``):

* builds the accounts of 2025 from the ledger (``pipeline.build_accounts``:
  the aggregation in DuckDB, the same work ``report`` does), and
* writes every year's tidy tables (``export.write_export``), timed apart:
  this is the export's own cost;

and then, in a fresh Python process, times DuckDB reading the Parquet export
back and answering "emissions by year" (scope 1 + 2 under the location
method), once cold (process start, ``import duckdb`` and the first query)
and best of ``--repeat`` warm, and checks the answer against the export's
own ``indicators`` table.

The child opens the ledger directly, as the command does after its check of
``inputs/``; the generated ledger has no input files to check.

Targets (issue 16, one trust of the ten-trust region): the export well under
60 s / 10, the query under 2 s.

Usage: ``python benchmarks/bench_export.py [--meters 500] [--years 7] [--repeat 5] [--keep DIR]``
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_report  # noqa: E402  (the generator of the report benchmark, beside this file)

from klimaregnskap import ledger  # noqa: E402

QUERY = """
SELECT year, sum(emissions_kgco2e) / 1000 AS tco2e
FROM read_parquet('{path}/emission_lines/**/*.parquet', hive_partitioning = true)
WHERE scope IN (1, 2) AND method IN ('', 'location') GROUP BY year ORDER BY year
"""

READBACK = """
import sys, time
t = time.perf_counter()
import duckdb
con = duckdb.connect()
q = sys.argv[2].format(path=sys.argv[1])
cold = con.sql(q).fetchall()
t_cold = time.perf_counter() - t
warm = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter()
    con.sql(q).fetchall()
    warm.append(time.perf_counter() - t)
ind = dict(con.sql(f"SELECT year, value FROM read_parquet('{sys.argv[1]}/indicators/**/*.parquet', "
                   "hive_partitioning = true) WHERE indicator = 'emissions'").fetchall())
assert all(abs(t - ind[y]) <= 1e-6 * max(1.0, abs(t)) for y, t in cold), (cold, ind)
print(f"{t_cold:.3f} {min(warm):.3f} {len(cold)}")
"""


EXPORT = """
import sys, time
from pathlib import Path
from klimaregnskap import ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.config import load_config
from klimaregnskap.export import write_export
from klimaregnskap.pipeline import build_accounts
project, out, fmt, year = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
cfg, lib = load_config(project), fl.load_library(project)
con = ledger.connect(project, read_only=True)
t = time.perf_counter()
acc = build_accounts(con, cfg, lib, year)
t_build = time.perf_counter() - t
t = time.perf_counter()
write_export(acc, out, fmt=fmt)
print(f"{t_build:.3f} {time.perf_counter() - t:.3f} {len(acc.method_lines)} {len(acc.energy)}")
"""


def run_export(project: Path, out: Path, fmt: str, year: int) -> tuple[list[str], float, int]:
    """(build s, write s, lines, energy rows), wall time [s] and peak memory [KiB] of a child."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", EXPORT, str(project), str(out), fmt, str(year)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        sys.exit(f"export failed:\n{proc.stderr.read().decode()}")
    return proc.stdout.read().decode().split(), wall, usage.ru_maxrss


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meters", type=int, default=500)
    ap.add_argument("--years", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_export_"))
    project = work / "project"
    if not (project / ledger.LEDGER_NAME).exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, bench_report.__file__, "--generate-only", str(project),
                        "--meters", str(args.meters), "--years", str(args.years)], check=True)
        print(f" in {time.perf_counter() - t:.1f} s "
              f"({(project / ledger.LEDGER_NAME).stat().st_size / 1e6:.0f} MB ledger)")
    out = work / "export"
    year = 2019 + args.years - 1
    for fmt in ("csv", "parquet"):  # Parquet last: the query reads it
        (build, write, lines, energy), wall, peak = run_export(project, out, fmt, year)
        print(f"export ({fmt}, {args.years} years, {args.meters} meters; {lines} emission lines, "
              f"{energy} energy rows): accounts built in {float(build):.2f} s, tables written in "
              f"{float(write):.2f} s; {wall:.2f} s wall for the process, peak {peak / 1024:.0f} "
              f"MiB, {size_mb(out):.1f} MB written")
    res = subprocess.run([sys.executable, "-c", READBACK, str(out), QUERY, str(args.repeat)],
                         check=True, capture_output=True, text=True)
    cold, warm, n = res.stdout.split()
    print(f"DuckDB 'emissions by year' over the export: {float(cold):.3f} s cold "
          f"(process start to answer, import duckdb included), {float(warm):.3f} s warm "
          f"(best of {args.repeat}); {n} years, equal to the indicators table (target < 2 s)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
