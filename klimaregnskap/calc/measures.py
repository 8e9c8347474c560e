"""Measures (tiltak): what the measures a trust has taken or plans do to its indicators.

DESIGN §4 "Measures", one rule per function:

* :func:`ramp` — a measure's effect in each year (0 before ``start_year``, a
  linear ramp to ``full_effect_year``, the full effect after);
* :func:`percent_effect` — a ``%`` effect as a quantity of the indicator;
* :func:`beyond_report_year` — what of an effect falls after the report year
  (the rest is already in the actual values);
* :func:`bau` — business as usual: the report year's value held constant;
* :func:`with_measures` — BAU plus the counted measures (``decided`` and
  ``implemented``; then ``planned`` as well; ideas never);
* :func:`gap_after_measures` — what is still missing in the target year;
* :func:`carrier_factors` and :func:`carrier_effect` — an energy measure's
  effect on emissions through its carrier's factor of each year;
* :func:`annuity_factor` and :func:`cost_per_tco2e` — the yearly cost of a
  tonne of CO2e avoided;
* :func:`evaluate` — all of the above for a register of measures, as the
  pipeline stores it in the accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from klimaregnskap.calc import factors as fl
from klimaregnskap.units import quantity
from klimaregnskap.warning import KlimaWarning

__all__ = ["COUNTED", "ramp", "percent_effect", "beyond_report_year", "bau", "with_measures",
           "gap_after_measures", "carrier_factors", "carrier_effect", "annuity_factor",
           "cost_per_tco2e", "related_indicators", "evaluate", "MeasureResults",
           "MEASURE_COLUMNS", "EFFECT_COLUMNS", "SCENARIO_COLUMNS"]

#: the statuses each scenario counts (DESIGN §4); ideas are listed, never counted
COUNTED = {"decided": ("decided", "implemented"),
           "planned": ("decided", "implemented", "planned")}
#: indicators that follow the emissions of the target scopes
EMISSION_INDICATORS = ("emissions", "climate_neutral", "footprint")
#: a measure on the key also applies to these indicators (DESIGN §4)
_ALSO = {"emissions": ("climate_neutral", "footprint"), "energy": ("energy_normalised",)}
_ENERGY = ("energy", "energy_normalised")

MEASURE_COLUMNS = ["id", "name", "indicator", "status", "unit", "effect_full",
                   "effect_target_year", "target_year", "start_year", "full_effect_year",
                   "site", "carrier", "owner", "investment_nok", "annual_cost_change_nok",
                   "lifetime_years", "tco2e_per_year", "cost_per_tco2e", "file", "row"]
EFFECT_COLUMNS = ["id", "indicator", "status", "via", "year", "effect", "effect_beyond"]
SCENARIO_COLUMNS = ["indicator", "year", "bau", "with_decided", "with_planned"]


def ramp(full_effect: float, start_year: int, full_effect_year: int, years) -> np.ndarray:
    """A measure's effect in each year (DESIGN §4 "Measures").

    Parameters
    ----------
    full_effect : float
        F, the yearly effect at full effect [indicator unit a year].
    start_year, full_effect_year : int
        The first year with an effect and the first year of full effect.
    years : array-like of int

    Returns
    -------
    numpy.ndarray of float
        0 before ``start_year``; F × (y − start_year + 1) / (full_effect_year −
        start_year + 1) from ``start_year`` to ``full_effect_year``; F after
        [indicator unit]. Without a ramp (the two years equal) the start
        year has the full effect.
    """
    y = np.asarray(years, dtype="float64")
    span = float(full_effect_year - start_year + 1)
    share = np.clip((y - start_year + 1) / span, 0.0, 1.0)
    return float(full_effect) * share


def percent_effect(effect_pct: float, baseline: float | None, share: bool) -> float:
    """A ``%`` effect as a quantity of the indicator (DESIGN §4 "Measures").

    Parameters
    ----------
    effect_pct : float
        The effect as written [%].
    baseline : float or None
        The indicator's (adjusted) baseline [indicator unit].
    share : bool
        Whether the indicator is a share (then the effect is percentage points).

    Returns
    -------
    float
        ``effect_pct`` percentage points for a share; ``effect_pct`` / 100 ×
        baseline otherwise [indicator unit]; NaN without a baseline.
    """
    if share:
        return float(effect_pct)
    if baseline is None or np.isnan(baseline):
        return float("nan")
    return float(effect_pct) / 100.0 * float(baseline)


def beyond_report_year(effects: np.ndarray, years, report_year: int) -> np.ndarray:
    """What of a measure's effect falls after the report year (DESIGN §4 "Measures").

    Parameters
    ----------
    effects : numpy.ndarray
        The effect of each year of ``years`` [indicator unit].
    years : array-like of int
        Must hold ``report_year``.
    report_year : int

    Returns
    -------
    numpy.ndarray
        The effect in year y minus the effect in the report year, for y after
        the report year; 0 up to the report year (that much is already in the
        actual values, so an implemented measure is never counted twice)
        [indicator unit].
    """
    y = np.asarray(years)
    at = effects[np.flatnonzero(y == report_year)[0]]
    return np.where(y > report_year, effects - at, 0.0)


def bau(report_year_value: float, years) -> np.ndarray:
    """Business as usual: the report year's value held constant (DESIGN §4 "Measures").

    Parameters
    ----------
    report_year_value : float
        The indicator's value of the report year [indicator unit].
    years : array-like of int

    Returns
    -------
    numpy.ndarray
        The same value for every year [indicator unit].
    """
    return np.full(len(np.asarray(years)), float(report_year_value))


def with_measures(bau_values: np.ndarray, beyond: pd.DataFrame, statuses) -> np.ndarray:
    """BAU plus what the counted measures do after the report year (DESIGN §4 "Measures").

    Parameters
    ----------
    bau_values : numpy.ndarray
        BAU of each year [indicator unit].
    beyond : pandas.DataFrame
        One column per year (in the order of ``bau_values``) and a ``status``
        column: each measure's effect beyond the report year
        (:func:`beyond_report_year`) [indicator unit].
    statuses : iterable of str
        The statuses counted: ``COUNTED["decided"]`` (decided and
        implemented) or ``COUNTED["planned"]`` (those and planned). Ideas are
        never counted.

    Returns
    -------
    numpy.ndarray
        [indicator unit]
    """
    keep = beyond[beyond["status"].isin(tuple(statuses))].drop(columns="status")
    return bau_values + keep.to_numpy(dtype="float64").sum(axis=0)


def gap_after_measures(with_planned: float, target_value: float | None,
                       lower_is_better: bool) -> float | None:
    """What is still missing in the target year after the planned measures (DESIGN §4).

    Parameters
    ----------
    with_planned : float
        The indicator with planned measures in the target year [indicator unit].
    target_value : float or None
        The target's value [indicator unit]; None for a direction only.
    lower_is_better : bool
        True for reductions and net zero, False for shares.

    Returns
    -------
    float or None
        with planned − target value for a reduction, target value − with
        planned for a share; positive: still short of the target
        [indicator unit]. None without a target value.
    """
    if target_value is None or with_planned is None or np.isnan(with_planned):
        return None
    if lower_is_better:
        return float(with_planned - target_value)
    return float(target_value - with_planned)


def carrier_factors(lib, carrier: str, years, *, method: str, gwp: str) -> pd.DataFrame:
    """A carrier's emissions per kWh in each year (DESIGN §4 "Measures").

    The carrier's emission factor of each year under the config's method (the
    nearest earlier published year where a year has none, so the last
    published year for future years: :func:`klimaregnskap.calc.factors.resolve`);
    a fuel's factor per litre, kilogram or Sm3 is turned into one per kWh
    through its energy content of the same year.

    Parameters
    ----------
    lib : FactorLibrary
    carrier : str
        ``electricity``, ``district_heating``, ``fuel_oil``, ...
    years : array-like of int
    method : str
        The config's electricity method.
    gwp : str

    Returns
    -------
    pandas.DataFrame
        ``year, tco2e_per_kwh`` [tCO2e/kWh], ``factor_year``, ``fallback``,
        ``scope``.
    """
    yrs = [int(y) for y in years]
    req = pd.DataFrame({"activity": carrier, "year": yrs})
    ef = fl.resolve(lib, req, kind="emission", method=method, gwp=gwp)
    values = ef["factor_value"].to_numpy(dtype="float64")
    units_ = ef["factor_unit"].to_numpy(dtype=object)
    per_kwh = np.empty(len(yrs))
    content = None
    # one unit conversion per distinct factor unit (and energy-content unit), not per year
    for unit in pd.unique(units_):
        mask = units_ == unit
        q = quantity(1.0, "kWh") * quantity(1.0, unit)
        if q.check("[co2e]"):
            per_kwh[mask] = values[mask] * float(q.to("tCO2e").magnitude)
            continue
        if content is None:
            content = fl.resolve(lib, req, kind="energy", method=None, gwp=gwp)
        c_val = content["factor_value"].to_numpy(dtype="float64")
        c_unit = content["factor_unit"].to_numpy(dtype=object)
        for cu in pd.unique(c_unit[mask]):
            both = mask & (c_unit == cu)
            scale = float((q / quantity(1.0, cu)).to("tCO2e").magnitude)
            per_kwh[both] = values[both] / c_val[both] * scale
    return pd.DataFrame({"year": yrs, "tco2e_per_kwh": per_kwh,
                         "factor_year": ef["factor_year"].to_numpy(),
                         "fallback": ef["fallback"].to_numpy(),
                         "scope": ef["scope"].to_numpy()})


def carrier_effect(energy_effects_kwh: np.ndarray, tco2e_per_kwh: np.ndarray) -> np.ndarray:
    """An energy measure's effect on emissions in each year (DESIGN §4 "Measures").

    Parameters
    ----------
    energy_effects_kwh : numpy.ndarray
        The measure's energy effect of each year (:func:`ramp`) [kWh].
    tco2e_per_kwh : numpy.ndarray
        Its carrier's factor of the same years (:func:`carrier_factors`)
        [tCO2e/kWh].

    Returns
    -------
    numpy.ndarray
        [tCO2e]
    """
    return np.asarray(energy_effects_kwh, dtype="float64") * np.asarray(tco2e_per_kwh,
                                                                         dtype="float64")


def annuity_factor(rate_pct: float, lifetime_years: float) -> float:
    """The annuity factor that spreads an investment over a lifetime (DESIGN §4).

    Parameters
    ----------
    rate_pct : float
        The discount rate, ``discount_rate_pct`` [%].
    lifetime_years : float
        n [year].

    Returns
    -------
    float
        r / (1 − (1 + r)^−n) for r = rate_pct / 100; 1 / n when r is 0 [1/year].
    """
    r = float(rate_pct) / 100.0
    n = float(lifetime_years)
    if r == 0:
        return 1.0 / n
    return r / (1.0 - (1.0 + r) ** -n)


def cost_per_tco2e(investment_nok: float | None, annual_cost_change_nok: float | None,
                   lifetime_years: float | None, rate_pct: float,
                   tco2e_per_year: float | None) -> float | None:
    """The cost of a tonne of CO2e avoided (DESIGN §4 "Measures").

    Parameters
    ----------
    investment_nok : float or None
        The one-off investment [NOK].
    annual_cost_change_nok : float or None
        The change in yearly running costs, negative for a saving [NOK/year].
    lifetime_years : float or None
        [year]; needed with an investment.
    rate_pct : float
        ``discount_rate_pct`` [%].
    tco2e_per_year : float or None
        The tonnes CO2e a year the measure reduces at full effect [tCO2e/year].

    Returns
    -------
    float or None
        (investment × annuity factor + annual cost change) / tCO2e a year
        [NOK/tCO2e]; negative for a saving; None when the measure has no cost
        (both absent or 0) or reduces no CO2e.
    """
    inv = 0.0 if investment_nok is None or np.isnan(investment_nok) else float(investment_nok)
    ann = (0.0 if annual_cost_change_nok is None or np.isnan(annual_cost_change_nok)
           else float(annual_cost_change_nok))
    if inv == 0 and ann == 0:
        return None
    if tco2e_per_year is None or np.isnan(tco2e_per_year) or tco2e_per_year <= 0:
        return None
    yearly = inv * annuity_factor(rate_pct, lifetime_years) if inv else 0.0
    return (yearly + ann) / float(tco2e_per_year)


def related_indicators(indicator: str, carrier: str, present) -> list[tuple[str, str]]:
    """The indicators a measure changes, and how (DESIGN §4 "Measures").

    Parameters
    ----------
    indicator : str
        The indicator the measure names.
    carrier : str
        Its carrier ('' for none).
    present : collection of str
        The indicators the accounts have.

    Returns
    -------
    list of (indicator, via)
        ``via`` is ``'effect'`` for the measure's own effect (the named
        indicator; ``climate_neutral`` and ``footprint`` for an emissions
        measure, ``energy_normalised`` for an energy measure) and
        ``'carrier'`` for the emission indicators an energy measure with a
        carrier changes.
    """
    out = [(indicator, "effect")] if indicator in present else []
    out += [(k, "effect") for k in _ALSO.get(indicator, ()) if k in present]
    if carrier and indicator in _ENERGY:
        out += [(k, "carrier") for k in EMISSION_INDICATORS if k in present]
    return out


@dataclass
class MeasureResults:
    """What :func:`evaluate` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per measure (:data:`MEASURE_COLUMNS`): ``effect_full`` and
        ``effect_target_year`` in ``unit`` (the named indicator's),
        ``tco2e_per_year`` [tCO2e/year] and ``cost_per_tco2e`` [NOK/tCO2e].
    effects : pandas.DataFrame
        Per measure, indicator it changes (``via`` effect or carrier) and year
        from the report year to the indicator's target year: ``effect`` (by
        the ramp) and ``effect_beyond`` (what falls after the report year)
        [indicator unit].
    scenarios : pandas.DataFrame
        Per indicator with measures and year: ``bau``, ``with_decided``,
        ``with_planned`` [indicator unit].
    fields : dict
        Indicator -> ``bau_target_year_value``,
        ``with_decided_measures_target_year_value``,
        ``with_planned_measures_target_year_value`` and, where it has a target
        value, ``gap_after_measures`` [indicator unit].
    warnings : list of KlimaWarning
    """

    table: pd.DataFrame
    effects: pd.DataFrame
    scenarios: pd.DataFrame
    fields: dict
    warnings: list = field(default_factory=list)


def evaluate(measures: pd.DataFrame, indicators: dict, targets: dict, *, report_year: int,
             units: dict, shares: set, lib, method: str, gwp: str, target_scopes,
             discount_rate_pct: float) -> MeasureResults:
    """Every rule of DESIGN §4 "Measures" for the project's register.

    Parameters
    ----------
    measures : pandas.DataFrame
        The current measures (the reader's columns, ``file`` too): ``effect``
        in ``effect_unit`` (the named indicator's unit, or ``%``).
    indicators : dict
        The accounts' indicator fields (``value`` of the report year,
        ``baseline``, ``target_value``) [indicator unit].
    targets : dict
        Indicator -> :class:`klimaregnskap.config.Target` (year and kind).
    report_year : int
    units : dict
        Indicator -> unit.
    shares : set
        The indicators that are shares.
    lib : FactorLibrary
    method, gwp : str
        The config's electricity method and GWP set.
    target_scopes : iterable of int
        The scopes of ``emissions`` and ``climate_neutral``.
    discount_rate_pct : float
        [%]

    Returns
    -------
    MeasureResults
    """
    present = set(indicators)
    scopes = {int(s) for s in target_scopes}
    warns: list[KlimaWarning] = []
    rows, eff_rows = [], []
    em_year = targets["emissions"].year if "emissions" in targets else report_year
    last = max([report_year, em_year] + [t.year for t in targets.values()])
    cache: dict[str, pd.DataFrame] = {}

    def factors_of(carrier: str, yrs) -> pd.DataFrame:
        # every year a measure needs, resolved once per carrier
        if carrier not in cache:
            cache[carrier] = carrier_factors(lib, carrier, range(min(report_year, em_year),
                                                                 last + 1),
                                             method=method, gwp=gwp).set_index("year")
        return cache[carrier].loc[[int(y) for y in yrs]].reset_index()

    for m in measures.itertuples(index=False):
        ind = m.indicator
        unit = units.get(ind, m.effect_unit)
        base = (indicators.get(ind) or {}).get("baseline")
        if m.effect_unit == "%":
            full = percent_effect(m.effect, base, ind in shares)
        else:
            full = float(m.effect)
        if ind not in present:
            warns.append(KlimaWarning("measure_indicator_absent", values={
                "measure": m.id, "indicator": ind}))
        elif np.isnan(full):
            warns.append(KlimaWarning("measure_no_baseline", values={
                "measure": m.id, "indicator": ind}))
        # an indicator without a target (footprint unless configured) looks as far
        # ahead as the emissions target, like its projection (pipeline._targets)
        ty = targets[ind].year if ind in targets else em_year
        row = {"id": m.id, "name": m.name, "indicator": ind, "status": m.status, "unit": unit,
               "effect_full": full, "start_year": int(m.start_year),
               "full_effect_year": int(m.full_effect_year), "target_year": int(ty),
               "effect_target_year": float(ramp(full, m.start_year, m.full_effect_year, [ty])[0]),
               "site": m.site, "carrier": m.carrier, "owner": m.owner,
               "investment_nok": m.investment_nok,
               "annual_cost_change_nok": m.annual_cost_change_nok,
               "lifetime_years": m.lifetime_years, "file": getattr(m, "file", ""),
               "row": int(m.row)}
        tco2e = None
        if ind in EMISSION_INDICATORS and not np.isnan(full):
            tco2e = -full
        elif m.carrier and ind in _ENERGY and not np.isnan(full):
            f = factors_of(m.carrier, [em_year])
            tco2e = -float(carrier_effect([full], f["tco2e_per_kwh"].to_numpy())[0])
        row["tco2e_per_year"] = tco2e
        row["cost_per_tco2e"] = cost_per_tco2e(m.investment_nok, m.annual_cost_change_nok,
                                               m.lifetime_years, discount_rate_pct, tco2e)
        rows.append(row)
        if np.isnan(full):
            continue
        for target_ind, via in related_indicators(ind, m.carrier, present):
            t_year = targets[target_ind].year if target_ind in targets else em_year
            years = np.arange(report_year, max(t_year, report_year) + 1)
            effects = ramp(full, m.start_year, m.full_effect_year, years)
            if via == "carrier":
                f = factors_of(m.carrier, years)
                in_scope = target_ind == "footprint" or (
                    not f["scope"].isna().any() and set(f["scope"].astype(int)) <= scopes)
                if not in_scope:
                    continue
                effects = carrier_effect(effects, f["tco2e_per_kwh"].to_numpy())
            beyond = beyond_report_year(effects, years, report_year)
            eff_rows += [{"id": m.id, "indicator": target_ind, "status": m.status, "via": via,
                          "year": int(y), "effect": float(e), "effect_beyond": float(b)}
                         for y, e, b in zip(years, effects, beyond)]
    table = pd.DataFrame(rows, columns=MEASURE_COLUMNS)
    effects = pd.DataFrame(eff_rows, columns=EFFECT_COLUMNS)
    scen_rows, fields = [], {}
    for ind in [k for k in indicators if k in set(effects["indicator"])]:
        value = indicators[ind].get("value")
        if value is None or np.isnan(value):
            continue
        sub = effects[effects["indicator"] == ind]
        years = np.sort(sub["year"].unique())
        wide = sub.pivot_table(index=["id", "status", "via"], columns="year",
                               values="effect_beyond", aggfunc="sum").reset_index()
        wide = wide[["status", *years]]
        b = bau(value, years)
        decided = with_measures(b, wide, COUNTED["decided"])
        planned = with_measures(b, wide, COUNTED["planned"])
        scen_rows += [{"indicator": ind, "year": int(y), "bau": float(v), "with_decided": float(d),
                       "with_planned": float(p)} for y, v, d, p in zip(years, b, decided, planned)]
        f = {"bau_target_year_value": float(b[-1]),
             "with_decided_measures_target_year_value": float(decided[-1]),
             "with_planned_measures_target_year_value": float(planned[-1])}
        goal = indicators[ind].get("target_value")
        t = targets.get(ind)
        if goal is not None and t is not None:
            f["gap_after_measures"] = gap_after_measures(
                float(planned[-1]), float(goal), t.kind in ("reduction", "net_zero"))
        fields[ind] = f
    return MeasureResults(table, effects, pd.DataFrame(scen_rows, columns=SCENARIO_COLUMNS),
                          fields, warns)
