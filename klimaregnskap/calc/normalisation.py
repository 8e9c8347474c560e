"""Weather-normalised delivered energy (DESIGN §4).

Heating degree days per day = max(0, 17 °C − daily mean); normalised energy
= E·(1 − a) + E·a·HDD_normal / HDD_actual, with a = the site's
``heating_share`` (default :data:`DEFAULT_HEATING_SHARE`), per site, then
summed. A site without temperatures or ``hdd_normal`` keeps its measured
energy, so the trust's sum stays comparable.

References
----------
DESIGN §4 "Weather-normalised energy"; the 17 °C base is the Norwegian
convention for graddagstall (Enova, Norsk Klimaservicesenter).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.warning import KlimaWarning

__all__ = ["HDD_BASE_DEGC", "DEFAULT_HEATING_SHARE", "MIN_TEMPERATURE_DAYS_SHARE",
           "weather_normalised", "temperature_warnings"]

#: Base temperature of heating degree days [°C].
HDD_BASE_DEGC = 17.0
#: Share [-] of delivered energy that varies with weather when a site does not say.
DEFAULT_HEATING_SHARE = 0.5
#: A site-year with daily temperatures for less than this share [-] of its days is uncertain.
MIN_TEMPERATURE_DAYS_SHARE = 0.95


def weather_normalised(site_energy: pd.DataFrame, temperatures: pd.DataFrame,
                       sites) -> pd.DataFrame:
    """Weather-normalised delivered energy per site and year.

    Parameters
    ----------
    site_energy : pandas.DataFrame
        ``year, site, energy_kwh``: measured delivered energy [kWh].
    temperatures : pandas.DataFrame
        ``date, year, site, mean_temperature_degc``: daily means [°C].
    sites : iterable of Site
        The config's sites (``hdd_normal`` [K·day], ``heating_share`` [-] or
        None for the default).

    Returns
    -------
    pandas.DataFrame
        ``year, site, energy_kwh, hdd_actual, hdd_normal, heating_share,
        temperature_days, expected_days, energy_normalised_kwh, normalised``;
        degree days in K·day, energy in kWh.
    """
    df = site_energy.copy()
    if temperatures is None or temperatures.empty:
        hdd = pd.DataFrame(columns=["year", "site", "hdd_actual", "temperature_days"])
    else:
        t = temperatures.assign(hdd=np.maximum(0.0, HDD_BASE_DEGC - temperatures["mean_temperature_degc"]))
        hdd = t.groupby(["year", "site"], as_index=False).agg(
            hdd_actual=("hdd", "sum"), temperature_days=("hdd", "size"))
    df = df.merge(hdd, on=["year", "site"], how="left")
    by_id = {s.id: s for s in sites}
    df["hdd_normal"] = df["site"].map(
        lambda s: by_id[s].hdd_normal if s in by_id else None).astype("float64")
    df["heating_share"] = df["site"].map(
        lambda s: by_id[s].heating_share if s in by_id and by_id[s].heating_share is not None
        else DEFAULT_HEATING_SHARE).astype("float64")
    df["expected_days"] = df["year"].map(
        lambda y: 366 if pd.Timestamp(year=int(y), month=12, day=31).day_of_year == 366 else 365)
    ok = df["hdd_actual"].notna() & (df["hdd_actual"] > 0) & df["hdd_normal"].notna()
    a = df["heating_share"]
    e = df["energy_kwh"]
    norm = e * (1 - a) + e * a * df["hdd_normal"] / df["hdd_actual"]
    df["energy_normalised_kwh"] = np.where(ok, norm, e)
    df["normalised"] = ok
    df["temperature_days"] = df["temperature_days"].fillna(0).astype("int64")
    return df


def temperature_warnings(normalised: pd.DataFrame, years) -> list[KlimaWarning]:
    """Missing temperature days per site and year (never filled).

    Only sites that are to be normalised (with ``hdd_normal``) are checked.

    Parameters
    ----------
    normalised : pandas.DataFrame
        From :func:`weather_normalised`.
    years : iterable of int

    Returns
    -------
    list of KlimaWarning
        ``temperature_days_missing`` (some days missing) or
        ``temperature_year_incomplete`` (under
        :data:`MIN_TEMPERATURE_DAYS_SHARE` of the year's days).
    """
    out: list[KlimaWarning] = []
    if normalised is None or normalised.empty:
        return out
    years = set(int(y) for y in years)
    share = MIN_TEMPERATURE_DAYS_SHARE
    for r in normalised.itertuples(index=False):
        if int(r.year) not in years or r.hdd_normal != r.hdd_normal:
            continue
        missing = int(r.expected_days - r.temperature_days)
        if missing <= 0:
            continue
        low = r.temperature_days < share * r.expected_days
        values = {"days": int(r.temperature_days), "expected_days": int(r.expected_days),
                  "missing_days": missing}
        if low:
            values["min_share_pct"] = share * 100.0
        out.append(KlimaWarning("temperature_year_incomplete" if low else "temperature_days_missing",
                                site=r.site, year=int(r.year), values=values))
    return out
