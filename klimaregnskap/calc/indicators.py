"""Yearly indicator figures: baseline adjustments, intensities, site figures (DESIGN §4).

Each function takes plain DataFrames (units in the column names) and returns
yearly values; baseline adjustments restate history here, once, so every
later stage (targets, report, charts) sees the same adjusted series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.calc.energy import recovered_share_pct
from klimaregnskap.config import BaselineAdjustment, Config
from klimaregnskap.warning import year_ranges



def missing_areas(config: Config, years) -> dict[str, list[int]]:
    """The years of ``years`` in which each site has no heated area (DESIGN §2).

    The area of a year holds until the next entry, so only years before a
    site's first ``area_m2`` entry (or every year, without any) are missing;
    no kWh/m2 can be made for them.

    Returns
    -------
    dict of str to list of int
        Site id -> its missing years, in config order; sites with an area
        for every year are left out.
    """
    years = sorted(set(int(y) for y in years))
    out = {}
    for s in config.sites:
        missing = [y for y in years if s.area_for(y) is None]
        if missing:
            out[s.id] = missing
    return out


def area_problems(config: Config, years) -> list[str]:
    """Sites whose heated area is missing for some of ``years`` (an error in ``check``).

    Energy per m2 cannot be computed for such a site and year; the area of a
    year holds until the next entry, so only years before a site's first
    ``area_m2`` entry (or every year, without any) are missing.

    Parameters
    ----------
    config : Config
    years : iterable of int

    Returns
    -------
    list of str
        One message per site with missing years, naming the config file, the
        key and the years; empty when every site has an area for every year.
    """
    missing_by_site = missing_areas(config, years)
    out = []
    for i, s in enumerate(config.sites, start=1):
        missing = missing_by_site.get(s.id)
        if not missing:
            continue
        first = missing[0]
        out.append(f"{config.path}: site '{s.id}' ([[sites]] no. {i}, key area_m2) has no heated "
                   f"area for {year_ranges(missing)}; expected e.g. area_m2 = {{ {first} = 12000 }}")
    return out


def trust_intensities(years, energy_kwh: pd.Series, emissions_tco2e: pd.Series,
                      food_waste_kg: pd.Series, operations: pd.DataFrame,
                      config: Config) -> pd.DataFrame:
    """Intensities of the whole trust per year.

    Parameters
    ----------
    years : iterable of int
    energy_kwh : pandas.Series
        Delivered energy [kWh] by year (measured, not restated).
    emissions_tco2e : pandas.Series
        Target emissions [tCO2e] by year (measured, not restated).
    food_waste_kg : pandas.Series
        Food waste [kg] by year (measured, not restated).
    operations : pandas.DataFrame
        ``year, site, patient_days, meals_served``.
    config : Config
        Heated area per site and year.

    Returns
    -------
    pandas.DataFrame
        ``year, area_m2, patient_days, meals_served, energy_kwh_per_m2,
        emissions_kgco2e_per_patient_day, food_waste_kg_per_patient_day,
        food_waste_g_per_meal_served``. The trust's area is NaN in a year
        where any site lacks an area (a partial sum would overstate kWh/m2);
        patient days and meals are NaN in a year without operations data.
    """
    years = [int(y) for y in years]
    ops = operations if operations is not None else pd.DataFrame()

    def ops_sum(col):
        if ops.empty or col not in ops:
            return pd.Series(np.nan, index=years)
        g = ops.groupby(ops["year"].astype(int))[col].sum(min_count=1)
        return g.reindex(years)

    def get(s, y):
        return float(s.get(y, np.nan)) if s is not None else np.nan

    area = []
    for y in years:
        a = [s.area_for(y) for s in config.sites]
        area.append(float(sum(a)) if a and all(v is not None for v in a) else np.nan)
    df = pd.DataFrame({"year": years, "area_m2": area,
                       "patient_days": ops_sum("patient_days").to_numpy(dtype="float64"),
                       "meals_served": ops_sum("meals_served").to_numpy(dtype="float64")})
    e = np.array([get(energy_kwh, y) for y in years])
    em = np.array([get(emissions_tco2e, y) for y in years])
    fw = np.array([get(food_waste_kg, y) for y in years])
    with np.errstate(invalid="ignore", divide="ignore"):
        df["energy_kwh_per_m2"] = e / df["area_m2"]
        df["emissions_kgco2e_per_patient_day"] = em * 1000.0 / df["patient_days"]
        df["food_waste_kg_per_patient_day"] = fw / df["patient_days"]
        df["food_waste_g_per_meal_served"] = fw * 1000.0 / df["meals_served"]
    return df.replace([np.inf, -np.inf], np.nan)


def apply_adjustments(series: pd.Series, indicator: str,
                      adjustments: tuple[BaselineAdjustment, ...]) -> pd.Series:
    """Restate history: add each adjustment's amount to every year before its year.

    Parameters
    ----------
    series : pandas.Series
        Yearly values indexed by year, in the indicator's unit.
    indicator : str
    adjustments : tuple of BaselineAdjustment
        Amounts already in the indicator's unit.

    Returns
    -------
    pandas.Series
        The restated series (a copy).
    """
    out = series.astype("float64").copy()
    for adj in adjustments:
        if adj.indicator != indicator:
            continue
        mask = (out.index < adj.year) & out.notna().to_numpy()
        out[mask] = out[mask] + adj.amount
    return out


def site_table(config: Config, years, tl: pd.DataFrame, delivered: pd.DataFrame,
               recovered: pd.DataFrame, normalised: pd.DataFrame, food: pd.DataFrame,
               operations: pd.DataFrame) -> pd.DataFrame:
    """Figures per site and year, on the same basis as the indicators (DESIGN §5).

    Parameters
    ----------
    config : Config
        Sites and their heated area per year [m2].
    years : list of int
    tl : pandas.DataFrame
        Target emission lines (configured method and scopes) [tCO2e].
    delivered, recovered : pandas.DataFrame
        Energy lines [kWh] (:mod:`klimaregnskap.calc.energy`).
    normalised : pandas.DataFrame
        Weather-normalised energy per site and year [kWh].
    food : pandas.DataFrame
        Food waste registrations [kg].
    operations : pandas.DataFrame
        Patient days and meals served per site and year.

    Returns
    -------
    pandas.DataFrame
        ``year, site, energy_kwh, emissions_tco2e, recovered_energy_kwh,
        food_waste_kg, patient_days, meals_served, energy_normalised_kwh,
        area_m2, energy_kwh_per_m2, emissions_kgco2e_per_patient_day,
        food_waste_kg_per_patient_day, food_waste_g_per_meal_served,
        recovered_heat_share_pct``; NaN where a figure cannot be made.
    """
    idx = pd.MultiIndex.from_product([years, config.site_ids], names=["year", "site"])
    t = pd.DataFrame(index=idx).reset_index()

    def add(frame, col, name):
        nonlocal t
        if frame is None or frame.empty:
            t[name] = np.nan
            return
        g = frame.groupby([frame["year"].astype(int), "site"])[col].sum().rename(name)
        t = t.merge(g.reset_index(), on=["year", "site"], how="left")

    add(delivered, "energy_kwh", "energy_kwh")
    add(tl, "emissions_tco2e", "emissions_tco2e")
    add(recovered, "energy_kwh", "recovered_energy_kwh")
    add(food, "quantity_kg", "food_waste_kg")
    add(operations, "patient_days", "patient_days")
    add(operations, "meals_served", "meals_served")
    if normalised is not None and not normalised.empty:
        n = normalised[["year", "site", "energy_normalised_kwh"]].copy()
        n["year"] = n["year"].astype(int)
        t = t.merge(n, on=["year", "site"], how="left")
    else:
        t["energy_normalised_kwh"] = np.nan
    sites = {s.id: s for s in config.sites}
    t["area_m2"] = [sites[s].area_for(int(y)) for y, s in zip(t["year"], t["site"])]
    t["area_m2"] = t["area_m2"].astype("float64")
    t["energy_kwh_per_m2"] = t["energy_kwh"] / t["area_m2"]
    t["emissions_kgco2e_per_patient_day"] = t["emissions_tco2e"] * 1000.0 / t["patient_days"]
    t["food_waste_kg_per_patient_day"] = t["food_waste_kg"] / t["patient_days"]
    t["food_waste_g_per_meal_served"] = t["food_waste_kg"] * 1000.0 / t["meals_served"]
    t["recovered_energy_kwh"] = t["recovered_energy_kwh"].fillna(0.0)
    t["recovered_heat_share_pct"] = recovered_share_pct(t["energy_kwh"],
                                                                   t["recovered_energy_kwh"])
    return t.replace([np.inf, -np.inf], np.nan)
