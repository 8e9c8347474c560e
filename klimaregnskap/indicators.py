"""Yearly indicator series from emission and energy lines and the other inputs.

Each function takes plain DataFrames (units in the column names) and returns
yearly values; baseline adjustments restate history here, once, so every
later stage (targets, report, charts) sees the same adjusted series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.config import BaselineAdjustment, Config

HDD_BASE_DEGC = 17.0
MIN_TEMPERATURE_DAYS_SHARE = 0.95


def emissions_by_scope(lines: pd.DataFrame) -> pd.DataFrame:
    """Emissions [tCO2e] per year, electricity method and scope.

    Parameters
    ----------
    lines : pandas.DataFrame
        Emission lines (``year, method, scope, emissions_tco2e``).

    Returns
    -------
    pandas.DataFrame
        ``year, method, scope, emissions_tco2e``.
    """
    if lines.empty:
        return pd.DataFrame(columns=["year", "method", "scope", "emissions_tco2e"])
    g = lines.groupby(["year", "method", "scope"], as_index=False)["emissions_tco2e"].sum()
    g["scope"] = g["scope"].astype("int64")
    return g


def target_lines(lines: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The emission lines behind the target: the config's method and target scopes."""
    if lines.empty:
        return lines
    acc = config.accounting
    return lines[(lines["method"] == acc.electricity_method)
                 & lines["scope"].astype("int64").isin(acc.target_scopes)]


def delivered_energy(energy: pd.DataFrame) -> pd.DataFrame:
    """Energy lines that count as delivered energy: main meters and building fuels, not recovered."""
    if energy.empty:
        return energy
    return energy[(energy["role"] == "main") & ~energy["recovered"].astype(bool)]


def recovered_energy(energy: pd.DataFrame) -> pd.DataFrame:
    """Energy lines of recovered energy from main meters."""
    if energy.empty:
        return energy
    return energy[(energy["role"] == "main") & energy["recovered"].astype(bool)]


def recovered_share_pct(delivered_kwh, recovered_kwh):
    """Share of recovered energy [%] (DESIGN §4): recovered / (delivered + recovered) x 100.

    Parameters
    ----------
    delivered_kwh : float or array-like
        Delivered energy [kWh]; NaN when unknown.
    recovered_kwh : float or array-like
        Recovered energy (recovered heat and power) [kWh]; NaN counts as 0
        (a site without a recovery meter recovers nothing).

    Returns
    -------
    float or numpy.ndarray
        The share [%]; NaN when delivered energy is unknown or both are 0.
    """
    d = np.asarray(delivered_kwh, dtype="float64")
    r = np.nan_to_num(np.asarray(recovered_kwh, dtype="float64"), nan=0.0)
    total = d + r
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, r / np.where(total > 0, total, 1.0) * 100.0, np.nan)
    return float(out) if out.ndim == 0 else out


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
    years = sorted(set(int(y) for y in years))
    out = []
    for i, s in enumerate(config.sites, start=1):
        missing = [y for y in years if s.area_for(y) is None]
        if not missing:
            continue
        first = missing[0]
        out.append(f"{config.path}: site '{s.id}' ([[sites]] no. {i}, key area_m2) has no heated "
                   f"area for {year_ranges(missing)}; expected e.g. area_m2 = {{ {first} = 12000 }}")
    return out


def year_ranges(years, dash: str = "-") -> str:
    """2019, 2020, 2021, 2023 -> '2019-2021, 2023' (duplicates and order ignored)."""
    parts, start, prev = [], None, None
    for y in sorted({int(y) for y in years}):
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            parts.append(str(start) if start == prev else f"{start}{dash}{prev}")
            start = prev = y
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}{dash}{prev}")
    return ", ".join(parts)


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


def yearly(frame: pd.DataFrame, column: str, by: list[str] | None = None) -> pd.DataFrame | pd.Series:
    """Sum ``column`` per year (and ``by``)."""
    keys = ["year"] + (by or [])
    if frame.empty:
        return pd.Series(dtype="float64") if not by else pd.DataFrame(columns=keys + [column])
    g = frame.groupby(keys)[column].sum()
    return g if not by else g.reset_index()


def weather_normalised(site_energy: pd.DataFrame, temperatures: pd.DataFrame,
                       config: Config) -> pd.DataFrame:
    """Weather-normalised delivered energy per site and year (DESIGN §4).

    Heating degree days per day = max(0, 17 °C - daily mean); normalised energy
    = E(1 - a) + E a HDD_normal / HDD_actual with a = the site's heating share.
    A site without temperatures for the year or without ``hdd_normal`` keeps
    its measured energy (so the trust's sum stays comparable), flagged
    ``normalised = False``.

    Parameters
    ----------
    site_energy : pandas.DataFrame
        ``year, site, energy_kwh`` measured delivered energy [kWh].
    temperatures : pandas.DataFrame
        ``date, year, site, mean_temperature_degc`` daily means [°C].
    config : Config

    Returns
    -------
    pandas.DataFrame
        ``year, site, energy_kwh, hdd_actual, hdd_normal, heating_share,
        temperature_days, expected_days, energy_normalised_kwh, normalised``.
    """
    df = site_energy.copy()
    if temperatures is None or temperatures.empty:
        hdd = pd.DataFrame(columns=["year", "site", "hdd_actual", "temperature_days"])
    else:
        t = temperatures.assign(hdd=np.maximum(0.0, HDD_BASE_DEGC - temperatures["mean_temperature_degc"]))
        hdd = t.groupby(["year", "site"], as_index=False).agg(
            hdd_actual=("hdd", "sum"), temperature_days=("hdd", "size"))
    df = df.merge(hdd, on=["year", "site"], how="left")
    sites = {s.id: s for s in config.sites}
    df["hdd_normal"] = df["site"].map(lambda s: sites[s].hdd_normal if s in sites else None).astype("float64")
    df["heating_share"] = df["site"].map(lambda s: sites[s].heating_share if s in sites else 0.5).astype("float64")
    df["expected_days"] = df["year"].map(lambda y: 366 if pd.Timestamp(year=int(y), month=12, day=31).day_of_year == 366 else 365)
    ok = df["hdd_actual"].notna() & (df["hdd_actual"] > 0) & df["hdd_normal"].notna()
    a = df["heating_share"]
    e = df["energy_kwh"]
    norm = e * (1 - a) + e * a * df["hdd_normal"] / df["hdd_actual"]
    df["energy_normalised_kwh"] = np.where(ok, norm, e)
    df["normalised"] = ok
    df["temperature_days"] = df["temperature_days"].fillna(0).astype("int64")
    return df


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


def food_waste_warnings(food: pd.DataFrame, report_year: int) -> list[dict]:
    """Sites or months with registrations the year before but none this year.

    Parameters
    ----------
    food : pandas.DataFrame
        ``year, month, site, quantity_kg``.
    report_year : int

    Returns
    -------
    list of dict
        ``{"code": "missing_food_waste", "message": ...}`` entries.
    """
    out = []
    if food.empty:
        return out
    for year in sorted(food["year"].unique()):
        year = int(year)
        if year > report_year:
            continue
        prev = food[food["year"] == year - 1]
        cur = food[food["year"] == year]
        if prev.empty:
            continue
        for site in sorted(set(prev["site"]) - set(cur["site"])):
            out.append({"code": "missing_food_waste_site", "year": year, "site": site,
                        "message": f"{site}: no food waste registered in {year}, "
                                   f"but registrations exist for {year - 1}"})
        for site in sorted(set(prev["site"]) & set(cur["site"])):
            pm = set(prev.loc[prev["site"] == site, "month"])
            cm = set(cur.loc[cur["site"] == site, "month"])
            missing = sorted(int(m) for m in pm - cm)
            if missing:
                out.append({"code": "missing_food_waste_month", "year": year, "site": site,
                            "message": f"{site}: no food waste registered in {year} for month(s) "
                                       f"{', '.join(str(m) for m in missing)}, "
                                       f"registered in {year - 1}"})
    return out
