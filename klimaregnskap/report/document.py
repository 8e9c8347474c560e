"""The report's content as a list of format-neutral blocks.

HTML and Markdown are rendered from the same blocks, so both say the same
thing. Block text is plain, unescaped; each writer escapes for its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .charts import Chart
from .data import ReportData
from .i18n import fmt_num, is_missing, label, t
from . import text


@dataclass
class Badge:
    """A status cell: colour comes from ``status``, the word is always shown."""

    status: str
    word: str

    def __str__(self) -> str:
        return self.word


@dataclass
class Block:
    """One piece of the report.

    kind: 'h1' | 'h2' | 'h3' | 'p' | 'ul' | 'table' | 'chart' | 'meta'
    """

    kind: str
    text: str = ""
    items: list = field(default_factory=list)
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    numeric: set = field(default_factory=set)
    chart: Chart | None = None
    anchor: str = ""


def _site(data: ReportData, site) -> str:
    return data.site_names.get(site, str(site))


def _year_rows(df: pd.DataFrame, year) -> pd.DataFrame:
    if df is None or df.empty or "year" not in df.columns:
        return pd.DataFrame(columns=[] if df is None else df.columns)
    return df[pd.to_numeric(df["year"], errors="coerce") == year]


def _yes_no(v, lang: str) -> str:
    if is_missing(v) and not isinstance(v, (bool, str)):
        return ""
    if isinstance(v, str):
        return v
    return t("yes", lang) if bool(v) else t("no", lang)


def _str(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _h(label_: str, unit: str = "") -> str:
    return f"{label_} ({unit})" if unit else label_


def build_blocks(data: ReportData, charts: list[Chart], no_data: list[str]) -> list[Block]:
    """All blocks of the report, in reading order."""
    lang = data.language
    s = data.summary
    year, by = s["year"], s["baseline_year"]
    chart_by_name = {c.name: c for c in charts}
    B: list[Block] = []

    B.append(Block("h1", t("title", lang, year=year)))
    B.append(Block("p", t("subtitle", lang, organisation=s.get("organisation", ""), baseline_year=by)))

    # first screen: the goals
    inds = text.indicators_in_order(data)
    B.append(Block("h2", t("sec_status", lang), anchor="status"))
    rows = []
    for i in inds:
        r = text.status_row(data, i)
        badge = Badge(r["status"], r["status_word"]) if r["status"] else r["status_word"]
        rows.append([r["name"], r["value"], r["baseline"], r["change"], r["target"], badge,
                     r["required"]])
    B.append(Block("table", header=text.status_header(data), rows=rows, numeric={1, 2, 3, 6}))

    B.append(Block("h2", t("sec_goals", lang), anchor="goals"))
    for i in inds:
        B.append(Block("h3", t("ind_" + i, lang), anchor=f"goal-{i}"))
        c = chart_by_name.get(f"trajectory_{i}")
        if c is not None:
            B.append(Block("chart", chart=c))
        B.append(Block("p", " ".join(text.goal_sentences(data, i))))

    # emissions
    B.append(Block("h2", t("sec_emissions", lang), anchor="emissions"))
    for name in ("emissions_by_scope", "emissions_by_category"):
        if name in chart_by_name:
            B.append(Block("chart", chart=chart_by_name[name]))
    ebs = s.get("emissions_by_scope") or {}
    if ebs:
        scopes = sorted({k for v in ebs.values() for k in v}, key=str)
        header = [t("col_method", lang)] + [_h(t("scope_n", lang, scope=k), "t CO2e") for k in scopes]
        rows = [[m] + [fmt_num(v.get(k), lang, 1) for k in scopes] for m, v in ebs.items()]
        B.append(Block("table", header=header, rows=rows, numeric=set(range(1, len(header)))))
    cat = _year_rows(data.emissions_by_category, year)
    if not cat.empty:
        cat = cat.sort_values(["scope", "emissions_tco2e"], ascending=[True, False])
        B.append(Block("table", header=[t("col_category", lang), t("col_scope", lang),
                                        _h(t("col_emissions", lang), "t CO2e")],
                       rows=[[_str(r.category), _str(r.scope), fmt_num(r.emissions_tco2e, lang, 1)]
                             for r in cat.itertuples()], numeric={1, 2}))

    # energy
    B.append(Block("h2", t("sec_energy", lang), anchor="energy"))
    if "energy_by_carrier" in chart_by_name:
        B.append(Block("chart", chart=chart_by_name["energy_by_carrier"]))
    rows = [[label("carrier_", c, lang), fmt_num(v, lang, 0), t("no", lang)]
            for c, v in (s.get("energy_by_carrier_kwh") or {}).items()]
    rows += [[label("carrier_", c, lang), fmt_num(v, lang, 0), t("yes", lang)]
             for c, v in (s.get("recovered_energy_kwh") or {}).items()]
    if rows:
        B.append(Block("table", header=[t("col_carrier", lang), _h(t("col_energy", lang), "kWh"),
                                        t("col_recovered", lang)], rows=rows, numeric={1}))

    # sites
    B.append(Block("h2", t("sec_sites", lang), anchor="sites"))
    if "sites" in chart_by_name:
        B.append(Block("chart", chart=chart_by_name["sites"]))
    st = _year_rows(data.site_table, year)
    if not st.empty:
        cols = [("energy_kwh", t("col_energy", lang), "kWh", 0),
                ("area_m2", t("col_area", lang), "m²", 0),
                ("energy_kwh_per_m2", t("col_energy_per_m2", lang), "kWh/m²", 1),
                ("energy_normalised_kwh", t("col_energy_normalised", lang), "kWh", 0),
                ("recovered_energy_kwh", t("col_recovered_energy", lang), "kWh", 0),
                ("emissions_tco2e", t("col_emissions", lang), "t CO2e", 1),
                ("patient_days", t("col_patient_days", lang), "", 0),
                ("emissions_kgco2e_per_patient_day", t("col_emissions_per_patient_day", lang),
                 "kg CO2e", 2),
                ("food_waste_kg", t("col_food_waste", lang), "kg", 0),
                ("food_waste_kg_per_patient_day", t("col_food_waste_per_patient_day", lang), "kg", 3)]
        cols = [c for c in cols if c[0] in st.columns and st[c[0]].notna().any()]
        header = [t("col_site", lang)] + [_h(lab, u) for _, lab, u, _ in cols]
        rows = [[_site(data, r["site"])] + [fmt_num(r[c], lang, d) for c, _, _, d in cols]
                for _, r in st.sort_values("site").iterrows()]
        B.append(Block("table", header=header, rows=rows, numeric=set(range(1, len(header)))))

    # food waste
    fw = _year_rows(data.food_waste, year)
    if not fw.empty:
        B.append(Block("h2", t("sec_food_waste", lang), anchor="food-waste"))
        g = fw.groupby(["site", "category"], as_index=False)["quantity_kg"].sum()
        B.append(Block("table", header=[t("col_site", lang), t("col_category", lang),
                                        _h(t("col_food_waste", lang), "kg")],
                       rows=[[_site(data, r.site), label("category_", r.category, lang),
                              fmt_num(r.quantity_kg, lang, 0)] for r in g.itertuples()],
                       numeric={2}))

    # products
    B.append(Block("h2", t("sec_products", lang), anchor="products"))
    pr = _year_rows(data.products_not_free, year)
    if pr.empty:
        B.append(Block("p", t("products_none", lang, year=year)))
    else:
        B.append(Block("table", header=[t("col_product", lang), t("col_description", lang),
                                        t("col_reason", lang)],
                       rows=[[_str(r.product_id), _str(r.description), _str(r.reason)]
                             for r in pr.itertuples()]))

    # data quality
    B.append(Block("h2", t("sec_data_quality", lang), anchor="data-quality"))
    dq = data.data_quality
    if dq is not None and not dq.empty:
        cov = pd.to_numeric(dq["coverage_pct"], errors="coerce")
        est = pd.to_numeric(dq["estimated_pct"], errors="coerce").fillna(0)
        flagged = dq[(cov < 100) | cov.isna() | (est > 0)]
    else:
        flagged = pd.DataFrame()
    if flagged.empty:
        B.append(Block("p", t("dq_all_ok", lang)))
    else:
        B.append(Block("p", t("dq_intro", lang)))
        B.append(Block("table", header=[
            t("col_meter", lang), t("col_site", lang), t("col_carrier", lang), t("col_role", lang),
            t("col_year", lang), _h(t("col_coverage", lang), "%"), _h(t("col_estimated", lang), "%"),
            _h(t("col_longest_gap", lang), t("hours", lang)), t("col_gaps", lang)],
            rows=[[_str(r.meter_id), _site(data, r.site), label("carrier_", r.carrier, lang),
                   label("role_", r.role, lang), _str(r.year), fmt_num(r.coverage_pct, lang, 2),
                   fmt_num(r.estimated_pct, lang, 2), fmt_num(r.longest_gap_hours, lang, 0),
                   _str(r.gaps)] for r in flagged.itertuples()],
            numeric={4, 5, 6, 7, 8}))
    B.append(Block("h3", t("sec_warnings", lang), anchor="warnings"))
    if data.warnings:
        B.append(Block("table", header=[t("col_code", lang), t("col_message", lang)],
                       rows=[[_str(w.get("code")), _str(w.get("message"))] for w in data.warnings]))
    else:
        B.append(Block("p", t("no_warnings", lang)))

    # method
    B.append(Block("h2", t("sec_method", lang), anchor="method"))
    B.append(Block("ul", items=text.method_lines(data)))
    fallbacks = (data.method_notes or {}).get("fallbacks") or []
    if fallbacks:
        B.append(Block("p", t("m_fallbacks", lang)))
        B.append(Block("ul", items=[str(f) for f in fallbacks]))
    else:
        B.append(Block("p", t("m_no_fallbacks", lang)))
    B.append(Block("h3", t("sec_baseline_adjustments", lang), anchor="baseline-adjustments"))
    if data.baseline_adjustments:
        B.append(Block("p", t("ba_intro", lang)))
        tab = text.baseline_adjustment_table(data)
        B.append(Block("ul", items=text.adjustment_lines(data)))
        if tab:
            B.append(Block("table", header=[t("col_indicator", lang), t("ba_original", lang),
                                            t("ba_adjusted", lang)],
                           rows=[list(r) for r in tab], numeric={1, 2}))
    else:
        B.append(Block("p", t("ba_none", lang)))

    # factors
    B.append(Block("h3", t("sec_factors", lang), anchor="factors"))
    fu = data.factors_used
    if fu is not None and not fu.empty:
        B.append(Block("table", header=[
            t("col_activity", lang), t("col_year_asked", lang), t("col_factor_year", lang),
            t("col_factor", lang), t("col_factor_unit", lang), t("col_scope", lang),
            t("col_method", lang), t("col_fallback", lang), t("col_source", lang)],
            rows=[[_str(r.activity), _str(r.year), _str(r.factor_year),
                   fmt_num(r.factor_value, lang, _factor_decimals(r.factor_value)),
                   _str(r.factor_unit), _str(r.scope), _str(r.method), _yes_no(r.fallback, lang),
                   _str(r.factor_source)] for r in fu.itertuples()],
            numeric={1, 2, 3}))
    else:
        B.append(Block("p", t("none", lang)))

    # imports
    B.append(Block("h3", t("sec_imports", lang), anchor="imports"))
    im = data.imports
    if im is not None and not im.empty:
        B.append(Block("table", header=[t("col_file", lang), t("col_kind", lang), t("col_rows", lang),
                                        t("col_sha256", lang), t("col_loaded_at", lang)],
                       rows=[[_str(r.file), _str(r.kind), fmt_num(r.rows, lang, 0), _str(r.sha256),
                              _str(r.loaded_at)] for r in im.itertuples()], numeric={2}))
    else:
        B.append(Block("p", t("none", lang)))
    return B


def _factor_decimals(v) -> int:
    if is_missing(v):
        return 0
    a = abs(float(v))
    if a == 0 or a >= 100:
        return 1 if a else 0
    if a >= 1:
        return 3
    return 5

