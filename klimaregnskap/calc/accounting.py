"""Activity and meter quantities times factors: emission lines and energy lines.

Every emission line keeps what made it (quantity and unit, the factor's value,
unit, year used, fallback flag, source, scope and method) so any figure can be
traced back to its inputs. Units are converted once per distinct pair of
quantity unit and factor unit, never per row.

Rules (DESIGN §4):

* emissions = quantity x emission factor of that activity and year (nearest
  earlier year when the year is missing, flagged as fallback);
* a fuel given in energy (kWh) is turned into its amount with its energy
  content before the emission factor applies;
* delivered energy = main-meter carriers except recovered energy, plus fuels
  burned in buildings converted with their energy content; vehicle fuels are
  not building energy; recovered energy carries no emissions;
* sub-meters are shown per site but never added to totals.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from klimaregnskap.calc import factors as fl
from klimaregnskap.errors import UnitError
from klimaregnskap.calc.metering import RECOVERED_CARRIERS
from klimaregnskap.units import conversion_factor, convert_values, is_compatible
from klimaregnskap.vocabulary import reporting_categories

LINE_COLUMNS = ["year", "site", "source", "item", "activity", "category", "file", "row", "quantity",
                "quantity_unit", "factor_value", "factor_unit", "factor_year", "fallback",
                "factor_source", "factor_method", "scope", "method", "emissions_tco2e",
                "converted_from"]
#: What :func:`line_categories` reads beside :data:`LINE_COLUMNS` where a line has
#: it (activity lines do; a line made elsewhere without them falls back to the
#: activity table): the activity row's own reporting category ('' when none) and
#: the factor row's GHG Protocol scope 3 category (NA when none).
CATEGORY_SOURCE_COLUMNS = ["row_category", "factor_scope3_category"]

#: The reporting categories of DESIGN §4, in report order (``vocabulary/categories.csv``).
REPORTING_CATEGORIES = tuple(reporting_categories())
#: A line whose activity neither the activity table nor its prefix places (a
#: project's own activity without a row in ``activities.csv``): kept apart
#: rather than guessed, so the categories still add up to the scopes.
OTHER_CATEGORY = "other"
#: Activities placed by their prefix where the activity table lacks them.
_PREFIX_CATEGORIES = {"spend": "purchases", "certificate": "energy", "vehicle": "own_vehicles",
                      "waste": "waste", "refrigerant": "gases", "anaesthetic": "gases",
                      "gas": "gases", "patient_transport": "patient_transport"}

#: Carriers normally metered; as activity rows they count as energy, not as fuels.
METERED_CARRIERS = ("electricity", "district_heating", "district_cooling") + RECOVERED_CARRIERS

ENERGY_COLUMNS = ["year", "site", "carrier", "source", "item", "role", "recovered",
                  "energy_kwh", "file", "row"]


def category_of(activity: str, lib=None) -> str:
    """Report grouping of an activity or metered carrier.

    The grouping the report's charts use, finer than the reporting category
    of DESIGN §4 and derived from it: the activity's prefix
    (``vehicle:``, ``refrigerant:``, ``anaesthetic:``, ``waste:``) or, for
    the rest, its reporting category in the factor library's activity table
    (``activities.csv``): ``staff_travel`` and ``patient_transport`` are
    travel, ``energy`` that is not a metered carrier is stationary
    combustion. No activity list lives in code.

    Parameters
    ----------
    activity : str
        E.g. ``"refrigerant:R-134a"``, ``"electricity"``, ``"waste:food"``.
    lib : FactorLibrary, optional
        The library whose activity table applies; the shipped one when None.

    Returns
    -------
    str
        One of ``electricity, district_heating, district_cooling,
        stationary_combustion, vehicles, refrigerants, anaesthetic_gases,
        travel, waste, purchases, other``.
    """
    a = str(activity)
    prefix = a.split(":", 1)[0]
    if a in ("electricity", "district_heating", "district_cooling"):
        return a
    if prefix == "certificate":
        # a certificate line is a deduction from electricity (DESIGN §4)
        return "electricity"
    if prefix == "vehicle":
        return "vehicles"
    if prefix == "refrigerant":
        return "refrigerants"
    if prefix == "anaesthetic" or a == "nitrous_oxide":
        return "anaesthetic_gases"
    if prefix == "waste":
        return "waste"
    if prefix == "spend":
        return "purchases"
    cat = fl.reporting_category(lib if lib is not None else fl.shipped_library(), a)
    if cat in ("staff_travel", "patient_transport"):
        return "travel"
    if cat == "energy":
        return "stationary_combustion"
    return "other"


def line_categories(lines: pd.DataFrame, lib) -> pd.DataFrame:
    """Each emission line's reporting category and GHG Protocol scope 3 category (DESIGN §4).

    Works on any emission line whatever made it (activity rows, meters, spend
    lines, certificate lines), from its ``activity`` and ``scope`` and, where
    present, ``row_category`` and ``factor_scope3_category``:

    * The reporting category, the sector's own grouping (``energy``,
      ``patient_transport``, ``staff_travel``, ``own_vehicles``, ``gases``,
      ``waste``, ``purchases``), is the row's own ``category`` (activity
      data, DESIGN §3) where given, else the activity's in the factor
      library's activity table (``activities.csv``). A spend line
      (``spend:<category>``) is always ``purchases``. An activity the table
      does not have is placed by its prefix (``spend:``, ``certificate:``
      (energy), ``vehicle:``, ``waste:``, gases) or, for scope 2, as
      ``energy``; anything else is :data:`OTHER_CATEGORY`.
    * A scope 3 line's category (1-15) is its factor row's
      ``scope3_category`` where given, else the activity table's
      (:func:`klimaregnskap.calc.factors.scope3_category`), and 1 (purchased
      goods and services) for a spend line when neither gives one; NA on
      scope 1 and 2 lines.

    Parameters
    ----------
    lines : pandas.DataFrame
        Emission lines (``activity``, ``scope``, optional ``row_category``
        and ``factor_scope3_category``).
    lib : FactorLibrary

    Returns
    -------
    pandas.DataFrame
        ``lines`` with ``reporting_category`` (str) and ``scope3_category``
        (Int64) set (replaced where present).
    """
    if lines.empty:
        return lines.assign(reporting_category=pd.Series(dtype="object"),
                            scope3_category=pd.Series(dtype="Int64"))
    acts = lines["activity"].astype(str)
    scope = pd.to_numeric(lines["scope"], errors="coerce")
    names = acts.unique()
    table = {a: fl.reporting_category(lib, a) for a in names}
    rep = pd.Series([table[a] for a in acts], index=lines.index, dtype=object)
    unplaced = rep.isna()
    if unplaced.any():
        prefix = acts[unplaced].str.split(":", n=1).str[0]
        guess = prefix.map(_PREFIX_CATEGORIES)
        guess = guess.where(guess.notna() | ~acts[unplaced].map(fl.is_gas), "gases")
        guess = guess.where(guess.notna() | (scope[unplaced] != 2), "energy")
        rep[unplaced] = guess.fillna(OTHER_CATEGORY)
    if "row_category" in lines:
        own = lines["row_category"].fillna("").astype(str)
        rep = rep.where(own == "", own)
    rep = rep.where(~acts.str.startswith("spend:"), "purchases")

    s3 = {a: fl.scope3_category(lib, a) for a in names}
    from_table = pd.array([s3[a] for a in acts], dtype="Int64")
    row_s3 = (lines["factor_scope3_category"].astype("Int64").to_numpy()
              if "factor_scope3_category" in lines else pd.array([pd.NA] * len(lines), dtype="Int64"))
    scope3 = pd.Series(row_s3, index=lines.index, dtype="Int64").fillna(
        pd.Series(from_table, index=lines.index, dtype="Int64"))
    scope3 = scope3.where((scope == 3).to_numpy(), pd.NA).astype("Int64")
    return lines.assign(reporting_category=rep.astype(object), scope3_category=scope3)


def is_building_fuel(activity: str, lib) -> bool:
    """Whether an activity is a fuel burned in buildings (counts in delivered energy).

    A fuel is building energy when the library has an energy content for it
    and it is not a vehicle fuel (``vehicle:...``).
    """
    if str(activity).startswith("vehicle:"):
        return False
    energy = lib.factors[lib.factors["kind"] == "energy"]
    return activity in set(energy["activity"])


@lru_cache(maxsize=4096)
def _co2e_factor(quantity_unit: str, factor_unit: str) -> float | None:
    """t CO2e per (1 quantity_unit x 1 factor_unit), or None when they don't multiply to CO2e."""
    product = f"({quantity_unit})*({factor_unit})"
    if not is_compatible(product, "tCO2e"):
        return None
    return conversion_factor(product, "tCO2e")


@lru_cache(maxsize=4096)
def _via_energy_factor(quantity_unit: str, content_unit: str, factor_unit: str) -> float | None:
    """t CO2e per (1 quantity_unit / 1 content_unit x 1 factor_unit): energy -> amount -> CO2e."""
    product = f"({quantity_unit})/({content_unit})*({factor_unit})"
    if not is_compatible(product, "tCO2e"):
        return None
    return conversion_factor(product, "tCO2e")


@lru_cache(maxsize=4096)
def _energy_factor(quantity_unit: str, content_unit: str | None) -> float | None:
    """kWh per (1 quantity_unit [x 1 content_unit])."""
    if is_compatible(quantity_unit, "kWh"):
        return conversion_factor(quantity_unit, "kWh")
    if content_unit is None:
        return None
    product = f"({quantity_unit})*({content_unit})"
    if not is_compatible(product, "kWh"):
        return None
    return conversion_factor(product, "kWh")


def emission_lines(items: pd.DataFrame, lib, *, methods: list[str], gwp: str) -> pd.DataFrame:
    """Emission lines: quantity x emission factor, for every electricity method.

    Parameters
    ----------
    items : pandas.DataFrame
        ``year, site, source ('activity'|'meter'), item (activity or carrier
        name), activity (factor library name), file, row, quantity,
        quantity_unit``; quantity in ``quantity_unit``.
    lib : FactorLibrary
        The factor library.
    methods : list of str
        Electricity methods to compute (every one the library has).
    gwp : str
        ``AR5`` or ``AR6`` for gases.

    Returns
    -------
    pandas.DataFrame
        :data:`LINE_COLUMNS` and :data:`CATEGORY_SOURCE_COLUMNS`, one line per
        input row and method; ``emissions_tco2e`` in t CO2e.

    Raises
    ------
    FactorMissing
        When an activity has no factor for the year or any earlier year.
    UnitError
        When a quantity's unit does not combine with the factor's unit.
    """
    if items.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    out = []
    base = items.reset_index(drop=True)
    for method in methods:
        f = fl.resolve(lib, base[["activity", "year"]], kind="emission", method=method, gwp=gwp)
        f = f.reset_index(drop=True)
        lines = pd.concat([base, f], axis=1)
        lines["method"] = method
        lines["emissions_tco2e"] = _emissions(lines, lib)
        out.append(lines)
    res = pd.concat(out, ignore_index=True)
    res["category"] = res["activity"].map({a: category_of(a, lib)
                                           for a in res["activity"].unique()})
    if "converted_from" not in res:
        res["converted_from"] = ""
    if "row_category" not in res:
        res["row_category"] = ""
    return res[LINE_COLUMNS + CATEGORY_SOURCE_COLUMNS]


def _emissions(lines: pd.DataFrame, lib) -> np.ndarray:
    result = np.full(len(lines), np.nan)
    pairs = lines.groupby(["quantity_unit", "factor_unit"], sort=False).groups
    for (qu, fu), idx in pairs.items():
        idx = np.asarray(idx)
        k = _co2e_factor(qu, fu)
        if k is not None:
            result[idx] = (lines.loc[idx, "quantity"].to_numpy()
                           * lines.loc[idx, "factor_value"].to_numpy() * k)
            continue
        # a fuel given in energy (kWh): divide by its energy content first
        sub = lines.loc[idx]
        try:
            content = fl.resolve(lib, sub[["activity", "year"]].reset_index(drop=True),
                                 kind="energy", method=None, gwp="AR5")
        except fl.FactorMissing as exc:
            raise UnitError(qu, fu.split("/", 1)[-1] if "/" in fu else fu) from exc
        content.index = idx
        for cu, cidx in content.groupby("factor_unit").groups.items():
            cidx = np.asarray(cidx)
            k2 = _via_energy_factor(qu, cu, fu)
            if k2 is None:
                raise UnitError(qu, fu.split("/", 1)[-1] if "/" in fu else fu)
            result[cidx] = (lines.loc[cidx, "quantity"].to_numpy()
                            / content.loc[cidx, "factor_value"].to_numpy()
                            * lines.loc[cidx, "factor_value"].to_numpy() * k2)
    return result


def fuel_energy_lines(activity: pd.DataFrame, lib) -> pd.DataFrame:
    """Energy from activity data: fuels burned in buildings (by their energy content),
    and metered carriers (electricity, district heating, ...) given as activity rows.

    Parameters
    ----------
    activity : pandas.DataFrame
        Current activity rows: ``year, site, activity, quantity, unit, file, row``.
    lib : FactorLibrary

    Returns
    -------
    pandas.DataFrame
        :data:`ENERGY_COLUMNS` with ``energy_kwh`` [kWh], carrier = activity name.
    """
    if activity.empty:
        return pd.DataFrame(columns=ENERGY_COLUMNS)
    carriers = activity[activity["activity"].isin(METERED_CARRIERS)]
    parts = [_carrier_energy_lines(carriers)] if not carriers.empty else []
    mask = activity["activity"].map({a: is_building_fuel(a, lib)
                                     for a in activity["activity"].unique()})
    fuels = activity[mask].reset_index(drop=True)
    if fuels.empty:
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=ENERGY_COLUMNS)
    content = fl.resolve(lib, fuels[["activity", "year"]], kind="energy", method=None,
                         gwp="AR5").reset_index(drop=True)
    energy = np.full(len(fuels), np.nan)
    for (qu, cu), idx in pd.DataFrame({"qu": fuels["unit"], "cu": content["factor_unit"]}).groupby(
            ["qu", "cu"], sort=False).groups.items():
        idx = np.asarray(idx)
        if is_compatible(qu, "kWh"):
            energy[idx] = fuels.loc[idx, "quantity"].to_numpy() * conversion_factor(qu, "kWh")
        else:
            k = _energy_factor(qu, cu)
            if k is None:
                raise UnitError(qu, cu.split("/", 1)[-1])
            energy[idx] = fuels.loc[idx, "quantity"].to_numpy() * content.loc[idx, "factor_value"].to_numpy() * k
    parts.append(pd.DataFrame({
        "year": fuels["year"].astype("int64"), "site": fuels["site"], "carrier": fuels["activity"],
        "source": "activity", "item": fuels["activity"], "role": "main", "recovered": False,
        "energy_kwh": energy, "file": fuels["file"], "row": fuels["row"]})[ENERGY_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def _carrier_energy_lines(rows: pd.DataFrame) -> pd.DataFrame:
    """Metered carriers reported as activity data (a trust without meter exports)."""
    return pd.DataFrame({
        "year": rows["year"].astype("int64"), "site": rows["site"], "carrier": rows["activity"],
        "source": "activity", "item": rows["activity"], "role": "main",
        "recovered": rows["activity"].isin(RECOVERED_CARRIERS),
        "energy_kwh": convert_values(rows["quantity"], rows["unit"], "kWh"),
        "file": rows["file"], "row": rows["row"]})[ENERGY_COLUMNS]


def meter_energy_lines(meter_years: pd.DataFrame) -> pd.DataFrame:
    """Energy lines from meters (main and sub, recovered flagged).

    Parameters
    ----------
    meter_years : pandas.DataFrame
        From :func:`klimaregnskap.metering.meter_year_energy`.

    Returns
    -------
    pandas.DataFrame
        :data:`ENERGY_COLUMNS`; ``item`` is the meter id.
    """
    if meter_years.empty:
        return pd.DataFrame(columns=ENERGY_COLUMNS)
    m = meter_years
    return pd.DataFrame({
        "year": m["year"].astype("int64"), "site": m["site"], "carrier": m["carrier"],
        "source": "meter", "item": m["meter_id"], "role": m["role"],
        "recovered": m["carrier"].isin(RECOVERED_CARRIERS), "energy_kwh": m["energy_kwh"],
        "file": "", "row": pd.NA})[ENERGY_COLUMNS]


def emission_items(activity: pd.DataFrame, meter_years: pd.DataFrame,
                   lib=None) -> pd.DataFrame:
    """What gets an emission factor: every activity row and every main non-recovered meter-year.

    Parameters
    ----------
    activity : pandas.DataFrame
        Current activity rows (``year, site, activity, quantity, unit, file, row``).
    meter_years : pandas.DataFrame
        Meter consumption per year (see :func:`meter_year_energy`).
    lib : FactorLibrary, optional
        For anaesthetic gases given as liquid or in bottles: they become
        kilograms through :func:`klimaregnskap.calc.factors.gas_mass_kg`
        (DESIGN §3), and ``converted_from`` says how.

    Returns
    -------
    pandas.DataFrame
        ``year, site, source, item, activity, file, row, quantity, quantity_unit,
        converted_from, row_category`` (the activity row's own reporting
        category, '' where it gives none).
    """
    parts = []
    # recovered energy carries no emissions
    activity = activity[~activity["activity"].isin(RECOVERED_CARRIERS)] if not activity.empty else activity
    if not activity.empty:
        parts.append(pd.DataFrame({
            "year": activity["year"].astype("int64"), "site": activity["site"],
            "source": "activity", "item": activity["activity"], "activity": activity["activity"],
            "file": activity["file"], "row": activity["row"].astype("Int64"),
            "quantity": activity["quantity"].astype("float64"), "quantity_unit": activity["unit"],
            "converted_from": "",
            # the row's own reporting category (DESIGN §3), '' when it gives none
            "row_category": (activity["category"].fillna("").astype(str)
                             if "category" in activity else "")}))
        if lib is not None:
            parts[-1] = _gas_amounts_in_kg(parts[-1], lib)
    if not meter_years.empty:
        m = meter_years[(meter_years["role"] == "main")
                        & ~meter_years["carrier"].isin(RECOVERED_CARRIERS)]
        if not m.empty:
            # metered energy carriers are factored per kWh; fuel meters per their amount
            use_kwh = m["energy_kwh"].notna() & m["quantity_unit"].map(lambda u: is_compatible(u, "kWh"))
            parts.append(pd.DataFrame({
                "year": m["year"].astype("int64"), "site": m["site"], "source": "meter",
                "item": m["meter_id"], "activity": m["carrier"], "file": "",
                "row": pd.array([pd.NA] * len(m), dtype="Int64"),
                "quantity": np.where(use_kwh, m["energy_kwh"], m["quantity"]).astype("float64"),
                "quantity_unit": np.where(use_kwh, "kWh", m["quantity_unit"])}))
    if not parts:
        return pd.DataFrame(columns=["year", "site", "source", "item", "activity", "file", "row",
                                     "quantity", "quantity_unit", "converted_from",
                                     "row_category"])
    out = pd.concat(parts, ignore_index=True)
    out["converted_from"] = out["converted_from"].fillna("") if "converted_from" in out else ""
    out["row_category"] = out["row_category"].fillna("") if "row_category" in out else ""
    return out


def _gas_amounts_in_kg(items: pd.DataFrame, lib) -> pd.DataFrame:
    """Anaesthetic gases in litres of liquid or bottles, as kilograms (once per activity and unit)."""
    gas = items["activity"].str.startswith("anaesthetic:") & ~items["quantity_unit"].map(
        lambda u: is_compatible(u, "kg"))
    if not gas.any():
        return items
    items = items.copy()
    for (act, unit), idx in items[gas].groupby(["activity", "quantity_unit"]).groups.items():
        got = fl.gas_mass_kg(lib, act, items.loc[idx, "quantity"].to_numpy(), unit)
        if got is None:
            continue
        kg, how = got
        q = items.loc[idx, "quantity"]
        items.loc[idx, "converted_from"] = [f"{v:g} {how}" for v in q]
        items.loc[idx, "quantity"] = kg
        items.loc[idx, "quantity_unit"] = "kg"
    return items
