"""Data quality of meter data: coverage, estimated readings, gaps, silent meters, spikes.

Gaps are never filled: these figures travel with the energy figures into the
report and ``check`` so a reader knows what a total rests on (DESIGN §4).

For an interval meter and a local calendar year:

* ``coverage_pct`` = intervals present / intervals expected x 100, where the
  expected count follows the meter's resolution (15 min, hour, day, month)
  over the whole local year;
* ``estimated_pct`` = estimated readings / readings present x 100;
* ``longest_gap_hours`` = hours in the longest run of missing intervals
  (including runs at the start or end of the year); ``gaps`` = number of runs.

A register meter's coverage is the share of the year spanned by its readings.
Heavy lifting runs in DuckDB so that hundreds of millions of readings stay in
the ledger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.metering import register_consumption, register_readings, registry, year_starts_utc

RESOLUTIONS = {"15min": 900, "hour": 3600, "day": 86400, "month": None}
SPIKE_FACTOR = 10.0

QUALITY_COLUMNS = ["meter_id", "site", "carrier", "kind", "role", "year", "resolution",
                   "readings", "expected", "coverage_pct", "estimated", "estimated_pct",
                   "longest_gap_hours", "gaps", "spikes", "max_value"]


def _resolution(median_seconds: float) -> str:
    if not median_seconds or np.isnan(median_seconds):
        return "hour"
    if median_seconds <= 1200:
        return "15min"
    if median_seconds <= 5400:
        return "hour"
    if median_seconds <= 2 * 86400:
        return "day"
    return "month"


def meter_quality(con, tz: str, years: list[int] | None = None) -> pd.DataFrame:
    """Quality figures per meter and year (see module docstring).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The ledger.
    tz : str
        Project time zone.
    years : list of int, optional
        Restrict to these years.

    Returns
    -------
    pandas.DataFrame
        :data:`QUALITY_COLUMNS`; percentages in %, gaps in hours.
    """
    meters = registry(con)
    if meters.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    stats = con.execute("""
        WITH d AS (
            SELECT r.meter_id, r.year, r.ts_utc, r.value, r.quality,
                   epoch(r.ts_utc) - epoch(lag(r.ts_utc) OVER (PARTITION BY r.meter_id ORDER BY r.ts_utc)) AS dsec
            FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
            WHERE r.superseded_by IS NULL AND m.kind = 'interval')
        SELECT meter_id, median(dsec) AS median_s FROM d GROUP BY meter_id""").df()
    res = dict(zip(stats["meter_id"], stats["median_s"].map(_resolution)))
    all_years = con.execute("SELECT DISTINCT year FROM readings WHERE superseded_by IS NULL").df()["year"]
    if all_years.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    span = list(range(int(all_years.min()) - 1, int(all_years.max()) + 2))
    starts = year_starts_utc(span, tz)
    bounds = pd.DataFrame({"year": starts.index[:-1],
                           "y0": starts.to_numpy()[:-1], "y1": starts.to_numpy()[1:]})
    con.register("_bounds", bounds)
    con.register("_res", pd.DataFrame({"meter_id": list(res), "resolution": list(res.values()),
                                       "step": [RESOLUTIONS[r] or 0 for r in res.values()]}))
    # fixed-step meters (15 min, hour): counts and gaps in SQL
    fixed = con.execute("""
        WITH r AS (
            SELECT r.meter_id, r.year, r.ts_utc, r.value, r.quality, s.step
            FROM readings r JOIN _res s USING (meter_id)
            WHERE r.superseded_by IS NULL AND s.step IN (900, 3600)),
        g AS (
            SELECT meter_id, year, step, ts_utc, value, quality,
                   (epoch(ts_utc) - epoch(coalesce(lag(ts_utc) OVER w, b.y0 - to_seconds(step)))) / step - 1 AS missing_before,
                   CASE WHEN lead(ts_utc) OVER w IS NULL
                        THEN (epoch(b.y1) - epoch(ts_utc)) / step - 1 ELSE 0 END AS missing_after
            FROM r JOIN _bounds b USING (year)
            WINDOW w AS (PARTITION BY meter_id, year ORDER BY ts_utc))
        SELECT g.meter_id, g.year, any_value(step) AS step, count(*) AS readings,
               (epoch(any_value(b.y1)) - epoch(any_value(b.y0))) / any_value(step) AS expected,
               count(*) FILTER (WHERE quality = 'estimated') AS estimated,
               greatest(max(missing_before), max(missing_after)) * any_value(step) / 3600.0 AS longest_gap_hours,
               count(*) FILTER (WHERE missing_before > 0) + count(*) FILTER (WHERE missing_after > 0) AS gaps,
               max(value) AS max_value
        FROM g JOIN _bounds b USING (year)
        GROUP BY g.meter_id, g.year""").df()
    fixed["resolution"] = fixed["meter_id"].map(res)
    parts = [fixed]
    # coarse meters (day, month) are few rows: calendar arithmetic in pandas
    coarse_ids = [m for m, r in res.items() if r in ("day", "month")]
    if coarse_ids:
        c = con.execute("""SELECT meter_id, year, ts_utc, value, quality FROM readings
                           WHERE superseded_by IS NULL AND meter_id IN (SELECT unnest(?))""",
                        [coarse_ids]).df()
        parts.append(_coarse_quality(c, res, tz))
    q = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(
        not p.empty for p in parts) else pd.DataFrame(columns=QUALITY_COLUMNS)
    # register meters: the share of the year spanned by readings
    reg = register_consumption(register_readings(con), meters, tz)
    if not reg.empty:
        y_len = (starts.shift(-1) - starts).dt.total_seconds()
        reg = reg.assign(resolution="register", readings=np.nan, expected=np.nan, estimated=0,
                         longest_gap_hours=np.nan, gaps=np.nan, max_value=np.nan)
        reg["coverage_pct"] = reg["covered_s"] / reg["year"].map(y_len) * 100.0
        q = pd.concat([q, reg.drop(columns=["value_sum", "covered_s"])], ignore_index=True)
    if q.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    fixed_mask = q["resolution"] != "register"
    q.loc[fixed_mask, "coverage_pct"] = q.loc[fixed_mask, "readings"] / q.loc[fixed_mask, "expected"] * 100.0
    q["estimated_pct"] = np.where(q["readings"].fillna(0) > 0,
                                  q["estimated"].fillna(0) / q["readings"] * 100.0, 0.0)
    q = q.merge(meters[["meter_id", "site", "carrier", "kind", "role"]], on="meter_id")
    q = q.merge(_spikes(con), on=["meter_id", "year"], how="left")
    q["spikes"] = q["spikes"].fillna(0).astype("int64")
    q["year"] = q["year"].astype("int64")
    if years is not None:
        q = q[q["year"].isin(years)]
    return q[QUALITY_COLUMNS].sort_values(["site", "meter_id", "year"]).reset_index(drop=True)


def _coarse_quality(c: pd.DataFrame, res: dict, tz: str) -> pd.DataFrame:
    rows = []
    if c.empty:
        return pd.DataFrame()
    c = c.assign(local=c["ts_utc"].dt.tz_localize("UTC").dt.tz_convert(tz))
    for (mid, year), g in c.groupby(["meter_id", "year"]):
        r = res[mid]
        if r == "day":
            have = set(g["local"].dt.day_of_year)
            n = 366 if pd.Timestamp(year=int(year), month=12, day=31).day_of_year == 366 else 365
            slots = range(1, n + 1)
            hours = [24.0] * n
        else:
            have = set(g["local"].dt.month)
            n = 12
            slots = range(1, 13)
            hours = [pd.Timestamp(year=int(year), month=m, day=1).days_in_month * 24.0 for m in slots]
        run = best = 0.0
        gaps = 0
        for s, h in zip(slots, hours):
            if s in have:
                run = 0.0
            else:
                if run == 0.0:
                    gaps += 1
                run += h
                best = max(best, run)
        rows.append({"meter_id": mid, "year": int(year), "readings": len(g), "expected": n,
                     "estimated": int((g["quality"] == "estimated").sum()),
                     "longest_gap_hours": best, "gaps": gaps, "max_value": g["value"].max(),
                     "resolution": r})
    return pd.DataFrame(rows)


def _spikes(con) -> pd.DataFrame:
    """Readings far outside the meter's own distribution: above median + 10 x IQR-scale."""
    return con.execute(f"""
        WITH s AS (
            SELECT r.meter_id, quantile_cont(r.value, 0.5) AS med,
                   quantile_cont(r.value, 0.75) - quantile_cont(r.value, 0.25) AS iqr
            FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
            WHERE r.superseded_by IS NULL AND m.kind = 'interval' GROUP BY r.meter_id)
        SELECT r.meter_id, r.year, count(*) AS spikes
        FROM readings r JOIN s USING (meter_id)
        WHERE r.superseded_by IS NULL AND s.iqr > 0
          AND r.value > s.med + {SPIKE_FACTOR} * s.iqr
        GROUP BY r.meter_id, r.year""").df()


def missing_meter_years(quality: pd.DataFrame, meter_years: pd.DataFrame,
                        upto_year: int) -> list[dict]:
    """Meters with readings in a year but none in the next one (reported, not zero).

    Parameters
    ----------
    quality : pandas.DataFrame
        From :func:`meter_quality` (or any frame with ``meter_id, year``).
    meter_years : pandas.DataFrame
        Meter consumption per year (``meter_id, site, year``).
    upto_year : int
        Last year to check.

    Returns
    -------
    list of dict
        ``{"code": "missing_meter_year", "meter_id", "site", "year", "message"}``.
    """
    out = []
    if meter_years.empty:
        return out
    have = meter_years.groupby("meter_id")["year"].apply(set).to_dict()
    site = dict(zip(meter_years["meter_id"], meter_years["site"]))
    for mid, ys in sorted(have.items()):
        for y in sorted(ys):
            nxt = y + 1
            if nxt <= upto_year and nxt not in ys:
                out.append({"code": "missing_meter_year", "meter_id": mid, "site": site[mid],
                            "year": nxt,
                            "message": f"meter {mid} ({site[mid]}) has no readings in {nxt} "
                                       f"but has readings in {y}: reported as missing, "
                                       f"not counted as zero"})
    return out


def quality_warnings(quality: pd.DataFrame) -> list[dict]:
    """Warnings for meter-years with coverage below 100 %, estimated readings or spikes."""
    out = []
    for r in quality.itertuples(index=False):
        if r.coverage_pct is not None and not np.isnan(r.coverage_pct) and r.coverage_pct < 100.0 - 1e-9:
            gap = ("" if r.longest_gap_hours is None or np.isnan(r.longest_gap_hours)
                   else f", longest gap {r.longest_gap_hours:g} h")
            out.append({"code": "incomplete_coverage", "meter_id": r.meter_id, "site": r.site,
                        "year": int(r.year),
                        "message": f"meter {r.meter_id} ({r.site}) {r.year}: coverage "
                                   f"{r.coverage_pct:.2f} %{gap}; gaps are not filled"})
        if r.estimated and not np.isnan(r.estimated) and r.estimated > 0:
            out.append({"code": "estimated_readings", "meter_id": r.meter_id, "site": r.site,
                        "year": int(r.year),
                        "message": f"meter {r.meter_id} ({r.site}) {r.year}: "
                                   f"{int(r.estimated)} estimated readings ({r.estimated_pct:.2f} %)"})
        if r.spikes and r.spikes > 0:
            out.append({"code": "spike", "meter_id": r.meter_id, "site": r.site, "year": int(r.year),
                        "message": f"meter {r.meter_id} ({r.site}) {r.year}: {int(r.spikes)} "
                                   f"reading(s) far above the meter's usual values (max {r.max_value:g})"})
    return out
