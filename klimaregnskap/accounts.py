"""The annual accounts: ledger -> accounting -> indicators -> targets, for one report year.

:func:`build_accounts` gathers everything the summary, the terminal status,
``explain`` and the report need, computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from klimaregnskap import accounting, indicators, ledger, metering, quality, targets
from klimaregnskap.calc import factors as fl
from klimaregnskap.calc.products import product_shares
from klimaregnskap.config import INDICATOR_UNITS, Config
from klimaregnskap.readers.substances import load_listed_substances

GOAL_INDICATORS = ("emissions", "climate_neutral", "energy", "energy_normalised",
                   "recovered_heat_share", "food_waste", "chemical_free_share")


@dataclass
class Accounts:
    """Everything computed for one report year (frames carry units in column names)."""

    config: Config
    lib: object
    report_year: int
    activity: pd.DataFrame
    meter_years: pd.DataFrame
    lines: pd.DataFrame                 # emission lines, every method
    energy: pd.DataFrame                # energy lines (meters and building fuels)
    food: pd.DataFrame
    operations: pd.DataFrame
    products: pd.DataFrame
    product_years: pd.DataFrame
    products_not_free: pd.DataFrame
    temperatures: pd.DataFrame
    normalised: pd.DataFrame
    quality: pd.DataFrame
    series: pd.DataFrame                # indicator, year, value, unit (adjusted)
    series_unadjusted: pd.DataFrame
    indicators: dict
    site_table: pd.DataFrame
    warnings: list = field(default_factory=list)
    methods: list = field(default_factory=list)
    imports: pd.DataFrame = field(default_factory=pd.DataFrame)
    listed: pd.DataFrame = field(default_factory=pd.DataFrame)
    intensities: pd.DataFrame = field(default_factory=pd.DataFrame)  # trust, per year

    @property
    def years(self) -> list[int]:
        return list(range(self.config.baseline_year, self.report_year + 1))

    def series_of(self, indicator: str, adjusted: bool = True) -> pd.Series:
        s = self.series if adjusted else self.series_unadjusted
        sub = s[s["indicator"] == indicator]
        return pd.Series(sub["value"].to_numpy(dtype="float64"), index=sub["year"].astype(int))


def build_accounts(con, config: Config, lib, report_year: int) -> Accounts:
    """Compute the accounts of ``report_year`` from the project's ledger.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The project's ledger.
    config : Config
    lib : FactorLibrary
    report_year : int

    Returns
    -------
    Accounts
    """
    by = config.baseline_year
    years = list(range(by, report_year + 1))
    tz = config.timezone
    activity = ledger.current(con, "activity")
    activity = activity[activity["year"].between(by, report_year)].reset_index(drop=True)

    def energy_content(carrier, yrs):
        f = fl.resolve(lib, pd.DataFrame({"activity": carrier, "year": yrs}), kind="energy",
                       method=None, gwp=config.accounting.gwp)
        return f["factor_value"].to_numpy(), f["factor_unit"].iloc[0]

    meter_years = metering.meter_year_energy(con, tz, energy_content)
    meter_years = meter_years[meter_years["year"].between(by, report_year)].reset_index(drop=True)

    methods = fl.methods(lib, "electricity")
    if config.accounting.electricity_method not in methods:
        from klimaregnskap.errors import ConfigError
        raise ConfigError("electricity method not in the factor library", file=config.path,
                          column="accounting.electricity_method",
                          found=config.accounting.electricity_method,
                          expected="one of " + ", ".join(methods))
    items = accounting.emission_items(activity, meter_years)
    lines = accounting.emission_lines(items, lib, methods=methods, gwp=config.accounting.gwp)
    parts = [f for f in (accounting.meter_energy_lines(meter_years),
                         accounting.fuel_energy_lines(activity, lib)) if not f.empty]
    energy = (pd.concat(parts, ignore_index=True) if parts
              else pd.DataFrame(columns=accounting.ENERGY_COLUMNS))
    # empty frames concatenated give object columns: fix the dtypes once here
    energy = energy.astype({"year": "int64", "energy_kwh": "float64", "recovered": "bool"})

    food = ledger.current(con, "food_waste")
    operations = ledger.current(con, "operations")
    products = ledger.current(con, "products")
    temps = ledger.current(con, "temperatures")
    listed = load_listed_substances(config.project_dir)
    if not products.empty:
        product_years, not_free = product_shares(products, listed)
    else:
        product_years = pd.DataFrame(columns=["year", "products", "free_products", "free_share_pct",
                                              "spend_total", "spend_free",
                                              "spend_weighted_free_share_pct"])
        not_free = pd.DataFrame(columns=["year", "product_id", "description", "reason"])

    # --- yearly series -------------------------------------------------------
    tl = indicators.target_lines(lines, config)
    delivered = indicators.delivered_energy(energy)
    recovered = indicators.recovered_energy(energy)
    site_energy = (delivered.groupby(["year", "site"], as_index=False)["energy_kwh"].sum()
                   if not delivered.empty else pd.DataFrame(columns=["year", "site", "energy_kwh"]))
    normalised = indicators.weather_normalised(site_energy, temps, config)

    def per_year(frame, col):
        if frame is None or frame.empty:
            return pd.Series(dtype="float64")
        return frame.groupby(frame["year"].astype(int))[col].sum()

    raw = {
        "emissions": per_year(tl, "emissions_tco2e"),
        "energy": per_year(delivered, "energy_kwh"),
        "food_waste": per_year(food, "quantity_kg"),
    }
    # only where at least one site could be normalised (temperatures and hdd_normal)
    if not temps.empty and not normalised.empty and normalised["normalised"].astype(bool).any():
        raw["energy_normalised"] = per_year(normalised, "energy_normalised_kwh")
    rec = per_year(recovered, "energy_kwh")
    raw["recovered_heat_share"] = pd.Series(
        indicators.recovered_share_pct([raw["energy"].get(y, np.nan) for y in years],
                                       [rec.get(y, 0.0) for y in years]),
        index=years, dtype="float64")
    py = product_years.set_index(product_years["year"].astype(int)) if not product_years.empty else None
    raw["chemical_free_share"] = (py["free_share_pct"].astype("float64") if py is not None
                                  else pd.Series(dtype="float64"))
    raw["climate_neutral"] = raw["emissions"]

    def full(s: pd.Series) -> pd.Series:
        return pd.Series([float(s.get(y, np.nan)) for y in years], index=years, dtype="float64")

    unadjusted = {k: full(v) for k, v in raw.items()}
    adjusted = {}
    for k, s in unadjusted.items():
        # climate_neutral restates with the emissions, energy_normalised with the energy
        base_ind = {"climate_neutral": "emissions", "energy_normalised": "energy"}.get(k, k)
        adjusted[k] = indicators.apply_adjustments(s, base_ind, config.baseline_adjustments)

    series = _long(adjusted)
    series_unadj = _long(unadjusted)

    # --- targets -------------------------------------------------------------
    ind: dict = {}
    em_target = config.targets["emissions"]
    em_base = adjusted["emissions"].get(by, np.nan)
    em_goal = {"target_year": em_target.year,
               "target_value": targets.target_value(em_target, em_base)}
    for name in GOAL_INDICATORS:
        if name not in adjusted:
            continue
        t = config.targets[name]
        unit = INDICATOR_UNITS[name]
        ubase = unadjusted[name].get(by, np.nan)
        fields = targets.evaluate(adjusted[name], t, baseline_year=by, report_year=report_year,
                                  unit=unit, emissions=em_goal if name == "climate_neutral" else None,
                                  baseline_unadjusted=None if np.isnan(ubase) else float(ubase))
        if t.kind == "increase":
            fields["direction"] = "increase"
            for k in ("target_value", "required_annual_change_pct"):
                fields.pop(k, None)
        ind[name] = fields
    if "chemical_free_share" in ind and py is not None:
        sw = py["spend_weighted_free_share_pct"].astype("float64")
        ind["chemical_free_share"]["spend_weighted_value"] = _num(sw.get(report_year))
        ind["chemical_free_share"]["spend_weighted_baseline"] = _num(sw.get(by))
    elif "chemical_free_share" in ind:
        ind["chemical_free_share"]["spend_weighted_value"] = None
        ind["chemical_free_share"]["spend_weighted_baseline"] = None
    if "recovered_heat_share" in ind:
        # the direction target is read from the trend: percentage points per year
        line = targets.trend(years, adjusted["recovered_heat_share"].to_numpy())
        ind["recovered_heat_share"]["trend_points_per_year"] = line[0] if line else None
    # intensities of the trust: measured values (an intensity is never restated)
    intens = indicators.trust_intensities(years, unadjusted["energy"], unadjusted["emissions"],
                                          unadjusted["food_waste"], operations, config)
    iy = intens.set_index("year").reindex([report_year]).iloc[0]
    if "food_waste" in ind:
        ind["food_waste"]["kg_per_patient_day"] = _num(iy["food_waste_kg_per_patient_day"])
        ind["food_waste"]["g_per_meal_served"] = _num(iy["food_waste_g_per_meal_served"])
    if "emissions" in ind:
        ind["emissions"]["kgco2e_per_patient_day"] = _num(iy["emissions_kgco2e_per_patient_day"])
    if "energy" in ind:
        ind["energy"]["kwh_per_m2"] = _num(iy["energy_kwh_per_m2"])

    site_table = _site_table(config, years, tl, delivered, recovered, normalised, food, operations)

    # --- data quality and warnings -------------------------------------------
    q = quality.meter_quality(con, tz)
    q = q[q["year"].between(by, report_year)].reset_index(drop=True) if not q.empty else q
    warnings = quality.quality_warnings(q)
    warnings += quality.missing_meter_years(q, meter_years, report_year)
    warnings += indicators.food_waste_warnings(food, report_year)
    warnings += _fallback_warnings(lines, config)
    warnings += _temperature_warnings(normalised, temps, config, years)
    warnings += _area_warnings(config, years)
    warnings += _no_data_warnings(ind, report_year)
    imports = ledger.imports(con)
    return Accounts(config=config, lib=lib, report_year=report_year, activity=activity,
                    meter_years=meter_years, lines=lines, energy=energy, food=food,
                    operations=operations, products=products, product_years=product_years,
                    products_not_free=not_free, temperatures=temps, normalised=normalised,
                    quality=q, series=series, series_unadjusted=series_unadj, indicators=ind,
                    site_table=site_table, warnings=warnings, methods=methods, imports=imports,
                    listed=listed, intensities=intens)


def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if np.isnan(x) else x


def _long(series: dict) -> pd.DataFrame:
    rows = []
    for k, s in series.items():
        for y, v in s.items():
            rows.append({"indicator": k, "year": int(y), "value": float(v), "unit": INDICATOR_UNITS[k]})
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "unit"])


def _site_table(config, years, tl, delivered, recovered, normalised, food, operations) -> pd.DataFrame:
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
    t["recovered_heat_share_pct"] = indicators.recovered_share_pct(t["energy_kwh"],
                                                                   t["recovered_energy_kwh"])
    return t.replace([np.inf, -np.inf], np.nan)


def _fallback_warnings(lines: pd.DataFrame, config: Config) -> list[dict]:
    """One warning per activity, year and factor year where another year's factor was used."""
    if lines.empty:
        return []
    fb = lines[lines["fallback"].astype(bool)
               & (lines["method"] == config.accounting.electricity_method)]
    keys = sorted(set(zip(fb["year"].astype(int), fb["activity"], fb["factor_year"].astype(int),
                          fb["factor_method"] if "factor_method" in fb else fb["method"])))
    out = []
    for year, act, fyear, method in keys:
        label = f"{act} ({method})" if method else act
        why = ("the nearest earlier year" if fyear < year
               else "the earliest year published (none before)")
        out.append({"code": "factor_fallback", "year": year, "activity": act,
                    "factor_year": fyear,
                    "message": f"no {year} factor for {label}: the {fyear} factor is used "
                               f"({why})"})
    return out


def _temperature_warnings(normalised, temps, config, years) -> list[dict]:
    """Missing temperature days per site and year (never filled); under 95 % flagged.

    Only sites that are to be normalised (with ``hdd_normal``) are checked.
    Codes: ``temperature_days_missing`` (some days missing) and
    ``temperature_year_incomplete`` (under 95 % of the year's days).
    """
    out = []
    if temps is None or temps.empty or normalised.empty:
        return out
    share = indicators.MIN_TEMPERATURE_DAYS_SHARE
    for r in normalised.itertuples(index=False):
        if int(r.year) not in years or r.hdd_normal != r.hdd_normal:
            continue
        missing = int(r.expected_days - r.temperature_days)
        if missing <= 0:
            continue
        low = r.temperature_days < share * r.expected_days
        msg = (f"{r.site} {int(r.year)}: daily temperatures for {r.temperature_days} of "
               f"{r.expected_days} days ({missing} missing); missing days are not filled")
        if low:
            msg += (f"; under {share * 100:.0f} % of the year, so the weather-normalised energy "
                    f"of this site and year is uncertain")
        out.append({"code": "temperature_year_incomplete" if low else "temperature_days_missing",
                    "site": r.site, "year": int(r.year), "missing_days": missing,
                    "message": msg})
    return out


def _area_warnings(config: Config, years) -> list[dict]:
    out = []
    for s in config.sites:
        missing = [y for y in years if s.area_for(y) is None]
        if missing:
            out.append({"code": "area_missing", "site": s.id, "years": missing,
                        "message": f"site {s.id}: no heated area for "
                                   f"{indicators.year_ranges(missing)} (area_m2 in "
                                   f"klimaregnskap.toml); no energy per m2 for those years"})
    return out


def _no_data_warnings(ind: dict, year: int) -> list[dict]:
    return [{"code": "no_data", "indicator": k,
             "message": f"{k}: no data for {year}"} for k, v in ind.items() if v.get("value") is None]
