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

from klimaregnskap.localyear import year_start_utc
from klimaregnskap.warning import KlimaWarning

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


def interval_quality(stats: pd.DataFrame, medians: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Expected intervals of each interval meter-year, from its resolution.

    Parameters
    ----------
    stats : pandas.DataFrame
        ``meter_id, year, readings, estimated, max_value, spikes``
        (:func:`klimaregnskap.ledger.interval_year_stats`).
    medians : pandas.DataFrame
        ``meter_id, median_s``: the median step of each meter's first
        readings [s] (:func:`klimaregnskap.ledger.first_steps_median`).
    tz : str
        Project time zone (local calendar years).

    Returns
    -------
    pandas.DataFrame
        ``stats`` plus ``resolution`` (15min, hour, day, month), ``step`` [s]
        (NaN for monthly meters, whose months follow the calendar), ``y0, y1`` (start
        of the year and of the next, naive UTC), ``expected`` (intervals in
        the local year) and ``needs_gaps`` (a fixed-step meter-year with
        fewer readings than expected, whose gap runs the ledger must count).
    """
    q = stats.copy()
    if q.empty:
        return q.assign(resolution=pd.Series(dtype=str), step=pd.Series(dtype="float64"),
                        y0=pd.Series(dtype="datetime64[ns]"), y1=pd.Series(dtype="datetime64[ns]"),
                        expected=pd.Series(dtype="float64"), needs_gaps=pd.Series(dtype=bool))
    res = dict(zip(medians["meter_id"], medians["median_s"].map(_resolution)))
    q["resolution"] = q["meter_id"].map(res).fillna("hour")
    span = range(int(q["year"].min()), int(q["year"].max()) + 2)
    starts = {y: pd.Timestamp(year_start_utc(y, tz)) for y in span}
    q["y0"] = q["year"].map(starts).astype("datetime64[ns]")
    q["y1"] = (q["year"] + 1).map(starts).astype("datetime64[ns]")
    q["step"] = q["resolution"].map(RESOLUTIONS).astype("float64")
    fixed = q["step"].notna()
    q["expected"] = np.nan
    q.loc[fixed, "expected"] = ((q["y1"] - q["y0"]).dt.total_seconds()[fixed] / q["step"][fixed]).round()
    q["needs_gaps"] = fixed & (q["readings"] < q["expected"])
    return q


def gap_requests(q: pd.DataFrame) -> pd.DataFrame:
    """The meter-years of :func:`interval_quality` whose gap runs must be counted.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, step`` [s], ``y0, y1`` (naive UTC), as
        :func:`klimaregnskap.ledger.gap_runs` takes them.
    """
    t = q[q["needs_gaps"]] if not q.empty else q
    return pd.DataFrame({"meter_id": t["meter_id"].to_numpy(),
                         "year": t["year"].astype("int64").to_numpy(),
                         "step": t["step"].astype("int64").to_numpy(),
                         "y0": t["y0"].to_numpy(), "y1": t["y1"].to_numpy()})


def coarse_meters(q: pd.DataFrame) -> list[str]:
    """Monthly meters, whose coverage is counted in calendar months."""
    if q.empty:
        return []
    return sorted(set(q.loc[q["step"].isna(), "meter_id"]))


def meter_quality(meters: pd.DataFrame, q: pd.DataFrame, gaps: pd.DataFrame,
                  coarse_readings: pd.DataFrame, register_years: pd.DataFrame, tz: str,
                  years: list[int] | None = None) -> pd.DataFrame:
    """Quality figures per meter and year (see module docstring).

    Parameters
    ----------
    meters : pandas.DataFrame
        The current registry.
    q : pandas.DataFrame
        From :func:`interval_quality`.
    gaps : pandas.DataFrame
        ``meter_id, year, longest_gap_hours, gaps`` for the meter-years of
        :func:`gap_requests`.
    coarse_readings : pandas.DataFrame
        ``meter_id, year, ts_utc, value, quality`` of :func:`coarse_meters`.
    register_years : pandas.DataFrame
        ``meter_id, year, covered_s`` from
        :func:`klimaregnskap.calc.metering.register_years` (the year split
        computed once per build).
    tz : str
    years : list of int, optional
        Restrict to these years.

    Returns
    -------
    pandas.DataFrame
        :data:`QUALITY_COLUMNS`; percentages in %, gaps in hours.
    """
    if meters.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    out = pd.DataFrame()
    if not q.empty:
        fixed = q["step"].notna()
        agg = q.assign(longest_gap_hours=0.0, gaps=0.0)
        if not gaps.empty:
            agg = agg.merge(gaps, on=["meter_id", "year"], how="left", suffixes=("", "_g"))
            has = agg["gaps_g"].notna()
            agg.loc[has, "gaps"] = agg.loc[has, "gaps_g"]
            agg.loc[has, "longest_gap_hours"] = agg.loc[has, "longest_gap_hours_g"]
            agg = agg.drop(columns=["gaps_g", "longest_gap_hours_g"])
        out = agg[fixed.to_numpy()].drop(columns=["y0", "y1", "step", "needs_gaps"])
        if not coarse_readings.empty:
            res = dict(zip(q["meter_id"], q["resolution"]))
            out = pd.concat([out, _coarse_quality(coarse_readings, res, tz)], ignore_index=True)
    # register meters: the share of the year spanned by readings
    reg = register_years
    if reg is not None and not reg.empty:
        span = range(int(reg["year"].min()), int(reg["year"].max()) + 2)
        starts = pd.Series({y: pd.Timestamp(year_start_utc(y, tz)) for y in span})
        y_len = (starts.shift(-1) - starts).dt.total_seconds()
        reg = reg.assign(resolution="register", readings=np.nan, expected=np.nan, estimated=0,
                         longest_gap_hours=np.nan, gaps=np.nan, max_value=np.nan)
        reg["coverage_pct"] = reg["covered_s"] / reg["year"].map(y_len) * 100.0
        out = pd.concat([out, reg.drop(columns=["value_sum", "covered_s"], errors="ignore")],
                        ignore_index=True)
    if out.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    fixed_mask = out["resolution"] != "register"
    out.loc[fixed_mask, "coverage_pct"] = (out.loc[fixed_mask, "readings"].astype("float64")
                                           / out.loc[fixed_mask, "expected"].astype("float64") * 100.0)
    out["estimated_pct"] = np.where(out["readings"].fillna(0) > 0,
                                    out["estimated"].fillna(0) / out["readings"] * 100.0, 0.0)
    out = out.drop(columns=[c for c in ("site", "carrier", "kind", "role") if c in out])
    out = out.merge(meters[["meter_id", "site", "carrier", "kind", "role"]], on="meter_id")
    if "spikes" not in out:
        out["spikes"] = 0
    out["spikes"] = out["spikes"].fillna(0).astype("int64")
    out["year"] = out["year"].astype("int64")
    if years is not None:
        out = out[out["year"].isin(years)]
    return out[QUALITY_COLUMNS].sort_values(["site", "meter_id", "year"]).reset_index(drop=True)


#: Days from a meter's first reading used to find its resolution.
RESOLUTION_PROBE_DAYS = 70


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


def missing_meter_years(meter_years: pd.DataFrame, upto_year: int) -> list[KlimaWarning]:
    """Meters with readings in a year but none in the next one (reported, not zero).

    Parameters
    ----------
    meter_years : pandas.DataFrame
        Meter consumption per year (``meter_id, site, year``).
    upto_year : int
        Last year to check.

    Returns
    -------
    list of KlimaWarning
        ``missing_meter_year`` with ``meter_id, site, year, previous_year``.
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
                out.append(KlimaWarning("missing_meter_year", meter_id=mid, site=site[mid],
                                        year=int(nxt), values={"previous_year": int(y)}))
    return out


def quality_warnings(quality: pd.DataFrame) -> list[KlimaWarning]:
    """Warnings for meter-years with coverage below 100 %, estimated readings or spikes.

    Returns
    -------
    list of KlimaWarning
        ``incomplete_coverage`` (``coverage_pct`` [%], ``longest_gap_hours``
        [h], NaN for a register meter), ``estimated_readings`` (count and
        ``estimated_pct`` [%]) and ``spike`` (count and the largest value
        [meter unit]).
    """
    out = []
    for r in quality.itertuples(index=False):
        where = dict(meter_id=r.meter_id, site=r.site, year=int(r.year))
        if r.coverage_pct is not None and not np.isnan(r.coverage_pct) and r.coverage_pct < 100.0 - 1e-9:
            out.append(KlimaWarning("incomplete_coverage", **where, values={
                "coverage_pct": float(r.coverage_pct),
                "longest_gap_hours": None if r.longest_gap_hours is None
                else float(r.longest_gap_hours)}))
        if r.estimated and not np.isnan(r.estimated) and r.estimated > 0:
            out.append(KlimaWarning("estimated_readings", **where, values={
                "estimated": int(r.estimated), "estimated_pct": float(r.estimated_pct)}))
        if r.spikes and r.spikes > 0:
            out.append(KlimaWarning("spike", **where, values={
                "spikes": int(r.spikes), "max_value": float(r.max_value)}))
    return out
