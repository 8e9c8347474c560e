"""report.xlsx: the accounts as sheets (openpyxl).

User text is always written as text: openpyxl turns any string starting
with ``=`` into a formula, so every string cell is forced to type ``'s'``
(and quote-prefixed for risky leading characters, so Excel keeps it text
when the cell is edited).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import text
from openpyxl.writer.excel import ExcelWriter

from .data import ReportData
from .i18n import id_label, label, t

RISKY_START = ("=", "+", "-", "@", "\t", "\r")

FMT_INT = "#,##0"
FMT_1 = "#,##0.0"
FMT_2 = "#,##0.00"
FMT_3 = "#,##0.000"
FMT_FACTOR = "0.00000"
FMT_PCT = "0.0"  # values are percent numbers (45.0 means 45 %), not fractions


def write_cell(ws, row: int, col: int, value, number_format: str | None = None):
    """Write one cell; strings always stay text, never a formula.

    Parameters
    ----------
    ws : Worksheet
    row, col : int
        1-based position.
    value : str, number, bool or None
        NaN and None give an empty cell; bool is written as a number 1/0 by
        Excel convention, so callers translate booleans to words first.
    number_format : str, optional
        Excel number format for numeric values.
    """
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return cell
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return cell
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        value = value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isinf(value):
            value = str(value)
        else:
            cell.value = value
            if number_format:
                cell.number_format = number_format
            return cell
    s = str(value)
    cell.value = s
    cell.data_type = "s"  # assigning '=...' made it a formula; force text
    if s.startswith(RISKY_START):
        cell.quotePrefix = True
    return cell


def _plain(v):
    if isinstance(v, np.generic):
        v = v.item()
    return v


def _write_sheet(ws, header: list[str], rows: list[list], formats: list[str | None]):
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E6E6E6")
    for j, h in enumerate(header, start=1):
        c = write_cell(ws, 1, j, h)
        c.font = bold
        c.fill = fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [min(max(len(str(h)) * 0.9, 8), 40) for h in header]
    for i, row in enumerate(rows, start=2):
        for j, v in enumerate(row, start=1):
            v = _plain(v)
            write_cell(ws, i, j, v, formats[j - 1])
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                n = len(f"{v:,.1f}") if isinstance(v, float) else len(str(v))
                widths[j - 1] = max(widths[j - 1], min(n + 2, 60))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = round(w + 1, 1)
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"


def _h(text: str, unit: str = "") -> str:
    return f"{text} ({unit})" if unit else text


def _df_rows(df: pd.DataFrame, cols: list[str], transform=None) -> list[list]:
    """The values of ``cols`` (None for a column ``df`` lacks), a list per row, each
    passed through ``transform(row)`` when given."""
    if df is None or df.empty:
        return []
    # column by column, not iterrows: a row Series costs as much as the whole column
    values = [df[c].tolist() if c in df.columns else [None] * len(df) for c in cols]
    rows = [list(r) for r in zip(*values)]
    return [transform(r) for r in rows] if transform else rows


def _method(code, lang: str):
    """A method code (``european_mix``) in the report's words; empty stays empty."""
    return label("method_", code, lang) if code not in (None, "") else code


def _yn(v, lang):
    if isinstance(v, (bool, np.bool_)):
        return t("yes", lang) if bool(v) else t("no", lang)
    return v


def build_workbook(data: ReportData) -> Workbook:
    """All sheets of the accounts workbook."""
    lang = data.language
    s = data.summary
    wb = Workbook()
    wb.remove(wb.active)
    site = lambda x: data.site_names.get(x, x)  # noqa: E731

    # summary
    ws = wb.create_sheet(t("sheet_summary", lang))
    header = [t("col_code", lang), t("col_indicator", lang), t("col_unit", lang), t("col_year", lang),
              t("col_value", lang), t("col_baseline", lang), t("col_baseline_unadjusted", lang),
              _h(t("col_change_pct", lang), "%"), _h(t("col_change_points", lang), "p.p."),
              t("col_target_year", lang), t("col_target", lang), t("col_path", lang),
              t("col_status", lang), t("col_projection", lang),
              _h(t("col_required_change", lang), "%"), t("col_required_change_abs", lang),
              _h(t("col_spend_weighted_value", lang), "%"),
              _h(t("col_spend_weighted_baseline", lang), "%"), t("col_complete", lang),
              t("sec_incomplete", lang)]
    rows = []
    for name, ind in s.get("indicators", {}).items():
        st = ind.get("status")
        reasons = "; ".join(text.warning_text(data, w)
                            for w in (data.incomplete_reasons or {}).get(name, []))
        rows.append([name, label("ind_", name, lang),
                     ind.get("unit"), s.get("year"), ind.get("value"), ind.get("baseline"),
                     ind.get("baseline_unadjusted"), ind.get("change_pct"), ind.get("change_points"),
                     ind.get("target_year"), ind.get("target_value"), ind.get("path_value"),
                     t("status_" + st, lang) if st in text.STATUSES
                     else st, ind.get("projected_target_year_value"),
                     ind.get("required_annual_change_pct"), ind.get("required_annual_change"),
                     ind.get("spend_weighted_value"), ind.get("spend_weighted_baseline"),
                     t("yes" if ind.get("complete", True) else "no", lang), reasons])
    _write_sheet(ws, header, rows, [None, None, None, "0", FMT_1, FMT_1, FMT_1, FMT_PCT, FMT_PCT,
                                    "0", FMT_1, FMT_1, None, FMT_1, FMT_2, FMT_1, FMT_PCT, FMT_PCT,
                                    None, None])

    # emissions by scope
    ws = wb.create_sheet(t("sheet_emissions_by_scope", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_method", lang), t("col_scope", lang),
                      _h(t("col_emissions", lang), "tCO2e")],
                 _df_rows(data.emissions_by_scope, ["year", "method", "scope", "emissions_tco2e"],
                          lambda row: [row[0], _method(row[1], lang)] + row[2:]),
                 ["0", None, "0", FMT_1])
    ws = wb.create_sheet(t("sheet_emissions_by_category", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_code", lang), t("col_category", lang), t("col_scope", lang),
                      _h(t("col_emissions", lang), "tCO2e")],
                 _df_rows(data.emissions_by_category, ["year", "category", "category", "scope",
                                                       "emissions_tco2e"],
                          lambda row: [row[0], row[1], id_label(row[2], lang), row[3], row[4]]),
                 ["0", None, None, "0", FMT_1])
    _category_sheets(wb, data)
    ws = wb.create_sheet(t("sheet_emissions_by_site", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_site_id", lang), t("col_site", lang),
                      _h(t("col_emissions", lang), "tCO2e")],
                 _df_rows(data.emissions_by_site, ["year", "site", "site", "emissions_tco2e"],
                          lambda row: [row[0], row[1], site(row[2]), row[3]]),
                 ["0", None, None, FMT_1])

    # energy
    ws = wb.create_sheet(t("sheet_energy", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_site_id", lang), t("col_site", lang),
                      t("col_carrier", lang), _h(t("col_energy", lang), "kWh"), t("col_recovered", lang)],
                 _df_rows(data.energy_by_carrier, ["year", "site", "site", "carrier", "energy_kwh",
                                                   "recovered"],
                          lambda row: [row[0], row[1], site(row[2]), id_label(row[3], lang),
                                          row[4], _yn(row[5], lang)]),
                 ["0", None, None, None, FMT_INT, None])

    # sites
    ws = wb.create_sheet(t("sheet_sites", lang))
    site_cols = [("year", t("col_year", lang), "", "0"), ("site", t("col_site_id", lang), "", None),
                 ("site", t("col_site", lang), "", None),
                 ("energy_kwh", t("col_energy", lang), "kWh", FMT_INT),
                 ("area_m2", t("col_area", lang), "m²", FMT_INT),
                 ("energy_kwh_per_m2", t("col_energy_per_m2", lang), "kWh/m²", FMT_1),
                 ("energy_normalised_kwh", t("col_energy_normalised", lang), "kWh", FMT_INT),
                 ("recovered_energy_kwh", t("col_recovered_energy", lang), "kWh", FMT_INT),
                 ("emissions_tco2e", t("col_emissions", lang), "tCO2e", FMT_1),
                 ("patient_days", t("col_patient_days", lang), "", FMT_INT),
                 ("emissions_kgco2e_per_patient_day", t("col_emissions_per_patient_day", lang),
                  "kgCO2e", FMT_3),
                 ("food_waste_kg", t("col_food_waste", lang), "kg", FMT_INT),
                 ("food_waste_kg_per_patient_day", t("col_food_waste_per_patient_day", lang), "kg",
                  FMT_3)]
    st = data.site_table
    cols = [c for c in site_cols if st is not None and c[0] in st.columns]
    _write_sheet(ws, [_h(h, u) for _, h, u, _ in cols],
                 _df_rows(st, [c for c, _, _, _ in cols],
                          lambda row: [site(v) if i == 2 else v for i, v in enumerate(row)]),
                 [f for _, _, _, f in cols])

    # food waste
    ws = wb.create_sheet(t("sheet_food_waste", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_site_id", lang), t("col_site", lang),
                      t("col_category", lang), _h(t("col_food_waste", lang), "kg")],
                 _df_rows(data.food_waste, ["year", "site", "site", "category", "quantity_kg"],
                          lambda row: [row[0], row[1], site(row[2]),
                                          label("category_", row[3], lang), row[4]]),
                 ["0", None, None, None, FMT_1])

    # products
    ws = wb.create_sheet(t("sheet_products", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_product", lang), t("col_description", lang),
                      t("col_reason", lang)],
                 _df_rows(data.products_not_free, ["year", "product_id", "description", "reason"]),
                 ["0", None, None, None])

    # purchases: spend per category and year, and what was left out with its reason
    ws = wb.create_sheet(t("sheet_purchases", lang))
    pc = data.purchase_categories
    _write_sheet(ws, [t("col_year", lang), t("col_code", lang), t("col_category", lang),
                      _h(t("col_spend_gross", lang), "NOK"), _h(t("col_credits", lang), "NOK"),
                      _h(t("col_spend", lang), "NOK"),
                      _h(t("col_emissions", lang), "t CO2e")],
                 _df_rows(pc, ["year", "category", "name", "gross_nok", "credits_nok",
                               "counted_nok", "emissions_tco2e"]) if not pc.empty else [],
                 ["0", None, None, FMT_1, FMT_1, FMT_1, FMT_1])
    ws = wb.create_sheet(t("sheet_purchases_excluded", lang))
    pe = data.purchases_excluded
    _write_sheet(ws, [t("col_year", lang), t("col_account", lang), t("col_reason", lang),
                      _h(t("col_spend", lang), "NOK")],
                 _df_rows(pe, ["year", "pattern", "reason", "net_nok"]) if not pe.empty else [],
                 ["0", None, None, FMT_1])
    # energy certificates (DESIGN §4): bought, counted (at most the electricity), excess
    cert = data.certificates
    if cert is not None and not cert.empty:
        ws = wb.create_sheet(t("sheet_certificates", lang))
        _write_sheet(ws, [t("col_year", lang), t("col_site_id", lang), t("col_site", lang),
                          t("col_certificate", lang), _h(t("col_cert_own", lang), "kWh"),
                          _h(t("col_cert_share", lang), "kWh"), _h(t("col_cert_bought", lang), "kWh"),
                          _h(t("col_cert_counted", lang), "kWh"),
                          _h(t("col_cert_excess", lang), "kWh"),
                          _h(t("col_cert_electricity", lang), "kWh")],
                     _df_rows(cert, ["year", "site", "site", "certificate", "own_kwh", "share_kwh",
                                     "bought_kwh", "counted_kwh", "excess_kwh", "electricity_kwh"],
                              lambda row: [row[0], row[1],
                                              site(row[2]) if row[2] else t("trust_wide", lang),
                                              label("certificate_", row[3], lang)] + row[4:]),
                     ["0", None, None, None] + [FMT_INT] * 6)

    # factors
    ws = wb.create_sheet(t("sheet_factors", lang))
    _write_sheet(ws, [t("col_code", lang), t("col_activity", lang), t("col_year_asked", lang),
                      t("col_factor_year", lang), t("col_factor", lang), t("col_factor_unit", lang),
                      t("col_scope", lang), t("col_method", lang), t("col_fallback", lang),
                      t("col_source", lang)],
                 _df_rows(data.factors_used, ["activity", "activity", "year", "factor_year",
                                              "factor_value", "factor_unit", "scope", "method",
                                              "fallback", "factor_source"],
                          lambda row: [row[0], id_label(row[1], lang)] + row[2:7]
                          + [_method(row[7], lang), _yn(row[8], lang), row[9]]),
                 [None, None, "0", "0", FMT_FACTOR, None, "0", None, None, None])

    # calculation lines
    ws = wb.create_sheet(t("sheet_calculation_lines", lang))
    calc_cols = ["year", "site", "source", "item", "activity", "category", "file", "row",
                 "quantity", "quantity_unit", "factor_value", "factor_unit", "factor_year",
                 "fallback", "factor_source", "scope", "method", "in_target", "emissions_tco2e",
                 "reporting_category", "scope3_category"]
    calc = data.calculation_lines
    if calc is not None and not calc.empty:
        calc = calc.copy()
        for c in calc_cols:
            if c not in calc.columns:
                calc[c] = None
        # pd.NA (a meter line has no row) must be an empty cell, not the text "<NA>"
        calc = calc.astype(object).where(calc.notna(), None)
    _write_sheet(ws, [t("col_year", lang), t("col_site_id", lang), t("col_data_source", lang),
                      t("col_item", lang), t("col_code", lang), t("col_category", lang), t("col_file", lang),
                      t("col_row", lang), t("col_quantity", lang), t("col_quantity_unit", lang),
                      t("col_factor", lang), t("col_factor_unit", lang), t("col_factor_year", lang),
                      t("col_fallback", lang), t("col_source", lang), t("col_scope", lang),
                      t("col_method", lang), t("col_in_target", lang),
                      _h(t("col_emissions", lang), "tCO2e"), t("col_reporting_category", lang),
                      t("col_scope3_category", lang)],
                 _df_rows(calc, calc_cols,
                          lambda row: row[:2] + [label("source_", row[2], lang)] + row[3:5]
                          + [id_label(row[5], lang) if row[5] is not None else None] + row[6:13]
                          + [_yn(row[13], lang), row[14], row[15], _method(row[16], lang),
                             _yn(row[17], lang),
                             row[18], label("repcat_", row[19], lang) if row[19] else None,
                             row[20]]),
                 ["0", None, None, None, None, None, None, "0", FMT_3, None, FMT_FACTOR, None, "0",
                  None, None, "0", None, None, "0.000000", None, "0"])

    # data quality
    ws = wb.create_sheet(t("sheet_data_quality", lang))
    _write_sheet(ws, [t("col_meter", lang), t("col_site_id", lang), t("col_carrier", lang),
                      t("col_role", lang), t("col_year", lang), _h(t("col_coverage", lang), "%"),
                      _h(t("col_estimated", lang), "%"),
                      _h(t("col_longest_gap", lang), t("hours", lang)), t("col_gaps", lang)],
                 _df_rows(data.data_quality, ["meter_id", "site", "carrier", "role", "year",
                                              "coverage_pct", "estimated_pct", "longest_gap_hours",
                                              "gaps"],
                          lambda row: row[:2] + [id_label(row[2], lang),
                                                    label("role_", row[3], lang)] + row[4:]),
                 [None, None, None, None, "0", FMT_2, FMT_2, "0", "0"])
    ws = wb.create_sheet(t("sheet_warnings", lang))
    # the kind of warning in words; its stable code is in summary.json for tools
    _write_sheet(ws, [t("col_warning", lang), t("col_message", lang)],
                 [[w.label(lang), text.warning_text(data, w)] for w in data.warnings or []],
                 [None, None])

    # imports and baseline adjustments
    ws = wb.create_sheet(t("sheet_imports", lang))
    _write_sheet(ws, [t("col_file", lang), t("col_sha256", lang), t("col_kind", lang),
                      t("col_rows", lang), _h(t("col_loaded_at", lang), text.timezone(data))],
                 _df_rows(data.imports, ["file", "sha256", "kind", "rows", "loaded_at"],
                          lambda row: row[:2] + [label("kind_", row[2], lang)] + row[3:]),
                 [None, None, None, FMT_INT, None])
    ws = wb.create_sheet(t("sheet_baseline_adjustments", lang))
    _write_sheet(ws, [t("col_indicator", lang), t("col_amount", lang), t("col_unit", lang),
                      t("col_effective_year", lang), t("col_reason", lang)],
                 [[a.get("indicator"), a.get("amount"), a.get("unit"), a.get("year"), a.get("reason")]
                  for a in data.baseline_adjustments or []],
                 [None, FMT_1, None, "0", None])

    _member_sheet(wb, data)
    _measure_sheets(wb, data)

    generated = _parse_time(s.get("generated_at"))
    wb.properties.created = generated
    wb.properties.modified = generated
    wb.properties.creator = "klimaregnskap"
    wb.properties.lastModifiedBy = "klimaregnskap"
    wb.properties.title = t("title", lang, year=s.get("year"))
    wb.properties.language = lang
    return wb


def _category_sheets(wb: Workbook, data: ReportData) -> None:
    """The sector's reporting categories and the scope 3 categories, every year, and the
    report year's disclosures (ESRS E1-6, GRI 305/302-1, the sector's categories)."""
    lang = data.language
    ws = wb.create_sheet(t("sheet_categories", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_code", lang), t("col_category", lang),
                      t("col_scope", lang), _h(t("col_emissions", lang), "tCO2e")],
                 _df_rows(data.emissions_by_reporting_category,
                          ["year", "reporting_category", "reporting_category", "scope",
                           "emissions_tco2e"],
                          lambda row: [row[0], row[1], label("repcat_", row[2], lang), row[3],
                                          row[4]]),
                 ["0", None, None, "0", FMT_1])
    ws = wb.create_sheet(t("sheet_scope3_categories", lang))
    _write_sheet(ws, [t("col_year", lang), t("col_code", lang), t("col_scope3_category", lang),
                      _h(t("col_emissions", lang), "tCO2e")],
                 _df_rows(data.emissions_by_scope3_category,
                          ["year", "scope3_category", "scope3_category", "emissions_tco2e"],
                          lambda row: [row[0], row[1], text.scope3_name(int(row[2]), lang),
                                          row[3]]),
                 ["0", "0", None, FMT_1])
    ws = wb.create_sheet(t("sheet_disclosures", lang))
    d = data.disclosures
    rows = []
    if d is not None and not d.empty:
        for r in d.itertuples(index=False):
            rows.append([t("framework_" + r.framework, lang), r.reference,
                         text.disclosure_item(r, lang), r.value if r.covered else None, r.unit,
                         r.gwp or None, _method(r.method, lang) if r.method else None,
                         text.disclosure_basis(r, lang),
                         t("disc_reason_" + r.reason, lang) if r.reason else t("disc_covered", lang)])
    _write_sheet(ws, [t("col_framework", lang), t("col_reference", lang),
                      t("col_disclosure", lang), t("col_value", lang), t("col_unit", lang),
                      "GWP", t("col_method", lang), t("col_basis", lang),
                      t("col_coverage_note", lang)], rows,
                 [None, None, None, FMT_1, None, None, None, None, None])


def _member_sheet(wb: Workbook, data: ReportData) -> None:
    """A region's members (DESIGN §6a): per member and indicator, on the region's basis."""
    members = data.summary.get("members") or {}
    if not members:
        return
    lang = data.language
    ws = wb.create_sheet(t("sheet_members", lang))
    rows = []
    for mid, m in members.items():
        for name, f in (m.get("indicators") or {}).items():
            st = f.get("status")
            rows.append([mid, m.get("name"), name, label("ind_", name, lang), f.get("value"),
                         f.get("baseline"), f.get("change_pct"),
                         label("status_", st, lang) if st else None,
                         t("yes" if f.get("complete", True) else "no", lang)])
    _write_sheet(ws, [t("col_member_id", lang), t("col_member", lang), t("col_code", lang),
                      t("col_indicator", lang), t("col_value", lang), t("col_baseline", lang),
                      _h(t("col_change_pct", lang), "%"), t("col_status", lang),
                      t("col_complete", lang)],
                 rows, [None, None, None, None, FMT_1, FMT_1, FMT_PCT, None, None])


def _measure_sheets(wb: Workbook, data: ReportData) -> None:
    """Sheets "tiltak"/"measures" (one row per measure, as the pipeline evaluated it) and
    "tiltak_scenarier"/"measure_scenarios" (BAU, with decided and with planned measures per indicator and year)."""
    lang = data.language
    m = data.measures
    if m is None or m.empty:
        return
    ws = wb.create_sheet(t("sheet_measures", lang))
    cols = ["id", "name", "indicator", "status", "start_year", "full_effect_year", "site",
            "carrier", "effect_full", "effect_target_year", "target_year", "unit",
            "tco2e_per_year", "investment_nok", "annual_cost_change_nok", "lifetime_years",
            "cost_per_tco2e", "owner", "file", "row"]
    header = [t("col_measure_id", lang), t("col_measure", lang), t("col_indicator_short", lang),
              t("col_status", lang), t("col_start_year", lang), t("col_full_effect_year", lang),
              t("col_site", lang), t("col_carrier_short", lang), t("col_effect_full", lang),
              t("col_effect_target_year", lang), t("col_target_year", lang), t("col_unit", lang),
              t("col_tco2e_per_year", lang), t("col_investment", lang),
              t("col_annual_cost_change", lang), t("col_lifetime", lang),
              t("col_cost_per_tco2e", lang), t("col_owner", lang), t("col_file", lang),
              t("col_row", lang)]
    _write_sheet(ws, header,
                 # indicators and carriers by their names in the workbook's language
                 _df_rows(m, cols, lambda row: row[:2] + [label("ind_", row[2], lang),
                                                             t("mstatus_" + row[3], lang)]
                          + row[4:7] + [id_label(row[7], lang) if row[7] else row[7]]
                          + row[8:]),
                 [None, None, None, None, "0", "0", None, None, FMT_2, FMT_2, "0", None, FMT_2,
                  FMT_INT, FMT_INT, "0", FMT_INT, None, None, "0"])
    sc = data.measure_scenarios
    if sc is None or sc.empty:
        return
    ws = wb.create_sheet(t("sheet_measure_scenarios", lang))
    units = {k: v.get("unit", "") for k, v in data.summary.get("indicators", {}).items()}
    _write_sheet(ws, [t("col_indicator_short", lang), t("col_year", lang), t("col_unit", lang),
                      t("legend_bau", lang), t("col_with_decided", lang),
                      t("col_with_planned", lang)],
                 [[label("ind_", r.indicator, lang), int(r.year), units.get(r.indicator, ""),
                   r.bau, r.with_decided,
                   r.with_planned] for r in sc.itertuples(index=False)],
                 [None, "0", None, FMT_2, FMT_2, FMT_2])


def _parse_time(iso) -> dt.datetime:
    """generated_at as naive UTC (what the XLSX core properties store)."""
    try:
        d = dt.datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        d = dt.datetime(2000, 1, 1)
    if d.tzinfo is not None:
        d = d.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return d.replace(microsecond=0)


class _StampedZip(ZipFile):
    """A zip whose every member carries one given time (not the clock's)."""

    def __init__(self, *args, stamp: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._stamp = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour,
                       stamp.minute, stamp.second)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            zinfo_or_arcname.compress_type = compress_type or self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        else:
            zinfo_or_arcname.date_time = self._stamp
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl writes worksheets through temporary files: keep their bytes,
        # not the files' times
        with open(filename, "rb") as fh:
            data = fh.read()
        return self.writestr(str(arcname or Path(filename).name), data, compress_type,
                             compresslevel)


def write_xlsx(data: ReportData, path: Path) -> Path:
    """Write the workbook: the same data and ``generated_at`` give the same bytes.

    Its created/modified times and the zip members' times are ``generated_at``.
    """
    wb = build_workbook(data)
    # openpyxl's save() stamps "modified" with the clock; the writer does not,
    # and the zip members get generated_at instead of the clock.
    stamp = _parse_time(data.summary.get("generated_at"))
    with _StampedZip(path, "w", ZIP_DEFLATED, allowZip64=True, stamp=stamp) as archive:
        ExcelWriter(wb, archive).save()
    return path
