"""Generated words of the report: the status table and the goal paragraphs.

Everything returned is plain (unescaped) text; the HTML and Markdown writers
escape it for their format.
"""

from __future__ import annotations

import re

from .charts import indicator_has_data
from .data import ReportData
from klimaregnskap.vocabulary import indicator, indicators
from klimaregnskap.warning import KlimaWarning

from .i18n import TEXTS, fmt_num, fmt_pct, fmt_qty, id_label, is_missing, label, t

STATUSES = ("achieved", "on_track", "off_track", "no_data", "incomplete", "no_target")


def indicators_in_order(data: ReportData) -> list[str]:
    """The summary's indicators, goals first in DESIGN §1 order."""
    order = ["emissions", "climate_neutral", "footprint", "energy", "energy_normalised",
             "recovered_heat_share", "recovered_power_share", "food_waste", "chemical_free_share"]
    present = list(data.summary.get("indicators", {}))
    return [i for i in order if i in present] + [i for i in present if i not in order]


def _signed(x, lang: str, decimals: int = 1, unit: str = "%") -> str:
    if is_missing(x):
        return "–"
    sign = "+" if float(x) > 0 and round(float(x), decimals) != 0 else ""
    if unit == "%":
        return sign + fmt_pct(x, lang, decimals)
    return sign + fmt_qty(x, unit, lang)


def status_of(data: ReportData, indicator: str) -> str:
    """'achieved' | 'on_track' | 'off_track' | 'incomplete' | 'no_data' | '' (no target)."""
    ind = data.summary["indicators"][indicator]
    if not indicator_has_data(data, indicator):
        return "no_data"
    s = ind.get("status")
    return s if s in STATUSES else ""


def status_row(data: ReportData, indicator: str) -> dict[str, str]:
    """Formatted cells of one line of the status table."""
    lang = data.language
    ind = data.summary["indicators"][indicator]
    unit = ind.get("unit", "")
    has = indicator_has_data(data, indicator)
    change = _signed(ind.get("change_pct"), lang) if has else "–"
    if has and unit == "%":
        pts = ind.get("change_points")
        if is_missing(pts) and not is_missing(ind.get("baseline")):
            pts = float(ind["value"]) - float(ind["baseline"])
        if not is_missing(pts):
            # for a share the points are what a reader means by "change"; the
            # relative change (DESIGN's change_pct) follows in brackets
            sign = "+" if round(float(pts), 1) > 0 else ""
            change = f"{t('points_abbr', lang, x=sign + fmt_num(pts, lang, 1))} ({change})"
    target = "–"
    if not is_missing(ind.get("target_value")) and not is_missing(ind.get("target_year")):
        target = t("target_cell", lang, target=fmt_qty(ind["target_value"], unit, lang),
                   year=int(ind["target_year"]))
    elif indicator in ("recovered_heat_share", "recovered_power_share"):
        target = t("direction_up", lang)
    required = "–"
    if has and ind.get("status") == "achieved":
        # the target level is met already: no change is required
        required = t("required_reached", lang)
    elif has and ind.get("status") != "incomplete":
        if not is_missing(ind.get("required_annual_change_pct")):
            required = t("per_year", lang, x=_signed(ind["required_annual_change_pct"], lang))
        elif not is_missing(ind.get("required_annual_change")):
            required = t("per_year", lang,
                         x=_signed(-abs(float(ind["required_annual_change"])), lang, 1, unit))
    status = status_of(data, indicator)
    return {
        "indicator": indicator,
        "name": t("ind_" + indicator, lang),
        "value": fmt_qty(ind.get("value"), unit, lang) if has else "–",
        "baseline": fmt_qty(ind.get("baseline"), unit, lang),
        "change": change,
        "target": target,
        "status": status,
        "status_word": t("status_" + status, lang) if status else "–",
        "required": required,
        "gap": gap_cell(data, indicator),
    }


def status_header(data: ReportData) -> list[str]:
    """Column headings of the status table."""
    lang = data.language
    year, by = data.summary["year"], data.summary["baseline_year"]
    return [t("col_indicator", lang), t("col_value_year", lang, year=year),
            t("col_baseline_year", lang, year=by), t("col_change", lang), t("col_target", lang),
            t("col_status", lang), t("col_required_change", lang),
            t("col_gap_after_measures", lang)]


def goal_sentences(data: ReportData, indicator: str) -> list[str]:
    """The short generated paragraph for one goal, as a list of sentences."""
    lang = data.language
    ind = data.summary["indicators"][indicator]
    year, by = data.summary["year"], data.summary["baseline_year"]
    unit = ind.get("unit", "")
    name = t("ind_" + indicator, lang)
    if not indicator_has_data(data, indicator):
        return [t("s_no_data", lang, indicator=name.lower() if lang == "nb" else name, year=year)]
    out = []
    subj = t("subj_" + indicator, lang)
    value, base = ind.get("value"), ind.get("baseline")
    q = lambda x: fmt_qty(x, unit, lang)  # noqa: E731
    if is_missing(base):
        out.append(t("s_value_only", lang, subject=subj, value=q(value), year=year))
    elif unit == "%":
        pts = ind.get("change_points")
        if is_missing(pts):
            pts = float(value) - float(base)
        key = "s_share_up" if pts >= 0 else "s_share_down"
        out.append(t(key, lang, subject=subj, value=q(value), year=year,
                     points=fmt_num(abs(pts), lang, 1), baseline_year=by, baseline=q(base)))
    else:
        ch = ind.get("change_pct")
        if is_missing(ch) or round(float(ch), 1) == 0:
            out.append(t("s_value_same", lang, subject=subj, value=q(value), year=year,
                         baseline_year=by))
        else:
            key = "s_value_lower" if float(ch) < 0 else "s_value_higher"
            out.append(t(key, lang, subject=subj, value=q(value), year=year,
                         pct=fmt_pct(abs(float(ch)), lang, 1), baseline_year=by, baseline=q(base)))
    if not is_missing(ind.get("baseline_unadjusted")):
        out.append(t("s_baseline_adjusted", lang, unadjusted=q(ind["baseline_unadjusted"])))
    if not is_missing(ind.get("spend_weighted_value")):
        out.append(t("s_spend_weighted", lang, value=q(ind["spend_weighted_value"]),
                     baseline=q(ind.get("spend_weighted_baseline"))))
    if indicator == "recovered_heat_share":
        if ind.get("status") == "incomplete":
            out.append(t("s_incomplete", lang))
        out.append(t("s_recovered_direction", lang))
        rec = data.summary.get("recovered_energy_kwh") or {}
        total = sum(float(v) for v in rec.values() if not is_missing(v))
        if rec:
            out.append(t("s_recovered_energy", lang, year=year, value=fmt_qty(total, "kWh", lang)))
    if indicator == "recovered_power_share":
        if ind.get("status") == "incomplete":
            out.append(t("s_incomplete", lang))
        out.append(t("s_recovered_power_direction", lang))
        cert = data.summary.get("electricity_certificates") or {}
        if not is_missing(cert.get("gjenvinningskraft_kwh")):
            out.append(t("s_recovered_power_counted", lang, year=year,
                         value=fmt_qty(cert["gjenvinningskraft_kwh"], "kWh", lang)))
    ty, tv = ind.get("target_year"), ind.get("target_value")
    if is_missing(ty) and not is_missing(ind.get("projection_year")):
        # no target configured (footprint): say so, and where the trend leads
        out.append(t("s_no_target", lang))
        if ind.get("status") == "incomplete":
            out.append(t("s_incomplete_no_target", lang))
        elif not is_missing(ind.get("projected_target_year_value")):
            out.append(t("s_projection", lang, projection=q(ind["projected_target_year_value"]),
                         target_year=int(ind["projection_year"])))
    if not is_missing(ty) and not is_missing(tv):
        ty = int(ty)
        if indicator == "climate_neutral" or float(tv) == 0:
            out.append(t("s_target_net_zero", lang, target_year=ty))
        elif unit == "%" or is_missing(base) or float(base) == 0:
            out.append(t("s_target_level", lang, target_year=ty, target=q(tv)))
        else:
            red = (1 - float(tv) / float(base)) * 100
            out.append(t("s_target_reduction", lang, target_year=ty, baseline_year=by,
                         pct=fmt_pct(red, lang, 0 if abs(red - round(red)) < 0.05 else 1),
                         target=q(tv)))
        if not is_missing(ind.get("path_value")):
            out.append(t("s_path", lang, path=q(ind["path_value"]), year=year))
        st = ind.get("status")
        if st == "incomplete":
            out.append(t("s_incomplete", lang))
        if st in ("achieved", "on_track", "off_track"):
            out.append(t("status_title_" + st, lang, target_year=ty) + ".")
        if st == "incomplete":
            # a trend and a required rate drawn from a partial year would say more
            # than the data can carry: summary.json keeps them, the text does not
            return out
        if not is_missing(ind.get("projected_target_year_value")):
            out.append(t("s_projection", lang, projection=q(ind["projected_target_year_value"]),
                         target_year=ty))
        rp = ind.get("required_annual_change_pct")
        if not is_missing(rp):
            key = "s_required_reduction_pct" if float(rp) < 0 else "s_required_increase_pct"
            out.append(t(key, lang, pct=fmt_pct(abs(float(rp)), lang, 1)))
        elif not is_missing(ind.get("required_annual_change")):
            out.append(t("s_required_reduction_abs", lang,
                         amount=q(abs(float(ind["required_annual_change"])))))
    return out


def method_lines(data: ReportData) -> list[str]:
    """Method notes: scopes, electricity method, GWP set, factor library."""
    lang = data.language
    mn = data.method_notes or {}
    scopes = mn.get("target_scopes") or []
    methods = mn.get("electricity_methods") or []
    method = mn.get("electricity_method")
    out = [t("m_target_scopes", lang, scopes=" + ".join(str(s) for s in scopes) or "–"),
           t("m_scopes", lang),
           t("m_electricity_method", lang,
             method=label("method_", method, lang) if method else "–",
             methods=", ".join(label("method_", m, lang) for m in methods) or "–"),
           t("m_delivered", lang),
           t("m_gwp", lang, gwp=mn.get("gwp", "–"))]
    if data.certificates is not None and not data.certificates.empty:
        out.append(t("m_certificates", lang))
    if mn.get("factor_library_sha256"):
        out.append(t("m_factor_library", lang, sha=mn["factor_library_sha256"]))
    return out


def adjustment_lines(data: ReportData) -> list[str]:
    """One sentence per baseline adjustment (amount, year, reason)."""
    lang = data.language
    out = []
    for a in data.baseline_adjustments or []:
        ind = a.get("indicator", "")
        name = label("ind_", ind, lang)
        amount = fmt_qty(a.get("amount"), a.get("unit", ""), lang)
        if not is_missing(a.get("amount")) and float(a["amount"]) > 0:
            amount = "+" + amount
        out.append(t("s_adjustment", lang, indicator=name, amount=amount, year=a.get("year", "–"),
                     reason=a.get("reason", "")))
    return out


def baseline_adjustment_table(data: ReportData) -> list[tuple[str, str, str]]:
    """(indicator, original baseline, adjusted baseline) for adjusted indicators."""
    lang = data.language
    rows = []
    for name, ind in data.summary.get("indicators", {}).items():
        if not is_missing(ind.get("baseline_unadjusted")):
            unit = ind.get("unit", "")
            rows.append((label("ind_", name, lang),
                         fmt_qty(ind["baseline_unadjusted"], unit, lang),
                         fmt_qty(ind.get("baseline"), unit, lang)))
    return rows


def warning_text(data: ReportData, w: KlimaWarning) -> str:
    """One warning in the report's language, from its typed fields.

    Sites show by their names and indicators by their display names.
    """
    lang = data.language
    return w.text(lang, site_names=data.site_names,
                  indicator_names=lambda code: indicator(code).display_name(lang)
                  if code in indicators() else code)


def incomplete_notes(data: ReportData) -> list[str]:
    """One line per reason an indicator is incomplete, naming the indicators it affects.

    The reasons are the pipeline's typed warnings (meter, site, months,
    coverage), in the report's language; a reason shared by several
    indicators (a main meter feeds energy and emissions) is one line.
    """
    lang = data.language
    affected: dict[str, list[str]] = {}
    for name in indicators_in_order(data):
        for w in (data.incomplete_reasons or {}).get(name, []):
            affected.setdefault(warning_text(data, w), []).append(t("ind_" + name, lang))
    return [t("incomplete_note", lang, indicators=", ".join(names), reason=reason)
            for reason, names in affected.items()]


# --- measures (DESIGN §4 "Measures"): every figure is the pipeline's ----------------------

def _measure_amount(x, unit: str, lang: str, signed: bool = False,
                    mwh: bool | None = None) -> str:
    """A measure figure as a leader reads it: energy in MWh (from 10 MWh up, or when ``mwh``
    says so, to match the other figures of a sentence), shares in percentage points."""
    if is_missing(x):
        return "–"
    x = float(x)
    sign = "+" if signed and x > 0 else ""
    if unit == "kWh" and (mwh if mwh is not None else abs(x) >= 1e4):
        v = x / 1000.0
        return sign + fmt_qty(v, "MWh", lang, 0 if abs(v) >= 100 or v == 0 else None)
    if unit == "%":
        return t("points_abbr", lang, x=sign + fmt_num(x, lang, 1))
    return sign + fmt_qty(x, unit, lang)


def _level(x, unit: str, lang: str, mwh: bool | None = None) -> str:
    """An indicator level (not a change): shares as percent, energy in MWh."""
    if unit == "%":
        return fmt_pct(x, lang, 1)
    return _measure_amount(x, unit, lang, mwh=mwh)


def gap_cell(data: ReportData, indicator: str) -> str:
    """The status table's "gap after measures" cell: '–' without measures or a target."""
    lang = data.language
    ind = data.summary["indicators"][indicator]
    gap = ind.get("gap_after_measures")
    if is_missing(gap):
        return "–"
    if float(gap) <= 0:
        return t("gap_closed", lang)
    return _measure_amount(gap, ind.get("unit", ""), lang)


def measure_indicators(data: ReportData) -> list[str]:
    """Indicators with measures (with the pipeline's scenario fields), in report order."""
    return [i for i in indicators_in_order(data)
            if not is_missing(data.summary["indicators"][i].get("bau_target_year_value"))]


def measure_sentence(data: ReportData, indicator: str) -> str:
    """"Med vedtatte tiltak når vi X i 2030; med planlagte Y; målet er Z; gapet er W"."""
    lang = data.language
    ind = data.summary["indicators"][indicator]
    unit = ind.get("unit", "")
    year = ind.get("target_year") or ind.get("projection_year")
    # one unit in a sentence: MWh when the indicator's level is 10 MWh or more
    mwh = unit == "kWh" and abs(float(ind.get("bau_target_year_value") or 0)) >= 1e4
    decided = _level(ind.get("with_decided_measures_target_year_value"), unit, lang, mwh)
    planned = _level(ind.get("with_planned_measures_target_year_value"), unit, lang, mwh)
    gap = ind.get("gap_after_measures")
    if is_missing(gap) or is_missing(ind.get("target_value")):
        return t("measures_sentence_no_target", lang, decided=decided, planned=planned, year=year)
    target = _level(ind["target_value"], unit, lang, mwh)
    if float(gap) <= 0:
        out = t("measures_sentence_met", lang, decided=decided, planned=planned, year=year,
                target=target, margin=_measure_amount(-float(gap), unit, lang, mwh=mwh))
    else:
        out = t("measures_sentence", lang, decided=decided, planned=planned, year=year,
                target=target, gap=_measure_amount(gap, unit, lang, mwh=mwh))
    # "1,9 p.p.." -> "1,9 p.p."
    return out[:-1] if out.endswith("..") else out


def measure_header(data: ReportData) -> list[str]:
    """Columns of the measures table."""
    lang = data.language
    return [t("col_measure", lang), t("col_status", lang), t("col_period", lang),
            t("col_effect_target_year", lang),
            t("col_effect_beyond", lang, year=data.summary["year"]),
            t("col_cost_per_tco2e", lang), t("col_owner", lang)]


def measure_rows(data: ReportData, indicator: str) -> list[list[str]]:
    """Every measure that changes ``indicator``: status, ramp, its effect on the indicator in
    the indicator's target year, cost per tCO2e and owner.

    The measures naming the indicator, those that apply to it (an emissions measure on
    ``climate_neutral``), and energy measures whose carrier changes it (marked "via"), with
    the effects the pipeline computed.
    """
    lang = data.language
    m = data.measures
    if m is None or m.empty:
        return []
    ind = data.summary["indicators"].get(indicator) or {}
    unit = ind.get("unit") or (m.loc[m["indicator"] == indicator, "unit"].iloc[0]
                               if (m["indicator"] == indicator).any() else "")
    # an indicator without a target (footprint) looks ahead to its projection year
    ty = ind.get("target_year") or ind.get("projection_year")
    eff = data.measure_effects
    effects: dict = {}
    beyond: dict = {}
    if eff is not None and not eff.empty and ty is not None:
        e = eff[(eff["indicator"] == indicator) & (eff["year"] == int(ty))]
        effects = {(r.id, r.via): float(r.effect) for r in e.itertuples(index=False)}
        beyond = {(r.id, r.via): float(r.effect_beyond) for r in e.itertuples(index=False)}
    keys = list(dict.fromkeys([(i, v) for i, v in effects]
                              + [(i, "effect") for i in m.loc[m["indicator"] == indicator, "id"]]))
    by_id = m.set_index("id")
    rank = {"implemented": 0, "decided": 1, "planned": 2, "idea": 3}
    keys.sort(key=lambda k: (k[1] != "effect", rank.get(by_id.loc[k[0], "status"], 4), str(k[0])))
    rows = []
    for mid, via in keys:
        r = by_id.loc[mid]
        period = (str(r.start_year) if int(r.start_year) == int(r.full_effect_year)
                  else f"{r.start_year}–{r.full_effect_year}")
        cost = "–" if is_missing(r.cost_per_tco2e) else fmt_num(r.cost_per_tco2e, lang, 0)
        value = effects.get((mid, via), r.effect_target_year if via == "effect" else None)
        year = ty if (mid, via) in effects else r.target_year
        effect = f"{_measure_amount(value, unit, lang, signed=True)} ({year})"
        name = r["name"]
        if via == "carrier":
            name = t("measure_via", lang, name=name, carrier=id_label(r.carrier, lang))
        # what of it is new after the report year (the rest is in the actual values);
        # an idea's is never counted
        new = ("–" if r.status == "idea" or (mid, via) not in beyond
               else _measure_amount(beyond[(mid, via)], unit, lang, signed=True))
        rows.append([name, t("mstatus_" + r.status, lang), period, effect, new, cost,
                     r.owner or "–"])
    return rows


def timezone(data: ReportData) -> str:
    """The project's timezone, in which the report shows times (``Europe/Oslo``)."""
    return (data.summary.get("settings") or {}).get("timezone", "")


#: where the citation of a source ends and its details (pages, values, URLs, copies read) begin
_SOURCE_DETAIL = re.compile(r" \(|: |; | - | – |, (?:read|table|chapter|section|sheet|page|flat|"
                            r"file|row|column|p\.|pp\.)\b")


def short_source(source) -> str:
    """A factor's source as the report's table shows it: publisher, publication and year.

    The text up to its first detail (a bracket, a colon, a semicolon, or
    ", table ...", ", chapter ..." and the like), with no URL; the year of
    publication is added when the kept part has none. The full text stays in
    report.xlsx and summary.json.

    >>> short_source("NVE, Klimadeklarasjon for fysisk levert strøm 2020 (published 2021): 8 g")
    'NVE, Klimadeklarasjon for fysisk levert strøm 2020'
    """
    if source is None or (isinstance(source, float) and source != source):
        return ""
    full = re.sub(r"\s*\(?https?://\S+\)?", "", str(source)).strip()
    m = _SOURCE_DETAIL.search(full)
    short = full[:m.start()] if m else full
    short = short.strip().rstrip(",.")
    if not re.search(r"\b(19|20)\d\d\b", short):
        year = re.search(r"\b(19|20)\d\d\b", full)
        if year:
            short = f"{short}, {year.group(0)}"
    return short


def electricity_certificate_sentences(data: ReportData) -> list[str]:
    """The first screen's line on electricity for a trust with certificates (DESIGN §4).

    Gross and net electricity emissions under the config's method (for
    ``location``, whose figure ignores certificates, the market-based net
    beside it), the deduction, the share of gjenvinningskraft and any excess.
    Empty for a report year without certificates. Figures come from
    ``summary.json`` (``electricity_certificates``); nothing is recomputed.
    """
    lang = data.language
    s = data.summary
    cert = s.get("electricity_certificates") or {}
    bought = sum(float(cert.get(k) or 0.0)
                 for k in ("gjenvinningskraft_kwh", "renewable_kwh", "excess_kwh"))
    if not cert or bought <= 0:
        return []
    method = (data.method_notes or {}).get("electricity_method") or \
        s.get("settings", {}).get("electricity_method", "location")
    gross = cert.get("electricity_gross_tco2e", {})
    net = cert.get("electricity_net_tco2e", {})
    share_ind = s.get("indicators", {}).get("recovered_power_share", {})
    share = fmt_qty(share_ind.get("value"), "%", lang, 1)
    q = lambda x: fmt_qty(x, "tCO2e", lang)  # noqa: E731
    year = s["year"]
    if method == "location":
        other = "market" if "market" in net else next((m for m in net if m != "location"), None)
        out = [t("s_electricity_location", lang, year=year, gross=q(gross.get("location")),
                 net=q(net.get(other)) if other else "–", share=share)]
    else:
        out = [t("s_electricity_net", lang, year=year, method=t("method_" + method, lang),
                 gross=q(gross.get(method)), net=q(net.get(method)),
                 deduction=q(cert.get("deduction_tco2e", {}).get(method)), share=share)]
    if float(cert.get("excess_kwh") or 0.0) > 0:
        out.append(t("s_certificates_excess", lang, excess=fmt_qty(cert["excess_kwh"], "kWh", lang)))
    return out
def _category_name(code: str, lang: str) -> str:
    key = "repcat_" + str(code)
    return t(key, lang) if key in TEXTS else id_label(code, lang)


def scope3_name(n: int, lang: str) -> str:
    """``"1. Purchased goods and services"``: a GHG Protocol scope 3 category."""
    return t("s3cat", lang, n=int(n), name=t(f"s3cat_{int(n)}", lang))


def category_rows(data: ReportData) -> list[list[str]]:
    """The report year's reporting categories: name, tCO2e and share of their total [%]."""
    lang = data.language
    cats = data.summary.get("emissions_by_category") or {}
    total = sum(float(v) for v in cats.values() if not is_missing(v))
    rows = []
    for c, v in cats.items():
        share = float(v) / total * 100 if total else None
        rows.append([_category_name(c, lang), fmt_num(v, lang, 1),
                     fmt_num(share, lang, 1) if share is not None else "–"])
    return rows


def category_sentences(data: ReportData) -> list[str]:
    """What a leader needs from the categories: which dominate, and purchases' share."""
    lang = data.language
    s = data.summary
    cats = {c: float(v) for c, v in (s.get("emissions_by_category") or {}).items()
            if not is_missing(v)}
    total = sum(cats.values())
    if total <= 0:
        return []
    ranked = sorted(((v, c) for c, v in cats.items() if v > 0), reverse=True)
    out = []
    if len(ranked) >= 2:
        (v1, c1), (v2, c2) = ranked[0], ranked[1]
        out.append(t("categories_lead", lang, first=_category_name(c1, lang),
                     first_share=fmt_pct(v1 / total * 100, lang, 0),
                     second=_category_name(c2, lang).lower() if lang == "nb"
                     else _category_name(c2, lang),
                     second_share=fmt_pct(v2 / total * 100, lang, 0)))
    if not has_purchases(data):
        out.append(t("categories_no_purchases", lang, year=s["year"]))
    else:
        out.append(t("categories_purchases", lang,
                     share=fmt_pct(cats.get("purchases", 0.0) / total * 100, lang, 0)))
    return out


def has_purchases(data: ReportData) -> bool:
    """Whether the report year has purchases data, as the pipeline's disclosure rows say."""
    d = data.disclosures
    if d is None or d.empty:
        return False
    miss = d[(d["item"] == "category") & (d["category"] == "purchases")
             & (d["reason"] == "no_purchases")]
    return miss.empty


def disclosure_header(data: ReportData) -> list[str]:
    """Columns of the disclosures table."""
    lang = data.language
    return [t("col_framework", lang), t("col_reference", lang), t("col_disclosure", lang),
            t("col_value", lang), t("col_unit", lang), t("col_basis", lang),
            t("col_coverage_note", lang)]


def disclosure_item(row, lang: str) -> str:
    """The name of a disclosure row's item in ``lang``."""
    item = row.item
    if item == "scope3_category":
        return t("disc_scope3_category", lang, n=int(row.scope3_category),
                 name=t(f"s3cat_{int(row.scope3_category)}", lang))
    if item == "energy_carrier":
        return t("disc_energy_carrier", lang, carrier=id_label(row.category, lang))
    if item == "category":
        return t("disc_category", lang, category=_category_name(row.category, lang))
    return t("disc_" + item, lang)


def disclosure_basis(row, lang: str) -> str:
    """A disclosure figure's basis: GWP set and electricity method (or energy's basis)."""
    if row.unit == "kWh":
        return t("disc_basis_energy", lang)
    if not row.method:
        return t("disc_basis_any_method", lang, gwp=row.gwp)
    return t("disc_basis", lang, gwp=row.gwp, method=label("method_", row.method, lang))


def disclosure_cells(data: ReportData, row) -> list[str]:
    """One row of the disclosures table, formatted."""
    lang = data.language
    value = fmt_num(row.value, lang, 0 if row.unit == "kWh" else 1) if row.covered else "–"
    note = t("disc_reason_" + row.reason, lang) if row.reason else t("disc_covered", lang)
    return [t("framework_" + row.framework, lang), str(row.reference), disclosure_item(row, lang),
            value, row.unit, disclosure_basis(row, lang), note]
