"""Meter-year energy computed by hand, through the real ledger.

Every case writes files into a tmp project, loads them with
``importing.load_files`` into the project's DuckDB ledger and reads the
figures back with ``pipeline.meter_stage`` (or ``build_accounts``).
Europe/Oslo is UTC+1 in winter, UTC+2 in summer; in 2024 summer time starts
31 March 02:00 -> 03:00 and ends 27 October 03:00 -> 02:00.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from klimaregnskap.localyear import year_start_utc
from klimaregnskap.pipeline import meter_stage
from klimaregnskap.calc import factors as fl
from klimaregnskap import importing, ledger
from klimaregnskap.calc import metering
from klimaregnskap.config import load_config

from conftest import write

TZ = "Europe/Oslo"
EL = "707057500000000001"

REGISTRY = f"""meter_id,site,carrier,kind,role,unit,multiplier,rollover
{EL},a,electricity,interval,main,kWh,,
M2,a,electricity,interval,main,kWh,,
Q15,b,electricity,interval,main,kWh,,
SUB,a,electricity,interval,sub,kWh,,
REG,b,district_heating,register,main,kWh,,
ROLL,b,district_heating,register,main,MWh,,100000
X10,b,electricity,interval,main,kWh,10,
"""


def load(project: Path, *paths: Path):
    """Load files into the project's ledger; return (connection, outcome)."""
    config = load_config(project)
    lib = fl.load_library(project)
    con = ledger.connect(project)
    outcome = importing.load_files(con, list(paths), config, lib)
    return con, outcome


@pytest.fixture
def proj(project: Path) -> Path:
    write(project / "inputs" / "registry.csv", REGISTRY)
    return project


def energy(con, meter_id: str) -> dict[int, float]:
    df = meter_stage(con, TZ).meter_years
    df = df[df["meter_id"] == meter_id]
    return dict(zip(df["year"].astype(int), df["energy_kwh"]))


def loaded(proj: Path, name: str, text: str):
    path = write(proj / "inputs" / name, text)
    con, out = load(proj, proj / "inputs" / "registry.csv", path)
    assert not out.errors, out.errors
    return con


def test_dst_autumn_day_naive_local_has_25_hours(proj):
    # 27 Oct 2024: 00:00..23:00 local with 02:00 twice (first summer, second winter).
    lines = ["meter_id,timestamp,value"]
    for h in range(24):
        if h == 2:
            lines += ["M2,27.10.2024 02:00,10", "M2,27.10.2024 02:00,20"]
        else:
            lines.append(f"M2,27.10.2024 {h:02d}:00,1")
    con = loaded(proj, "autumn.csv", "\n".join(lines) + "\n")
    assert energy(con, "M2") == {2024: 23 * 1 + 10 + 20}
    ts = con.execute("SELECT ts_utc, value FROM readings WHERE meter_id='M2' "
                     "AND value > 1 ORDER BY ts_utc").fetchall()
    # 02:00 CEST = 00:00 UTC; 02:00 CET = 01:00 UTC
    assert ts == [(dt.datetime(2024, 10, 27, 0), 10.0), (dt.datetime(2024, 10, 27, 1), 20.0)]
    n, lo, hi = con.execute("SELECT count(*), min(ts_utc), max(ts_utc) FROM readings "
                            "WHERE meter_id='M2'").fetchone()
    assert n == 25
    # 00:00 CEST = 26 Oct 22:00 UTC; 23:00 CET = 22:00 UTC: 25 contiguous hours
    assert (lo, hi) == (dt.datetime(2024, 10, 26, 22), dt.datetime(2024, 10, 27, 22))


def test_dst_spring_day_has_23_hours(proj):
    lines = ["meter_id,timestamp,value"]
    lines += [f"M2,2024-03-31 {h:02d}:00,{h}" for h in range(24) if h != 2]
    con = loaded(proj, "spring.csv", "\n".join(lines) + "\n")
    assert energy(con, "M2") == {2024: float(sum(range(24)) - 2)}
    stamps = [r[0] for r in con.execute("SELECT ts_utc FROM readings WHERE meter_id='M2' "
                                        "ORDER BY ts_utc").fetchall()]
    assert len(stamps) == 23
    # 23 contiguous UTC hours from 30 Mar 23:00 UTC
    assert stamps == [dt.datetime(2024, 3, 30, 23) + dt.timedelta(hours=k) for k in range(23)]


def test_utc_stamps_crossing_new_year_belong_to_local_year(proj):
    con = loaded(proj, "ny.csv", "meter_id,timestamp,value\n"
                 "M2,2024-12-31T22:00:00Z,1\n"    # 23:00 local, 2024
                 "M2,2024-12-31T23:00:00Z,2\n"    # 00:00 local 1 Jan 2025
                 "M2,2025-01-01T00:00:00Z,4\n")
    assert energy(con, "M2") == {2024: 1.0, 2025: 6.0}


def test_register_split_by_elapsed_time(proj):
    # 15 Dec 00:00 -> 15 Jan 00:00 local (both CET): 31 days, 17 in 2024, 14 in 2025.
    con = loaded(proj, "reg.csv", "meter_id,timestamp,value\n"
                 "REG,15.12.2024 00:00,1000\n"
                 "REG,15.01.2025 00:00,4100\n")
    got = energy(con, "REG")
    assert got == pytest.approx({2024: 3100 * 17 / 31, 2025: 3100 * 14 / 31}, rel=1e-12)
    assert got[2024] + got[2025] == pytest.approx(3100.0, rel=1e-12)


def test_register_counter_wrap(proj):
    # 99,000 -> 500 MWh with rollover 100,000: 1,500 MWh = 1,500,000 kWh, all in 2024
    con = loaded(proj, "roll.csv", "meter_id,timestamp,value\n"
                 "ROLL,2024-03-01,99000\nROLL,2024-04-01,500\nROLL,2024-05-01,700\n")
    assert energy(con, "ROLL") == pytest.approx({2024: 1_700_000.0})


def test_multiplier_applied(proj):
    con = loaded(proj, "x10.csv", "meter_id,timestamp,value\nX10,2024-01-01 00:00,1.5\n"
                 "X10,2024-01-01 01:00,2.5\n")
    assert energy(con, "X10") == {2024: 40.0}


def test_wide_xlsx_with_two_metadata_rows(proj):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Energioppfølging, eksport"])
    ws.append(["Periode: 2024"])
    ws.append(["Tidspunkt", "M2", EL])
    ws.append([dt.datetime(2024, 1, 1), 100, 7.5])
    ws.append([dt.datetime(2024, 2, 1), 110.5, 2.5])
    ws.append([dt.datetime(2024, 3, 1), 120, 0])
    path = proj / "inputs" / "wide.xlsx"
    wb.save(path)
    con, out = load(proj, proj / "inputs" / "registry.csv", path)
    assert not out.errors, out.errors
    assert energy(con, "M2") == {2024: 330.5}
    assert energy(con, EL) == {2024: 10.0}
    rows = con.execute("SELECT min(row), max(row) FROM readings").fetchone()
    assert rows == (4, 6)   # header on row 3, below two metadata rows


def test_elhub_decimal_comma_and_estimated_hour(proj):
    path = write(proj / "inputs" / f"elhub_{EL}_2025-02.csv",
                 "Fra;Til;KWH 60 Forbruk;Kvalitet\n"
                 "01.02.2025 00:00;01.02.2025 01:00;6,9;Avlest\n"
                 "01.02.2025 01:00;01.02.2025 02:00;7,1;Estimert\n"
                 "01.02.2025 02:00;01.02.2025 03:00;8,25;Avlest\n")
    con, out = load(proj, proj / "inputs" / "registry.csv", path)
    assert not out.errors, out.errors
    df = meter_stage(con, TZ).meter_years
    row = df[df["meter_id"] == EL].iloc[0]
    assert row["energy_kwh"] == pytest.approx(22.25)
    assert (row["readings"], row["estimated"]) == (3, 1)
    q = meter_stage(con, TZ).quality
    q = q[q["meter_id"] == EL].iloc[0]
    assert q["estimated_pct"] == pytest.approx(100 / 3)


def test_fifteen_minute_meter_full_coverage(proj):
    frames = []
    for year, n in ((2023, 35040), (2024, 35136)):
        start = pd.Timestamp(year=year, month=1, day=1, tz=TZ).tz_convert("UTC")
        ts = pd.date_range(start, periods=n, freq="15min")
        frames.append(pd.DataFrame({"meter_id": "Q15",
                                    "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                    "value": 0.25}))
    path = proj / "inputs" / "q15.csv"
    pd.concat(frames).to_csv(path, index=False)
    con, out = load(proj, proj / "inputs" / "registry.csv", path)
    assert not out.errors, out.errors
    assert energy(con, "Q15") == {2023: 35040 * 0.25, 2024: 35136 * 0.25}
    q = meter_stage(con, TZ).quality.set_index("year")
    assert q.loc[2023, "resolution"] == "15min"
    assert (q.loc[2023, "readings"], q.loc[2023, "expected"]) == (35040, 35040)
    assert (q.loc[2024, "readings"], q.loc[2024, "expected"]) == (35136, 35136)
    assert q.loc[2023, "coverage_pct"] == 100.0 and q.loc[2024, "coverage_pct"] == 100.0
    assert q.loc[2024, "longest_gap_hours"] == 0


def test_sub_meter_shown_per_site_never_in_totals(proj):
    from klimaregnskap.pipeline import build_accounts
    from klimaregnskap.summary import build_summary

    write(proj / "factors" / "own.csv",
          "activity,year,value,unit,scope,method,source\n"
          "electricity,2019,100,gCO2e/kWh,2,location,test\n"
          "electricity,2019,400,gCO2e/kWh,2,market,test\n")
    path = write(proj / "inputs" / "el.csv", "meter_id,timestamp,value\n"
                 "M2,2024-01-01 00:00,1000\nM2,2024-06-01 00:00,500\n"
                 "SUB,2024-01-01 00:00,300\nSUB,2024-06-01 00:00,200\n")
    con, out = load(proj, proj / "inputs" / "registry.csv", path)
    assert not out.errors, out.errors
    config = load_config(proj)
    acc = build_accounts(con, config, fl.load_library(proj), 2024)
    s = build_summary(acc)
    assert s["sites"]["a"]["sub_meters_kwh"] == {"SUB": 500.0}
    assert s["sites"]["a"]["energy_kwh"] == 1500.0
    assert s["indicators"]["energy"]["value"] == 1500.0
    assert s["energy_by_carrier_kwh"]["electricity"] == 1500.0
    # 1500 kWh x 100 g/kWh = 0.15 t (the sub-meter adds no emissions)
    assert s["indicators"]["emissions"]["value"] == pytest.approx(0.15)


def test_register_apportioning_is_exact_across_many_years():
    readings = pd.DataFrame({"meter_id": "R",
                             "ts_utc": pd.to_datetime(["2019-07-01", "2024-07-01"]),
                             "value": [0.0, 1000.0]})
    meters = pd.DataFrame({"meter_id": ["R"], "rollover": [np.nan]})
    out = metering.register_years(readings, meters, TZ)
    assert out["value_sum"].sum() == pytest.approx(1000.0, rel=1e-12)
    assert list(out["year"]) == [2019, 2020, 2021, 2022, 2023, 2024]
    # a whole leap year 2020 (local) gets 366 days' share of 1827 days
    total_s = (pd.Timestamp("2024-07-01") - pd.Timestamp("2019-07-01")).total_seconds()
    y0, y1 = (pd.Timestamp(year_start_utc(y, TZ)) for y in (2020, 2021))
    assert out.set_index("year").loc[2020, "value_sum"] == pytest.approx(
        1000.0 * (y1 - y0).total_seconds() / total_s, rel=1e-12)
