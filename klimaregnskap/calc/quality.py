"""Data quality of meter data: windows, coverage, estimated readings, gaps, spikes.

Gaps are never filled: these figures travel with the energy figures into the
report and ``check`` so a reader knows what a total rests on (DESIGN §4).

A meter is expected to measure in its *window* of a local calendar year:
from the latest of the year's start, its site's ``opened`` day and its
``installed`` moment (else its first reading ever), to the earliest of the
year's end, its ``removed`` moment and the end of its site's ``closed`` day
(:func:`meter_windows`). For a meter and year:

* ``coverage_pct`` = real elapsed time covered by present intervals whose
  start lies in the window / real elapsed time of the window x 100 (so the
  missing spring hour is never missing and a 15-minute meter counts
  quarters); a register meter's coverage is the share of its window that
  lies between two of its readings;
* ``estimated_pct`` = estimated readings / readings present x 100;
* ``longest_gap_hours`` = hours in the longest run of missing time in the
  window (runs at its start and end included); ``gaps`` = number of runs;
* ``missing``: expected (a window) but no reading in it: coverage 0,
  reported as missing, never counted as zero consumption;
* ``outside_window``: readings of the year outside the window (they still
  count, with a warning).

Heavy lifting runs in DuckDB so that hundreds of millions of readings stay in
the ledger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.calc.completeness import missing_months, uncovered_ranges
from klimaregnskap.localyear import day_start_utc, year_start_utc
from klimaregnskap.warning import KlimaWarning

RESOLUTIONS = {"15min": 900, "hour": 3600, "day": 86400, "month": None}
SPIKE_FACTOR = 10.0
#: Days from a meter's first reading used to find its resolution.
RESOLUTION_PROBE_DAYS = 70

WINDOW_COLUMNS = ["meter_id", "year", "w0", "w1", "window_s"]
QUALITY_COLUMNS = ["meter_id", "site", "carrier", "kind", "role", "year", "resolution",
                   "readings", "expected", "coverage_pct", "estimated", "estimated_pct",
                   "longest_gap_hours", "gaps", "spikes", "max_value", "window_start_utc",
                   "window_end_utc", "window_hours", "outside_window", "missing"]


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


def resolutions(medians: pd.DataFrame) -> dict[str, str]:
    """Each interval meter's resolution (15min, hour, day, month) from its usual step.

    Parameters
    ----------
    medians : pandas.DataFrame
        ``meter_id, median_s``: the median step of each meter's first
        readings [s] (:func:`klimaregnskap.ledger.first_steps_median`).

    Returns
    -------
    dict of str to str
    """
    return dict(zip(medians["meter_id"], medians["median_s"].map(_resolution)))


def meter_windows(meters: pd.DataFrame, spans: pd.DataFrame, sites, tz: str,
                  years: list[int]) -> pd.DataFrame:
    """When each meter is expected to measure, per local year (DESIGN §4).

    The window runs from the latest of the year's start, the site's
    ``opened`` day and the meter's ``installed`` moment (else its first
    reading ever) to the earliest of the year's end, the meter's ``removed``
    moment and the end of the site's ``closed`` day (a site's ``closed``
    date is its last day open). A meter with neither ``installed`` nor any
    reading has no window.

    Parameters
    ----------
    meters : pandas.DataFrame
        The registry: ``meter_id, site`` and ``installed_utc, removed_utc``
        (naive UTC, NaT when not given; columns may be absent).
    spans : pandas.DataFrame
        ``meter_id, first_ts`` (naive UTC) of the current readings
        (:func:`klimaregnskap.ledger.reading_spans`).
    sites : iterable of Site
        The configured sites (``id, opened, closed`` as local dates or None).
    tz : str
        Project time zone (local calendar years and days).
    years : list of int
        The years to lay windows over.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, w0, w1`` (naive UTC, datetime64[us]) and
        ``window_s`` [s], only where the window is not empty.
    """
    if meters.empty or not years:
        return pd.DataFrame(columns=WINDOW_COLUMNS)
    m = meters[["meter_id", "site"]].copy()
    for c in ("installed_utc", "removed_utc"):
        m[c] = (pd.to_datetime(meters[c]) if c in meters else pd.NaT)
    first = dict(zip(spans["meter_id"], pd.to_datetime(spans["first_ts"])))
    m["start"] = m["installed_utc"].fillna(m["meter_id"].map(first))
    opened = {s.id: pd.Timestamp(day_start_utc(s.opened, tz)) for s in sites if s.opened}
    # open through the closed day: the window ends at the next local midnight
    closed = {s.id: pd.Timestamp(day_start_utc(s.closed + pd.Timedelta(days=1), tz))
              for s in sites if s.closed}
    m["site_open"] = m["site"].map(opened)
    m["site_close"] = m["site"].map(closed)
    y = pd.DataFrame({"year": years})
    y["y0"] = [pd.Timestamp(year_start_utc(v, tz)) for v in years]
    y["y1"] = [pd.Timestamp(year_start_utc(v + 1, tz)) for v in years]
    w = m.merge(y, how="cross")
    w = w[w["start"].notna()]
    w0 = pd.concat([w["y0"], w["start"], w["site_open"]], axis=1).max(axis=1)
    w1 = pd.concat([w["y1"], w["removed_utc"], w["site_close"]], axis=1).min(axis=1)
    out = pd.DataFrame({"meter_id": w["meter_id"].to_numpy(),
                        "year": w["year"].astype("int64").to_numpy(),
                        "w0": w0.to_numpy("datetime64[us]"), "w1": w1.to_numpy("datetime64[us]")})
    out["window_s"] = (out["w1"] - out["w0"]).dt.total_seconds()
    return out[out["window_s"] > 0].reset_index(drop=True)[WINDOW_COLUMNS]


def coverage_requests(windows: pd.DataFrame, meters: pd.DataFrame,
                      res: dict[str, str]) -> pd.DataFrame:
    """The windows of fixed-step interval meters, as the ledger's coverage query takes them.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, step`` [s], ``w0, w1`` (naive UTC), for
        :func:`klimaregnskap.ledger.window_coverage`.
    """
    interval = set(meters.loc[meters["kind"] == "interval", "meter_id"])
    w = windows[windows["meter_id"].isin(interval)]
    step = w["meter_id"].map(lambda mid: RESOLUTIONS[res.get(mid, "hour")])
    w = w.assign(step=step)[step.notna()]
    return pd.DataFrame({"meter_id": w["meter_id"].to_numpy(),
                         "year": w["year"].astype("int64").to_numpy(),
                         "step": w["step"].astype("int64").to_numpy(),
                         "w0": w["w0"].to_numpy("datetime64[us]"),
                         "w1": w["w1"].to_numpy("datetime64[us]")})


def coarse_meters(meters: pd.DataFrame, res: dict[str, str]) -> list[str]:
    """Interval meters read daily or monthly, whose slots follow the local calendar."""
    interval = meters.loc[meters["kind"] == "interval", "meter_id"]
    return sorted(m for m in interval if res.get(m) in ("day", "month"))


def meter_quality(meters: pd.DataFrame, windows: pd.DataFrame, stats: pd.DataFrame,
                  res: dict[str, str], window_cov: pd.DataFrame, coarse_readings: pd.DataFrame,
                  register_readings: pd.DataFrame, tz: str,
                  years: list[int] | None = None) -> pd.DataFrame:
    """Quality figures per meter and year (see the module docstring, DESIGN §4).

    Parameters
    ----------
    meters : pandas.DataFrame
        The current registry.
    windows : pandas.DataFrame
        From :func:`meter_windows`.
    stats : pandas.DataFrame
        ``meter_id, year, readings, estimated, max_value, spikes`` of
        interval meters per local year
        (:func:`klimaregnskap.ledger.interval_year_stats`).
    res : dict
        From :func:`resolutions`.
    window_cov : pandas.DataFrame
        :func:`klimaregnskap.ledger.window_coverage` of
        :func:`coverage_requests`.
    coarse_readings : pandas.DataFrame
        ``meter_id, year, ts_utc, value, quality`` of :func:`coarse_meters`.
    register_readings : pandas.DataFrame
        ``meter_id, ts_utc`` of register meters, in time order.
    tz : str
    years : list of int, optional
        Restrict to these years.

    Returns
    -------
    pandas.DataFrame
        :data:`QUALITY_COLUMNS`; percentages in %, gaps and windows in hours,
        window bounds naive UTC.
    """
    if meters.empty:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    kind = dict(zip(meters["meter_id"], meters["kind"]))
    coarse = set(coarse_meters(meters, res))
    parts = []
    # interval meters at a fixed step: the ledger measured the windows
    fixed_stats = stats[stats["meter_id"].map(lambda m: m not in coarse)] if not stats.empty \
        else stats
    fixed_w = windows[windows["meter_id"].map(lambda m: kind.get(m) == "interval"
                                              and m not in coarse)]
    parts.append(_fixed_quality(fixed_w, fixed_stats, window_cov, res))
    cw = windows[windows["meter_id"].isin(coarse)]
    if coarse:
        parts.append(_coarse_quality(cw, coarse_readings, res, tz))
    rw = windows[windows["meter_id"].map(lambda m: kind.get(m) == "register")]
    parts.append(_register_quality(rw, register_readings, tz))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=QUALITY_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["coverage_pct"] = np.where(out["window_s"] > 0,
                                   out["covered_s"] / out["window_s"] * 100.0, np.nan)
    out["window_hours"] = out["window_s"] / 3600.0
    out["missing"] = (out["window_s"] > 0) & (out["covered_s"] <= 0)
    out["estimated_pct"] = np.where(out["readings"].fillna(0) > 0,
                                    out["estimated"].fillna(0) / out["readings"] * 100.0, 0.0)
    out = out.rename(columns={"w0": "window_start_utc", "w1": "window_end_utc"})
    out = out.merge(meters[["meter_id", "site", "carrier", "kind", "role"]], on="meter_id")
    out["spikes"] = out["spikes"].fillna(0).astype("int64")
    out["outside_window"] = out["outside_window"].fillna(0).astype("int64")
    out["year"] = out["year"].astype("int64")
    if years is not None:
        out = out[out["year"].isin(years)]
    return out[QUALITY_COLUMNS].sort_values(["site", "meter_id", "year"]).reset_index(drop=True)


_PART_COLUMNS = ["meter_id", "year", "resolution", "readings", "expected", "estimated",
                 "covered_s", "window_s", "w0", "w1", "longest_gap_hours", "gaps", "spikes",
                 "max_value", "outside_window"]


def _fixed_quality(w: pd.DataFrame, stats: pd.DataFrame, cov: pd.DataFrame,
                   res: dict) -> pd.DataFrame:
    keys = ["meter_id", "year"]
    st = stats[["meter_id", "year", "readings", "estimated", "max_value", "spikes"]] \
        if not stats.empty else pd.DataFrame(columns=keys + ["readings", "estimated",
                                                             "max_value", "spikes"])
    st = st.astype({"year": "int64"})
    q = w.merge(st, on=keys, how="outer")
    if q.empty:
        return pd.DataFrame(columns=_PART_COLUMNS)
    c = cov if not cov.empty else pd.DataFrame(columns=keys + ["in_window", "covered_s",
                                                              "longest_gap_s", "gaps"])
    q = q.merge(c.astype({"year": "int64"}), on=keys, how="left")
    q["resolution"] = q["meter_id"].map(lambda m: res.get(m, "hour"))
    step = q["resolution"].map(RESOLUTIONS).astype("float64")
    q["readings"] = q["readings"].fillna(0)
    q["estimated"] = q["estimated"].fillna(0)
    has_w = q["window_s"].notna()
    q["window_s"] = q["window_s"].fillna(0.0)
    q["expected"] = np.where(has_w, np.round(q["window_s"] / step), np.nan)
    empty = has_w & q["in_window"].isna()
    # a window without any reading: one gap over all of it
    q["covered_s"] = q["covered_s"].astype("float64").fillna(0.0)
    q["longest_gap_hours"] = np.where(empty, q["window_s"] / 3600.0,
                                      q["longest_gap_s"].astype("float64") / 3600.0)
    q["gaps"] = np.where(empty, 1.0, q["gaps"].astype("float64"))
    q.loc[~has_w, ["longest_gap_hours", "gaps"]] = np.nan
    q["outside_window"] = q["readings"] - q["in_window"].fillna(0)
    return q[_PART_COLUMNS]


def _slots(year: int, resolution: str, tz: str) -> pd.DataFrame:
    """The local days or months of a year: ``slot, s0, s1`` (naive UTC)."""
    if resolution == "day":
        starts = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="D", tz=tz)
        slot = starts[:-1].day_of_year
    else:
        starts = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="MS", tz=tz)
        slot = starts[:-1].month
    utc = starts.tz_convert("UTC").tz_localize(None)
    return pd.DataFrame({"slot": np.asarray(slot), "s0": utc[:-1], "s1": utc[1:]})


def _coarse_quality(w: pd.DataFrame, c: pd.DataFrame, res: dict, tz: str) -> pd.DataFrame:
    """Daily and monthly meters: slots of the local calendar, measured against the window.

    A slot counts for the part of it that lies in the window (a monthly
    reading of the month a meter is installed covers the rest of that month).
    """
    rows = []
    if c.empty:
        c = pd.DataFrame(columns=["meter_id", "year", "ts_utc", "value", "quality"])
    c = c.assign(local=pd.to_datetime(c["ts_utc"]).dt.tz_localize("UTC").dt.tz_convert(tz))
    keys = set(zip(w["meter_id"], w["year"].astype(int))) | set(
        zip(c["meter_id"], c["year"].astype(int)))
    wi = w.set_index(["meter_id", "year"])
    groups = dict(list(c.groupby(["meter_id", "year"]))) if not c.empty else {}
    for mid, year in sorted(keys):
        r = res.get(mid, "month")
        g = groups.get((mid, year), c.iloc[:0])
        slots = _slots(year, r, tz)
        have = set(g["local"].dt.day_of_year if r == "day" else g["local"].dt.month)
        row = {"meter_id": mid, "year": year, "resolution": r, "readings": len(g),
               "estimated": int((g["quality"] == "estimated").sum()),
               "max_value": g["value"].max() if len(g) else np.nan, "spikes": 0}
        if (mid, year) in wi.index:
            w0, w1 = wi.loc[(mid, year), "w0"], wi.loc[(mid, year), "w1"]
            overlap = ((slots["s1"].clip(upper=w1) - slots["s0"].clip(lower=w0))
                       .dt.total_seconds().clip(lower=0))
            inside = overlap > 0
            present = slots["slot"].isin(have)
            covered = float(overlap[present].sum())
            run = best = 0.0
            gaps = 0
            for is_in, is_there, sec in zip(inside, present, overlap):
                if not is_in:
                    continue
                if is_there:
                    run = 0.0
                else:
                    gaps += run == 0.0
                    run += sec
                    best = max(best, run)
            outside = int(len(g) - g["local"].map(
                lambda t: (t.day_of_year if r == "day" else t.month)).isin(
                set(slots.loc[inside, "slot"])).sum())
            row.update(w0=w0, w1=w1, window_s=float((w1 - w0).total_seconds()),
                       covered_s=covered, expected=float(inside.sum()),
                       longest_gap_hours=best / 3600.0, gaps=float(gaps), outside_window=outside)
        else:
            row.update(w0=pd.NaT, w1=pd.NaT, window_s=0.0, covered_s=0.0, expected=np.nan,
                       longest_gap_hours=np.nan, gaps=np.nan, outside_window=len(g))
        rows.append(row)
    return pd.DataFrame(rows, columns=_PART_COLUMNS)


def _register_quality(w: pd.DataFrame, readings: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Register meters: the share of the window lying between two readings."""
    rows = []
    by_meter = ({m: g["ts_utc"].to_numpy("datetime64[us]")
                 for m, g in readings.groupby("meter_id")} if not readings.empty else {})
    for r in w.itertuples(index=False):
        t = by_meter.get(r.meter_id, np.array([], dtype="datetime64[us]"))
        w0, w1 = np.datetime64(r.w0, "us"), np.datetime64(r.w1, "us")
        covered = 0.0
        if t.size >= 2:
            lo = np.maximum(t[:-1], w0)
            hi = np.minimum(t[1:], w1)
            covered = float(np.clip((hi - lo) / np.timedelta64(1, "s"), 0, None).sum())
        in_year = t[(t >= np.datetime64(year_start_utc(int(r.year), tz), "us"))
                    & (t < np.datetime64(year_start_utc(int(r.year) + 1, tz), "us"))]
        outside = int(((in_year < w0) | (in_year >= w1)).sum())
        rows.append({"meter_id": r.meter_id, "year": int(r.year), "resolution": "register",
                     "readings": np.nan, "expected": np.nan, "estimated": 0,
                     "covered_s": covered, "window_s": float(r.window_s), "w0": r.w0, "w1": r.w1,
                     "longest_gap_hours": np.nan, "gaps": np.nan, "spikes": 0,
                     "max_value": np.nan, "outside_window": outside})
    return pd.DataFrame(rows, columns=_PART_COLUMNS)


def missing_meter_years(quality: pd.DataFrame) -> list[KlimaWarning]:
    """Meters expected to measure in a year with no reading in it (DESIGN §4).

    Parameters
    ----------
    quality : pandas.DataFrame
        From :func:`meter_quality` (``missing`` marks a window without a
        reading).

    Returns
    -------
    list of KlimaWarning
        ``missing_meter_year`` with ``meter_id, site, year``: reported as
        missing, never counted as zero consumption.
    """
    if quality.empty:
        return []
    miss = quality[quality["missing"].astype(bool)]
    return [KlimaWarning("missing_meter_year", meter_id=r.meter_id, site=r.site, year=int(r.year))
            for r in miss.itertuples(index=False)]


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
        if r.outside_window:
            out.append(KlimaWarning("readings_outside_window", **where, values={
                "readings": int(r.outside_window)}))
        if r.missing:
            continue    # reported by missing_meter_years
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


def months_missing(rows: pd.DataFrame, readings: pd.DataFrame, tz: str) -> dict:
    """The local months in which each of a few meter-years lacks data.

    Parameters
    ----------
    rows : pandas.DataFrame
        Quality rows (:func:`meter_quality`) of the meter-years to explain
        (those below the completeness threshold: a handful).
    readings : pandas.DataFrame
        ``meter_id, ts_utc`` (naive UTC) of those meters: every current
        reading (a register meter's span may start in an earlier year).
    tz : str

    Returns
    -------
    dict
        ``(meter_id, year) -> tuple of month numbers``.
    """
    out = {}
    by_meter = ({m: np.sort(g["ts_utc"].to_numpy("datetime64[us]"))
                 for m, g in readings.groupby("meter_id")} if not readings.empty else {})
    for r in rows.itertuples(index=False):
        if pd.isna(r.window_start_utc):
            continue
        t = by_meter.get(r.meter_id, np.array([], dtype="datetime64[us]"))
        if r.resolution == "register":
            covered = np.stack([t[:-1], t[1:]], axis=1) if t.size >= 2 else np.empty((0, 2))
        elif r.resolution == "month":
            local = pd.DatetimeIndex(t).tz_localize("UTC").tz_convert(tz)
            ends = (local.tz_localize(None).to_period("M") + 1).to_timestamp()
            end_utc = ends.tz_localize(tz).tz_convert("UTC").tz_localize(None)
            covered = np.stack([t, end_utc.to_numpy("datetime64[us]")], axis=1) if t.size \
                else np.empty((0, 2))
        else:
            step = np.timedelta64(int(RESOLUTIONS.get(r.resolution) or 3600), "s")
            covered = np.stack([t, t + step], axis=1) if t.size else np.empty((0, 2))
        gaps = uncovered_ranges(covered, r.window_start_utc, r.window_end_utc)
        out[(r.meter_id, int(r.year))] = missing_months(gaps, tz)
    return out
