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

    One aggregate pass over the current interval readings gives counts,
    estimated readings and the largest value per meter and year; the run
    lengths of gaps are then computed (with a window over time) only for the
    meter-years that are not complete, so a complete ledger of hundreds of
    millions of readings is scanned once. The meter's resolution comes from
    the median step of its first readings.

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
    year_filter = ""
    if years is not None:
        year_filter = " AND r.year IN (" + ", ".join(str(int(y)) for y in years) + ")"
    # spikes: a reading above median + SPIKE_FACTOR x IQR of the meter's own
    # values; quantiles come from a reservoir sample (8192 per meter) so time
    # and memory stay bounded whatever the number of readings
    agg = con.execute(f"""
        WITH iv AS (
            SELECT meter_id FROM meters WHERE superseded_by IS NULL AND kind = 'interval'),
        qs AS (
            SELECT r.meter_id, reservoir_quantile(r.value, [0.25, 0.5, 0.75], 8192) AS q
            FROM readings r JOIN iv USING (meter_id)
            WHERE r.superseded_by IS NULL GROUP BY r.meter_id),
        lim AS (
            SELECT meter_id, CASE WHEN q[3] > q[1] THEN q[2] + {SPIKE_FACTOR} * (q[3] - q[1])
                                  END AS spike_above
            FROM qs)
        SELECT r.meter_id, r.year, count(*) AS readings,
               count(*) FILTER (WHERE r.quality = 'estimated') AS estimated,
               max(r.value) AS max_value,
               count(*) FILTER (WHERE r.value > l.spike_above) AS spikes
        FROM readings r JOIN lim l USING (meter_id)
        WHERE r.superseded_by IS NULL{year_filter}
        GROUP BY r.meter_id, r.year""").df()
    q = pd.DataFrame()
    if not agg.empty:
        res = _resolutions(con)
        agg["resolution"] = agg["meter_id"].map(res).fillna("hour")
        span = list(range(int(agg["year"].min()) - 1, int(agg["year"].max()) + 2))
        starts = year_starts_utc(span, tz)
        y0 = agg["year"].map(starts)
        y1 = (agg["year"] + 1).map(starts)
        step = agg["resolution"].map(RESOLUTIONS)
        fixed = step.notna()
        agg["expected"] = np.nan
        agg.loc[fixed, "expected"] = ((y1 - y0).dt.total_seconds()[fixed] / step[fixed]).round()
        agg["longest_gap_hours"] = 0.0
        agg["gaps"] = 0.0
        todo = fixed & (agg["readings"] < agg["expected"])
        if todo.any():
            gaps = _fixed_gaps(con, agg[todo].assign(step=step[todo], y0=y0[todo], y1=y1[todo]))
            agg = agg.merge(gaps, on=["meter_id", "year"], how="left", suffixes=("", "_g"))
            has = agg["gaps_g"].notna()
            agg.loc[has, "gaps"] = agg.loc[has, "gaps_g"]
            agg.loc[has, "longest_gap_hours"] = agg.loc[has, "longest_gap_hours_g"]
            agg = agg.drop(columns=["gaps_g", "longest_gap_hours_g"])
        coarse_ids = sorted(set(agg.loc[~fixed, "meter_id"]))
        q = agg[fixed]
        if coarse_ids:
            # coarse meters (day, month) are few rows: calendar arithmetic in pandas
            c = con.execute(f"""SELECT meter_id, year, ts_utc, value, quality FROM readings r
                               WHERE superseded_by IS NULL AND meter_id IN (SELECT unnest(?))
                               {year_filter}""", [coarse_ids]).df()
            q = pd.concat([q, _coarse_quality(c, res, tz)], ignore_index=True)
    # register meters: the share of the year spanned by readings
    reg = register_consumption(register_readings(con), meters, tz)
    if not reg.empty:
        starts = year_starts_utc(range(int(reg["year"].min()), int(reg["year"].max()) + 2), tz)
        y_len = (starts.shift(-1) - starts).dt.total_seconds()
        reg = reg.assign(resolution="register", readings=np.nan, expected=np.nan, estimated=0,
                         longest_gap_hours=np.nan, gaps=np.nan, max_value=np.nan)
        reg["coverage_pct"] = reg["covered_s"] / reg["year"].map(y_len) * 100.0
        q = pd.concat([q, reg.drop(columns=["value_sum", "covered_s"])], ignore_index=True)
    if q.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    fixed_mask = q["resolution"] != "register"
    q.loc[fixed_mask, "coverage_pct"] = (q.loc[fixed_mask, "readings"].astype("float64")
                                         / q.loc[fixed_mask, "expected"].astype("float64") * 100.0)
    q["estimated_pct"] = np.where(q["readings"].fillna(0) > 0,
                                  q["estimated"].fillna(0) / q["readings"] * 100.0, 0.0)
    q = q.drop(columns=[c for c in ("site", "carrier", "kind", "role") if c in q])
    q = q.merge(meters[["meter_id", "site", "carrier", "kind", "role"]], on="meter_id")
    if "spikes" not in q:
        q["spikes"] = 0
    q["spikes"] = q["spikes"].fillna(0).astype("int64")
    q["year"] = q["year"].astype("int64")
    if years is not None:
        q = q[q["year"].isin(years)]
    return q[QUALITY_COLUMNS].sort_values(["site", "meter_id", "year"]).reset_index(drop=True)


#: Days from a meter's first reading used to find its resolution.
RESOLUTION_PROBE_DAYS = 70


def _resolutions(con) -> dict[str, str]:
    """Each interval meter's resolution, from the median step of its first readings."""
    stats = con.execute(f"""
        WITH first AS (
            SELECT r.meter_id, min(r.ts_utc) AS t0
            FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
            WHERE r.superseded_by IS NULL AND m.kind = 'interval' GROUP BY r.meter_id),
        d AS (
            SELECT r.meter_id,
                   epoch(r.ts_utc) - epoch(lag(r.ts_utc) OVER (PARTITION BY r.meter_id
                                                               ORDER BY r.ts_utc)) AS dsec
            FROM readings r JOIN first f ON f.meter_id = r.meter_id
            WHERE r.superseded_by IS NULL
              AND r.ts_utc < f.t0 + INTERVAL {RESOLUTION_PROBE_DAYS} DAY)
        SELECT meter_id, median(dsec) AS median_s FROM d GROUP BY meter_id""").df()
    return dict(zip(stats["meter_id"], stats["median_s"].map(_resolution)))


def _fixed_gaps(con, todo: pd.DataFrame) -> pd.DataFrame:
    """Longest gap [h] and number of gaps of incomplete fixed-step meter-years."""
    sel = pd.DataFrame({"meter_id": todo["meter_id"].to_numpy(),
                        "year": todo["year"].astype("int64").to_numpy(),
                        "step": todo["step"].astype("int64").to_numpy(),
                        "y0": todo["y0"].to_numpy(), "y1": todo["y1"].to_numpy()})
    con.register("_gap_todo", sel)
    try:
        return con.execute("""
            WITH g AS (
                SELECT r.meter_id, r.year, t.step,
                       (epoch(r.ts_utc) - epoch(coalesce(lag(r.ts_utc) OVER w,
                                                         t.y0 - to_seconds(t.step)))) / t.step - 1
                           AS missing_before,
                       CASE WHEN lead(r.ts_utc) OVER w IS NULL
                            THEN (epoch(t.y1) - epoch(r.ts_utc)) / t.step - 1 ELSE 0 END
                           AS missing_after
                FROM readings r JOIN _gap_todo t ON t.meter_id = r.meter_id AND t.year = r.year
                WHERE r.superseded_by IS NULL
                WINDOW w AS (PARTITION BY r.meter_id, r.year ORDER BY r.ts_utc))
            SELECT meter_id, year,
                   greatest(max(missing_before), max(missing_after)) * any_value(step) / 3600.0
                       AS longest_gap_hours,
                   (count(*) FILTER (WHERE missing_before > 0)
                    + count(*) FILTER (WHERE missing_after > 0))::DOUBLE AS gaps
            FROM g GROUP BY meter_id, year""").df()
    finally:
        con.unregister("_gap_todo")


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
