"""Benchmark: ``klimaregnskap report`` on a trust with 500 hourly meters over 7 years.

Generates the ledger straight with DuckDB SQL (about 30 million readings,
2019-2025; no CSV round trip), then times ``klimaregnskap report --year 2025``
in a subprocess and prints the wall time and the peak memory of that child
(its own ``ru_maxrss`` from ``os.wait4``). Targets: under 10 s,
peak under 2 GiB.

Usage: ``python benchmarks/bench_report.py [--meters 500] [--years 7] [--keep DIR]``
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


from klimaregnskap import ledger

SITES = 10


def config(sites: int) -> str:
    text = """
[organisation]
name = "Bench HF"
baseline_year = 2019
timezone = "Europe/Oslo"
language = "en"
"""
    for s in range(sites):
        text += f"""
[[sites]]
id = "s{s}"
name = "Site {s}"
area_m2 = {{ 2019 = {10000 + 1000 * s} }}
"""
    return text


def generate(project: Path, meters: int, years: int, estimated_every: int = 10) -> int:
    """Write config and a ledger with ``meters`` hourly meters; return readings count."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "inputs").mkdir(exist_ok=True)
    (project / "klimaregnskap.toml").write_text(config(SITES), encoding="utf-8")
    con = ledger.connect(project)
    first, last = 2019, 2019 + years - 1
    con.execute("INSERT INTO imports VALUES (1, 'inputs/registry.csv', 'reg', 'meter_registry', ?, "
                "now()::TIMESTAMP)", [meters])
    # every 25th meter is a sub-meter, every 10th district heating
    con.execute("""
        INSERT INTO meters SELECT 1, i + 2, 'M' || lpad(i::VARCHAR, 5, '0'), 's' || (i % ?),
               CASE WHEN i % 10 = 0 THEN 'district_heating' ELSE 'electricity' END,
               'interval', CASE WHEN i % 25 = 0 THEN 'sub' ELSE 'main' END, 'kWh', 1.0,
               NULL, NULL, NULL, NULL
        FROM range(?) t(i)""", [SITES, meters])
    start = f"{first - 1}-12-31 23:00:00"
    end = f"{last}-12-31 23:00:00"
    hours = int(con.execute(f"SELECT epoch(TIMESTAMP '{end}') - epoch(TIMESTAMP '{start}')"
                            ).fetchone()[0]) // 3600
    con.execute("INSERT INTO imports VALUES (2, 'inputs/readings.csv', 'data', 'meter_readings', "
                "?, now()::TIMESTAMP)", [int(hours) * meters])
    # the files stand (ledger schema 2: a row counts when its file is current)
    con.execute("INSERT INTO current_files VALUES ('inputs/registry.csv', 'reg'), "
                "('inputs/readings.csv', 'data')")
    # ordered by meter then time, as files arrive; one meter in ten has a few
    # estimated readings (--estimated-every 1 gives every meter some)
    con.execute(f"""
        INSERT INTO readings
        SELECT 2, (m.i * {hours} + h.k + 2)::INTEGER,
               'M' || lpad(m.i::VARCHAR, 5, '0'),
               TIMESTAMP '{start}' + to_hours(h.k),
               year(TIMESTAMP '{start}' + to_hours(h.k + 1))::SMALLINT,
               round(20 + 10 * sin(h.k / 24.0 * 6.283) + (m.i % 7), 3),
               CASE WHEN m.i % {estimated_every} = 3 % {estimated_every} AND (h.k + m.i) % 997 = 0
                    THEN 'estimated' ELSE 'measured' END,
               NULL
        FROM range({meters}) m(i), range({hours}) h(k)
        ORDER BY m.i, h.k""")
    n = con.execute("SELECT count(*) FROM readings").fetchone()[0]
    con.execute("CHECKPOINT")
    con.close()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meters", type=int, default=500)
    ap.add_argument("--years", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--estimated-every", type=int, default=10,
                    help="every n-th meter has estimated readings")
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--generate-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        n = generate(args.generate_only, args.meters, args.years, args.estimated_every)
        print(f"generated {n:,} readings", end="")
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_report_"))
    project = work / "project"
    if not (project / ledger.LEDGER_NAME).exists():
        # in a child process, so the report's fork does not inherit its memory
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate-only", str(project),
                        "--meters", str(args.meters), "--years", str(args.years),
                        "--estimated-every", str(args.estimated_every)], check=True)
        print(f" in {time.perf_counter() - t:.1f} s "
              f"({(project / ledger.LEDGER_NAME).stat().st_size / 1e6:.0f} MB ledger)")
    year = 2019 + args.years - 1
    times, peaks = [], []
    for _ in range(args.repeat):
        shutil.rmtree(project / "reports", ignore_errors=True)
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "klimaregnskap", "report", "--year",
                                 str(year), "--project", str(project)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # wait4 gives this child's own peak (RUSAGE_CHILDREN is the max over all children)
        _pid, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t)
        peaks.append(usage.ru_maxrss)
        if status != 0:
            sys.exit(f"report failed:\n{proc.stderr.read().decode()}")
    print(f"report --year {year}: {min(times):.2f} s wall, best of {args.repeat} (target < 10 s)")
    print(f"peak memory of the report process: {max(peaks) / 1024:.0f} MiB (target < 2048 MiB)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
