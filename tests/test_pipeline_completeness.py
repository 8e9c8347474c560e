"""Complete or not (DESIGN §4), through the real ledger: meters, sites, food waste.

Small hand-made projects with hourly meters, so every coverage is a count of
hours worked out by hand:

* Europe/Oslo: 2024 has 8784 hours, 2025 has 8760;
* a meter replaced on 1 July 2024, with and without installed/removed dates;
* a site closed on 30 April 2024;
* three missing months (October to December 2025);
* a missing food-waste month.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from klimaregnskap import importing, ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.config import load_config
from klimaregnskap.pipeline import build_accounts
from klimaregnskap.summary import build_summary

from conftest import write

TZ = "Europe/Oslo"

CONFIG = """
[organisation]
name = "Test HF"
baseline_year = 2024
timezone = "Europe/Oslo"
language = "en"

[[sites]]
id = "a"
name = "Site A"
area_m2 = 1000
{site_a_extra}

[[sites]]
id = "b"
name = "Site B"
area_m2 = 500
{site_b_extra}
"""

FACTORS = """activity,year,value,unit,scope,method,source
electricity,2024,100,gCO2e/kWh,2,location,test location
electricity,2024,400,gCO2e/kWh,2,market,test market
"""


def hours(start: str, end: str) -> pd.DatetimeIndex:
    """Local hours from ``start`` (inclusive) to ``end`` (exclusive), as UTC."""
    a = pd.Timestamp(start, tz=TZ).tz_convert("UTC")
    b = pd.Timestamp(end, tz=TZ).tz_convert("UTC")
    return pd.date_range(a, b, freq="h", inclusive="left")


def readings_csv(meter: str, stamps: pd.DatetimeIndex, value: float = 1.0) -> str:
    lines = ["meter_id,timestamp,value"]
    lines += [f"{meter},{t:%Y-%m-%dT%H:%M:%SZ},{value}" for t in stamps]
    return "\n".join(lines) + "\n"


def project(root: Path, registry: str, readings: dict[str, pd.DatetimeIndex],
            site_a_extra: str = "", site_b_extra: str = "", food: str | None = None) -> Path:
    write(root / "klimaregnskap.toml", CONFIG.format(site_a_extra=site_a_extra,
                                                    site_b_extra=site_b_extra))
    write(root / "factors" / "own.csv", FACTORS)
    write(root / "inputs" / "meters.csv", registry)
    for meter, stamps in readings.items():
        (root / "inputs" / f"readings_{meter}.csv").write_text(readings_csv(meter, stamps))
    if food:
        write(root / "inputs" / "food.csv", food)
    return root


def accounts(root: Path, year: int = 2025):
    config = load_config(root)
    lib = fl.load_library(root)
    con = ledger.connect(root)
    outcome = importing.load_new_inputs(con, config, lib)
    assert not outcome.errors, outcome.errors
    acc = build_accounts(con, config, lib, year)
    return acc, build_summary(acc, generated_at="x")


def codes(ind: dict) -> list[tuple[str, str | None]]:
    return [(r["code"], r["message"]) for r in ind.get("incomplete_reasons", [])]


# ----------------------------------------------------------------- meter replaced mid-year

REG_DATES = """meter_id,site,carrier,kind,role,unit,installed,removed
OLD,a,electricity,interval,main,kWh,,2024-06-30
NEW,a,electricity,interval,main,kWh,2024-07-01,
"""

REG_NO_DATES = """meter_id,site,carrier,kind,role,unit
OLD,a,electricity,interval,main,kWh
NEW,a,electricity,interval,main,kWh
"""


def test_meter_replaced_with_dates_is_complete(tmp_path):
    root = project(tmp_path, REG_DATES, {
        "OLD": hours("2024-01-01", "2024-07-01"),
        "NEW": hours("2024-07-01", "2026-01-01")})
    acc, summ = accounts(root)
    q = acc.quality.set_index(["meter_id", "year"])
    # OLD measures through the end of 30 June: 182 days = 4368 local hours, less the
    # spring hour = 4367 hours, all present
    assert q.loc[("OLD", 2024), "window_hours"] == 4367.0
    assert q.loc[("OLD", 2024), "coverage_pct"] == 100.0
    assert ("OLD", 2025) not in q.index               # removed: not expected in 2025
    assert q.loc[("NEW", 2024), "window_hours"] == 8784.0 - 4367.0
    assert q.loc[("NEW", 2024), "coverage_pct"] == 100.0
    e = summ["indicators"]["energy"]
    assert e["complete"] is True and e["status"] != "incomplete"
    assert e["value"] == 8760.0 and e["baseline"] == 8784.0


def test_meter_replaced_without_dates_is_incomplete_and_names_the_old_meter(tmp_path):
    root = project(tmp_path, REG_NO_DATES, {
        "OLD": hours("2024-01-01", "2024-07-01"),
        "NEW": hours("2024-07-01", "2026-01-01")})
    acc, summ = accounts(root)
    q = acc.quality.set_index(["meter_id", "year"])
    # without 'removed', OLD is expected all of 2024: 4367 of 8784 hours
    assert q.loc[("OLD", 2024), "coverage_pct"] == pytest.approx(4367 / 8784 * 100)
    assert bool(q.loc[("OLD", 2025), "missing"]) is True
    # NEW has no 'installed': its window starts at its first reading
    assert q.loc[("NEW", 2024), "coverage_pct"] == 100.0
    e = summ["indicators"]["energy"]
    assert e["status"] == "incomplete" and e["complete"] is False
    assert [c for c, _ in codes(e)] == ["meter_missing", "meter_coverage"]   # 2025, then 2024
    missing, coverage = [m for _, m in codes(e)]
    assert "OLD" in missing and "2025" in missing
    assert "OLD" in coverage and "49.7 %" in coverage and "months 7–12" in coverage
    # the emission indicators rest on the same meters
    assert summ["indicators"]["emissions"]["status"] == "incomplete"


# ----------------------------------------------------------------- three missing months

def test_three_missing_months_make_energy_incomplete(tmp_path):
    reg = "meter_id,site,carrier,kind,role,unit\nM,a,electricity,interval,main,kWh\n"
    root = project(tmp_path, reg, {"M": hours("2024-01-01", "2025-10-01")})
    acc, summ = accounts(root)
    q = acc.quality.set_index(["meter_id", "year"]).loc[("M", 2025)]
    # 1 January to 1 October 2025: 273 days = 6552 hours, less the spring hour
    assert q["coverage_pct"] == pytest.approx(6551 / 8760 * 100)
    # October to December: 92 days = 2208 hours, plus the October hour
    assert q["longest_gap_hours"] == 2209.0
    e = summ["indicators"]["energy"]
    assert e["status"] == "incomplete"
    (code, msg), = codes(e)
    assert code == "meter_coverage" and "meter M (a) 2025: coverage 74.8 %, below 99 %" in msg
    assert "months 10–12" in msg
    # the figure is still the data present
    assert e["value"] == 6551.0
    # issue 14: an electricity meter feeds the share of gjenvinningskraft too
    assert summ["indicators"]["recovered_power_share"]["status"] == "incomplete"


def test_coverage_at_the_threshold_is_complete(tmp_path):
    # 87 missing hours of 8760: 99.007 % >= 99 %
    reg = "meter_id,site,carrier,kind,role,unit\nM,a,electricity,interval,main,kWh\n"
    h24 = hours("2024-01-01", "2025-01-01")
    h25 = hours("2025-01-01", "2026-01-01")
    root = project(tmp_path, reg, {"M": h24.append(h25.delete(slice(1000, 1087)))})
    _acc, summ = accounts(root)
    assert summ["indicators"]["energy"]["complete"] is True


def test_a_sub_meter_never_makes_a_year_incomplete(tmp_path):
    reg = ("meter_id,site,carrier,kind,role,unit\nM,a,electricity,interval,main,kWh\n"
           "S,a,electricity,interval,sub,kWh\n")
    root = project(tmp_path, reg, {"M": hours("2024-01-01", "2026-01-01"),
                                   "S": hours("2024-01-01", "2024-03-01")})
    acc, summ = accounts(root)
    assert bool(acc.quality.set_index(["meter_id", "year"]).loc[("S", 2025), "missing"])
    assert summ["indicators"]["energy"]["complete"] is True


# ----------------------------------------------------------------- a site closed mid-year

def test_site_closed_mid_year_expects_meters_and_food_waste_only_while_open(tmp_path):
    reg = ("meter_id,site,carrier,kind,role,unit\nA1,a,electricity,interval,main,kWh\n"
           "B1,b,electricity,interval,main,kWh\n")
    food = ("date,site,category,quantity,unit\n"
            + "".join(f"2024-{m:02d}-15,{s},plate,10,kg\n" for m in range(1, 13) for s in "ab"
                      if not (s == "b" and m > 4))
            + "".join(f"2025-{m:02d}-15,a,plate,8,kg\n" for m in range(1, 13)))
    root = project(tmp_path, reg, {"A1": hours("2024-01-01", "2026-01-01"),
                                   "B1": hours("2024-01-01", "2024-05-01")},
                   site_b_extra="closed = 2024-04-30", food=food)
    acc, summ = accounts(root)
    q = acc.quality.set_index(["meter_id", "year"])
    # B1: 1 January to the end of 30 April: 121 days = 2904 hours, less the spring hour
    assert q.loc[("B1", 2024), "window_hours"] == 2903.0
    assert q.loc[("B1", 2024), "coverage_pct"] == 100.0
    assert ("B1", 2025) not in q.index
    ind = summ["indicators"]
    assert ind["energy"]["complete"] is True
    # site b registered food waste in 2024 but is closed all of 2025: nothing expected
    assert ind["food_waste"]["complete"] is True
    assert ind["food_waste"]["value"] == 96.0 and ind["food_waste"]["baseline"] == 160.0


# ----------------------------------------------------------------- a missing food-waste month

def test_missing_food_waste_month_makes_food_waste_incomplete_only(tmp_path):
    reg = "meter_id,site,carrier,kind,role,unit\nM,a,electricity,interval,main,kWh\n"
    food = ("date,site,category,quantity,unit\n"
            + "".join(f"2024-{m:02d}-15,a,plate,10,kg\n" for m in range(1, 13))
            + "".join(f"2025-{m:02d}-15,a,plate,8,kg\n" for m in range(1, 13) if m != 7))
    root = project(tmp_path, reg, {"M": hours("2024-01-01", "2026-01-01")}, food=food)
    _acc, summ = accounts(root)
    fw = summ["indicators"]["food_waste"]
    assert fw["status"] == "incomplete" and fw["value"] == 88.0
    (code, msg), = codes(fw)
    assert code == "food_waste_month_missing" and "a 2025" in msg and "month(s) 7," in msg
    assert summ["indicators"]["energy"]["complete"] is True


# ----------------------------------------------------------------- the demo trust

MAIN_METER = "707057500012345671"


def _demo(demo_built, tmp_path) -> Path:
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(demo_built, root)
    return root


def test_demo_is_complete_every_year(demo_built):
    acc, summ = accounts(demo_built)
    c = acc.completeness
    # the footprint needs purchases rows every year (DESIGN §4): nothing else may be missing
    assert c.loc[c["indicator"] != "footprint", "complete"].all()
    assert all(ind["complete"] is True for name, ind in summ["indicators"].items()
               if name != "footprint")
    fp = summ["indicators"]["footprint"]
    assert {r["code"] for r in fp.get("incomplete_reasons", [])} <= {"no_purchases"}


def test_demo_without_the_main_meters_2025_file_is_incomplete_everywhere(demo_built, tmp_path,
                                                                          cli, undrawn_charts):
    root = _demo(demo_built, tmp_path)
    (root / "inputs" / f"elhub_{MAIN_METER}_2025.csv").unlink()
    res = cli("report", "--year", "2025", "--project", root)
    assert res.exit_code == 0, res.output
    import json

    out = root / "reports" / "2025"
    summ = json.loads((out / "summary.json").read_text())
    ind = summ["indicators"]
    for name in ("emissions", "climate_neutral", "energy", "energy_normalised",
                 "recovered_heat_share", "recovered_power_share"):
        assert ind[name]["status"] == "incomplete" and ind[name]["complete"] is False, name
        (reason,) = ind[name]["incomplete_reasons"]
        assert reason["code"] == "meter_missing" and MAIN_METER in reason["message"]
    # food waste and products do not rest on the meter
    assert ind["food_waste"]["complete"] is True and ind["food_waste"]["status"] == "on_track"
    assert ind["chemical_free_share"]["status"] == "on_track"
    html = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    for text in (html, md):
        assert "Ufullstendige data" in text and MAIN_METER in text
    # the reason is on the first screen: before the first chart
    assert md.index(MAIN_METER) < md.index("![")
    res = cli("status", "--year", "2025", "--project", root)
    assert res.exit_code == 0 and "Ufullstendige data" in res.output
    assert MAIN_METER in res.output


def test_demo_with_three_months_missing_names_the_months(demo_built, tmp_path):
    root = _demo(demo_built, tmp_path)
    f = root / "inputs" / f"elhub_{MAIN_METER}_2025.csv"
    lines = f.read_text(encoding="utf-8-sig").splitlines()
    # Elhub rows start 'dd.mm.yyyy HH:MM;...': keep January to September
    kept = [lines[0]] + [l for l in lines[1:] if int(l[3:5]) <= 9]
    f.write_text("\n".join(kept) + "\n", encoding="utf-8")
    _acc, summ = accounts(root)
    e = summ["indicators"]["energy"]
    (reason,) = e["incomplete_reasons"]
    assert reason["code"] == "meter_coverage" and "months 10–12" in reason["message"]
    # 1 January to 1 October 2025 of 8760 hours: 273 days less the spring hour
    assert "coverage 74.8 %" in reason["message"]
    assert summ["indicators"]["food_waste"]["complete"] is True
