"""The one pipeline: ledger → calc → targets, returning the accounts of a report year.

This is the only place that runs the stages in order (DESIGN §7). Everything
an output shows — ``summary.json``, the report, ``status``, ``check``,
``explain`` — is a field of :class:`Accounts`; outputs select and format,
they never re-apply a rule (the electricity method, sub-meter exclusion,
register apportioning, the indicator list, targets and paths).

Stages, in order:

1. ledger queries (SQL, aggregated in DuckDB): registry, interval sums,
   register readings, quality statistics;
2. metering: register years (computed once, feeding both consumption and
   coverage), meter-year energy;
3. accounting: emission lines of every electricity method (spend lines of
   the purchases included), energy lines;
4. the electricity method: basis lines and target lines;
5. indicators: yearly series, baseline adjustments, intensities, site figures;
6. targets: values, paths, statuses, projections for every indicator;
7. measures: BAU, with decided and planned measures, gap, cost per tCO2e;
8. data quality and typed warnings (input files too: repeated keys across
   files, identical files, readings one file's values replace);
9. changes since the previous report (files added, changed, removed, and
   the indicator values they moved).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from klimaregnskap import ledger
from klimaregnskap.calc import accounting, certificates as cert_rules, completeness, electricity
from klimaregnskap.calc import energy as en, food_waste
from klimaregnskap.calc import indicators
from klimaregnskap.calc import factors as fl
from klimaregnskap.calc import metering, normalisation, products as product_rules, quality, targets
from klimaregnskap.calc import purchases as purchase_rules
from klimaregnskap.calc import measures as measure_rules
from klimaregnskap.calc.disclosures import DISCLOSURE_COLUMNS, disclosure_rows
from klimaregnskap.readers.substances import load_listed_substances
from klimaregnskap.config import Config
from klimaregnskap.vocabulary import indicators as indicator_table
from klimaregnskap.warning import KlimaWarning, Phrase, YearList

__all__ = ["Accounts", "MeterFigures", "build_accounts", "combine_members", "MEMBER_FIELDS", "meter_stage", "sum_by", "calculation_lines"]

PRODUCT_YEAR_COLUMNS = ["year", "products", "free_products", "free_share_pct", "spend_total",
                        "spend_free", "spend_weighted_free_share_pct"]
NOT_FREE_COLUMNS = ["year", "product_id", "description", "reason"]
CALCULATION_COLUMNS = ["year", "site", "source", "item", "activity", "category", "file", "row",
                       "quantity", "quantity_unit", "factor_value", "factor_unit", "factor_year",
                       "fallback", "factor_source", "scope", "reporting_category",
                       "scope3_category", "method", "in_target", "emissions_tco2e",
                       "converted_from"]
FACTORS_USED_COLUMNS = ["activity", "year", "factor_year", "factor_value", "factor_unit", "scope",
                        "method", "fallback", "factor_source"]


@dataclass
class MeterFigures:
    """What the meter stage makes of the ledger's readings.

    Attributes
    ----------
    registry : pandas.DataFrame
        The current meter registry.
    register_years : pandas.DataFrame
        Register consumption per meter and year [meter unit] and the seconds
        of the year its readings span (computed once, used twice).
    meter_years : pandas.DataFrame
        Consumption per meter and year (``quantity`` [meter unit],
        ``energy_kwh`` [kWh]).
    quality : pandas.DataFrame
        Coverage [%], estimated share [%] and gaps [h] per meter and year.
    """

    registry: pd.DataFrame
    register_years: pd.DataFrame
    meter_years: pd.DataFrame
    quality: pd.DataFrame


def meter_stage(con, tz: str, energy_content=None, sites=(),
                years: list[int] | None = None) -> MeterFigures:
    """Stages 1-2 for meters: ledger aggregates → register years → energy and quality.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The ledger.
    tz : str
        Project time zone (local calendar years).
    energy_content : callable, optional
        ``f(carrier, years) -> (values, unit)`` for fuel meters counting an
        amount rather than energy.
    sites : iterable of Site, optional
        The configured sites (their ``opened``/``closed`` bound the meters'
        windows).
    years : list of int, optional
        The years in which meters are expected to measure (the baseline year
        to the report year); default: the ledger's years of readings.

    Returns
    -------
    MeterFigures
        Consumption of every year of the ledger (the caller selects its
        years); quality of ``years`` and of every year with readings.
    """
    meters = ledger.registry(con)
    reg_readings = ledger.register_readings(con)
    register_years = metering.register_years(reg_readings, meters, tz)
    meter_years = metering.meter_year_energy(meters, ledger.interval_sums(con), register_years,
                                             energy_content)
    stats = ledger.interval_year_stats(con, quality.SPIKE_FACTOR)
    res = quality.resolutions(ledger.first_steps_median(con, quality.RESOLUTION_PROBE_DAYS))
    spans = ledger.reading_spans(con)
    if years is None:
        have = [int(y) for y in stats["year"]] + [int(y) for y in register_years["year"]]
        years = list(range(min(have), max(have) + 1)) if have else []
    windows = quality.meter_windows(meters, spans, sites, tz, years)
    todo = quality.coverage_requests(windows, meters, res)
    cov = ledger.window_coverage(con, todo) if not todo.empty else pd.DataFrame()
    coarse = quality.coarse_meters(meters, res)
    coarse_readings = ledger.readings_of(con, coarse) if coarse else pd.DataFrame()
    q = quality.meter_quality(meters, windows, stats, res, cov, coarse_readings, reg_readings, tz)
    return MeterFigures(meters, register_years, meter_years, q)


def _no_rows(columns: list[str]):
    """A dataclass field whose default is an empty frame of these columns."""
    return field(default_factory=lambda: pd.DataFrame(columns=columns))


@dataclass
class Accounts:
    """Everything computed for one report year; frames carry units in column names.

    The frames cover the baseline year to the report year. ``lines`` holds the
    emission lines of every electricity method; ``basis_lines`` those of the
    configured method (each input row once) and ``target_lines`` the basis
    lines of the target scopes. Energy frames are in kWh, emissions in tCO2e.
    """

    config: Config
    lib: object
    report_year: int
    methods: list
    activity: pd.DataFrame
    meter_years: pd.DataFrame
    lines: pd.DataFrame
    basis_lines: pd.DataFrame
    target_lines: pd.DataFrame
    energy: pd.DataFrame
    delivered: pd.DataFrame
    recovered: pd.DataFrame
    food: pd.DataFrame
    operations: pd.DataFrame
    products: pd.DataFrame
    product_years: pd.DataFrame
    products_not_free: pd.DataFrame
    temperatures: pd.DataFrame
    normalised: pd.DataFrame
    quality: pd.DataFrame
    series: pd.DataFrame
    series_unadjusted: pd.DataFrame
    indicators: dict
    paths: pd.DataFrame
    projections: pd.DataFrame
    site_table: pd.DataFrame
    intensities: pd.DataFrame
    emissions_by_scope: pd.DataFrame
    emissions_by_category: pd.DataFrame
    emissions_by_site: pd.DataFrame
    energy_by_carrier: pd.DataFrame
    food_by_category: pd.DataFrame
    calculation_lines: pd.DataFrame
    factors_used: pd.DataFrame
    imports: pd.DataFrame
    used_imports: set
    listed: pd.DataFrame
    listed_sha256: str
    completeness: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Energy certificates per year, site and kind (:func:`klimaregnskap.calc.
    #: certificates.allocate`: bought, counted and excess [kWh]).
    certificates: pd.DataFrame = _no_rows(cert_rules.ALLOCATION_COLUMNS)
    #: ``electricity_certificates`` of the report year (DESIGN §5), with the
    #: electricity's gross and net emissions per method [tCO2e].
    electricity_certificates: dict = field(default_factory=dict)
    incomplete_meters: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Per indicator and year, each year as its own report year: ``indicator,
    #: year, value, path_value`` (in the indicator's unit), ``status``,
    #: ``complete`` (that year's own figure; DESIGN §5 export).
    indicator_years: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Emission lines once, the method-dependent ones once per method
    #: (``method`` '' on the others; :func:`electricity.method_lines`), with
    #: ``reporting_category`` and ``scope3_category`` (:func:`accounting.line_categories`).
    method_lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list = field(default_factory=list)
    #: Per year, reporting category of DESIGN §4 and scope: ``year,
    #: reporting_category, scope, emissions_tco2e`` [tCO2e] of the configured
    #: method's lines (all scopes, net of certificates). ``emissions_by_category``
    #: is the finer grouping of the report's charts.
    emissions_by_reporting_category: pd.DataFrame = _no_rows(
        ["year", "reporting_category", "scope", "emissions_tco2e"])
    #: Per year and GHG Protocol scope 3 category: ``year, scope3_category,
    #: emissions_tco2e`` [tCO2e], the configured method's scope 3 lines.
    emissions_by_scope3_category: pd.DataFrame = _no_rows(
        ["year", "scope3_category", "emissions_tco2e"])
    #: The report year's figures mapped to ESRS E1-6, GRI 305-1/2/3, 302-1 and
    #: the sector's categories (:func:`klimaregnskap.calc.disclosures.disclosure_rows`).
    disclosures: pd.DataFrame = _no_rows(DISCLOSURE_COLUMNS)
    #: one row per measure (:data:`klimaregnskap.calc.measures.MEASURE_COLUMNS`)
    measures: pd.DataFrame = _no_rows(measure_rules.MEASURE_COLUMNS)
    #: per measure, indicator and year: effect and what falls after the report year
    measure_effects: pd.DataFrame = _no_rows(measure_rules.EFFECT_COLUMNS)
    #: per indicator with measures and year: bau, with_decided, with_planned
    measure_scenarios: pd.DataFrame = _no_rows(measure_rules.SCENARIO_COLUMNS)
    #: Files added, changed and removed since the previous report, with the
    #: figures they moved (:func:`input_changes`).
    changes: dict = field(default_factory=dict)
    #: Purchases per year: ``spend_nok``, ``excluded_nok`` [NOK],
    #: ``emissions_tco2e`` (:data:`klimaregnskap.calc.purchases.YEAR_COLUMNS`).
    purchase_years: pd.DataFrame = _no_rows(purchase_rules.YEAR_COLUMNS)
    #: Net spend per year and spend category (:data:`~klimaregnskap.calc.purchases.CATEGORY_COLUMNS`).
    purchase_categories: pd.DataFrame = _no_rows(purchase_rules.CATEGORY_COLUMNS)
    #: Excluded spend per year and mapping row, with its reason
    #: (:data:`~klimaregnskap.calc.purchases.EXCLUDED_COLUMNS`).
    purchases_excluded: pd.DataFrame = _no_rows(purchase_rules.EXCLUDED_COLUMNS)
    #: A region's members (:func:`combine_members`), in ``region.toml``'s order: per
    #: member ``id``, ``name``, ``project``, ``factor_library_sha256`` and
    #: ``indicators`` (each indicator's ``value``, ``baseline``, ``change_pct``,
    #: ``status``, ``complete`` on the region's basis; DESIGN §6a). Empty for a trust.
    members: list = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """Baseline year .. report year."""
        return list(range(self.config.baseline_year, self.report_year + 1))

    def series_of(self, indicator: str, adjusted: bool = True) -> pd.Series:
        """One indicator's yearly values, indexed by year, in its unit."""
        s = self.series if adjusted else self.series_unadjusted
        sub = s[s["indicator"] == indicator]
        return pd.Series(sub["value"].to_numpy(dtype="float64"), index=sub["year"].astype(int))


def build_accounts(con, config: Config, lib, report_year: int) -> Accounts:
    """Compute the accounts of ``report_year`` from the project's ledger.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The project's ledger (brought to the state of ``inputs/`` first).
    config : Config
    lib : FactorLibrary
    report_year : int

    Returns
    -------
    Accounts

    Raises
    ------
    ConfigError
        The configured electricity method is not in the factor library.
    FactorMissing, UnitError, InputError
        An activity without a factor, a unit that does not combine with its
        factor, a decreasing register reading.
    """
    by = config.baseline_year
    years = list(range(by, report_year + 1))
    tz = config.timezone
    cfg_acc = config.accounting
    methods = fl.methods(lib, "electricity")
    electricity.check_method(cfg_acc.electricity_method, methods, config.path)

    # --- 1-2. ledger and metering ---------------------------------------------
    activity = _years(ledger.current(con, "activity"), by, report_year)

    def energy_content(carrier, yrs):
        f = fl.resolve(lib, pd.DataFrame({"activity": carrier, "year": yrs}), kind="energy",
                       method=None, gwp=cfg_acc.gwp)
        return f["factor_value"].to_numpy(), f["factor_unit"].iloc[0]

    mf = meter_stage(con, tz, energy_content, config.sites, years)
    meter_years = _years(mf.meter_years, by, report_year)

    # --- 3-4. accounting, certificates and the electricity method ---------------
    items = accounting.emission_items(activity, meter_years, lib)
    lines = accounting.emission_lines(items, lib, methods=methods, gwp=cfg_acc.gwp)
    # purchases (DESIGN §4): spend lines join the emission lines, scope 3
    account_mapping = ledger.current(con, "account_mapping")
    pf = purchase_rules.purchase_figures(
        _years(ledger.current(con, "purchases"), by, report_year),
        account_mapping, lib, methods, cfg_acc.electricity_method, years)
    physical = lines
    if not pf.lines.empty:
        lines = pf.lines if lines.empty else pd.concat([lines, pf.lines], ignore_index=True)
    parts = [f for f in (accounting.meter_energy_lines(meter_years),
                         accounting.fuel_energy_lines(activity, lib)) if not f.empty]
    energy = (pd.concat(parts, ignore_index=True) if parts
              else pd.DataFrame(columns=accounting.ENERGY_COLUMNS))
    # empty frames concatenated give object columns: fix the dtypes once here
    energy = energy.astype({"year": "int64", "energy_kwh": "float64", "recovered": "bool"})
    delivered = en.delivered_energy(energy)
    recovered = en.recovered_energy(energy)
    # energy certificates (DESIGN §4): shared by the sites' electricity, capped at
    # it; their deduction joins the lines, so every figure below is net of them
    certs = _years(ledger.current(con, "certificates"), by, report_year)
    cert_alloc = cert_rules.allocate(certs, cert_rules.site_electricity(delivered))
    cert_lines = cert_rules.certificate_lines(cert_alloc, lib, methods, accounting.LINE_COLUMNS)
    if not cert_lines.empty:
        lines = pd.concat([lines, cert_lines], ignore_index=True)
    basis = electricity.basis_lines(lines, cfg_acc.electricity_method)
    target = electricity.target_lines(lines, cfg_acc.electricity_method, cfg_acc.target_scopes)

    food = ledger.current(con, "food_waste")
    operations = ledger.current(con, "operations")
    products = ledger.current(con, "products")
    temps = ledger.current(con, "temperatures")
    listed = load_listed_substances(config.project_dir, lib.kept_in)
    if not products.empty:
        product_years, not_free = product_rules.product_shares(products, listed)
    else:
        product_years = pd.DataFrame(columns=PRODUCT_YEAR_COLUMNS)
        not_free = pd.DataFrame(columns=NOT_FREE_COLUMNS)

    # every line, whatever made it (activity, meter, spend and certificate lines
    # alike, once all have joined), gets its reporting and scope 3 category (DESIGN §4)
    lines, basis, target = (accounting.line_categories(f, lib) for f in (lines, basis, target))

    # --- 5. yearly series -------------------------------------------------------
    site_energy = (delivered.groupby(["year", "site"], as_index=False)["energy_kwh"].sum()
                   if not delivered.empty else pd.DataFrame(columns=["year", "site", "energy_kwh"]))
    normalised = normalisation.weather_normalised(site_energy, temps, config.sites)

    raw = {
        "emissions": _per_year(target, "emissions_tco2e"),
        "energy": _per_year(delivered, "energy_kwh"),
        "food_waste": _per_year(food, "quantity_kg"),
    }
    # only where at least one site could be normalised (temperatures and hdd_normal)
    if not temps.empty and not normalised.empty and normalised["normalised"].astype(bool).any():
        raw["energy_normalised"] = _per_year(normalised, "energy_normalised_kwh")
    rec = _per_year(recovered, "energy_kwh")
    raw["recovered_heat_share"] = pd.Series(
        en.recovered_share_pct([raw["energy"].get(y, np.nan) for y in years],
                               [rec.get(y, 0.0) for y in years]),
        index=years, dtype="float64")
    raw["recovered_power_share"] = cert_rules.recovered_power_share_pct(years, cert_alloc,
                                                                      delivered, recovered)
    py = (product_years.set_index(product_years["year"].astype(int))
          if not product_years.empty else None)
    raw["chemical_free_share"] = (py["free_share_pct"].astype("float64") if py is not None
                                  else pd.Series(dtype="float64"))
    raw["climate_neutral"] = raw["emissions"]
    # scopes 1+2+3 under the config's method, net of certificates (DESIGN §5 footprint)
    raw["footprint"] = _per_year(basis, "emissions_tco2e")

    table = indicator_table()
    unadjusted = {k: _full(raw[k], years) for k in table if k in raw}
    adjusted = {k: indicators.apply_adjustments(s, table[k].restated_with or k,
                                                config.baseline_adjustments)
                if table[k].restated_with else s
                for k, s in unadjusted.items()}

    # --- 6. completeness and targets ------------------------------------------------
    q = mf.quality[mf.quality["year"].isin(years)].reset_index(drop=True)
    meter_gaps = _meter_gaps(con, q, cfg_acc.completeness_threshold_pct, tz)
    bought = years_with_purchases(con)
    reasons = completeness.indicator_reasons(
        table, years, meter_gaps, completeness.food_waste_reasons(food, config.sites, years),
        set(int(y) for y in products["year"].unique()) if not products.empty else set(),
        bought)
    ind, paths, projections, indicator_years = _indicator_fields(
        config, adjusted, unadjusted, report_year, years, reasons, py)
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

    site_table = indicators.site_table(config, years, target, delivered, recovered, normalised,
                                       food, operations)

    # --- 7. measures (DESIGN §4 "Measures"): their fields join the indicators' ----------
    measures_in = ledger.current(con, "measures")
    mres = measure_rules.evaluate(
        measures_in, ind, config.targets, report_year=report_year,
        units={k: v.unit for k, v in table.items()},
        shares={k for k, v in table.items() if v.is_share}, lib=lib,
        method=cfg_acc.electricity_method, gwp=cfg_acc.gwp, target_scopes=cfg_acc.target_scopes,
        discount_rate_pct=cfg_acc.discount_rate_pct)
    for name, fields in mres.fields.items():
        ind[name].update(fields)

    # --- 8. data quality and warnings ------------------------------------------------
    warnings: list[KlimaWarning] = quality.quality_warnings(q)
    warnings += quality.missing_meter_years(q)
    warnings += food_waste.food_waste_warnings(food, report_year)
    warnings += _fallback_warnings(basis)
    warnings += normalisation.temperature_warnings(normalised if not temps.empty else None, years)
    warnings += _area_warnings(config, years)
    warnings += [KlimaWarning("no_data", year=report_year, values={"indicator": k})
                 for k, v in ind.items() if v.get("value") is None]
    warnings += mres.warnings
    warnings += pf.warnings
    warnings += purchase_rules.double_counting_warnings(
        pf.categories, accounting.line_categories(
            electricity.basis_lines(physical, cfg_acc.electricity_method), lib))
    warnings += input_warnings(con)

    # the files whose rows stand, by the name they stand under
    imports = ledger.current_imports(con)
    by_scope = sum_by(lines, ["year", "method", "scope"], "emissions_tco2e")
    by_reporting = sum_by(basis, ["year", "reporting_category", "scope"], "emissions_tco2e")
    by_scope3 = _by_scope3_category(basis)
    return Accounts(
        config=config, lib=lib, report_year=report_year, methods=methods, activity=activity,
        meter_years=meter_years, lines=lines, basis_lines=basis, target_lines=target,
        energy=energy, delivered=delivered, recovered=recovered, food=food,
        operations=operations, products=products, product_years=product_years,
        products_not_free=not_free, temperatures=temps, normalised=normalised, quality=q,
        series=_long(adjusted), series_unadjusted=_long(unadjusted), indicators=ind,
        paths=paths, projections=projections, site_table=site_table, intensities=intens,
        indicator_years=indicator_years,
        method_lines=electricity.method_lines(lines, cfg_acc.electricity_method),
        emissions_by_scope=by_scope,
        emissions_by_category=sum_by(basis, ["year", "category", "scope"], "emissions_tco2e"),
        emissions_by_reporting_category=by_reporting,
        emissions_by_scope3_category=by_scope3,
        disclosures=disclosure_rows(
            year=report_year, by_scope=by_scope, by_scope3_category=by_scope3,
            by_reporting_category=by_reporting,
            delivered_by_carrier=sum_by(delivered, ["year", "carrier"], "energy_kwh"),
            categories=accounting.REPORTING_CATEGORIES, methods=methods,
            method=cfg_acc.electricity_method, gwp=cfg_acc.gwp,
            has_purchases=report_year in bought),
        emissions_by_site=sum_by(target, ["year", "site"], "emissions_tco2e"),
        energy_by_carrier=sum_by(energy[energy["role"] == "main"],
                              ["year", "site", "carrier", "recovered"], "energy_kwh"),
        food_by_category=sum_by(food.assign(year=food["year"].astype(int)) if not food.empty else food,
                             ["year", "site", "category"], "quantity_kg"),
        calculation_lines=calculation_lines(basis, cfg_acc.target_scopes),
        factors_used=_factors_used(lines, cfg_acc.electricity_method),
        imports=imports, used_imports=_used_imports(imports, meter_years, activity, food,
                                                    operations, products, temps,
                                                    measures_in, pf.rows, account_mapping,
                                                    certs),
        listed=listed, listed_sha256=_frame_hash(listed),
        completeness=completeness.completeness_table(reasons), incomplete_meters=meter_gaps,
        certificates=cert_alloc,
        electricity_certificates=_electricity_certificates(cert_alloc, lines, report_year,
                                                           methods),
        warnings=warnings, changes=input_changes(con, report_year, ind),
        measures=mres.table, measure_effects=mres.effects, measure_scenarios=mres.scenarios,
        purchase_years=pf.years, purchase_categories=pf.categories,
        purchases_excluded=pf.excluded)


def _electricity_certificates(alloc: pd.DataFrame, lines: pd.DataFrame, year: int,
                              methods) -> dict:
    """``electricity_certificates`` (DESIGN §5) plus electricity's gross and net emissions.

    ``electricity_gross_tco2e`` and ``electricity_net_tco2e`` [tCO2e] per
    method (every method; location's net is its gross): gross are the
    electricity lines, net adds the certificate lines.
    """
    out = cert_rules.certificate_summary(alloc, lines, year, methods)
    sel = lines[lines["year"].astype(int) == int(year)] if not lines.empty else lines
    act = sel["activity"].astype(str) if not sel.empty else pd.Series(dtype=str)
    gross, net = {}, {}
    for m in methods:
        mine = sel[(sel["method"] == m)] if not sel.empty else sel
        g = float(mine.loc[act.loc[mine.index] == "electricity", "emissions_tco2e"].sum()) \
            if not mine.empty else 0.0
        gross[m] = g
        net[m] = g - out["deduction_tco2e"].get(m, 0.0)
    out["electricity_gross_tco2e"] = gross
    out["electricity_net_tco2e"] = net
    return out


def years_with_purchases(con) -> set[int]:
    """Years with purchases rows in the ledger (``footprint`` completeness, DESIGN §4).

    Empty when the ledger has no purchases kind (every year then lacks
    purchases, and ``footprint`` says so with ``no_purchases``).
    """
    if "purchases" not in ledger.TABLES:
        return set()
    rows = ledger.current(con, "purchases")
    return set(int(y) for y in rows["year"].unique()) if not rows.empty else set()


def _by_scope3_category(basis: pd.DataFrame) -> pd.DataFrame:
    """Scope 3 emissions per year and GHG Protocol category [tCO2e] (DESIGN §5)."""
    cols = ["year", "scope3_category", "emissions_tco2e"]
    if basis is None or basis.empty:
        return pd.DataFrame(columns=cols)
    s3 = basis[(basis["scope"].astype("int64") == 3) & basis["scope3_category"].notna()]
    if s3.empty:
        return pd.DataFrame(columns=cols)
    out = sum_by(s3.assign(scope3_category=s3["scope3_category"].astype("int64")),
                 ["year", "scope3_category"], "emissions_tco2e")
    return out.astype({"year": "int64", "scope3_category": "int64"})[cols]


def _meter_gaps(con, q: pd.DataFrame, threshold_pct: float, tz: str) -> pd.DataFrame:
    """Main meter-years that make a year incomplete, with the months that lack data."""
    rows = completeness.incomplete_meter_years(q, threshold_pct)
    if rows.empty:
        return completeness.meter_reasons(q, threshold_pct)
    readings = ledger.readings_of(con, sorted(set(rows["meter_id"])))
    months = quality.months_missing(rows, readings, tz)
    return completeness.meter_reasons(q, threshold_pct, months)


def input_warnings(con) -> list[KlimaWarning]:
    """Typed warnings about the current input files (DESIGN §3).

    Identical files (counted once), keys two files of an additive kind give
    with different quantities (both counted), and meter readings of one
    file that another file's differing values replace.
    """
    out = [KlimaWarning("identical_files", file=a, values={"other_file": b})
           for a, b in ledger.identical_files(con)]
    for kind, found in ledger.repeated_additive_keys(con).items():
        n = len(ledger.TABLES[kind][1])
        for row in found:
            file, r, q, other, other_row, other_q = row[n:]
            out.append(KlimaWarning("repeated_key", file=file, row=int(r), values={
                "key": ", ".join(str(v) for v in row[:n]), "quantity": float(q),
                "other_file": other, "other_row": int(other_row),
                "other_quantity": float(other_q)}))
    out += [KlimaWarning("readings_replaced", meter_id=m, file=winner,
                         values={"other_file": other, "count": int(n)})
            for m, winner, other, n in ledger.overridden(con)]
    return out


def _under_inputs(name: str) -> str:
    """A file name relative to ``inputs/`` (DESIGN §5 ``changes``)."""
    return name[len("inputs/"):] if name.startswith("inputs/") else name


def input_changes(con, report_year: int, ind: dict) -> dict:
    """What changed in ``inputs/`` since the previous report (DESIGN §5 ``changes``).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    report_year : int
    ind : dict
        This report's indicator fields (``value`` in the indicator's unit).

    Returns
    -------
    dict
        ``since`` (the previous report's ``generated_at``, or None when there
        is none), ``added``, ``changed``, ``removed`` (paths relative to
        ``inputs/``, all empty without a previous report), ``files`` (per
        file: ``file, change, kind, rows_before, rows_after``) and
        ``indicators`` (per indicator whose value moved, when the previous
        report was of the same year: ``indicator, unit, before, now``).
    """
    prev = ledger.last_report(con)
    out = {"since": None, "previous_year": None, "added": [], "changed": [], "removed": [],
           "files": [], "indicators": []}
    if prev is None:
        return out
    now = ledger.current_files(con)
    old = prev["files"]
    content = ledger.content_of(con, list(now.values()) + list(old.values()))
    files = []
    for name in sorted(now.keys() | old.keys()):
        before, after = content.get(old.get(name)), content.get(now.get(name))
        change = ("added" if name not in old else "removed" if name not in now
                  else "changed" if old[name] != now[name] else None)
        if change is None:
            continue
        out[change].append(_under_inputs(name))
        files.append({"file": _under_inputs(name), "change": change,
                      "kind": (after or before or (None, 0))[0],
                      "rows_before": before[1] if before else None,
                      "rows_after": after[1] if after else None})
    out.update(since=prev["generated_at"], previous_year=prev["year"], files=files)
    if prev["year"] == report_year:
        table = indicator_table()
        # an indicator may appear or go (temperatures added or removed)
        for name in [k for k in table if k in ind or k in prev["indicators"]]:
            a, b = prev["indicators"].get(name), ind.get(name, {}).get("value")
            if a != b:
                out["indicators"].append({"indicator": name, "unit": table[name].unit,
                                          "before": a, "now": b})
    return out


def _indicator_fields(config: Config, adjusted: dict, unadjusted: dict, report_year: int,
                      years: list[int], reasons: dict, py: pd.DataFrame | None):
    """Each indicator's fields, paths, projections and per-year statuses, completeness applied.

    One step for a trust and a region (on its own summed figures): the
    targets (:func:`_targets`), each indicator's completeness
    (:func:`klimaregnskap.calc.completeness.apply`), the spend-weighted
    product share, and the trend of the two recovered shares, whose target
    is a direction (percentage points per year, :func:`targets.trend`).

    Returns
    -------
    ind, paths, projections : as from :func:`_targets`
    indicator_years : pandas.DataFrame
        :func:`_indicator_years`.
    """
    by = config.baseline_year
    ind, paths, projections, statuses = _targets(config, adjusted, unadjusted, report_year)
    for name, fields in ind.items():
        completeness.apply(fields, reasons.get(name, {}), by, report_year)
    indicator_years = _indicator_years(statuses, reasons, by)
    if "chemical_free_share" in ind:
        sw = (py["spend_weighted_free_share_pct"].astype("float64") if py is not None
              else pd.Series(dtype="float64"))
        ind["chemical_free_share"]["spend_weighted_value"] = _num(sw.get(report_year))
        ind["chemical_free_share"]["spend_weighted_baseline"] = _num(sw.get(by))
    for share in ("recovered_heat_share", "recovered_power_share"):
        if share in ind:
            line = targets.trend(years, adjusted[share].to_numpy())
            ind[share]["trend_points_per_year"] = line[0] if line else None
    return ind, paths, projections, indicator_years


def _targets(config: Config, adjusted: dict, unadjusted: dict, report_year: int):
    """Target fields, paths, projections and each year's status of every indicator (DESIGN §4)."""
    by = config.baseline_year
    ind: dict = {}
    p_rows, j_rows = [], []
    statuses: dict[str, pd.DataFrame] = {}
    em_target = config.targets["emissions"]
    em_goal = {"target_year": em_target.year,
               "target_value": targets.target_value(em_target, adjusted["emissions"].get(by, np.nan))}
    for name, meta in indicator_table().items():
        if name not in adjusted:
            continue
        t = config.targets.get(name)
        ubase = unadjusted[name].get(by, np.nan)
        if t is None:
            # no target configured (footprint): figures and projection, no path (DESIGN §5)
            horizon = em_target.year
            ind[name] = targets.evaluate_untargeted(
                adjusted[name], baseline_year=by, report_year=report_year, unit=meta.unit,
                projection_year=horizon,
                baseline_unadjusted=None if np.isnan(ubase) else float(ubase))
            statuses[name] = targets.untargeted_year_statuses(adjusted[name],
                                                              range(by, report_year + 1))
            js = targets.projection_series(adjusted[name], by, report_year, horizon,
                                           share=meta.is_share)
            j_rows += [{"indicator": name, "year": int(k), "projected_value": float(v)}
                       for k, v in js.items()]
            continue
        follows = em_goal if t.kind == "net_zero" else None
        fields = targets.evaluate(adjusted[name], t, baseline_year=by, report_year=report_year,
                                  unit=meta.unit, emissions=follows,
                                  baseline_unadjusted=None if np.isnan(ubase) else float(ubase))
        if t.kind == "increase":
            fields["direction"] = "increase"
            for k in ("target_value", "required_annual_change_pct"):
                fields.pop(k, None)
        ind[name] = fields
        statuses[name] = targets.year_statuses(adjusted[name], t, baseline_year=by,
                                               years=range(by, report_year + 1), emissions=follows)
        base = fields.get("baseline")
        if base is not None:
            ps = targets.path_series(t, base, by, follows)
            p_rows += [{"indicator": name, "year": int(k), "path_value": float(v)}
                       for k, v in ps.items()]
        js = targets.projection_series(adjusted[name], by, report_year, t.year,
                                       share=meta.is_share)
        j_rows += [{"indicator": name, "year": int(k), "projected_value": float(v)}
                   for k, v in js.items()]
    return (ind, pd.DataFrame(p_rows, columns=["indicator", "year", "path_value"]),
            pd.DataFrame(j_rows, columns=["indicator", "year", "projected_value"]), statuses)


def _indicator_years(statuses: dict, reasons: dict, baseline_year: int) -> pd.DataFrame:
    """Each indicator's yearly value, path value, status and completeness, one frame."""
    cols = ["indicator", "year", "value", "path_value", "status", "complete"]
    parts = [completeness.apply_years(f, reasons.get(name, {}), baseline_year)
             .assign(indicator=name)[cols] for name, f in statuses.items()]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)


def _years(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[frame["year"].between(first, last)].reset_index(drop=True)


def _per_year(frame, col) -> pd.Series:
    if frame is None or frame.empty:
        return pd.Series(dtype="float64")
    return frame.groupby(frame["year"].astype(int))[col].sum()


def _full(s: pd.Series, years) -> pd.Series:
    return pd.Series([float(s.get(y, np.nan)) for y in years], index=years, dtype="float64")


def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if np.isnan(x) else x


def _long(series: dict) -> pd.DataFrame:
    table = indicator_table()
    rows = [{"indicator": k, "year": int(y), "value": float(v), "unit": table[k].unit}
            for k, s in series.items() for y, v in s.items()]
    return pd.DataFrame(rows, columns=["indicator", "year", "value", "unit"])


def sum_by(frame: pd.DataFrame, keys: list[str], col: str) -> pd.DataFrame:
    """Sum of ``col`` per ``keys`` (an empty frame with those columns when there is nothing)."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=keys + [col])
    # numpy's pairwise sum over each group's rows in file order: the same sum
    # as selecting the group and adding it up, whichever output does the selecting
    g = frame.groupby(keys, as_index=False)[col].agg(lambda v: np.sum(v.to_numpy(dtype="float64")))
    if "scope" in g:
        g["scope"] = g["scope"].astype("int64")
    return g


def calculation_lines(basis: pd.DataFrame, target_scopes) -> pd.DataFrame:
    """Every emission line of the configured method, ready for an auditor.

    An activity line names its input file and spreadsheet row; a meter line
    names the meter (``item``), the year and the metered quantity (a
    meter-year sums many readings, possibly from several files). Per year and
    site, the lines with ``in_target`` add up to the site emissions.
    """
    if basis is None or basis.empty:
        return pd.DataFrame(columns=CALCULATION_COLUMNS)
    out = basis.copy()
    for c in CALCULATION_COLUMNS:
        if c not in out.columns:
            out[c] = None
    scopes = {int(s) for s in target_scopes}
    out["in_target"] = out["scope"].astype(int).isin(scopes)
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    out["year"] = out["year"].astype(int)
    out["scope"] = out["scope"].astype(int)
    out = out[CALCULATION_COLUMNS].sort_values(["year", "site", "source", "item", "file", "row"],
                                               na_position="first", kind="stable")
    return out.reset_index(drop=True)


def _factors_used(lines: pd.DataFrame, method: str) -> pd.DataFrame:
    """Distinct factors behind the emission lines, with sources (electricity per method)."""
    if lines.empty:
        return pd.DataFrame(columns=FACTORS_USED_COLUMNS)
    lw = lines.rename(columns={"item": "_item"})
    lw = lw.assign(activity=np.where(lw["source"] == "meter", lw["category"], lw["_item"]))
    # electricity lines differ by method; other activities are the same for every method
    lw = lw[(lw["method"] == method) | lw["activity"].isin(["electricity"])]
    lw = lw.assign(method=np.where(lw["activity"] == "electricity", lw["method"], ""))
    out = (lw[FACTORS_USED_COLUMNS].drop_duplicates()
           .sort_values(["activity", "method", "year"]).reset_index(drop=True))
    out["scope"] = out["scope"].astype("Int64")
    return out


def _used_imports(imports, meter_years, *frames) -> set[int]:
    """Imports whose rows are in the accounts (meter imports: every current one)."""
    used: set[int] = set()
    for frame in frames:
        if frame is not None and not frame.empty and "import_id" in frame:
            used |= set(int(i) for i in frame["import_id"].unique())
    if meter_years is not None and not meter_years.empty:
        used |= set(int(i) for i in imports.loc[
            imports["kind"].isin(["meter_registry", "meter_readings"]), "import_id"])
    return used


def _frame_hash(frame: pd.DataFrame) -> str:
    if frame is None or frame.empty:
        return hashlib.sha256(b"").hexdigest()
    cols = [c for c in ("cas", "name", "list", "source") if c in frame]
    return hashlib.sha256(frame[cols].to_csv(index=False).encode()).hexdigest()


def _fallback_warnings(basis: pd.DataFrame) -> list[KlimaWarning]:
    """One warning per activity, year and factor year where another year's factor was used."""
    if basis.empty:
        return []
    fb = basis[basis["fallback"].astype(bool)]
    keys = sorted(set(zip(fb["year"].astype(int), fb["activity"], fb["factor_year"].astype(int),
                          fb["factor_method"])))
    return [KlimaWarning("factor_fallback", year=year, values={
        "activity": act, "method": method or None, "factor_year": fyear,
        "why": Phrase("nearest_earlier_year" if fyear < year else "earliest_year_published")})
        for year, act, fyear, method in keys]


def _area_warnings(config: Config, years) -> list[KlimaWarning]:
    return [KlimaWarning("area_missing", site=site, values={"years": YearList(missing)})
            for site, missing in indicators.missing_areas(config, years).items()]


# --- a region (DESIGN §6a) -------------------------------------------------------------

#: The fields of each indicator that ``summary.json`` gives per member (DESIGN §6a).
MEMBER_FIELDS = ("value", "baseline", "change_pct", "status", "complete")

#: Indicators that are quantities: a region's value is the sum of its members' values.
_SUMMED = ("emissions", "climate_neutral", "footprint", "energy", "energy_normalised",
           "food_waste")


def combine_members(members: list, config: Config, lib, report_year: int) -> Accounts:
    """A region's accounts: its members' accounts added up (DESIGN §6a).

    Every member's accounts were built by :func:`build_accounts` on the
    region's basis; nothing here re-applies a rule to a member's data. The
    region's quantities (emissions, energy, food waste, their lines and
    breakdowns) are the sums of the members'; its shares are recomputed from
    the summed numerators and denominators (recovered and delivered energy,
    free and all products); its targets, paths, projections and statuses are
    evaluated on the region's own figures, as a trust's are on its own.

    A member whose figure of a year is incomplete, or missing, makes the
    region's figure of that year incomplete and is named
    (``member_incomplete``); the region's value then sums the members that
    have one. ``energy_normalised`` appears only when every member has it.

    Parameters
    ----------
    members : list of (str, str, Accounts)
        Per member its id, name and accounts of ``report_year``.
    config : Config
        The region's configuration: baseline year, accounting basis, targets,
        and one :class:`~klimaregnskap.config.Site` per member (id = member id,
        area = the member's heated area [m2] in years where all its sites have one).
    lib : object
        Anything with ``sha256`` (the region's provenance of factor libraries).
    report_year : int

    Returns
    -------
    Accounts
        Frames whose ``site`` is the member id (the original site in
        ``member_site``), meter ids as ``<member>/<meter>``, and ``members``.
    """
    by = config.baseline_year
    years = list(range(by, report_year + 1))
    table = indicator_table()

    def cat(get, *, meters: bool = False) -> pd.DataFrame:
        parts, empty = [], None
        for mid, _name, a in members:
            f = get(a)
            if f is None:
                continue
            f = f.copy()
            if "site" in f.columns:
                f["member_site"] = f["site"]
                f["site"] = mid
            if meters and "meter_id" in f.columns:
                f["meter_id"] = mid + "/" + f["meter_id"].astype(str)
            f["member"] = mid
            if f.empty:
                empty = f if empty is None else empty
                continue
            parts.append(f)
        if parts:
            return pd.concat(parts, ignore_index=True)
        return empty if empty is not None else pd.DataFrame()

    # --- yearly series: sums of quantities, shares from summed parts ---------------
    have = {k for k in table if all(k in {*a.series["indicator"]} for _m, _n, a in members)}
    adjusted, unadjusted = {}, {}
    missing: dict[str, dict[int, list[str]]] = {}
    for k in [k for k in table if k in _SUMMED and k in have]:
        for target, adj in ((adjusted, True), (unadjusted, False)):
            parts = pd.DataFrame({mid: a.series_of(k, adjusted=adj).reindex(years)
                                  for mid, _n, a in members})
            target[k] = parts.sum(axis=1, min_count=1).astype("float64")
            if adj:
                missing[k] = {y: [mid for mid in parts.columns if np.isnan(parts.at[y, mid])]
                              for y in years}
    # the members' own yearly sums added up (not the lines re-added): a region of two
    # copies of a trust then has exactly twice its figures, and exactly its shares
    rec = pd.DataFrame({mid: _per_year(a.recovered, "energy_kwh").reindex(years)
                        for mid, _n, a in members}).sum(axis=1, min_count=1)
    recovered = cat(lambda a: _carrier_sums(a.recovered))
    if "recovered_heat_share" in have:
        unadjusted["recovered_heat_share"] = pd.Series(
            en.recovered_share_pct([unadjusted["energy"].get(y, np.nan) for y in years],
                                   [rec.get(y, 0.0) for y in years]), index=years, dtype="float64")
        adjusted["recovered_heat_share"] = unadjusted["recovered_heat_share"]
    # gjenvinningskraft: the members' counted certificates and electricity added up,
    # the share from the sums (DESIGN §4), never an average of the members' shares
    cert_alloc = cat(lambda a: a.certificates)
    delivered = cat(lambda a: _carrier_sums(a.delivered))
    if "recovered_power_share" in have:
        unadjusted["recovered_power_share"] = _full(cert_rules.recovered_power_share_pct(
            years, cert_alloc, delivered, recovered), years)
        adjusted["recovered_power_share"] = unadjusted["recovered_power_share"]
    product_years = cat(lambda a: a.product_years)
    py = None
    if not product_years.empty:
        counts = (product_years.groupby(product_years["year"].astype(int))
                  [["products", "free_products", "spend_total", "spend_free"]]
                  .sum(min_count=1))
        py = product_rules.year_shares(counts)
        product_years = py.reset_index()[PRODUCT_YEAR_COLUMNS]
    else:
        product_years = pd.DataFrame(columns=PRODUCT_YEAR_COLUMNS)
    if "chemical_free_share" in have:
        share = py["free_share_pct"].astype("float64") if py is not None else pd.Series(
            dtype="float64")
        unadjusted["chemical_free_share"] = _full(share, years)
        adjusted["chemical_free_share"] = unadjusted["chemical_free_share"]
    order = [k for k in table if k in adjusted]
    adjusted = {k: adjusted[k] for k in order}
    unadjusted = {k: unadjusted[k] for k in order}

    # --- completeness: a member's incomplete or missing figure names the member -------
    names = {mid: name for mid, name, _a in members}
    reasons: dict[str, dict[int, list]] = {k: {y: [] for y in years} for k in order}
    for mid, name, a in members:
        comp = a.completeness
        if comp is None or comp.empty:
            continue
        bad = comp[~comp["complete"].astype(bool) & comp["indicator"].isin(order)]
        for r in bad.itertuples(index=False):
            if int(r.year) in reasons[r.indicator]:
                reasons[r.indicator][int(r.year)].append(KlimaWarning(
                    "member_incomplete", year=int(r.year),
                    values={"member": f"{name} ({mid})", "indicator": r.indicator}))
    for k, per_year in missing.items():
        for y, mids in per_year.items():
            if len(mids) < len(members):  # a region figure exists, but without these members
                for mid in mids:
                    w = KlimaWarning("member_incomplete", year=y,
                                     values={"member": f"{names[mid]} ({mid})", "indicator": k})
                    if w not in reasons[k][y]:
                        reasons[k][y].append(w)

    # --- targets, paths, statuses on the region's own figures ---------------------
    ind, paths, projections, indicator_years = _indicator_fields(
        config, adjusted, unadjusted, report_year, years, reasons, py)

    operations = cat(lambda a: a.operations)
    intens = indicators.trust_intensities(
        years, unadjusted.get("energy", pd.Series(dtype="float64")),
        unadjusted.get("emissions", pd.Series(dtype="float64")),
        unadjusted.get("food_waste", pd.Series(dtype="float64")), operations, config)
    iy = intens.set_index("year").reindex([report_year]).iloc[0]
    if "food_waste" in ind:
        ind["food_waste"]["kg_per_patient_day"] = _num(iy["food_waste_kg_per_patient_day"])
        ind["food_waste"]["g_per_meal_served"] = _num(iy["food_waste_g_per_meal_served"])
    if "emissions" in ind:
        ind["emissions"]["kgco2e_per_patient_day"] = _num(iy["emissions_kgco2e_per_patient_day"])
    if "energy" in ind:
        ind["energy"]["kwh_per_m2"] = _num(iy["energy_kwh_per_m2"])

    # --- per member ("site" of the region) ----------------------------------------
    target = cat(lambda a: a.target_lines)
    food = cat(lambda a: a.food)
    normalised = cat(lambda a: a.normalised)
    if not normalised.empty and "energy_normalised_kwh" in normalised:
        normalised = (normalised.assign(year=normalised["year"].astype(int))
                      .groupby(["year", "site"], as_index=False)["energy_normalised_kwh"].sum())
    site_table = indicators.site_table(config, years, target, delivered, recovered, normalised,
                                       food, operations)

    member_rows = []
    for mid, name, a in members:
        member_rows.append({
            "id": mid, "name": name, "project": str(a.config.project_dir),
            "factor_library_sha256": a.lib.sha256,
            "indicators": {k: {f: v.get(f) for f in MEMBER_FIELDS}
                           for k, v in a.indicators.items()}})

    warnings = [w for k in order for w in ind[k].get("incomplete_reasons", [])
                if w.year == report_year]
    warnings += [KlimaWarning("no_data", year=report_year, values={"indicator": k})
                 for k, v in ind.items() if v.get("value") is None]

    imports, used = _member_imports(members)
    lines = cat(lambda a: a.lines)
    energy = cat(lambda a: a.energy)
    quality_frame = cat(lambda a: a.quality, meters=True)
    first = members[0][2]
    methods = [m for m in first.methods if all(m in a.methods for _i, _n, a in members)]
    # the sector's categories, purchases and certificates: the members' sums added up
    by_scope = sum_by(cat(lambda a: a.emissions_by_scope), ["year", "method", "scope"],
                      "emissions_tco2e")
    by_reporting = sum_by(cat(lambda a: a.emissions_by_reporting_category),
                          ["year", "reporting_category", "scope"], "emissions_tco2e")
    by_scope3 = sum_by(cat(lambda a: a.emissions_by_scope3_category),
                       ["year", "scope3_category"], "emissions_tco2e")
    purchase_years = cat(lambda a: a.purchase_years)
    if not purchase_years.empty:
        purchase_years = (purchase_years.assign(year=purchase_years["year"].astype(int))
                          .groupby("year", as_index=False)
                          [["spend_nok", "excluded_nok", "emissions_tco2e"]].sum())
    purchase_categories = cat(lambda a: a.purchase_categories)
    if not purchase_categories.empty:
        num = [c for c in purchase_categories.columns
               if c not in ("year", "category", "files", "site", "member", "member_site")
               and pd.api.types.is_numeric_dtype(purchase_categories[c])]
        purchase_categories = (purchase_categories.assign(
            year=purchase_categories["year"].astype(int))
            .groupby(["year", "category"], as_index=False)[num].sum())
    # purchases count for the region's year only when every member has them
    bought_all = all(not a.purchase_years.empty and int(report_year) in
                     set(a.purchase_years["year"].astype(int)) for _i, _n, a in members)
    cert_summary = _sum_dicts([a.electricity_certificates for _i, _n, a in members])
    return Accounts(
        config=config, lib=lib, report_year=report_year, methods=methods,
        activity=cat(lambda a: a.activity), meter_years=cat(lambda a: a.meter_years, meters=True),
        lines=lines, basis_lines=cat(lambda a: a.basis_lines), target_lines=target,
        energy=energy, delivered=delivered, recovered=recovered, food=food,
        operations=operations, products=cat(lambda a: a.products), product_years=product_years,
        products_not_free=cat(lambda a: a.products_not_free),
        temperatures=cat(lambda a: a.temperatures), normalised=normalised,
        quality=quality_frame, series=_long(adjusted), series_unadjusted=_long(unadjusted),
        indicators=ind, paths=paths, projections=projections, site_table=site_table,
        intensities=intens, indicator_years=indicator_years,
        method_lines=cat(lambda a: a.method_lines),
        emissions_by_scope=by_scope,
        emissions_by_reporting_category=by_reporting,
        emissions_by_scope3_category=by_scope3,
        disclosures=disclosure_rows(
            year=report_year, by_scope=by_scope, by_scope3_category=by_scope3,
            by_reporting_category=by_reporting,
            delivered_by_carrier=sum_by(delivered, ["year", "carrier"], "energy_kwh"),
            categories=accounting.REPORTING_CATEGORIES, methods=methods,
            method=config.accounting.electricity_method, gwp=config.accounting.gwp,
            has_purchases=bought_all),
        certificates=cert_alloc, electricity_certificates=cert_summary,
        purchase_years=purchase_years, purchase_categories=purchase_categories,
        purchases_excluded=cat(lambda a: a.purchases_excluded),
        emissions_by_category=sum_by(cat(lambda a: a.emissions_by_category),
                                     ["year", "category", "scope"], "emissions_tco2e"),
        emissions_by_site=sum_by(cat(lambda a: a.emissions_by_site), ["year", "site"],
                                 "emissions_tco2e"),
        energy_by_carrier=sum_by(cat(lambda a: a.energy_by_carrier),
                                 ["year", "site", "carrier", "recovered"], "energy_kwh"),
        food_by_category=sum_by(cat(lambda a: a.food_by_category), ["year", "site", "category"],
                                "quantity_kg"),
        calculation_lines=cat(lambda a: a.calculation_lines),
        factors_used=cat(lambda a: a.factors_used),
        imports=imports, used_imports=used,
        listed=first.listed, listed_sha256=first.listed_sha256,
        completeness=completeness.completeness_table(reasons),
        incomplete_meters=cat(lambda a: a.incomplete_meters, meters=True),
        warnings=warnings, changes={}, members=member_rows)


def _sum_dicts(dicts: list) -> dict:
    """Nested dicts of numbers added key by key (a region's ``electricity_certificates``)."""
    out: dict = {}
    for d in dicts:
        for k, v in (d or {}).items():
            if isinstance(v, dict):
                out[k] = _sum_dicts([out.get(k, {}), v])
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out[k] = out.get(k, 0.0) + float(v)
    return out


def _carrier_sums(lines: pd.DataFrame) -> pd.DataFrame:
    """A member's energy lines as one line per year and carrier [kWh].

    Each is the sum of the member's lines as ``summary.json`` adds them (the
    lines of a year and carrier, in order), so that the region's per-carrier
    energy is a sum of its members' figures, not of their lines afresh.
    """
    if lines is None or lines.empty:
        return lines
    keys = ["year", "carrier", "role", "recovered"]
    rows = []
    for key, g in lines.groupby(keys, sort=True):
        # the member is the region's "site": its sites are added up here
        rows.append(dict(zip(keys, key), site="", energy_kwh=g["energy_kwh"].sum(),
                         source="sum", item=str(key[1])))
    return pd.DataFrame(rows).astype({"year": "int64", "energy_kwh": "float64"})


def _member_imports(members: list) -> tuple[pd.DataFrame, set]:
    """The members' current imports, numbered anew (ids are per ledger), files as ``<member>:<file>``."""
    parts, used, next_id = [], set(), 1
    for mid, _name, a in members:
        f = a.imports.copy()
        ids = {int(i): next_id + k for k, i in enumerate(f["import_id"])}
        next_id += len(ids)
        used |= {ids[i] for i in a.used_imports if i in ids}
        f["import_id"] = f["import_id"].map(lambda i: ids[int(i)]).astype("int64")
        f["file"] = mid + ":" + f["file"].astype(str)
        f["member"] = mid
        parts.append(f)
    return pd.concat(parts, ignore_index=True), used
