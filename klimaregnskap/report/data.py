"""The data the report renderer receives from the targets stage.

Everything in here is already computed: the renderer formats, charts and
writes, it never recomputes an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from klimaregnskap.warning import KlimaWarning


@dataclass
class ReportData:
    """All figures of one annual report.

    Attributes
    ----------
    summary : dict
        Exactly the ``summary.json`` content of DESIGN §5, plus
        ``generated_at`` (ISO 8601 string) and ``language``.
    language : str
        ``'nb'`` or ``'en'``.
    site_names : dict of str to str
        Site id -> display name (user text, always escaped on output).
    series : DataFrame
        ``indicator, year, value, unit``: yearly values baseline .. report year
        (baseline-adjusted). NaN value = no data that year.
    paths : DataFrame
        ``indicator, year, path_value``: the target path, baseline .. target year.
    projections : DataFrame
        ``indicator, year, projected_value``: least-squares trend, baseline ..
        target year, clipped to the physical range.
    emissions_by_scope : DataFrame
        ``year, method, scope, emissions_tco2e``.
    emissions_by_category : DataFrame
        ``year, category, scope, emissions_tco2e`` (configured method).
    emissions_by_site : DataFrame
        ``year, site, emissions_tco2e`` (target scopes, configured method).
    energy_by_carrier : DataFrame
        ``year, site, carrier, energy_kwh, recovered``.
    site_table : DataFrame
        ``year, site, energy_kwh, area_m2, energy_kwh_per_m2,
        energy_normalised_kwh, emissions_tco2e, patient_days,
        emissions_kgco2e_per_patient_day, food_waste_kg,
        food_waste_kg_per_patient_day, recovered_energy_kwh``.
    food_waste : DataFrame
        ``year, site, category, quantity_kg``.
    products_not_free : DataFrame
        ``year, product_id, description, reason``.
    calculation_lines : DataFrame
        ``year, site, source, item, file, row, quantity, quantity_unit,
        factor_value, factor_unit, factor_year, fallback, factor_source, scope,
        method, emissions_tco2e``.
    factors_used : DataFrame
        ``activity, year, factor_year, factor_value, factor_unit, scope,
        method, fallback, factor_source``.
    data_quality : DataFrame
        ``meter_id, site, carrier, role, year, coverage_pct, estimated_pct,
        longest_gap_hours, gaps``.
    warnings : list of KlimaWarning
        Typed warnings (:mod:`klimaregnskap.warning`), shown in the report's
        language with :func:`klimaregnskap.report.text.warning_text`.
    imports : DataFrame
        ``file, sha256, kind, rows, loaded_at``.
    baseline_adjustments : list of dict
        ``indicator, amount, unit, year, reason``.
    method_notes : dict
        ``electricity_method, gwp, target_scopes, electricity_methods,
        factor_library_sha256, fallbacks`` (list of str).
    incomplete_reasons : dict
        Indicator -> the typed reasons (KlimaWarning) its report or baseline
        year is incomplete (DESIGN §4); absent when complete.
    incomplete_years : dict
        Indicator -> the years whose figure is incomplete (charts draw them
        hollow).
    incomplete_meters : DataFrame
        ``meter_id, year``: main meter-years that make a year incomplete.
    measures : DataFrame
        One row per measure (:data:`klimaregnskap.calc.measures.MEASURE_COLUMNS`):
        ``effect_target_year`` in ``unit``, ``tco2e_per_year`` [tCO2e/year],
        ``cost_per_tco2e`` [NOK/tCO2e].
    measure_effects : DataFrame
        ``id, indicator, status, via, year, effect, effect_beyond``: each
        measure's effect on each indicator it changes, report year to target
        year [indicator unit].
    measure_scenarios : DataFrame
        ``indicator, year, bau, with_decided, with_planned`` [indicator unit].
    changes : dict
        Files changed since the previous report and the figures they moved
        (:func:`klimaregnskap.pipeline.input_changes`).
    purchase_categories : DataFrame
        ``year, category, name, gross_nok, credits_nok, net_nok, counted_nok,
        emissions_tco2e``: spend per year and spend category [NOK, tCO2e];
        ``name`` in the report's language.
    purchases_excluded : DataFrame
        ``year, pattern, reason, net_nok``: spend left out, with its reason [NOK].
    emissions_by_reporting_category : DataFrame
        ``year, reporting_category, scope, emissions_tco2e`` [tCO2e]: the
        sector's categories (DESIGN §4), configured method, every year.
    emissions_by_scope3_category : DataFrame
        ``year, scope3_category, emissions_tco2e`` [tCO2e].
    disclosures : DataFrame
        The report year's figures mapped to ESRS E1-6, GRI 305 and 302-1
        and the sector's categories
        (:data:`klimaregnskap.calc.disclosures.DISCLOSURE_COLUMNS`).
    """

    summary: dict
    language: str
    site_names: dict[str, str]
    series: pd.DataFrame
    paths: pd.DataFrame
    projections: pd.DataFrame
    emissions_by_scope: pd.DataFrame
    emissions_by_category: pd.DataFrame
    emissions_by_site: pd.DataFrame
    energy_by_carrier: pd.DataFrame
    site_table: pd.DataFrame
    food_waste: pd.DataFrame
    products_not_free: pd.DataFrame
    calculation_lines: pd.DataFrame
    factors_used: pd.DataFrame
    data_quality: pd.DataFrame
    warnings: list[KlimaWarning]
    imports: pd.DataFrame
    baseline_adjustments: list[dict]
    method_notes: dict
    incomplete_reasons: dict = field(default_factory=dict)
    incomplete_years: dict = field(default_factory=dict)
    incomplete_meters: pd.DataFrame = field(default_factory=pd.DataFrame)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)
    measure_effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    measure_scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: dict = field(default_factory=dict)
    purchase_categories: pd.DataFrame = field(default_factory=pd.DataFrame)
    purchases_excluded: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: energy certificates per year, site and kind (own, share, bought, counted,
    #: excess, the site's electricity [kWh]; site '' is trust-wide certificates
    #: of a year without electricity): :func:`klimaregnskap.calc.certificates.allocate`
    certificates: pd.DataFrame = field(default_factory=pd.DataFrame)
    emissions_by_reporting_category: pd.DataFrame = field(default_factory=pd.DataFrame)
    emissions_by_scope3_category: pd.DataFrame = field(default_factory=pd.DataFrame)
    disclosures: pd.DataFrame = field(default_factory=pd.DataFrame)
