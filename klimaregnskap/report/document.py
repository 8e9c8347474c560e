"""The report's content as a list of format-neutral blocks.

HTML and Markdown are rendered from the same blocks, so both say the same
thing. Block text is plain, unescaped; each writer escapes for its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re

import pandas as pd

from .charts import Chart
from .data import ReportData
from .i18n import (TEXTS, energy_unit, fmt_date, fmt_num, fmt_pct, id_label, is_missing, label, t,
                   years_text)
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

    kind: 'h1' | 'h2' | 'h3' | 'p' | 'ul' | 'table' | 'chart' | 'fold'

    A 'fold' holds further blocks in ``items`` under the line ``text``: the
    HTML page shows them folded (``<details>``), Markdown in the flow.
    """

    kind: str
    text: str = ""
    items: list = field(default_factory=list)
    header: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    numeric: set = field(default_factory=set)
    chart: Chart | None = None
    anchor: str = ""
    #: a table shown folded (HTML ``<details>``) under this line; empty: shown open
    folded: str = ""
    #: the table's role, for the page's layout ("status": narrow screens keep its key columns)
    role: str = ""


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
                     r["required"], r["gap"]])
    B.append(Block("table", header=text.status_header(data), rows=rows, numeric={1, 2, 3, 6, 7},
                   role="status"))
    cert = text.electricity_certificate_sentences(data)
    if cert:
        # a trust with certificates: electricity gross and net on the first screen (issue 14)
        B.append(Block("p", " ".join(cert), anchor="electricity-certificates"))
    notes = text.incomplete_notes(data)
    if notes:
        # on the first screen, beside the status: what is missing and where
        B.append(Block("h3", t("sec_incomplete", lang), anchor="incomplete"))
        B.append(Block("p", t("incomplete_intro", lang)))
        B.append(Block("ul", items=notes))
    else:
        B.append(Block("p", t("all_complete", lang, year=year, baseline_year=by)))

    B.append(Block("h2", t("sec_goals", lang), anchor="goals"))
    for i in inds:
        B.append(Block("h3", t("ind_" + i, lang), anchor=f"goal-{i}"))
        c = chart_by_name.get(f"trajectory_{i}")
        if c is not None:
            B.append(Block("chart", chart=c))
        B.append(Block("p", " ".join(text.goal_sentences(data, i))))
        c = chart_by_name.get(f"contribution_{i}")
        if c is not None:
            B.append(Block("chart", chart=c))

    B += member_blocks(data)

    B += measure_blocks(data, chart_by_name)

    # emissions
    B.append(Block("h2", t("sec_emissions", lang), anchor="emissions"))
    for name in ("emissions_by_scope", "emissions_by_category"):
        if name in chart_by_name:
            B.append(Block("chart", chart=chart_by_name[name]))
    ebs = s.get("emissions_by_scope") or {}
    if ebs:
        configured = (data.method_notes or {}).get("electricity_method")
        scopes = sorted({k for v in ebs.values() for k in v}, key=str)
        header = ([t("col_method", lang)] + [_h(t("scope_n", lang, scope=k), "t CO2e") for k in scopes]
                  + [_h(t("col_total", lang), "t CO2e")])
        rows = []
        # the configured method first: it is the one the target and the tables use
        for m in sorted(ebs, key=lambda m: (m != configured, m)):
            v = ebs[m]
            name = label("method_", m, lang)
            if m == configured:
                name = t("method_configured", lang, method=name)
            total = sum(float(x) for x in v.values() if not is_missing(x))
            rows.append([name] + [fmt_num(v.get(k), lang, 1) for k in scopes] + [fmt_num(total, lang, 1)])
        B.append(Block("p", t("scope_methods_intro", lang, year=year)))
        B.append(Block("table", header=header, rows=rows, numeric=set(range(1, len(header)))))
    cat = _year_rows(data.emissions_by_category, year)
    if not cat.empty:
        cat = cat.sort_values(["scope", "emissions_tco2e"], ascending=[True, False])
        B.append(Block("table", header=[t("col_category", lang), t("col_scope", lang),
                                        _h(t("col_emissions", lang), "t CO2e")],
                       rows=[[id_label(r.category, lang), _str(r.scope), fmt_num(r.emissions_tco2e, lang, 1)]
                             for r in cat.itertuples()], numeric={1, 2},
                       # the chart above shows it; the figures are looked up
                       folded=t("show_rows", lang, n=len(cat))))

    B += purchase_blocks(data)
    B += category_blocks(data, chart_by_name)

    # energy
    B.append(Block("h2", t("sec_energy", lang), anchor="energy"))
    if "energy_by_carrier" in chart_by_name:
        B.append(Block("chart", chart=chart_by_name["energy_by_carrier"]))
    delivered = s.get("energy_by_carrier_kwh") or {}
    recovered = s.get("recovered_energy_kwh") or {}
    # one unit for the table, chosen by its largest value (as status and the charts)
    div, eu = _energy_unit([*delivered.values(), *recovered.values()])
    rows = [[id_label(c, lang), fmt_num(_scaled(v, 1 / div), lang, 0), t("no", lang)]
            for c, v in delivered.items()]
    rows += [[id_label(c, lang), fmt_num(_scaled(v, 1 / div), lang, 0), t("yes", lang)]
             for c, v in recovered.items()]
    if rows:
        B.append(Block("table", header=[t("col_carrier", lang), _h(t("col_energy", lang), eu),
                                        t("col_recovered", lang)], rows=rows, numeric={1}))

    B += disclosure_blocks(data)

    # sites
    B.append(Block("h2", t("sec_by_member" if s.get("members") else "sec_sites", lang),
                   anchor="sites"))
    if "sites" in chart_by_name:
        B.append(Block("chart", chart=chart_by_name["sites"]))
    B += site_blocks(data)

    # food waste
    fw = _year_rows(data.food_waste, year)
    if not fw.empty:
        B.append(Block("h2", t("sec_food_waste", lang), anchor="food-waste"))
        g = fw.groupby(["site", "category"], as_index=False)["quantity_kg"].sum()
        B.append(Block("table", header=[t("col_site", lang), t("col_category", lang),
                                        _h(t("col_food_waste", lang), "kg")],
                       rows=[[_site(data, r.site), label("category_", r.category, lang),
                              fmt_num(r.quantity_kg, lang, 0)] for r in g.itertuples()],
                       numeric={2}, folded=t("show_rows", lang, n=len(g))))

    # products
    B.append(Block("h2", t("sec_products", lang), anchor="products"))
    pr = _year_rows(data.products_not_free, year)
    if pr.empty:
        B.append(Block("p", t("products_none", lang, year=year)))
    else:
        n = pr["product_id"].nunique()
        B.append(Block("p", t("products_count", lang, n=n, year=year)))
        B.append(Block("table", header=[t("col_reason", lang), t("col_products", lang)],
                       rows=[[r, fmt_num(c, lang, 0)] for r, c in product_reasons(pr, lang)],
                       numeric={1}))

    # data quality
    B.append(Block("h2", t("sec_data_quality", lang), anchor="data-quality"))
    dq = data.data_quality
    if dq is not None and not dq.empty:
        cov = pd.to_numeric(dq["coverage_pct"], errors="coerce")
        est = pd.to_numeric(dq["estimated_pct"], errors="coerce").fillna(0)
        flagged = dq[(cov < 100) | cov.isna() | (est > 0)]
        # every meter-year that makes a year incomplete comes first
        im = data.incomplete_meters
        keys = set(zip(im["meter_id"], im["year"].astype(int))) if im is not None and not im.empty \
            else set()
        first = [(r.meter_id, int(r.year)) in keys for r in flagged.itertuples()]
        flagged = flagged.assign(incomplete_first=first).sort_values(
            ["incomplete_first", "year", "site", "meter_id"], ascending=[False, True, True, True],
            kind="stable")
    else:
        flagged = pd.DataFrame()
    if flagged.empty:
        B.append(Block("p", t("dq_all_ok", lang)))
    else:
        B.append(Block("p", t("dq_intro", lang)))
        B.append(Block("table", header=[
            t("col_meter", lang), t("col_site", lang), t("col_carrier", lang), t("col_role", lang),
            t("col_year", lang), _h(t("col_coverage", lang), "%"), _h(t("col_estimated", lang), "%"),
            _h(t("col_longest_gap", lang), t("hours", lang)), t("col_gaps", lang),
            t("col_complete", lang)],
            rows=[[_str(r.meter_id), _site(data, r.site), label("carrier_", r.carrier, lang),
                   label("role_", r.role, lang), _str(r.year), fmt_num(r.coverage_pct, lang, 2),
                   fmt_num(r.estimated_pct, lang, 2), fmt_num(r.longest_gap_hours, lang, 0),
                   _str(r.gaps),
                   Badge("incomplete", t("dq_incomplete_mark", lang)) if r.incomplete_first
                   else t("yes", lang)]
                  for r in flagged.itertuples()],
            numeric={4, 5, 6, 7, 8}))
    B.append(Block("h3", t("sec_warnings", lang), anchor="warnings"))
    shown = [w for w in data.warnings or [] if w.code != "factor_fallback"]
    n_fb = sum(1 for w in data.warnings or [] if w.code == "factor_fallback")
    if shown:
        B.append(Block("table", header=[t("col_warning", lang), t("col_message", lang)],
                       rows=[[w.label(lang), text.warning_text(data, w)] for w in shown]))
    if n_fb:
        B.append(Block("p", t("warn_factor_fallbacks", lang, n=n_fb)))
    if not shown and not n_fb:
        B.append(Block("p", t("no_warnings", lang)))

    if not s.get("members"):
        # a region has no ledger of its own, hence no previous report to compare with
        B += change_blocks(data)

    # method
    B.append(Block("h2", t("sec_method", lang), anchor="method"))
    B.append(Block("ul", items=text.method_lines(data)))
    B.append(Block("h3", t("sec_fallbacks", lang), anchor="fallbacks"))
    fb_rows = fallback_rows(data)
    fallbacks = (data.method_notes or {}).get("fallbacks") or []
    if fb_rows:
        B.append(Block("p", t("m_fallbacks_table", lang)))
        B.append(Block("table", header=[t("col_activity", lang), t("col_method", lang),
                                        t("col_years_missing", lang), t("col_factor_year_used", lang),
                                        t("col_why", lang)], rows=fb_rows, numeric={3},
                       folded=t("show_fallbacks", lang, n=len(fb_rows))))
    elif fallbacks:
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
        B.append(Block("p", t("factors_intro", lang, factors_sheet=t("sheet_factors", lang),
                                  lines_sheet=t("sheet_calculation_lines", lang))))
        rows = factor_rows(data)
        B.append(Block("table", header=[
            t("col_activity", lang), t("col_scope", lang), t("col_method", lang),
            t("col_factor", lang), t("col_factor_unit", lang), t("col_factor_year", lang),
            t("col_years_used", lang), t("col_source", lang)],
            rows=rows, numeric={3}, folded=t("show_factors", lang, n=len(rows))))
    else:
        B.append(Block("p", t("none", lang)))

    # imports
    B.append(Block("h3", t("sec_imports", lang), anchor="imports"))
    im = data.imports
    if im is not None and not im.empty:
        B.append(Block("table", header=[t("col_file", lang), t("col_kind", lang), t("col_rows", lang),
                                        t("col_sha256", lang),
                                        _h(t("col_loaded_at", lang), text.timezone(data))],
                       rows=[[_str(r.file), label("kind_", r.kind, lang), fmt_num(r.rows, lang, 0),
                              _str(r.sha256),
                              _str(r.loaded_at)] for r in im.itertuples()], numeric={2},
                       folded=t("show_imports", lang, n=len(im))))
    else:
        B.append(Block("p", t("none", lang)))
    return B


#: spend categories shown in the report's table of purchases (the rest are in report.xlsx)
TOP_SPEND_CATEGORIES = 8


def purchase_blocks(data: ReportData) -> list[Block]:
    """Purchases (DESIGN §4, §5 ``purchases``): what the spend is, its share of the
    footprint, the categories that dominate, and the spend left out with its reasons."""
    lang = data.language
    s = data.summary
    year = s["year"]
    p = s.get("purchases") or {}
    cats = _year_rows(data.purchase_categories, year)
    excl = _year_rows(data.purchases_excluded, year)
    out = [Block("h2", t("sec_purchases", lang), anchor="purchases")]
    if cats.empty and excl.empty:
        out.append(Block("p", t("purchases_none", lang, year=year)))
        return out
    method = (data.method_notes or {}).get("electricity_method")
    scopes = (s.get("emissions_by_scope") or {}).get(method) or {}
    total = sum(float(v) for v in scopes.values() if not is_missing(v))
    em = float(p.get("emissions_tco2e") or 0.0)
    share = fmt_num(100 * em / total, lang, 0) + " %" if total > 0 else "–"
    out.append(Block("p", t("purchases_intro", lang, year=year,
                            spend=fmt_num(p.get("spend_nok"), lang, 0),
                            emissions=fmt_num(em, lang, 1 if em < 100 else 0), share=share,
                            method=label("method_", method, lang))))
    if not cats.empty:
        top = cats.sort_values("emissions_tco2e", ascending=False).head(TOP_SPEND_CATEGORIES)
        out.append(Block("p", t("purchases_top", lang)))
        out.append(Block("table", header=[t("col_category", lang), _h(t("col_spend", lang), "NOK"),
                                          _h(t("col_emissions", lang), "t CO2e"),
                                          _h(t("col_share", lang), "%")],
                         rows=[[_str(r.name), fmt_num(r.counted_nok, lang, 0),
                                fmt_num(r.emissions_tco2e, lang, 1),
                                fmt_num(100 * r.emissions_tco2e / em, lang, 0) if em > 0 else "–"]
                               for r in top.itertuples()], numeric={1, 2, 3}))
    if not excl.empty:
        out.append(Block("p", t("purchases_excluded_intro", lang, year=year,
                                excluded=fmt_num(p.get("excluded_nok"), lang, 0))))
        out.append(Block("table", header=[t("col_account", lang), t("col_reason", lang),
                                          _h(t("col_spend", lang), "NOK")],
                         rows=[[_str(r.pattern), _str(r.reason), fmt_num(r.net_nok, lang, 0)]
                               for r in excl.sort_values("net_nok", ascending=False).itertuples()],
                         numeric={2}, folded=t("show_rows", lang, n=len(excl))))
    return out


def category_blocks(data: ReportData, chart_by_name: dict) -> list[Block]:
    """The sector's reporting categories (DESIGN §4): chart over the years, the
    report year's table with shares, what dominates, and scope 3 by GHG
    Protocol category. Figures from ``summary.json``'s ``emissions_by_category``
    and ``emissions_by_scope3_category``."""
    lang = data.language
    s = data.summary
    year = s["year"]
    cats = s.get("emissions_by_category") or {}
    if not cats:
        return []
    method = label("method_", (data.method_notes or {}).get("electricity_method", ""), lang)
    B = [Block("h2", t("sec_categories", lang), anchor="categories")]
    if "emissions_by_sector_category" in chart_by_name:
        B.append(Block("chart", chart=chart_by_name["emissions_by_sector_category"]))
    intro = t("categories_intro", lang, year=year, method=method)
    if (data.method_notes or {}).get("electricity_method") != "location":
        # the location-based figure ignores certificates (DESIGN §4); the others deduct them
        intro += " " + t("categories_net", lang)
    B.append(Block("p", intro))
    rows = text.category_rows(data)
    B.append(Block("table", header=[t("col_category", lang), _h(t("col_emissions", lang), "t CO2e"),
                                    _h(t("col_share_of_total", lang), "%")],
                   rows=rows, numeric={1, 2}))
    lead = text.category_sentences(data)
    if lead:
        B.append(Block("p", " ".join(lead)))
    s3 = s.get("emissions_by_scope3_category") or {}
    if s3:
        B.append(Block("p", t("scope3_intro", lang, year=year)))
        B.append(Block("table", header=[t("col_scope3_category", lang),
                                        _h(t("col_emissions", lang), "t CO2e")],
                       rows=[[text.scope3_name(int(k), lang), fmt_num(v, lang, 1)]
                             for k, v in s3.items()], numeric={1}))
    return B


def disclosure_blocks(data: ReportData) -> list[Block]:
    """Disclosures: each figure where ESRS E1-6, GRI 305/302-1 and the sector ask for it."""
    lang = data.language
    d = data.disclosures
    if d is None or d.empty:
        return []
    B = [Block("h2", t("sec_disclosures", lang), anchor="disclosures"),
         Block("p", t("disclosures_intro", lang, year=data.summary["year"]))]
    B.append(Block("table", header=text.disclosure_header(data),
                   rows=[text.disclosure_cells(data, r) for r in d.itertuples(index=False)],
                   # a reference table (some 45 rows): looked up, not read; folded in HTML
                   numeric={3}, folded=t("show_disclosures", lang, n=len(d))))
    return B


def member_blocks(data: ReportData) -> list[Block]:
    """A region's members (DESIGN §6a): per member and indicator its change and status."""
    members = data.summary.get("members") or {}
    if not members:
        return []
    lang = data.language
    s = data.summary
    inds = [i for i in text.indicators_in_order(data) if i != "climate_neutral"]
    notes = data.method_notes or {}
    B = [Block("h2", t("sec_members", lang), anchor="members"),
         Block("p", t("members_intro", lang, method=notes.get("electricity_method", ""),
                      gwp=notes.get("gwp", ""), baseline_year=s["baseline_year"]))]
    rows = []
    for mid, m in members.items():
        row = [f"{m.get('name', mid)} ({mid})"]
        for i in inds:
            f = (m.get("indicators") or {}).get(i) or {}
            st = f.get("status") or "no_data"
            row.append(f"{fmt_pct(f.get('change_pct'), lang, 1, sign=True)} · "
                       f"{t('status_' + st, lang) if ('status_' + st) in TEXTS else st}")
        rows.append(row)
    B.append(Block("table", header=[t("col_member", lang)] + [t("ind_" + i, lang) for i in inds],
                   rows=rows))
    return B


def measure_blocks(data: ReportData, chart_by_name: dict) -> list[Block]:
    """The section "Tiltak" / "Measures": per indicator its sentence, wedge chart and table;
    then the cost curve. Nothing when the project has no measures."""
    lang = data.language
    m = data.measures
    if m is None or m.empty:
        return []
    year = data.summary["year"]
    B = [Block("h2", t("sec_measures", lang), anchor="measures"),
         Block("p", t("measures_intro", lang, year=year))]
    shown = text.measure_indicators(data)
    for k, i in enumerate(shown):
        B.append(Block("h3", t("ind_" + i, lang), anchor=f"measures-{i}"))
        B.append(Block("p", text.measure_sentence(data, i)))
        detail = []
        c = chart_by_name.get(f"measures_{i}")
        if c is not None:
            detail.append(Block("chart", chart=c))
        rows = text.measure_rows(data, i)
        if rows:
            detail.append(Block("table", header=text.measure_header(data), rows=rows,
                                numeric={3, 4, 5}))
        if k == 0 or not detail:
            B += detail
        else:
            # the first indicator's wedges are read; the others repeat the same
            # measures against another figure, so they are opened when wanted
            # (issue 13: the page was 25,800 px tall)
            B.append(Block("fold", t("show_measures_detail", lang, n=len(rows)), items=detail))
    # measures naming an indicator the accounts lack are still listed
    rest = [i for i in dict.fromkeys(m["indicator"]) if i not in shown]
    for i in rest:
        rows = text.measure_rows(data, i)
        if rows:
            B.append(Block("h3", t("ind_" + i, lang) if ("ind_" + i) in TEXTS else i,
                           anchor=f"measures-{i}"))
            B.append(Block("table", header=text.measure_header(data), rows=rows, numeric={3, 4, 5}))
    if m["carrier"].astype(str).str.len().gt(0).any():
        method = label("method_", (data.method_notes or {}).get("electricity_method", ""), lang)
        B.append(Block("p", t("measures_carrier_note", lang, method=method)))
    ideas = m.loc[m["status"] == "idea", "name"].tolist()
    if ideas:
        B.append(Block("p", t("measures_ideas", lang, names=", ".join(ideas))))
    c = chart_by_name.get("measures_cost_curve")
    if c is not None:
        B.append(Block("chart", chart=c))
    return B


def change_blocks(data: ReportData) -> list[Block]:
    """The section "Changes since the previous report": files and the figures they moved."""
    lang = data.language
    ch = data.changes or {}
    B = [Block("h2", t("sec_changes", lang), anchor="changes")]
    if not ch.get("since"):
        B.append(Block("p", t("changes_first", lang)))
        return B
    B.append(Block("p", t("changes_since", lang, year=ch.get("previous_year"),
                          date=fmt_date(ch["since"], lang))))
    files = ch.get("files") or []
    if not files:
        B.append(Block("p", t("changes_none", lang)))
    else:
        B.append(Block("p", t("changes_files", lang)))
        B.append(Block("table", header=[t("col_file", lang), t("col_change", lang),
                                        t("col_kind", lang), t("col_rows_before", lang),
                                        t("col_rows_now", lang)],
                       rows=[[_str(f["file"]), t("change_" + f["change"], lang),
                              label("kind_", f["kind"], lang),
                              fmt_num(f["rows_before"], lang, 0) if f["rows_before"] is not None
                              else "", fmt_num(f["rows_after"], lang, 0)
                              if f["rows_after"] is not None else ""] for f in files],
                       numeric={3, 4}))
    moved = ch.get("indicators") or []
    if moved:
        year = data.summary.get("year")
        B.append(Block("p", t("changes_indicators", lang, year=year)))
        B.append(Block("table", header=[t("col_indicator", lang), t("col_previous_report", lang),
                                        t("col_now", lang)],
                       rows=[[label("ind_", m["indicator"], lang),
                              _qty(m["before"], m.get("unit"), lang),
                              _qty(m["now"], m.get("unit"), lang)] for m in moved],
                       numeric={1, 2}))
    return B


def _qty(v, unit, lang: str) -> str:
    if is_missing(v):
        return "-"
    return f"{fmt_num(v, lang, 2 if abs(float(v)) < 100 else 0)} {unit or ''}".strip()


def _factor_decimals(v) -> int:
    if is_missing(v):
        return 0
    a = abs(float(v))
    if a == 0 or a >= 100:
        return 1 if a else 0
    if a >= 1:
        return 3
    return 5



def _energy_unit(values) -> tuple[float, str]:
    """Divisor and unit of a table of energies [kWh], by its largest value."""
    shown = [abs(float(v)) for v in values if not is_missing(v)]
    return energy_unit(max(shown, default=None))


def site_blocks(data: ReportData) -> list[Block]:
    """Per-site tables (energy; emissions, operations, food waste) and sub-meters."""
    lang = data.language
    year = data.summary["year"]
    out: list[Block] = []
    st = _year_rows(data.site_table, year)
    if not st.empty:
        st = st.copy()
        for c in st.columns:
            if c not in ("site",):
                st[c] = pd.to_numeric(st[c], errors="coerce")
        st = st.sort_values("site")
        tot = {c: st[c].sum(min_count=1) for c in st.columns if c not in ("site", "year")}
        # intensities of the total are ratios of sums, not sums of ratios
        for num, den, key, scale in (("energy_kwh", "area_m2", "energy_kwh_per_m2", 1.0),
                                     ("emissions_tco2e", "patient_days",
                                      "emissions_kgco2e_per_patient_day", 1000.0),
                                     ("food_waste_kg", "patient_days",
                                      "food_waste_kg_per_patient_day", 1.0)):
            if key in tot:
                n, d = tot.get(num), tot.get(den)
                tot[key] = (n * scale / d) if not is_missing(n) and not is_missing(d) and d else None
        div, eu = _energy_unit([tot.get(c) for c in ("energy_kwh", "energy_normalised_kwh",
                                                     "recovered_energy_kwh")])
        energy_cols = [("energy_kwh", t("col_energy", lang), eu, 0, 1 / div),
                       ("area_m2", t("col_area", lang), "m²", 0, 1),
                       ("energy_kwh_per_m2", t("col_energy_per_m2", lang), "kWh/m²", 1, 1),
                       ("energy_normalised_kwh", t("col_energy_normalised", lang), eu, 0, 1 / div),
                       ("recovered_energy_kwh", t("col_recovered_energy", lang), eu, 0, 1 / div)]
        other_cols = [("emissions_tco2e", t("col_emissions", lang), "t CO2e", 1, 1),
                      ("patient_days", t("col_patient_days", lang), "", 0, 1),
                      ("emissions_kgco2e_per_patient_day", t("col_emissions_per_patient_day", lang),
                       "kg CO2e", 2, 1),
                      ("food_waste_kg", t("col_food_waste", lang), "kg", 0, 1),
                      ("food_waste_kg_per_patient_day", t("col_food_waste_per_patient_day", lang),
                       "kg", 3, 1)]
        # a region's "sites" are its members (DESIGN §6a)
        region = bool(data.summary.get("members"))
        site_word = t("col_member" if region else "col_site", lang)
        for heading, cols in ((("sec_members_energy" if region else "sec_sites_energy"),
                               energy_cols),
                              (("sec_members_emissions" if region else "sec_sites_emissions"),
                               other_cols)):
            cols = [c for c in cols if c[0] in st.columns and st[c[0]].notna().any()]
            if not cols:
                continue
            header = [site_word] + [_h(lab, u) for _, lab, u, _, _ in cols]
            rows = [[_site(data, r["site"])] + [fmt_num(_scaled(r[c], f), lang, d)
                                                for c, _, _, d, f in cols]
                    for _, r in st.iterrows()]
            if len(st) > 1:
                rows.append([t("col_total", lang)] + [fmt_num(_scaled(tot.get(c), f), lang, d)
                                                      for c, _, _, d, f in cols])
            out.append(Block("h3", t(heading, lang)))
            out.append(Block("table", header=header, rows=rows, numeric=set(range(1, len(header)))))
    out.append(Block("h3", t("sec_sub_meters", lang), anchor="sub-meters"))
    rows, eu = sub_meter_rows(data)
    if rows:
        out.append(Block("p", t("sub_meters_intro", lang)))
        out.append(Block("table", header=[t("col_member" if data.summary.get("members")
                                            else "col_site", lang), t("col_meter", lang),
                                          t("col_carrier", lang), _h(t("col_energy", lang), eu),
                                          _h(t("col_share_of_site", lang), "%")],
                         rows=rows, numeric={3, 4}))
    else:
        out.append(Block("p", t("sub_meters_none", lang, year=year)))
    return out


def _scaled(v, factor):
    return None if is_missing(v) else float(v) * factor


def sub_meter_rows(data: ReportData) -> tuple[list[list], str]:
    """Site, meter, carrier, energy and share of the site's delivered energy per
    sub-meter, and the energy unit of the table (chosen by its largest value)."""
    lang = data.language
    carriers = {}
    dq = data.data_quality
    if dq is not None and not dq.empty and {"meter_id", "carrier"} <= set(dq.columns):
        carriers = dict(zip(dq["meter_id"].astype(str), dq["carrier"]))
    rows = []
    sites = data.summary.get("sites") or {}
    div, eu = _energy_unit([kwh for e in sites.values()
                            for kwh in (e.get("sub_meters_kwh") or {}).values()])
    for site_id, entry in sorted(sites.items(), key=lambda kv: _site(data, kv[0])):
        total = entry.get("energy_kwh")
        for meter, kwh in sorted((entry.get("sub_meters_kwh") or {}).items()):
            share = (float(kwh) / float(total) * 100
                     if not is_missing(kwh) and not is_missing(total) and float(total) else None)
            carrier = carriers.get(str(meter))
            rows.append([_site(data, site_id), _str(meter),
                         id_label(carrier, lang) if carrier is not None else "–",
                         fmt_num(_scaled(kwh, 1 / div), lang, 0), fmt_num(share, lang, 1)])
    return rows, eu


def product_reasons(pr: pd.DataFrame, lang: str) -> list[tuple[str, int]]:
    """Why products are not free: each reason with its number of distinct products."""
    counts: dict[str, set] = {}
    for r in pr.itertuples():
        for part in str(r.reason).split("; "):
            part = part.strip()
            if not part:
                continue
            if part == "flagged":
                key = t("reason_flagged", lang)
            elif part.startswith("listed: ") or part.startswith("cas:"):
                sub = part.split(":", 1)[1].strip()
                # drop the trailing "(list | list)" so one substance is one line
                m = re.match(r"^(.*\S)\s+\(([^()]*)\)$", sub)
                key = t("reason_listed", lang, substance=m.group(1) if m else sub)
            else:
                key = part
            counts.setdefault(key, set()).add(r.product_id)
    return sorted(((k, len(v)) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def _factor_frame(data: ReportData) -> pd.DataFrame:
    fu = data.factors_used
    if fu is None or fu.empty:
        return pd.DataFrame()
    fu = fu.copy()
    fu["method"] = fu["method"].fillna("").astype(str)
    fu["factor_source"] = fu["factor_source"].fillna("").astype(str)
    fu["scope"] = pd.to_numeric(fu["scope"], errors="coerce")
    return fu


def factor_rows(data: ReportData) -> list[list]:
    """Distinct factors (activity, method, value, factor year) with the years they served."""
    lang = data.language
    fu = _factor_frame(data)
    if fu.empty:
        return []
    # one line per distinct factor: a GWP or a fixed mix is the same number every year
    keys = ["activity", "method", "factor_value", "factor_unit", "scope", "factor_source"]
    g = (fu.groupby(keys, dropna=False, sort=False)
         .agg(factor_years=("factor_year", list), years=("year", list), first=("factor_year", "min"))
         .reset_index().sort_values(["scope", "activity", "method", "first"], na_position="last"))
    return [[id_label(r.activity, lang), _str(r.scope),
             label("method_", r.method, lang) if r.method else "",
             fmt_num(r.factor_value, lang, _factor_decimals(r.factor_value)), _str(r.factor_unit),
             years_text(r.factor_years), years_text(r.years), text.short_source(r.factor_source)]
            for r in g.itertuples()]


def fallback_rows(data: ReportData) -> list[list]:
    """Factors taken from another year: activity, method, years, factor year, rule."""
    lang = data.language
    fu = _factor_frame(data)
    if fu.empty or "fallback" not in fu.columns:
        return []
    fb = fu[fu["fallback"].fillna(False).astype(bool)]
    if fb.empty:
        return []
    g = (fb.groupby(["activity", "method", "factor_year"], sort=True)["year"].apply(list)
         .reset_index())
    rows = []
    for r in g.itertuples():
        earlier = all(int(y) > int(r.factor_year) for y in r.year)
        later = all(int(y) < int(r.factor_year) for y in r.year)
        why = (t("fb_earlier", lang) if earlier else t("fb_earliest", lang) if later
               else t("fb_earlier", lang) + " / " + t("fb_earliest", lang))
        rows.append([id_label(r.activity, lang), label("method_", r.method, lang) if r.method else "",
                     years_text(r.year), _str(r.factor_year), why])
    return rows
