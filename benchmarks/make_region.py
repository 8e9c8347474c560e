"""Generate a region of N trusts x M hourly meters x Y years, deterministically.

Each trust is a project folder of its own (``klimaregnskap.toml`` and
``inputs/``: the meter registry ``maalepunkter.csv``, hourly readings as
machine-written long CSV ``meter_id,timestamp,value,quality`` with ISO UTC
stamps, and ``drift.csv`` with patient days), and ``region.toml`` beside them
names every trust as a member (DESIGN §6a). Nothing is loaded: run
``klimaregnskap check`` in each trust (``bench_region.py`` does) to build its
ledger.

The readings are written by DuckDB's ``COPY`` from a formula (no random
numbers, so the same flags give byte-identical files): a daily cycle, a
winter bump, a per-meter level, and a per-trust yearly trend (trust 0 saves
4 % a year, the last trust grows 1 % a year, the others in between). Every
tenth meter is district heating, every 25th a sub-meter; one meter in ten
has a few estimated readings.

Default scale: 10 trusts x 500 meters x 7 years (2019-2025), about 307
million readings and 14 GB of CSV. Use ``--trusts 2 --meters 100`` on a
shared machine.

Usage::

    python benchmarks/make_region.py OUT [--trusts 10] [--meters 500] [--years 7]
                                         [--layout year|one|meter-year]

``--layout year`` (default) writes one file per trust and year (an export
per year), ``one`` a single file per trust with its whole history,
``meter-year`` one file per meter and year (Elhub's shape, many small files).
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb

SITES = 5
FIRST_YEAR = 2019
SECONDS_PER_HOUR = 3600


def trust_id(k: int) -> str:
    """Folder and member id of trust ``k``."""
    return f"hf{k:02d}"


def trend(k: int, trusts: int) -> float:
    """Yearly change of trust ``k``'s consumption [-]: -4 % for the first, +1 % for the last."""
    if trusts == 1:
        return -0.04
    return -0.04 + 0.05 * k / (trusts - 1)


def config(k: int, years: int) -> str:
    """``klimaregnskap.toml`` of trust ``k``."""
    text = f"""[organisation]
name = "Bench HF {k:02d}"
baseline_year = {FIRST_YEAR}
timezone = "Europe/Oslo"
language = "en"

[accounting]
electricity_method = "location"
gwp = "AR5"
target_scopes = [1, 2]
"""
    for s in range(SITES):
        text += f"""
[[sites]]
id = "s{s}"
name = "Site {s}"
area_m2 = {{ {FIRST_YEAR} = {20000 + 5000 * s + 1000 * k} }}
"""
    return text


def region_toml(trusts: int) -> str:
    """``region.toml`` naming every trust (DESIGN §6a)."""
    text = f"""[region]
name = "Bench RHF"
baseline_year = {FIRST_YEAR}
electricity_method = "location"
gwp = "AR5"
target_scopes = [1, 2]
"""
    for k in range(trusts):
        text += f"""
[[members]]
id = "{trust_id(k)}"
name = "Bench HF {k:02d}"
project = "{trust_id(k)}"
"""
    return text


def meter_id(k: int, i: int) -> str:
    """An 18-digit Elhub-like id, unique over trusts."""
    return f"7070575{k:03d}{i:08d}"


def write_trust(con: duckdb.DuckDBPyConnection, folder: Path, k: int, trusts: int,
                meters: int, years: int, layout: str) -> int:
    """Write one trust's project folder; return its number of readings."""
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    (folder / "klimaregnskap.toml").write_text(config(k, years), encoding="utf-8")
    last = FIRST_YEAR + years - 1
    with open(inputs / "maalepunkter.csv", "w", encoding="utf-8") as fh:
        fh.write("meter_id,site,carrier,kind,role,unit\n")
        for i in range(meters):
            carrier = "district_heating" if i % 10 == 0 else "electricity"
            role = "sub" if i % 25 == 0 else "main"
            fh.write(f"{meter_id(k, i)},s{i % SITES},{carrier},interval,{role},kWh\n")
    with open(inputs / "drift.csv", "w", encoding="utf-8") as fh:
        fh.write("year,site,patient_days\n")
        for y in range(FIRST_YEAR, last + 1):
            for s in range(SITES):
                fh.write(f"{y},s{s},{30000 + 4000 * s + 500 * k + 100 * (y - FIRST_YEAR)}\n")
    rate = trend(k, trusts)
    prefix = f"7070575{k:03d}"
    # local year y runs from (y-1)-12-31 23:00 UTC (Europe/Oslo is UTC+1 in winter)
    def select(y0: int, y1: int, m0: int, m1: int) -> str:
        return f"""
            SELECT '{prefix}' || lpad(m.i::VARCHAR, 8, '0') AS meter_id,
                   strftime(TIMESTAMP '{y0 - 1}-12-31 23:00:00' + to_hours(h.k),
                            '%Y-%m-%dT%H:%M:%SZ') AS timestamp,
                   round((20 + 10 * sin(h.k / 24.0 * 6.283185307)
                          + 8 * cos((h.k / 8766.0) * 6.283185307) + (m.i % 7))
                         * pow(1 + {rate}, h.k / 8766.0), 3) AS value,
                   CASE WHEN m.i % 10 = 3 AND (h.k + m.i) % 997 = 0 THEN 'estimated'
                        ELSE 'measured' END AS quality
            FROM range({m0}, {m1}) m(i),
                 range((epoch(TIMESTAMP '{y1}-12-31 23:00:00')
                        - epoch(TIMESTAMP '{y0 - 1}-12-31 23:00:00'))::BIGINT
                       // {SECONDS_PER_HOUR}) h(k)
            ORDER BY m.i, h.k"""

    def copy(sql: str, path: Path) -> None:
        con.execute(f"COPY ({sql}) TO '{path}' (HEADER, DELIMITER ',', QUOTE '')")

    if layout == "one":
        copy(select(FIRST_YEAR, last, 0, meters), inputs / f"readings_{FIRST_YEAR}-{last}.csv")
    elif layout == "year":
        for y in range(FIRST_YEAR, last + 1):
            copy(select(y, y, 0, meters), inputs / f"readings_{y}.csv")
    else:
        for y in range(FIRST_YEAR, last + 1):
            for i in range(meters):
                copy(select(y, y, i, i + 1), inputs / f"elhub_{meter_id(k, i)}_{y}.csv")
    hours = con.execute(f"""SELECT (epoch(TIMESTAMP '{last}-12-31 23:00:00')
                                   - epoch(TIMESTAMP '{FIRST_YEAR - 1}-12-31 23:00:00'))::BIGINT
                                  // {SECONDS_PER_HOUR}""").fetchone()[0]
    return int(hours) * meters


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="the region folder (replaced)")
    ap.add_argument("--trusts", type=int, default=10)
    ap.add_argument("--meters", type=int, default=500)
    ap.add_argument("--years", type=int, default=7)
    ap.add_argument("--layout", choices=("year", "one", "meter-year"), default="year")
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    (args.out / "region.toml").write_text(region_toml(args.trusts), encoding="utf-8")
    con = duckdb.connect()
    # the ORDER BY keeps every file in meter-then-time order, as machine exports are
    con.execute("SET preserve_insertion_order = true")
    t = time.perf_counter()
    total = 0
    for k in range(args.trusts):
        total += write_trust(con, args.out / trust_id(k), k, args.trusts, args.meters,
                             args.years, args.layout)
    size = sum(p.stat().st_size for p in args.out.rglob("*.csv"))
    print(f"{args.trusts} trusts x {args.meters} meters x {args.years} years: {total:,} readings, "
          f"{size / 1e9:.2f} GB of CSV, in {time.perf_counter() - t:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
