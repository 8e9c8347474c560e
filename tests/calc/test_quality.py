"""Data quality per meter and year, through the real ledger (coverage, gaps, estimates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimaregnskap.pipeline import meter_stage
from klimaregnskap import ledger
from klimaregnskap.calc import quality

TZ = "Europe/Oslo"


@pytest.fixture
def con(tmp_path):
    c = ledger.connect(tmp_path)
    reg = pd.DataFrame({"row": [2, 3, 4], "meter_id": ["H", "D", "R"], "site": "a",
                        "carrier": "electricity", "kind": ["interval", "interval", "register"],
                        "role": "main", "unit": "kWh", "multiplier": 1.0, "rollover": np.nan})
    ledger.store(c, "meter_registry", reg, file="registry.csv", sha256="reg")
    return c


def put(con, meter, ts_utc, values, quality_words=None, sha="x"):
    ts = pd.DatetimeIndex(ts_utc)
    df = pd.DataFrame({"row": np.arange(2, 2 + len(ts)), "meter_id": meter,
                       "ts_utc": ts.tz_localize("UTC") if ts.tz is None else ts,
                       "year": ts.tz_localize("UTC").tz_convert(TZ).year.astype("int16")
                       if ts.tz is None else ts.tz_convert(TZ).year.astype("int16"),
                       "value": np.asarray(values, dtype="float64"),
                       "quality": quality_words if quality_words is not None else ""})
    ledger.store(con, "meter_readings", df, file=f"{meter}{sha}.csv", sha256=meter + sha)


def year_hours(year):
    start = pd.Timestamp(year=year, month=1, day=1, tz=TZ).tz_convert("UTC").tz_localize(None)
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=TZ).tz_convert("UTC").tz_localize(None)
    return pd.date_range(start, end, freq="h", inclusive="left")


def test_hourly_gap_coverage_and_estimates(con):
    hours = year_hours(2023)                       # 8760 hours
    keep = np.ones(len(hours), bool)
    keep[100:110] = False                          # a 10-hour gap
    keep[5000:5003] = False                        # a 3-hour gap
    q_words = np.where(np.arange(keep.sum()) < 87, "estimated", "measured")
    put(con, "H", hours[keep], np.ones(keep.sum()), q_words)
    q = meter_stage(con, TZ).quality.set_index("meter_id").loc["H"]
    assert (q["readings"], q["expected"]) == (8747, 8760)
    assert q["coverage_pct"] == pytest.approx(8747 / 8760 * 100)
    assert q["longest_gap_hours"] == 10 and q["gaps"] == 2
    assert q["estimated"] == 87 and q["estimated_pct"] == pytest.approx(87 / 8747 * 100)
    codes = {w.code for w in quality.quality_warnings(meter_stage(con, TZ).quality)}
    assert {"incomplete_coverage", "estimated_readings"} <= codes


def test_missing_end_of_year_counts_as_gap(con):
    hours = year_hours(2024)[:-24]                 # last day missing
    put(con, "H", hours, np.ones(len(hours)))
    q = meter_stage(con, TZ).quality.iloc[0]
    assert (q["readings"], q["expected"], q["longest_gap_hours"], q["gaps"]) == (8760, 8784, 24, 1)


def test_daily_meter_coverage(con):
    days = pd.date_range("2023-01-01", "2023-12-31", freq="D", tz=TZ)
    days = days.delete(slice(40, 45))              # 5 days missing
    put(con, "D", days.tz_convert("UTC"), np.ones(len(days)))
    q = meter_stage(con, TZ).quality.set_index("meter_id").loc["D"]
    assert q["resolution"] == "day" and (q["readings"], q["expected"]) == (360, 365)
    assert q["longest_gap_hours"] == 120


def test_silent_meter_reported_missing_not_zero(con):
    put(con, "H", year_hours(2023), np.ones(8760))
    mf = meter_stage(con, TZ, years=[2023, 2024])
    warn = quality.missing_meter_years(mf.quality)
    assert [(w.meter_id, w.year, w.code) for w in warn] == [("H", 2024, "missing_meter_year")]
    assert 2024 not in set(mf.meter_years["year"])
    q = mf.quality.set_index(["meter_id", "year"]).loc[("H", 2024)]
    # no removed date: expected all of 2024 (8784 h), no reading: coverage 0, one gap
    assert (q["missing"], q["coverage_pct"], q["window_hours"]) == (True, 0.0, 8784.0)
    assert (q["longest_gap_hours"], q["gaps"]) == (8784.0, 1.0)


def test_register_coverage_is_share_of_year_spanned(con):
    put(con, "R", pd.to_datetime(["2023-01-01 00:00", "2023-07-02 12:00"]).tz_localize(TZ)
        .tz_convert("UTC"), [0, 100])
    q = meter_stage(con, TZ).quality.set_index("meter_id").loc["R"]
    # 182.5 local days, less the hour skipped when summer time starts
    assert q["coverage_pct"] == pytest.approx((182.5 * 24 - 1) / 8760 * 100)


def test_spike_flagged(con):
    hours = year_hours(2023)
    vals = np.tile([1.0, 2.0, 3.0], len(hours) // 3 + 1)[:len(hours)]
    vals[500] = 1000.0
    put(con, "H", hours, vals)
    q = meter_stage(con, TZ).quality.iloc[0]
    assert q["spikes"] == 1 and q["max_value"] == 1000.0
