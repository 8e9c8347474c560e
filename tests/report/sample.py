"""A small, realistic :class:`ReportData` for the report tests.

The figures are invented but internally consistent (two sites, 2019-2025).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.report.data import ReportData
from klimaregnskap.warning import KlimaWarning, Phrase

BASELINE_YEAR = 2019
REPORT_YEAR = 2025
YEARS = list(range(BASELINE_YEAR, REPORT_YEAR + 1))

# indicator -> (unit, target year, target as share of baseline or absolute level)
_TARGETS = {
    "emissions": ("tCO2e", 2030, ("reduction", 0.40)),
    "climate_neutral": ("tCO2e", 2045, ("level", 0.0)),
    "energy": ("kWh", 2030, ("reduction", 0.20)),
    "energy_normalised": ("kWh", 2030, ("reduction", 0.20)),
    "recovered_heat_share": ("%", None, None),
    "food_waste": ("kg", 2030, ("reduction", 0.50)),
    "chemical_free_share": ("%", 2030, ("level", 75.0)),
}

_VALUES = {
    "emissions": [2480.0, 2390.5, 2301.2, 2205.8, 2150.3, 2010.9, 1932.4],
    "energy": [61_250_000.0, 60_480_000.0, 60_910_000.0, 59_020_000.0,
               58_310_000.0, 57_640_000.0, 56_905_000.0],
    "energy_normalised": [60_900_000.0, 60_750_000.0, 60_100_000.0, 59_300_000.0,
                          58_700_000.0, 57_900_000.0, 57_300_000.0],
    "recovered_heat_share": [8.2, 8.9, 9.5, 10.4, 11.8, 12.6, 13.9],
    "food_waste": [182_400.0, 178_900.0, 171_300.0, 160_200.0, 150_800.0, 139_400.0, 131_050.0],
    "chemical_free_share": [52.0, 54.5, 57.1, 58.0, 61.2, 63.0, 64.4],
}
_VALUES["climate_neutral"] = list(_VALUES["emissions"])

SITES = {"kalnes": "Sykehuset Kalnes", "moss": "Sykehuset Moss"}


def _path(indicator: str) -> pd.DataFrame:
    unit, target_year, target = _TARGETS[indicator]
    base = _VALUES[indicator][0]
    if target is None:
        return pd.DataFrame(columns=["indicator", "year", "path_value"])
    if indicator == "climate_neutral":
        t2030 = base * 0.6
        rows = []
        for y in range(BASELINE_YEAR, 2046):
            if y <= 2030:
                v = base + (t2030 - base) * (y - BASELINE_YEAR) / (2030 - BASELINE_YEAR)
            else:
                v = t2030 * (2045 - y) / (2045 - 2030)
            rows.append((indicator, y, v))
        return pd.DataFrame(rows, columns=["indicator", "year", "path_value"])
    tv = _target_value(indicator)
    ys = np.arange(BASELINE_YEAR, target_year + 1)
    vals = base + (tv - base) * (ys - BASELINE_YEAR) / (target_year - BASELINE_YEAR)
    return pd.DataFrame({"indicator": indicator, "year": ys, "path_value": vals})


def _target_value(indicator: str) -> float:
    _, _, (kind, level) = _TARGETS[indicator]
    base = _VALUES[indicator][0]
    return base * (1 - level) if kind == "reduction" else level


def _projection(indicator: str) -> pd.DataFrame:
    unit, target_year, _ = _TARGETS[indicator]
    target_year = target_year or 2030
    x = np.array(YEARS, dtype=float)
    y = np.array(_VALUES[indicator], dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    ys = np.arange(BASELINE_YEAR, target_year + 1)
    vals = np.clip(slope * ys + intercept, 0, 100 if unit == "%" else None)
    return pd.DataFrame({"indicator": indicator, "year": ys, "projected_value": vals})


def _indicator_summary(indicator: str, paths: pd.DataFrame, proj: pd.DataFrame) -> dict:
    unit, target_year, target = _TARGETS[indicator]
    vals = _VALUES[indicator]
    value, base = vals[-1], vals[0]
    out = {"unit": unit, "value": value, "baseline": base,
           "change_pct": (value - base) / base * 100}
    if indicator == "emissions":
        out["baseline_unadjusted"] = base - 120.0
    if target is None:
        return out
    tv = _target_value(indicator)
    pv = float(paths.loc[paths["year"] == REPORT_YEAR, "path_value"].iloc[0])
    better = (lambda a, b: a >= b) if unit == "%" else (lambda a, b: a <= b)
    status = "achieved" if better(value, tv) else ("on_track" if better(value, pv) else "off_track")
    out.update({"target_year": target_year, "target_value": tv, "path_value": pv,
                "status": status,
                "projected_target_year_value": float(
                    proj.loc[proj["year"] == target_year, "projected_value"].iloc[0])})
    if tv == 0:
        out["required_annual_change_pct"] = None
        out["required_annual_change"] = value / (target_year - REPORT_YEAR)
    else:
        out["required_annual_change_pct"] = (
            (tv / value) ** (1 / (target_year - REPORT_YEAR)) - 1) * 100
    if unit == "%":
        out["change_points"] = value - base
        out["spend_weighted_value"] = value + 3.1
        out["spend_weighted_baseline"] = base + 1.4
    return out


def make_sample_report_data(lang: str = "nb", *, organisation: str = "Demo HF",
                            generated_at: str = "2026-02-01T08:00:00+00:00") -> ReportData:
    """A complete, consistent :class:`ReportData` for two sites, 2019-2025.

    Parameters
    ----------
    lang : str
        ``'nb'`` or ``'en'``.
    organisation : str
        Organisation name (user text).
    generated_at : str
        ISO 8601 time stamp stored in the summary.
    """
    indicators = list(_TARGETS)
    series = pd.DataFrame(
        [(i, y, v, _TARGETS[i][0]) for i in indicators for y, v in zip(YEARS, _VALUES[i])],
        columns=["indicator", "year", "value", "unit"])
    paths = pd.concat([_path(i) for i in indicators if _TARGETS[i][2] is not None],
                      ignore_index=True)
    projections = pd.concat([_projection(i) for i in indicators], ignore_index=True)

    site_share = {"kalnes": 0.68, "moss": 0.32}
    scope_rows = []
    for y, e in zip(YEARS, _VALUES["emissions"]):
        for method, m in (("location", 1.0), ("market", 2.9), ("european_mix", 3.4)):
            s1 = e * 0.62
            s2 = e * 0.38 * m
            scope_rows += [(y, method, 1, s1), (y, method, 2, s2), (y, method, 3, 900.0 - 20 * (y - 2019))]
    emissions_by_scope = pd.DataFrame(scope_rows, columns=["year", "method", "scope", "emissions_tco2e"])

    cats = [("fuel_oil", 1, 0.30), ("vehicle:diesel", 1, 0.08), ("refrigerant:R-134a", 1, 0.06),
            ("anaesthetic:sevoflurane", 1, 0.04), ("nitrous_oxide", 1, 0.14),
            ("electricity", 2, 0.24), ("district_heating", 2, 0.14)]
    cat_rows = [(y, c, s, e * f) for y, e in zip(YEARS, _VALUES["emissions"]) for c, s, f in cats]
    cat_rows += [(y, "waste:residual", 3, 410.0 - 8 * (y - 2019)) for y in YEARS]
    cat_rows += [(y, "flight_domestic", 3, 490.0 - 12 * (y - 2019)) for y in YEARS]
    emissions_by_category = pd.DataFrame(cat_rows, columns=["year", "category", "scope", "emissions_tco2e"])

    emissions_by_site = pd.DataFrame(
        [(y, s, e * f) for y, e in zip(YEARS, _VALUES["emissions"]) for s, f in site_share.items()],
        columns=["year", "site", "emissions_tco2e"])

    carriers = [("electricity", 0.58), ("district_heating", 0.36), ("fuel_oil", 0.06)]
    e_rows = []
    for y, e, r in zip(YEARS, _VALUES["energy"], _VALUES["recovered_heat_share"]):
        rec_total = e * r / (100 - r)
        for s, f in site_share.items():
            for c, cf in carriers:
                e_rows.append((y, s, c, e * f * cf, False))
            e_rows.append((y, s, "recovered_heat", rec_total * f, True))
    energy_by_carrier = pd.DataFrame(e_rows, columns=["year", "site", "carrier", "energy_kwh", "recovered"])

    area = {"kalnes": 90500.0, "moss": 41200.0}
    pdays = {"kalnes": 121_000.0, "moss": 52_300.0}
    st_rows = []
    for i, y in enumerate(YEARS):
        for s, f in site_share.items():
            en = _VALUES["energy"][i] * f
            em = _VALUES["emissions"][i] * f
            fw = _VALUES["food_waste"][i] * f
            rec = energy_by_carrier.query("year == @y and site == @s and recovered")["energy_kwh"].sum()
            st_rows.append((y, s, en, area[s], en / area[s], _VALUES["energy_normalised"][i] * f,
                            em, pdays[s], em * 1000 / pdays[s], fw, fw / pdays[s], rec))
    site_table = pd.DataFrame(st_rows, columns=[
        "year", "site", "energy_kwh", "area_m2", "energy_kwh_per_m2", "energy_normalised_kwh",
        "emissions_tco2e", "patient_days", "emissions_kgco2e_per_patient_day", "food_waste_kg",
        "food_waste_kg_per_patient_day", "recovered_energy_kwh"])

    fw_rows = [(y, s, c, v * f * cf) for y, v in zip(YEARS, _VALUES["food_waste"])
               for s, f in site_share.items()
               for c, cf in (("production", 0.3), ("serving", 0.45), ("plate", 0.25))]
    food_waste = pd.DataFrame(fw_rows, columns=["year", "site", "category", "quantity_kg"])

    products_not_free = pd.DataFrame([
        (REPORT_YEAR, "P-1001", "Desinfeksjonsmiddel 5 L", "flagged"),
        (REPORT_YEAR, "P-2040", "Hansker nitril, str. M", "cas:80-05-7"),
        (REPORT_YEAR, "P-3307", "Rengjøringsspray", "flagged"),
    ], columns=["year", "product_id", "description", "reason"])

    calculation_lines = pd.DataFrame([
        (REPORT_YEAR, "kalnes", "activity", "fuel_oil", "aktivitet_2025.xlsx", 5, 42_000.0, "L",
         2.66, "kgCO2e/L", 2024, True, "Miljødirektoratet 2024", 1, "", 111.72),
        (REPORT_YEAR, "kalnes", "meter", "707057500000000001", "elhub_707057500000000001.csv", "",
         19_400_000.0, "kWh", 0.019, "kgCO2e/kWh", 2025, False, "NVE varedeklarasjon 2025", 2,
         "location", 368.6),
        (REPORT_YEAR, "moss", "activity", "nitrous_oxide", "aktivitet_2025.xlsx", 9, 310.0, "kg",
         265.0, "kgCO2e/kg", 2025, False, "IPCC AR5", 1, "", 82.15),
    ], columns=["year", "site", "source", "item", "file", "row", "quantity", "quantity_unit",
                "factor_value", "factor_unit", "factor_year", "fallback", "factor_source", "scope",
                "method", "emissions_tco2e"])

    factors_used = pd.DataFrame([
        ("fuel_oil", REPORT_YEAR, 2024, 2.66, "kgCO2e/L", 1, "", True, "Miljødirektoratet 2024"),
        ("electricity", REPORT_YEAR, 2025, 0.019, "kgCO2e/kWh", 2, "location", False,
         "NVE varedeklarasjon 2025"),
        ("nitrous_oxide", REPORT_YEAR, 2025, 265.0, "kgCO2e/kg", 1, "", False, "IPCC AR5"),
    ], columns=["activity", "year", "factor_year", "factor_value", "factor_unit", "scope", "method",
                "fallback", "factor_source"])

    data_quality = pd.DataFrame([
        ("707057500000000001", "kalnes", "electricity", "main", REPORT_YEAR, 100.0, 0.0, 0, 0),
        ("FV-KAL-01", "kalnes", "district_heating", "main", REPORT_YEAR, 98.63, 1.2, 72, 3),
        ("EL-MOS-01", "moss", "electricity", "main", REPORT_YEAR, 100.0, 4.5, 0, 0),
    ], columns=["meter_id", "site", "carrier", "role", "year", "coverage_pct", "estimated_pct",
                "longest_gap_hours", "gaps"])

    warnings = [KlimaWarning("factor_fallback", year=REPORT_YEAR, values={
                    "activity": "fuel_oil", "method": None, "factor_year": 2024,
                    "why": Phrase("nearest_earlier_year")}),
                KlimaWarning("incomplete_coverage", meter_id="FV-KAL-01", site="kalnes",
                             year=REPORT_YEAR, values={"coverage_pct": 98.63,
                                                       "longest_gap_hours": 72.0})]
    imports = pd.DataFrame([
        ("inputs/malere.csv", "a" * 64, "meter_registry", 6, "2026-01-15T10:00:00"),
        ("inputs/aktivitet_2025.xlsx", "b" * 64, "activity", 48, "2026-01-15T10:00:01"),
        ("inputs/elhub_707057500000000001.csv", "c" * 64, "readings", 8760, "2026-01-15T10:00:02"),
    ], columns=["file", "sha256", "kind", "rows", "loaded_at"])
    baseline_adjustments = [{"indicator": "emissions", "amount": 120.0, "unit": "tCO2e",
                             "year": 2023, "reason": "Sentrum clinic taken over from Nabo HF"}]
    method_notes = {"electricity_method": "location", "gwp": "AR5", "target_scopes": [1, 2],
                    "electricity_methods": ["location", "market", "european_mix"],
                    "factor_library_sha256": "d" * 64,
                    "fallbacks": ["fuel_oil 2025 -> 2024"]}

    ind_summary = {}
    for i in indicators:
        ind_summary[i] = _indicator_summary(
            i, paths[paths["indicator"] == i], projections[projections["indicator"] == i])
    last = REPORT_YEAR
    summary = {
        "organisation": organisation, "year": REPORT_YEAR, "baseline_year": BASELINE_YEAR,
        "indicators": ind_summary,
        "emissions_by_scope": {
            m: {str(s): float(g.loc[g["scope"] == s, "emissions_tco2e"].sum()) for s in (1, 2, 3)}
            for m, g in emissions_by_scope[emissions_by_scope["year"] == last].groupby("method")},
        "energy_by_carrier_kwh": {
            c: float(v) for c, v in energy_by_carrier[(energy_by_carrier["year"] == last)
                                                     & ~energy_by_carrier["recovered"]]
            .groupby("carrier")["energy_kwh"].sum().items()},
        "recovered_energy_kwh": {
            "recovered_heat": float(energy_by_carrier[(energy_by_carrier["year"] == last)
                                                      & energy_by_carrier["recovered"]]["energy_kwh"].sum()),
            "recovered_power": 0.0},
        "sites": {
            r.site: {"energy_kwh": r.energy_kwh, "emissions_tco2e": r.emissions_tco2e,
                     "area_m2": r.area_m2, "energy_kwh_per_m2": r.energy_kwh_per_m2,
                     "patient_days": r.patient_days, "food_waste_kg": r.food_waste_kg,
                     "recovered_energy_kwh": r.recovered_energy_kwh}
            for r in site_table[site_table["year"] == last].itertuples()},
        "data_quality": {
            "meters": [{"meter_id": r.meter_id, "year": int(r.year), "coverage_pct": r.coverage_pct,
                        "estimated_pct": r.estimated_pct, "longest_gap_hours": int(r.longest_gap_hours)}
                       for r in data_quality.itertuples()],
            "warnings": [w.as_json() for w in warnings]},
        "provenance": {"factor_library_sha256": method_notes["factor_library_sha256"],
                       "inputs": [{"file": r.file, "sha256": r.sha256, "rows": int(r.rows)}
                                  for r in imports.itertuples()]},
        "settings": {"electricity_method": "location", "gwp": "AR5", "target_scopes": [1, 2],
                     "timezone": "Europe/Oslo"},
        "generated_at": generated_at,
        "language": lang,
    }
    return ReportData(
        summary=summary, language=lang, site_names=dict(SITES), series=series, paths=paths,
        projections=projections, emissions_by_scope=emissions_by_scope,
        emissions_by_category=emissions_by_category, emissions_by_site=emissions_by_site,
        energy_by_carrier=energy_by_carrier, site_table=site_table, food_waste=food_waste,
        products_not_free=products_not_free, calculation_lines=calculation_lines,
        factors_used=factors_used, data_quality=data_quality, warnings=warnings, imports=imports,
        baseline_adjustments=baseline_adjustments, method_notes=method_notes)
