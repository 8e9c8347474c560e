"""Energy certificates: gjenvinningskraft and other guarantees of origin (DESIGN §3, §4).

Rules (DESIGN §4, "Energy certificates"):

* Trust-wide certificates (``site`` empty) are split among the sites in
  proportion to each site's electricity E that year, regardless of the
  sites' own certificates; a site's certificates C are its own plus its
  share (:func:`allocate`).
* C counts at most E: where C > E each kind is scaled by E / C, and the rest
  is excess, reported and never counted. So a site (or a trust) without
  electricity in a year counts none of that year's certificates: all of them
  are excess (an auditor counts no certificate against electricity that was
  not used).
* For every electricity method except ``location`` (GHG Protocol scope 2
  dual reporting: the location-based figure ignores certificates),
  electricity emissions = (E − C) × method factor + C × certificate factor.
  The engine keeps the electricity lines (E × method factor, gross) and adds
  one certificate line per site, year, kind and method with the deduction
  as negative emissions, C_kind × (certificate factor − method factor)
  (:func:`certificate_lines`): the lines add up to the net figure.
* Share of gjenvinningskraft (``recovered_power_share``) = (gjenvinningskraft
  counted + metered ``recovered_power``) / (electricity + metered
  ``recovered_power``) (:func:`recovered_power_share_pct`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.calc import factors as fl
from klimaregnskap.calc.electricity import CERTIFICATE_PREFIX
from klimaregnskap.units import conversion_factor

__all__ = ["LOCATION", "KINDS", "ALLOCATION_COLUMNS", "allocate", "certificate_lines",
           "site_electricity", "certificate_summary", "recovered_power_share_pct",
           "deduction_methods"]

#: The method whose figure ignores certificates (GHG Protocol scope 2 dual reporting).
LOCATION = "location"

#: The kinds of certificate (DESIGN §3).
KINDS = ("gjenvinningskraft", "renewable")

ALLOCATION_COLUMNS = ["year", "site", "certificate", "own_kwh", "share_kwh", "bought_kwh",
                      "counted_kwh", "excess_kwh", "electricity_kwh"]

#: The carrier whose metered energy counts in the share of gjenvinningskraft.
RECOVERED_POWER = "recovered_power"


def deduction_methods(methods) -> list[str]:
    """The electricity methods certificates apply to: every one but ``location``."""
    return [m for m in methods if m != LOCATION]


def site_electricity(delivered: pd.DataFrame) -> pd.DataFrame:
    """Each site's electricity per year [kWh]: E of DESIGN §4.

    Parameters
    ----------
    delivered : pandas.DataFrame
        Delivered-energy lines (:func:`klimaregnskap.calc.energy.delivered_energy`:
        main meters and activity rows, ``carrier``, ``energy_kwh`` [kWh]).

    Returns
    -------
    pandas.DataFrame
        ``year, site, electricity_kwh`` [kWh].
    """
    cols = ["year", "site", "electricity_kwh"]
    if delivered is None or delivered.empty:
        return pd.DataFrame(columns=cols).astype({"year": "int64", "electricity_kwh": "float64"})
    el = delivered[delivered["carrier"] == "electricity"]
    if el.empty:
        return pd.DataFrame(columns=cols).astype({"year": "int64", "electricity_kwh": "float64"})
    out = (el.assign(year=el["year"].astype("int64"))
           .groupby(["year", "site"], as_index=False)["energy_kwh"].sum()
           .rename(columns={"energy_kwh": "electricity_kwh"}))
    return out[cols]


def allocate(certificates: pd.DataFrame, electricity: pd.DataFrame) -> pd.DataFrame:
    """Certificates per site, year and kind: bought, counted (capped at E) and excess.

    Parameters
    ----------
    certificates : pandas.DataFrame
        Current certificate rows: ``year, site`` (``''`` for the whole
        trust), ``certificate`` (kind), ``quantity_kwh`` [kWh].
    electricity : pandas.DataFrame
        ``year, site, electricity_kwh`` [kWh] (:func:`site_electricity`).

    Returns
    -------
    pandas.DataFrame
        :data:`ALLOCATION_COLUMNS`, one row per year, site and kind, all in
        kWh: ``own_kwh`` (the site's own rows), ``share_kwh`` (its share of
        the trust-wide rows, E_site / E_trust), ``bought_kwh`` = own +
        share, ``counted_kwh`` = bought × min(1, E / C) with C the site's
        certificates of every kind, ``excess_kwh`` = bought − counted, and
        ``electricity_kwh`` the site's E. Trust-wide certificates of a year
        in which no site has electricity cannot be split: they stay on a
        row of site ``''`` with nothing counted and all of it excess.
    """
    if certificates is None or certificates.empty:
        return pd.DataFrame(columns=ALLOCATION_COLUMNS).astype(
            {"year": "int64", **{c: "float64" for c in ALLOCATION_COLUMNS[3:]}})
    c = certificates.assign(year=certificates["year"].astype("int64"),
                            site=certificates["site"].fillna("").astype(str))
    bought = c.groupby(["year", "site", "certificate"], as_index=False)["quantity_kwh"].sum()
    el = electricity.assign(year=electricity["year"].astype("int64"))
    el = el[el["electricity_kwh"] > 0]
    total = el.groupby("year")["electricity_kwh"].sum()

    own = bought[bought["site"] != ""].rename(columns={"quantity_kwh": "own_kwh"})
    trust = bought[bought["site"] == ""]
    # the trust-wide rows, split by each site's share of the year's electricity
    shares = trust.drop(columns="site").merge(el, on="year", how="inner")
    shares["share_kwh"] = (shares["quantity_kwh"] * shares["electricity_kwh"]
                           / shares["year"].map(total).to_numpy(dtype="float64"))
    shares = shares[["year", "site", "certificate", "share_kwh"]]
    out = own.merge(shares, on=["year", "site", "certificate"], how="outer")
    # a year without electricity anywhere: its trust-wide certificates stay whole, all excess
    unsplit = trust[~trust["year"].isin(total.index)].rename(columns={"quantity_kwh": "own_kwh"})
    if not unsplit.empty:
        out = pd.concat([out, unsplit.assign(share_kwh=0.0)], ignore_index=True)
    out["own_kwh"] = out["own_kwh"].fillna(0.0).astype("float64")
    out["share_kwh"] = out["share_kwh"].fillna(0.0).astype("float64")
    out["bought_kwh"] = out["own_kwh"] + out["share_kwh"]
    out = out.merge(el[["year", "site", "electricity_kwh"]], on=["year", "site"], how="left")
    out["electricity_kwh"] = out["electricity_kwh"].fillna(0.0).astype("float64")
    c_site = out.groupby(["year", "site"])["bought_kwh"].transform("sum").to_numpy()
    e = out["electricity_kwh"].to_numpy()
    # C > E: every kind scaled by E / C (the cap); C = 0 counts nothing either way
    over = c_site > e          # so c_site > 0 wherever it divides
    scale = np.divide(e, c_site, out=np.ones_like(e, dtype="float64"), where=over)
    out["counted_kwh"] = out["bought_kwh"].to_numpy() * scale
    out["excess_kwh"] = out["bought_kwh"] - out["counted_kwh"]
    out["year"] = out["year"].astype("int64")
    return (out[ALLOCATION_COLUMNS].sort_values(["year", "site", "certificate"])
            .reset_index(drop=True))


def _kg_per_kwh(unit: str) -> float:
    """kgCO2e/kWh per 1 ``unit`` (``gCO2e/kWh`` -> 0.001)."""
    return conversion_factor(unit, "kgCO2e/kWh")


def certificate_lines(alloc: pd.DataFrame, lib, methods, columns) -> pd.DataFrame:
    """Certificate lines: the deduction per site, year, kind and method, as negative emissions.

    emissions [tCO2e] = C_kind counted [kWh] × (certificate factor − the
    method's electricity factor) [kgCO2e/kWh] / 1000. Added to the gross
    electricity lines (E × method factor), they give (E − C) × method factor
    + C × certificate factor (DESIGN §4). Only methods other than
    ``location``; only counted quantities above zero.

    Parameters
    ----------
    alloc : pandas.DataFrame
        :func:`allocate`.
    lib : FactorLibrary
        Holds ``certificate:<kind>`` (method-less, kgCO2e/kWh) and the
        electricity series of every method.
    methods : list of str
        The library's electricity methods.
    columns : list of str
        The emission-line columns (:data:`klimaregnskap.calc.accounting.LINE_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        ``columns``: ``source`` ``certificate``, ``item`` and ``activity``
        ``certificate:<kind>``, ``quantity`` [kWh] the counted certificates,
        ``factor_value`` [kgCO2e/kWh] the certificate factor minus the
        method's electricity factor, ``factor_year`` and ``fallback`` of the
        electricity factor (``fallback`` also when the certificate factor
        fell back), ``factor_source`` naming both factors, ``scope`` 2,
        ``method``, ``category`` ``electricity`` (the report's grouping: a
        deduction from electricity) and ``emissions_tco2e`` [tCO2e] (≤ 0
        for a certificate factor below the method's).

    Raises
    ------
    FactorMissing
        A kind without a ``certificate:<kind>`` factor.
    """
    if alloc is None or alloc.empty:
        return pd.DataFrame(columns=columns)
    a = alloc[alloc["counted_kwh"] > 0].reset_index(drop=True)
    if a.empty:
        return pd.DataFrame(columns=columns)
    acts = CERTIFICATE_PREFIX + a["certificate"].astype(str)
    parts = []
    for method in deduction_methods(methods):
        cf = fl.resolve(lib, pd.DataFrame({"activity": acts, "year": a["year"]}),
                        kind="emission", method=method)
        ef = fl.resolve(lib, pd.DataFrame({"activity": "electricity", "year": a["year"]}),
                        kind="emission", method=method)
        c_kg = cf["factor_value"].to_numpy() * cf["factor_unit"].map(_kg_per_kwh).to_numpy()
        e_kg = ef["factor_value"].to_numpy() * ef["factor_unit"].map(_kg_per_kwh).to_numpy()
        factor = c_kg - e_kg
        q = a["counted_kwh"].to_numpy(dtype="float64")
        # the short form (up to the colon) names the rule; the rest both factors and sources
        src = [f"Certificate factor minus electricity factor of {fy} ({method}): {act} {ck:g} "
               f"kgCO2e/kWh [{cs}] minus electricity {fy} {ek:g} kgCO2e/kWh [{es}]"
               for act, ck, cs, ek, fy, es in zip(acts, c_kg, cf["factor_source"], e_kg,
                                                  ef["factor_year"], ef["factor_source"])]
        parts.append(pd.DataFrame({
            "year": a["year"].astype("int64"), "site": a["site"].astype(str),
            "source": "certificate", "item": acts, "activity": acts, "category": "electricity",
            "file": "", "row": pd.array([pd.NA] * len(a), dtype="Int64"),
            "quantity": q, "quantity_unit": "kWh", "factor_value": factor,
            "factor_unit": "kgCO2e/kWh", "factor_year": ef["factor_year"].astype("int64"),
            "fallback": ef["fallback"].to_numpy(dtype=bool) | cf["fallback"].to_numpy(dtype=bool),
            "factor_source": src, "factor_method": "",
            "scope": pd.array(np.full(len(a), 2), dtype="Int64"), "method": method,
            "emissions_tco2e": q * factor / 1000.0, "converted_from": ""}))
    return pd.concat(parts, ignore_index=True)[columns]


def certificate_summary(alloc: pd.DataFrame, lines: pd.DataFrame, year: int,
                        methods) -> dict:
    """``electricity_certificates`` of ``summary.json`` for one year (DESIGN §5).

    Parameters
    ----------
    alloc : pandas.DataFrame
        :func:`allocate`.
    lines : pandas.DataFrame
        Emission lines of every method, certificate lines among them
        (``activity`` ``certificate:<kind>``, ``emissions_tco2e`` [tCO2e]).
    year : int
    methods : list of str
        The library's electricity methods.

    Returns
    -------
    dict
        ``gjenvinningskraft_kwh`` and ``renewable_kwh`` (counted, after the
        cap) [kWh], ``excess_kwh`` (bought beyond the cap) [kWh] and
        ``deduction_tco2e`` (gross minus net, per method but ``location``)
        [tCO2e].
    """
    a = alloc[alloc["year"] == int(year)] if alloc is not None and not alloc.empty else None
    out = {f"{k}_kwh": (float(a.loc[a["certificate"] == k, "counted_kwh"].sum())
                        if a is not None else 0.0) for k in KINDS}
    out["excess_kwh"] = float(a["excess_kwh"].sum()) if a is not None else 0.0
    ded = {}
    for m in deduction_methods(methods):
        if lines is None or lines.empty:
            ded[m] = 0.0
            continue
        sel = ((lines["year"].astype(int) == int(year)) & (lines["method"] == m)
               & lines["activity"].astype(str).str.startswith(CERTIFICATE_PREFIX))
        # the deduction is gross minus net: the certificate lines' emissions, negated
        ded[m] = float(-lines.loc[sel, "emissions_tco2e"].sum()) + 0.0
    out["deduction_tco2e"] = ded
    return out


def recovered_power_share_pct(years, alloc: pd.DataFrame, delivered: pd.DataFrame,
                              recovered: pd.DataFrame) -> pd.Series:
    """Share of gjenvinningskraft per year [%] (DESIGN §4, ``recovered_power_share``).

    share = (gjenvinningskraft counted + metered ``recovered_power``) /
    (electricity + metered ``recovered_power``) × 100.

    Parameters
    ----------
    years : iterable of int
    alloc : pandas.DataFrame
        :func:`allocate` (``counted_kwh`` of kind ``gjenvinningskraft``).
    delivered : pandas.DataFrame
        Delivered-energy lines (electricity: ``carrier`` ``electricity``) [kWh].
    recovered : pandas.DataFrame
        Recovered-energy lines of main meters (``carrier`` ``recovered_power``) [kWh].

    Returns
    -------
    pandas.Series
        Indexed by year, float64 [%]; NaN where the denominator is 0 (no
        electricity and no recovered power that year).
    """
    years = [int(y) for y in years]

    def per_year(frame, mask_col, value, col):
        if frame is None or frame.empty:
            return pd.Series(0.0, index=years)
        f = frame[frame[mask_col] == value]
        s = f.groupby(f["year"].astype(int))[col].sum() if not f.empty else pd.Series(dtype=float)
        return s.reindex(years).fillna(0.0).astype("float64")

    gk = per_year(alloc, "certificate", "gjenvinningskraft", "counted_kwh")
    el = per_year(delivered, "carrier", "electricity", "energy_kwh")
    rp = per_year(recovered, "carrier", RECOVERED_POWER, "energy_kwh")
    den = (el + rp).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(den > 0, (gk + rp).to_numpy() / den * 100.0, np.nan)
    return pd.Series(pct, index=years, dtype="float64")
