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
            if missing and (year < report_year or year == report_year):
                out.append({"code": "missing_food_waste_month", "year": year, "site": site,
                            "message": f"{site}: no food waste registered in {year} for month(s) "
                                       f"{', '.join(str(m) for m in missing)}, "
                                       f"registered in {year - 1}"})
    return out
