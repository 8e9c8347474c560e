"""Benchmark: a region of N trusts end to end (DESIGN §6a, §8; issue 16 point 4).

Generates a region with ``benchmarks/make_region.py`` (default 10 trusts x
500 hourly meters x 7 years, about 307 million readings; use ``--trusts 2
--meters 100`` on a shared machine), then times, each command in a fresh
process, wall and CPU time (user + system, ``os.wait4``) and peak memory:

1. ``klimaregnskap check`` in every trust (loads its ``inputs/`` into its own
   ledger; the loading figure per reading),
2. ``klimaregnskap report --year 2025`` in every trust,
3. ``klimaregnskap region report --year 2025`` in the region folder (target:
   under 60 s, peak under 4 GiB), when the ``region`` command exists,
4. the export of the whole region to Parquet (target: under 60 s):
   ``klimaregnskap export`` in the region folder when it can (DESIGN §5,
   ``member=ID/year=YYYY/``); otherwise every trust's ``export`` into
   ``<out>/member=<id>/``, the same Hive layout built one member at a time,
5. DuckDB answering "emissions by member and year" from that export, from a
   fresh process (``import duckdb`` included) and warm (target: under 2 s).

A step that cannot run is named with the reason, never silently left out.
The machine's load average is printed with every step: on a shared machine
the wall time measures the neighbours too, the CPU time much less so.

Usage: ``python benchmarks/bench_region.py [--trusts 10] [--meters 500] [--years 7]
[--keep DIR] [--skip-trust-reports]``
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
import make_region  # noqa: E402  (the generator beside this file)

QUERY = """
SELECT member, year, sum(emissions_kgco2e) / 1000 AS tco2e
FROM read_parquet('{path}/emission_lines/**/*.parquet', hive_partitioning = true)
WHERE scope IN (1, 2) AND method IN ('', 'location')
GROUP BY member, year ORDER BY member, year
"""

READBACK = """
import sys, time
t = time.perf_counter()
import duckdb
con = duckdb.connect()
q = sys.argv[2].format(path=sys.argv[1])
rows = con.sql(q).fetchall()
cold = time.perf_counter() - t
warm = []
for _ in range(5):
    t = time.perf_counter()
    con.sql(q).fetchall()
    warm.append(time.perf_counter() - t)
members = len({r[0] for r in rows})
print(f"{cold:.3f} {min(warm):.4f} {len(rows)} {members}")
"""


class Step:
    """What one child process cost: wall [s], CPU [s], peak RSS [MiB]."""

    def __init__(self, wall: float, cpu: float, peak_mib: float, out: str):
        self.wall, self.cpu, self.peak_mib, self.out = wall, cpu, peak_mib, out

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s wall {self.cpu:7.2f} s CPU  peak {self.peak_mib:6,.0f} MiB"


def run(cmd: list[str], cwd: Path, check: bool = True) -> Step | None:
    """Run a child; None when it failed and ``check`` is false."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode(errors="replace")
    # wait4 gives this child's own usage (RUSAGE_CHILDREN would add up every child)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        if check:
            sys.exit(f"failed in {cwd}: {' '.join(cmd)}\n{out[-3000:]}")
        return None
    return Step(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out)


def load_average() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def klimaregnskap(*args: str) -> list[str]:
    return [sys.executable, "-m", "klimaregnskap", *args]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trusts", type=int, default=10)
    ap.add_argument("--meters", type=int, default=500)
    ap.add_argument("--years", type=int, default=7)
    ap.add_argument("--keep", type=Path, default=None, help="generate into (or reuse) this folder")
    ap.add_argument("--skip-trust-reports", action="store_true")
    args = ap.parse_args()
    region = Path(args.keep or tempfile.mkdtemp(prefix="bench_region_")).resolve()
    year = make_region.FIRST_YEAR + args.years - 1
    members = [make_region.trust_id(k) for k in range(args.trusts)]
    print(f"{os.cpu_count()} cores; {load_average()}")
    if not (region / "region.toml").exists():
        t = time.perf_counter()
        subprocess.run([sys.executable, str(Path(__file__).parent / "make_region.py"),
                        str(region), "--trusts", str(args.trusts), "--meters", str(args.meters),
                        "--years", str(args.years)], check=True)
        print(f"generated in {time.perf_counter() - t:.1f} s")

    print("\n1. check (load inputs/ into each trust's ledger)")
    total_cpu = total_wall = 0.0
    for m in members:
        s = run(klimaregnskap("check"), region / m)
        total_cpu += s.cpu
        total_wall += s.wall
        print(f"   {m}: {s}  ({load_average()})")
    rows = sum(max(0, sum(1 for _ in open(p, "rb")) - 1)
               for p in (region / members[0] / "inputs").glob("readings_*.csv"))
    per_trust = rows
    print(f"   all: {total_wall:.1f} s wall, {total_cpu:.1f} s CPU for "
          f"{per_trust * len(members):,} readings "
          f"({per_trust * len(members) / max(total_cpu, 1e-9):,.0f} readings per CPU second)")

    if not args.skip_trust_reports:
        print(f"\n2. report --year {year} in each trust")
        for m in members:
            s = run(klimaregnskap("report", "--year", str(year)), region / m)
            print(f"   {m}: {s}  ({load_average()})")

    print(f"\n3. region report --year {year}")
    s = run(klimaregnskap("region", "report", "--year", str(year)), region, check=False)
    if s is None:
        probe = subprocess.run(klimaregnskap("region", "--help"), cwd=region,
                               capture_output=True, text=True)
        why = "no 'region' command in this version" if probe.returncode else "it failed"
        print(f"   not run: {why} (DESIGN §6a; H5's branch). Extrapolate from step 2.")
    else:
        print(f"   region: {s}  ({load_average()}; target < 60 s, < 4096 MiB)")

    print("\n4. export of the whole region to Parquet")
    out = region / "reports" / "export"
    shutil.rmtree(out, ignore_errors=True)
    s = run(klimaregnskap("export", "--format", "parquet", "--out", str(out)), region,
            check=False)
    if s is not None:
        print(f"   region export: {s}  ({load_average()}; target < 60 s)")
    else:
        print("   no region export in this version: each member's export into "
              "member=<id>/ (the same Hive layout)")
        total_cpu = total_wall = 0.0
        for m in members:
            s = run(klimaregnskap("export", "--format", "parquet", "--out",
                                  str(out / "_tmp" / m)), region / m)
            total_cpu += s.cpu
            total_wall += s.wall
            for table in (out / "_tmp" / m).iterdir():
                if table.is_dir():
                    (out / table.name).mkdir(parents=True, exist_ok=True)
                    shutil.move(str(table), str(out / table.name / f"member={m}"))
            print(f"   {m}: {s}")
        shutil.rmtree(out / "_tmp", ignore_errors=True)
        print(f"   all members: {total_wall:.1f} s wall, {total_cpu:.1f} s CPU "
              f"(each builds its accounts again; target < 60 s)")
    files = list(out.rglob("*.parquet"))
    print(f"   {len(files)} Parquet files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB")

    print("\n5. DuckDB: emissions by member and year from the export")
    res = subprocess.run([sys.executable, "-c", READBACK, str(out), QUERY],
                         capture_output=True, text=True, check=True)
    cold, warm, n, k = res.stdout.split()
    print(f"   {cold} s from a fresh process (import duckdb included), {warm} s warm; "
          f"{n} rows, {k} members (target < 2 s)")
    print(f"\n{load_average()}")
    if args.keep is None:
        shutil.rmtree(region, ignore_errors=True)


if __name__ == "__main__":
    main()
