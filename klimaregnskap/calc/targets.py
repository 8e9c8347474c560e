"""Targets: paths, statuses, projections and the required yearly change (DESIGN §4).

* Path: a straight line from the baseline value (baseline year) to the target
  value (target year). The climate-neutral path follows the emissions path to
  the emissions target year and then a straight line to zero in 2045.
* Status of a year: ``achieved`` when the value already meets the final target
  level, ``on_track`` when it is at least as good as the path, ``off_track``
  otherwise (``no_data`` when the year has no value).
* Projection: least-squares linear trend over the years with data from the
  baseline year to the report year, evaluated at the target year and kept
  inside the physical range (never below 0, shares never above 100 %). With a
  single year of data the trend is flat.
* Required annual change: the constant compound yearly rate taking this
  year's value to the target value in the target year,
  ``((target / value) ** (1 / (target_year - year)) - 1) * 100`` [%]. Where
  the target is 0 the rate is undefined (None) and ``required_annual_change``
  gives the constant yearly reduction ``value / (target_year - year)`` in the
  indicator's unit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from klimaregnskap.config import Target

SHARE_UNIT = "%"


def _isnum(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def target_value(target: Target, baseline: float) -> float | None:
    """The value the target asks for in its target year.

    Parameters
    ----------
    target : Target
    baseline : float
        Baseline value in the indicator's unit.

    Returns
    -------
    float or None
        Reduction: ``baseline * (1 + level / 100)``; level and net-zero: the
        level itself; increase (direction only): None.
    """
    if target.kind == "reduction":
        return baseline * (1.0 + target.level / 100.0) if _isnum(baseline) else None
    if target.kind in ("level", "net_zero"):
        return float(target.level)
    return None


def linear_path(baseline: float, goal: float, baseline_year: int, goal_year: int,
                year: int) -> float:
    """Value on the straight line from (baseline_year, baseline) to (goal_year, goal).

    Years after ``goal_year`` stay at ``goal``; years before the baseline
    year stay at ``baseline``.
    """
    if goal_year == baseline_year:
        return goal
    t = (year - baseline_year) / (goal_year - baseline_year)
    t = min(max(t, 0.0), 1.0)
    return baseline + (goal - baseline) * t


def climate_neutral_path(baseline: float, emissions_goal: float, baseline_year: int,
                         emissions_year: int, neutral_year: int, year: int,
                         neutral_level: float = 0.0) -> float:
    """The climate-neutral path [tCO2e]: the emissions path, then straight to zero.

    Parameters
    ----------
    baseline : float
        Baseline emissions [tCO2e].
    emissions_goal : float
        Emissions target value [tCO2e] in ``emissions_year`` (e.g. 2030).
    baseline_year, emissions_year, neutral_year : int
    year : int
    neutral_level : float
        Level in the neutral year [tCO2e], normally 0.
    """
    if year <= emissions_year:
        return linear_path(baseline, emissions_goal, baseline_year, emissions_year, year)
    return linear_path(emissions_goal, neutral_level, emissions_year, neutral_year, year)


def lower_is_better(target: Target) -> bool:
    """Reductions and net-zero paths: lower is better; shares and increases: higher."""
    return target.kind in ("reduction", "net_zero")


def status(value: float, path: float, goal: float | None, lower_better: bool) -> str:
    """``achieved``, ``on_track``, ``off_track`` or ``no_data``.

    Parameters
    ----------
    value : float
        The year's actual value.
    path : float
        The path value of that year.
    goal : float or None
        The final target level (None for a direction-only target).
    lower_better : bool
    """
    if not _isnum(value):
        return "no_data"
    if lower_better:
        if goal is not None and value <= goal:
            return "achieved"
        return "on_track" if value <= path else "off_track"
    if goal is not None and value >= goal:
        return "achieved"
    return "on_track" if value >= path else "off_track"


def trend(years, values) -> tuple[float, float] | None:
    """Least-squares line through (year, value), ignoring missing values.

    Returns
    -------
    tuple of (slope, intercept) or None
        Slope in the value's unit per year; None without any data. A single
        point gives a flat line.
    """
    y = np.asarray(values, dtype="float64")
    x = np.asarray(years, dtype="float64")
    ok = ~np.isnan(y)
    x, y = x[ok], y[ok]
    if len(x) == 0:
        return None
    if len(x) == 1:
        return 0.0, float(y[0])
    xm = x.mean()
    slope = float(((x - xm) * (y - y.mean())).sum() / ((x - xm) ** 2).sum())
    return slope, float(y.mean() - slope * xm)


def project(years, values, at_year: int, *, share: bool = False) -> float | None:
    """The least-squares trend evaluated at ``at_year``, kept in the physical range.

    Parameters
    ----------
    years, values : array-like
        The series from the baseline year to the report year.
    at_year : int
    share : bool
        Values are percentages: also capped at 100.
    """
    line = trend(years, values)
    if line is None:
        return None
    v = line[0] * at_year + line[1]
    v = max(v, 0.0)
    if share:
        v = min(v, 100.0)
    return float(v)


def required_annual_change_pct(value: float, goal: float, year: int,
                               goal_year: int) -> float | None:
    """Constant compound yearly change [%] from ``value`` in ``year`` to ``goal`` in ``goal_year``.

    None when undefined: no value, the target year reached, a zero or
    negative value, or a goal of zero.
    """
    if not (_isnum(value) and _isnum(goal)) or goal_year <= year or value <= 0 or goal <= 0:
        return None
    return ((goal / value) ** (1.0 / (goal_year - year)) - 1.0) * 100.0


def evaluate(series: pd.Series, target: Target, *, baseline_year: int, report_year: int,
             unit: str, emissions: dict | None = None,
             baseline_unadjusted: float | None = None) -> dict:
    """All target fields of one indicator for one report year (summary.json shape).

    Parameters
    ----------
    series : pandas.Series
        Yearly values indexed by year (baseline-adjusted), in ``unit``.
    target : Target
    baseline_year, report_year : int
    unit : str
        The indicator's unit (``tCO2e``, ``kWh``, ``kg``, ``%``).
    emissions : dict, optional
        For ``net_zero`` targets: ``{"target_year": ..., "target_value": ...}``
        of the emissions target, which the path follows first.
    baseline_unadjusted : float, optional
        Reported as ``baseline_unadjusted`` when it differs from the baseline.

    Returns
    -------
    dict
        ``unit, value, baseline, change_pct, target_year, target_value,
        path_value, status, projected_target_year_value,
        required_annual_change_pct`` (+ ``required_annual_change`` for a zero
        target, ``change_points`` for shares, ``baseline_unadjusted``).
    """
    value = _get(series, report_year)
    baseline = _get(series, baseline_year)
    share = unit == SHARE_UNIT
    goal = target_value(target, baseline)
    out: dict = {"unit": unit, "value": value, "baseline": baseline}
    if baseline_unadjusted is not None and _isnum(baseline) and baseline_unadjusted != baseline:
        out["baseline_unadjusted"] = baseline_unadjusted
    out["change_pct"] = ((value - baseline) / baseline * 100.0
                         if _isnum(value) and _isnum(baseline) and baseline != 0 else None)
    if share:
        out["change_points"] = value - baseline if _isnum(value) and _isnum(baseline) else None
    out["target_year"] = target.year
    out["target_value"] = goal
    path = path_value(target, baseline, goal, baseline_year, report_year, emissions)
    out["path_value"] = path
    out["status"] = _year_status(target, value, baseline, path, goal)
    years = [y for y in series.index if baseline_year <= y <= report_year]
    out["projected_target_year_value"] = project(years, [series[y] for y in years], target.year,
                                                 share=share)
    if goal is not None and goal == 0:
        out["required_annual_change_pct"] = None
        out["required_annual_change"] = (value / (target.year - report_year)
                                         if _isnum(value) and target.year > report_year else None)
    else:
        out["required_annual_change_pct"] = required_annual_change_pct(value, goal, report_year,
                                                                       target.year)
    return out


def evaluate_untargeted(series: pd.Series, *, baseline_year: int, report_year: int,
                        unit: str, projection_year: int,
                        baseline_unadjusted: float | None = None) -> dict:
    """The fields of an indicator without a target (``footprint`` unless configured, DESIGN §5).

    ``value``, ``baseline``, ``change_pct`` and the projection as for any
    indicator; no target fields (``target_year``, ``target_value``,
    ``path_value``, ``required_annual_change_pct``); ``status`` is
    ``no_target`` (``no_data`` without a value).

    Parameters
    ----------
    series : pandas.Series
        Yearly values indexed by year (baseline-adjusted), in ``unit``.
    baseline_year, report_year : int
    unit : str
    projection_year : int
        The year the least-squares trend is evaluated at (with no target year
        of its own: the emissions target's year, the sector's horizon); given
        as ``projection_year``.
    baseline_unadjusted : float, optional
        Reported when it differs from the baseline.

    Returns
    -------
    dict
        ``unit, value, baseline, change_pct, status, projection_year,
        projected_target_year_value`` (+ ``baseline_unadjusted``).
    """
    value = _get(series, report_year)
    baseline = _get(series, baseline_year)
    out: dict = {"unit": unit, "value": value, "baseline": baseline}
    if baseline_unadjusted is not None and _isnum(baseline) and baseline_unadjusted != baseline:
        out["baseline_unadjusted"] = baseline_unadjusted
    out["change_pct"] = ((value - baseline) / baseline * 100.0
                         if _isnum(value) and _isnum(baseline) and baseline != 0 else None)
    out["status"] = "no_target" if _isnum(value) else "no_data"
    years = [y for y in series.index if baseline_year <= y <= report_year]
    out["projection_year"] = int(projection_year)
    out["projected_target_year_value"] = project(years, [series[y] for y in years],
                                                 projection_year, share=unit == SHARE_UNIT)
    return out


def untargeted_year_statuses(series: pd.Series, years) -> pd.DataFrame:
    """Per year: value, no path, ``no_target`` (``no_data`` without a value); as :func:`year_statuses`."""
    rows = [(int(y), _get(series, int(y)), None,
             "no_target" if _isnum(_get(series, int(y))) else "no_data") for y in years]
    out = pd.DataFrame(rows, columns=["year", "value", "path_value", "status"])
    return out.astype({"year": "int64", "value": "float64", "path_value": "float64"})


def _year_status(target: Target, value, baseline, path, goal) -> str:
    """The status of one year's value against its path; ``no_baseline`` without a path."""
    if _isnum(baseline) and _isnum(path):
        return status(value, path, goal, lower_is_better(target))
    return "no_data" if not _isnum(value) else "no_baseline"


def year_statuses(series: pd.Series, target: Target, *, baseline_year: int, years,
                  emissions: dict | None = None) -> pd.DataFrame:
    """Every year's value, path value and status, each year as its own report year (DESIGN §4).

    The status of a year is the one :func:`evaluate` gives with that year as
    the report year: the year's value against the path value of that year
    (``achieved``, ``on_track``, ``off_track``; ``no_data`` without a value,
    ``no_baseline`` without a baseline). So the row of year Y equals the
    ``value``, ``path_value`` and ``status`` of ``summary.json`` for Y
    before completeness is applied (:func:`klimaregnskap.calc.completeness.apply_years`).

    Parameters
    ----------
    series : pandas.Series
        Yearly values indexed by year (baseline-adjusted), in the indicator's unit.
    target : Target
    baseline_year : int
    years : iterable of int
        The years to evaluate (the baseline year to the report year).
    emissions : dict, optional
        For ``net_zero`` targets, as in :func:`evaluate`.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int64), ``value`` and ``path_value`` (float64, in the
        indicator's unit, NaN when none), ``status`` (str).
    """
    baseline = _get(series, baseline_year)
    goal = target_value(target, baseline)
    rows = []
    for y in years:
        value = _get(series, int(y))
        path = path_value(target, baseline, goal, baseline_year, int(y), emissions)
        rows.append((int(y), value, path, _year_status(target, value, baseline, path, goal)))
    out = pd.DataFrame(rows, columns=["year", "value", "path_value", "status"])
    return out.astype({"year": "int64", "value": "float64", "path_value": "float64"})


def path_value(target: Target, baseline: float, goal: float | None, baseline_year: int,
               year: int, emissions: dict | None = None) -> float | None:
    """The path value of ``year`` for a target (see module docstring)."""
    if not _isnum(baseline):
        return None
    if target.kind == "net_zero":
        if emissions is None:
            return linear_path(baseline, goal, baseline_year, target.year, year)
        return climate_neutral_path(baseline, emissions["target_value"], baseline_year,
                                    emissions["target_year"], target.year, year,
                                    neutral_level=goal)
    if target.kind == "increase" or goal is None:
        return baseline
    return linear_path(baseline, goal, baseline_year, target.year, year)


def path_series(target: Target, baseline: float, baseline_year: int,
                emissions: dict | None = None) -> pd.Series:
    """Path values for every year from the baseline year to the target year."""
    goal = target_value(target, baseline)
    years = range(baseline_year, target.year + 1)
    return pd.Series([path_value(target, baseline, goal, baseline_year, y, emissions)
                      for y in years], index=list(years), dtype="float64")


def projection_series(series: pd.Series, baseline_year: int, report_year: int, to_year: int,
                      *, share: bool = False) -> pd.Series:
    """The least-squares trend for every year from the baseline year to ``to_year``."""
    years = [y for y in series.index if baseline_year <= y <= report_year]
    line = trend(years, [series[y] for y in years])
    idx = list(range(baseline_year, to_year + 1))
    if line is None:
        return pd.Series([np.nan] * len(idx), index=idx, dtype="float64")
    vals = np.maximum(np.array(idx, dtype="float64") * line[0] + line[1], 0.0)
    if share:
        vals = np.minimum(vals, 100.0)
    return pd.Series(vals, index=idx, dtype="float64")


def _get(series: pd.Series, year: int) -> float | None:
    if year in series.index and _isnum(series[year]):
        return float(series[year])
    return None
