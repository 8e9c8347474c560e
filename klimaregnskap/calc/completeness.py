"""Complete or not: whether a year's figure of an indicator rests on all its data (DESIGN §4).

A year's figure of an indicator is *incomplete* when

* a main meter feeding it is missing that year (expected to measure, no
  reading) or has coverage below ``completeness_threshold_pct`` (default
  99 %): main meters except recovered ones feed ``energy``,
  ``energy_normalised`` and the emission indicators; all main meters feed
  ``recovered_heat_share``; main electricity and ``recovered_power`` meters
  feed ``recovered_power_share``;
* ``food_waste``: a site that registered food waste in the year before has
  no registration in a month during which it is open throughout;
* ``chemical_free_share``: the year has no product rows;
* ``footprint``: the year has no purchases rows or ``emissions`` is
  incomplete.

The figure is still computed from the data present. When the report year or
the baseline year is incomplete the indicator's status is ``incomplete``
(:func:`apply`), and its ``incomplete_reasons`` say why, each a typed
warning naming the meter, site or months and the coverage. Which rule feeds
which indicator is data: the ``completeness`` column of
``vocabulary/indicators.csv``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from klimaregnskap.calc.food_waste import MonthList
from klimaregnskap.warning import KlimaWarning

__all__ = ["incomplete_meter_years", "meter_reasons", "food_waste_reasons", "indicator_reasons", "apply", "apply_years",
           "completeness_table", "METER_FEEDS"]

#: Which main meters feed an indicator, by the ``completeness`` rule named in
#: ``vocabulary/indicators.csv``: a predicate on (carrier).
METER_FEEDS = {
    "delivered_meters": lambda carrier: carrier not in ("recovered_heat", "recovered_power"),
    "all_meters": lambda carrier: True,
    "electricity_meters": lambda carrier: carrier in ("electricity", "recovered_power"),
}


def incomplete_meter_years(quality: pd.DataFrame, threshold_pct: float) -> pd.DataFrame:
    """Quality rows of main meter-years that are missing or below ``threshold_pct`` [%]."""
    if quality.empty:
        return quality
    q = quality[(quality["role"] == "main") & quality["coverage_pct"].notna()]
    return q[q["missing"].astype(bool) | (q["coverage_pct"] < threshold_pct)]


def meter_reasons(quality: pd.DataFrame, threshold_pct: float,
                  missing_months: dict | None = None) -> pd.DataFrame:
    """Main meter-years that make a year incomplete (DESIGN §4).

    Parameters
    ----------
    quality : pandas.DataFrame
        :func:`klimaregnskap.calc.quality.meter_quality` (``role, carrier,
        coverage_pct`` [%], ``missing``).
    threshold_pct : float
        ``completeness_threshold_pct`` [%]: coverage below it is incomplete.
    missing_months : dict, optional
        ``(meter_id, year) -> tuple of month numbers`` with missing data, to
        name in the reason.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, site, carrier, year, reason`` (a KlimaWarning:
        ``meter_missing`` or ``meter_coverage``), sorted by year, site, meter.
    """
    cols = ["meter_id", "site", "carrier", "year", "reason"]
    if quality.empty:
        return pd.DataFrame(columns=cols)
    bad = incomplete_meter_years(quality, threshold_pct)
    months = missing_months or {}
    rows = []
    for r in bad.sort_values(["year", "site", "meter_id"]).itertuples(index=False):
        where = dict(meter_id=r.meter_id, site=r.site, year=int(r.year))
        ms = months.get((r.meter_id, int(r.year)))
        if r.missing:
            w = KlimaWarning("meter_missing", **where, values={"months": _months(ms)})
        else:
            w = KlimaWarning("meter_coverage", **where, values={
                "coverage_pct": float(r.coverage_pct), "threshold_pct": float(threshold_pct),
                "months": _months(ms)})
        rows.append({"meter_id": r.meter_id, "site": r.site, "carrier": r.carrier,
                     "year": int(r.year), "reason": w})
    return pd.DataFrame(rows, columns=cols)


def _months(ms):
    return MonthList(ms) if ms else None


def food_waste_reasons(food: pd.DataFrame, sites, years: list[int]) -> list[KlimaWarning]:
    """Months without a food-waste registration at a site that registered the year before.

    A month counts only when the site is open throughout it (its ``opened``
    on or before the month's first day, its ``closed`` on or after the
    month's last day). A site that registered nothing the year before is not
    judged (DESIGN §4).

    Parameters
    ----------
    food : pandas.DataFrame
        ``year, month, site`` of the current food-waste rows.
    sites : iterable of Site
        The configured sites (``id, opened, closed``).
    years : list of int
        The years to judge.

    Returns
    -------
    list of KlimaWarning
        ``food_waste_month_missing`` with ``site, year, months``.
    """
    out: list[KlimaWarning] = []
    if food.empty:
        return out
    site_of = {s.id: s for s in sites}
    have = food.groupby(["site", food["year"].astype(int)])["month"].apply(
        lambda m: set(int(x) for x in m)).to_dict()
    for site in sorted(set(food["site"])):
        s = site_of.get(site)
        for year in years:
            if (site, year - 1) not in have:
                continue
            got = have.get((site, year), set())
            missing = [m for m in range(1, 13)
                       if m not in got and _open_throughout(s, year, m)]
            if missing:
                out.append(KlimaWarning("food_waste_month_missing", site=site, year=year,
                                        values={"months": MonthList(missing)}))
    return out


def _open_throughout(site, year: int, month: int) -> bool:
    if site is None:
        return True
    first = dt.date(year, month, 1)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    if site.opened and site.opened > first:
        return False
    if site.closed and site.closed < last:
        return False
    return True


def indicator_reasons(table: dict, years: list[int], meters: pd.DataFrame,
                      food: list[KlimaWarning], product_years: set[int],
                      purchase_years: set[int] | None = None) -> dict[str, dict[int, list]]:
    """The reasons each indicator's figure of each year is incomplete (DESIGN §4).

    Parameters
    ----------
    table : dict
        The indicators (``vocabulary.indicators()``), whose ``completeness``
        names the rule of each.
    years : list of int
    meters : pandas.DataFrame
        From :func:`meter_reasons`.
    food : list of KlimaWarning
        From :func:`food_waste_reasons`.
    product_years : set of int
        Years with product rows.
    purchase_years : set of int, optional
        Years with purchases rows (``footprint``).

    Returns
    -------
    dict
        ``indicator -> year -> list of KlimaWarning`` (empty: complete).
    """
    out: dict[str, dict[int, list]] = {}
    for name, meta in table.items():
        rule = meta.completeness
        per_year: dict[int, list] = {y: [] for y in years}
        if rule in METER_FEEDS:
            feeds = METER_FEEDS[rule]
            for r in meters.itertuples(index=False):
                if r.year in per_year and feeds(r.carrier):
                    per_year[r.year].append(r.reason)
        elif rule == "food_waste_months":
            for w in food:
                if w.year in per_year:
                    per_year[w.year].append(w)
        elif rule == "product_rows":
            for y in years:
                if y not in product_years:
                    per_year[y].append(KlimaWarning("no_products", year=y))
        elif rule == "purchases_and_emissions":
            for y in years:
                if purchase_years is not None and y not in purchase_years:
                    per_year[y].append(KlimaWarning("no_purchases", year=y))
                delivered = METER_FEEDS["delivered_meters"]
                per_year[y] += [r.reason for r in meters.itertuples(index=False)
                                if r.year == y and delivered(r.carrier)]
        out[name] = per_year
    return out


def apply(fields: dict, reasons: dict[int, list], baseline_year: int, report_year: int) -> dict:
    """Mark an indicator's figures incomplete (DESIGN §4, §5).

    ``complete`` is true when both the report year and the baseline year are
    complete; otherwise the status is ``incomplete`` and
    ``incomplete_reasons`` lists the reasons of those two years (report year
    first). The figures themselves stay as computed from the data present.

    Parameters
    ----------
    fields : dict
        The indicator's fields (``targets.evaluate``); changed in place.
    reasons : dict
        ``year -> list of KlimaWarning`` from :func:`indicator_reasons`.
    baseline_year, report_year : int

    Returns
    -------
    dict
        ``fields``.
    """
    found = list(reasons.get(report_year, []))
    if baseline_year != report_year:
        found += reasons.get(baseline_year, [])
    fields["complete"] = not found
    if found:
        fields["status"] = "incomplete"
        fields["incomplete_reasons"] = found
    return fields


def apply_years(statuses: pd.DataFrame, reasons: dict[int, list],
                baseline_year: int) -> pd.DataFrame:
    """Per-year form of :func:`apply`: each year's ``complete`` and status (DESIGN §4, §5 export).

    ``complete`` is whether that year's own figure rests on all its data.
    The status is ``incomplete`` when that year or the baseline year is
    incomplete (the path rests on the baseline), as ``summary.json`` of that
    year says; otherwise it stays as given.

    Parameters
    ----------
    statuses : pandas.DataFrame
        ``year, status, ...`` of one indicator
        (:func:`klimaregnskap.calc.targets.year_statuses`).
    reasons : dict
        ``year -> list of KlimaWarning`` of that indicator (:func:`indicator_reasons`).
    baseline_year : int

    Returns
    -------
    pandas.DataFrame
        ``statuses`` with ``complete`` (bool) and the statuses marked.
    """
    out = statuses.copy()
    own = [not reasons.get(int(y)) for y in out["year"]]
    base_ok = not reasons.get(baseline_year)
    out["complete"] = pd.Series(own, index=out.index, dtype="bool")
    out.loc[~(out["complete"] & base_ok), "status"] = "incomplete"
    return out


def completeness_table(reasons: dict[str, dict[int, list]]) -> pd.DataFrame:
    """Per indicator and year: ``indicator, year, complete, reasons`` (a list of warnings)."""
    rows = [{"indicator": name, "year": int(y), "complete": not rs, "reasons": list(rs)}
            for name, per_year in reasons.items() for y, rs in sorted(per_year.items())]
    return pd.DataFrame(rows, columns=["indicator", "year", "complete", "reasons"])


def missing_months(ranges: list[tuple], tz: str) -> tuple[int, ...]:
    """Local months touched by missing time ranges.

    Parameters
    ----------
    ranges : list of (numpy.datetime64, numpy.datetime64)
        Missing ``[start, end)`` ranges, naive UTC.
    tz : str

    Returns
    -------
    tuple of int
        Month numbers 1-12, sorted.
    """
    months: set[int] = set()
    for a, b in ranges:
        if not b > a:
            continue
        lo = pd.Timestamp(a).tz_localize("UTC").tz_convert(tz)
        hi = (pd.Timestamp(b) - pd.Timedelta(microseconds=1)).tz_localize("UTC").tz_convert(tz)
        m = pd.period_range(lo.tz_localize(None).to_period("M"), hi.tz_localize(None).to_period("M"),
                            freq="M")
        months |= {int(p.month) for p in m}
    return tuple(sorted(months))


def uncovered_ranges(covered: np.ndarray, w0, w1) -> list[tuple]:
    """The parts of ``[w0, w1)`` not covered by any of the ``covered`` ranges.

    Parameters
    ----------
    covered : numpy.ndarray
        Shape (n, 2) of datetime64 ``[start, end)`` ranges, naive UTC.
    w0, w1 : numpy.datetime64
        The window.

    Returns
    -------
    list of (numpy.datetime64, numpy.datetime64)
    """
    w0, w1 = np.datetime64(w0, "us"), np.datetime64(w1, "us")
    out = []
    t = w0
    if covered.size:
        order = np.argsort(covered[:, 0])
        for a, b in covered[order]:
            a, b = np.datetime64(a, "us"), np.datetime64(b, "us")
            if b <= t:
                continue
            if a > t:
                out.append((t, min(a, w1)))
            t = max(t, b)
            if t >= w1:
                break
    if t < w1:
        out.append((t, w1))
    return [(a, b) for a, b in out if b > a]
