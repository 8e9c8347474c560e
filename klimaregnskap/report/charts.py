"""Report charts: what each one shows, and which must be drawn again.

Each chart is prepared here as a :class:`ChartSpec`: the frames and the
settings it draws, every text already translated. :mod:`.plots` draws a spec
with plotnine (PNG and deterministic SVG); :mod:`.chart_cache` gives it a
content key, so a rerun draws only the charts whose picture can have changed,
several at once. Colours are the Okabe-Ito palette; every series also
differs in line style or marker, so the charts read in black and white.
"""

from __future__ import annotations

from pathlib import Path
import textwrap
from typing import Callable

import numpy as np
import pandas as pd

from . import chart_cache
from .chart_spec import Chart, ChartSpec
from .data import ReportData
from .i18n import energy_unit, fmt_num, fmt_pct, fmt_qty, id_label, is_missing, label, t, unit_label
from klimaregnskap.vocabulary import reporting_categories

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
# Adjacent entries alternate dark and light so stacked bars separate in grey.
FILL_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#56B4E9", "#D55E00",
                "#000000"]
SCOPE_FILL = {1: "#0072B2", 2: "#E69F00", 3: "#F0E442"}

FIG_SIZE = (8.0, 4.6)  # [in]

TRAJECTORY_INDICATORS = ("emissions", "climate_neutral", "footprint", "energy",
                         "energy_normalised", "recovered_heat_share", "recovered_power_share",
                         "food_waste", "chemical_free_share")
#: Indicators whose trajectory chart is drawn only when a target is configured (DESIGN §5).
TARGET_ONLY_CHARTS = ("footprint",)


def _display_scale(unit: str, max_value: float) -> tuple[float, str]:
    """Divisor and unit for the axis: energy in the unit of the report's tables and
    of ``status`` (:func:`klimaregnskap.display.energy_unit`, MWh for a trust)."""
    if unit == "kWh":
        return energy_unit(max_value)
    return 1.0, unit


def year_breaks(first: int, report_year: int, last: int) -> list[int]:
    """The labelled years of a time axis: the first (baseline), the report year and
    the last (target year) always, and every ``step`` years counted from the
    report year, where ``step`` is 1, 2 or 5 by the span; a year too close to
    one that must be labelled is left out, so labels never overlap."""
    span = last - first
    step = 1 if span <= 12 else (2 if span <= 20 else 5)
    must = {first, last} | ({report_year} if first <= report_year <= last else set())
    others = {y for y in range(report_year % step + (first - first % step) - step, last + 1, step)
              if first <= y <= last}
    keep = set(must)
    for y in sorted(others - must):
        if all(abs(y - m) >= step * 0.6 for m in must):
            keep.add(y)
    return sorted(keep)


def _mpl_text(s) -> str:
    """User text for matplotlib: a '$' would otherwise start mathtext."""
    return str(s).replace("$", r"\$")


def _missing_cols(df, *cols) -> bool:
    """True when the frame is absent, empty or lacks a needed column."""
    return df is None or df.empty or any(c not in df.columns for c in cols)


def _numeric(df: pd.DataFrame, col: str) -> pd.DataFrame:
    """Copy with ``year`` and ``col`` as floats (inputs may arrive as object)."""
    df = df.copy()
    for c in ("year", col):
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def indicator_has_data(data: ReportData, indicator: str) -> bool:
    """True when the indicator has a value for the report year."""
    ind = data.summary.get("indicators", {}).get(indicator)
    if not ind or ind.get("status") == "no_data" or is_missing(ind.get("value")):
        return False
    year = data.summary["year"]
    s = data.series
    row = s[(s["indicator"] == indicator) & (s["year"] == year)]
    return not row.empty and not row["value"].isna().all()


def _emissions_axis(lang: str) -> str:
    return t("axis_with_unit", lang, label=t("col_emissions", lang), unit=unit_label("tCO2e"))


def trajectory_spec(data: ReportData, indicator: str) -> ChartSpec | None:
    """Actual values, target path, target point and trend for one indicator.

    None when the report year has no value (no chart is drawn).
    """
    lang = data.language
    if not indicator_has_data(data, indicator):
        return None
    ind = data.summary["indicators"][indicator]
    unit = ind.get("unit", "")
    s = _numeric(data.series[data.series["indicator"] == indicator], "value").dropna(subset=["value"])
    pth = _numeric(data.paths[data.paths["indicator"] == indicator], "path_value")
    pth = pth.dropna(subset=["path_value"])
    prj = _numeric(data.projections[data.projections["indicator"] == indicator], "projected_value")
    prj = prj.dropna(subset=["projected_value"])
    if unit != "%" and (prj["projected_value"] <= 0).any():
        # the trend stops where it reaches zero: the years after it, held at
        # zero by the projection, would draw a kink that reads as a forecast
        first_zero = prj.loc[prj["projected_value"] <= 0, "year"].min()
        prj = prj[prj["year"] <= first_zero]
    target_year, target_value = ind.get("target_year"), ind.get("target_value")

    max_v = max([s["value"].max()] + ([pth["path_value"].max()] if not pth.empty else []))
    div, disp_unit = _display_scale(unit, max_v)
    # a direction goal ("growing share") has no target level: its flat path is
    # the baseline level to stay above, and must not be called a target path
    path_key = "legend_path" if not is_missing(target_value) else "legend_baseline_level"
    names = {"actual": t("legend_actual", lang), "path": t(path_key, lang),
             "projection": t("legend_projection", lang), "target": t("legend_target", lang)}

    lines = [pd.DataFrame({"year": s["year"], "value": s["value"] / div, "series": names["actual"]})]
    if not pth.empty:
        lines.append(pd.DataFrame({"year": pth["year"], "value": pth["path_value"] / div,
                                   "series": names["path"]}))
    if not prj.empty:
        lines.append(pd.DataFrame({"year": prj["year"], "value": prj["projected_value"] / div,
                                   "series": names["projection"]}))
    lines_df = pd.concat(lines, ignore_index=True)
    points = [pd.DataFrame({"year": s["year"], "value": s["value"] / div, "series": names["actual"]})]
    has_target = not is_missing(target_year) and not is_missing(target_value)
    if has_target:
        points.append(pd.DataFrame({"year": [target_year], "value": [target_value / div],
                                    "series": [names["target"]]}))
    points_df = pd.concat(points, ignore_index=True)
    present = set(lines_df["series"]) | set(points_df["series"])
    order = [names[k] for k in ("actual", "path", "projection", "target") if names[k] in present]
    lines_df["series"] = pd.Categorical(lines_df["series"], categories=order)
    points_df["series"] = pd.Categorical(points_df["series"], categories=order)

    keys = ("actual", "path", "projection", "target")
    colours = {names[k]: v for k, v in zip(keys, [OKABE_ITO["blue"], OKABE_ITO["green"],
                                                  OKABE_ITO["vermillion"], OKABE_ITO["black"]])
               if names[k] in present}
    linetypes = {names[k]: v for k, v in zip(keys, ["solid", "dotted", "dashed", "solid"])
                 if names[k] in present}
    shapes = {names[k]: v for k, v in zip(keys, ["o", " ", " ", "D"]) if names[k] in present}

    status = ind.get("status")
    if status in ("achieved", "on_track", "off_track") and is_missing(target_value):
        # a direction goal has no target year level to be "on track for"
        status_text = t("status_title_direction_" + ("off_track" if status == "off_track"
                                                     else "on_track"), lang)
        title = f"{t('ind_' + indicator, lang)}: {status_text}"
    elif status in ("achieved", "on_track", "off_track") and not is_missing(target_year):
        status_text = t(f"status_title_{status}", lang, target_year=int(target_year))
        title = f"{t('ind_' + indicator, lang)}: {status_text}"
    elif status == "incomplete":
        title = f"{t('ind_' + indicator, lang)}: {t('status_incomplete', lang)}"
    else:
        title = t("ind_" + indicator, lang)
    title = "\n".join(textwrap.wrap(title, 75))

    year_max = int(max(lines_df["year"].max(), target_year or 0))
    year_min = int(lines_df["year"].min())
    breaks = year_breaks(year_min, int(data.summary["year"]), year_max)

    y_label = t("axis_with_unit", lang, label=label("ylab_", indicator, lang),
                unit=unit_label(disp_unit))
    # a year whose figure rests on incomplete data is drawn hollow and labelled (DESIGN §4)
    gaps = set((data.incomplete_years or {}).get(indicator, []))
    inc = s[s["year"].astype(int).isin(gaps)]
    incomplete_df = pd.DataFrame({"year": inc["year"].astype(int), "value": inc["value"] / div,
                                  "text": t("dq_incomplete_mark", lang)})
    return ChartSpec(
        f"trajectory_{indicator}", "trajectory", title, lang,
        {"lines": lines_df, "points": points_df, "incomplete": incomplete_df},
        {"order": order, "colours": colours, "linetypes": linetypes, "shapes": shapes,
         "legend": t("legend_series", lang), "x_breaks": breaks, "x": t("axis_year", lang),
         "y": y_label, "size": list(FIG_SIZE)})


def emissions_by_scope_spec(data: ReportData) -> ChartSpec | None:
    """Stacked bars per year of emissions by scope (configured electricity method).

    Drawn from ``emissions_by_category``, which the pipeline made from the
    configured method's lines: the chart never chooses a method itself.
    """
    lang = data.language
    df = data.emissions_by_category
    if _missing_cols(df, "year", "category", "scope", "emissions_tco2e"):
        return None
    df = df.groupby(["year", "scope"], as_index=False)["emissions_tco2e"].sum()
    if df.empty:
        return None
    method = data.method_notes["electricity_method"]
    df["scope_label"] = df["scope"].map(lambda s: t("scope_n", lang, scope=int(s)))
    levels = [t("scope_n", lang, scope=s) for s in (3, 2, 1)]
    df["scope_label"] = pd.Categorical(df["scope_label"], categories=levels)
    fills = {t("scope_n", lang, scope=s): SCOPE_FILL[s] for s in (1, 2, 3)}
    title = t("chart_emissions_by_scope", lang, method=label("method_", method, lang))
    return ChartSpec(
        "emissions_by_scope", "scope_bars", title, lang, {"bars": df},
        {"fills": fills, "fill_breaks": levels[::-1], "legend": t("col_scope", lang),
         "x_breaks": sorted(df["year"].unique().tolist()), "x": t("axis_year", lang),
         "y": _emissions_axis(lang), "size": list(FIG_SIZE)})


def emissions_by_sector_category_spec(data: ReportData) -> ChartSpec | None:
    """Stacked bars per year of emissions by the sector's reporting category (DESIGN §4).

    Every year of the accounts, purchases included, under the configured
    method, from the pipeline's ``emissions_by_reporting_category``; the
    categories stack in the order of ``categories.csv`` (energy at the
    bottom) with their share of the report year in the legend.
    """
    lang = data.language
    df = data.emissions_by_reporting_category
    if _missing_cols(df, "year", "reporting_category", "emissions_tco2e"):
        return None
    df = _numeric(df, "emissions_tco2e")
    df = df.groupby(["year", "reporting_category"], as_index=False)["emissions_tco2e"].sum()
    df = df[df["emissions_tco2e"].abs() > 0]
    if df.empty:
        return None
    names = reporting_categories()
    known = [c for c in names if c in set(df["reporting_category"])]
    order = known + sorted(set(df["reporting_category"]) - set(known))

    def name(c: str) -> str:
        return _mpl_text(names[c][lang] if c in names else id_label(c, lang))

    df["category_label"] = pd.Categorical(df["reporting_category"].map(name),
                                          categories=[name(c) for c in order][::-1])
    # a category keeps its colour whichever categories occur (purchases always vermillion)
    slot = {c: i for i, c in enumerate(list(names) + sorted(set(order) - set(names)))}
    fills = {name(c): FILL_PALETTE[slot[c] % len(FILL_PALETTE)] for c in order}
    title = "\n".join(textwrap.wrap(t(
        "chart_emissions_by_sector_category", lang,
        method=label("method_", data.method_notes["electricity_method"], lang)), 70))
    return ChartSpec(
        "emissions_by_sector_category", "sector_bars", title, lang, {"bars": df},
        {"fills": fills, "fill_breaks": [name(c) for c in order], "legend": t("col_category", lang),
         "x_breaks": sorted(int(y) for y in df["year"].unique()), "x": t("axis_year", lang),
         "y": _emissions_axis(lang), "size": list(FIG_SIZE)})


def emissions_by_category_spec(data: ReportData) -> ChartSpec | None:
    """Horizontal bars of the report year's emissions by category."""
    lang = data.language
    year = data.summary["year"]
    df = data.emissions_by_category
    if _missing_cols(df, "year", "category", "scope", "emissions_tco2e"):
        return None
    df = df[df["year"] == year].groupby(["category", "scope"], as_index=False)["emissions_tco2e"].sum()
    df = df[df["emissions_tco2e"].notna()]
    if df.empty:
        return None
    df = df.sort_values(["emissions_tco2e", "category"])
    df["category"] = df["category"].map(lambda c: _mpl_text(id_label(c, lang)))
    df["category"] = pd.Categorical(df["category"], categories=list(dict.fromkeys(df["category"])))
    df["scope_label"] = df["scope"].map(lambda s: t("scope_n", lang, scope=int(s)))
    scopes = sorted(int(s) for s in df["scope"].unique())
    fills = {t("scope_n", lang, scope=s): SCOPE_FILL.get(s, "#999999") for s in scopes}
    title = t("chart_emissions_by_category", lang, year=year)
    height = max(3.5, 1.2 + 0.32 * len(df))
    return ChartSpec(
        "emissions_by_category", "category_bars", title, lang, {"bars": df},
        {"fills": fills, "legend": t("col_scope", lang), "x": t("col_category", lang),
         "y": _emissions_axis(lang), "size": [FIG_SIZE[0], height]})


def _recovered_share_by_year(data: ReportData) -> pd.Series:
    """The pipeline's share of recovered energy [%] by year (never recomputed here)."""
    s = data.series[data.series["indicator"] == "recovered_heat_share"].dropna(subset=["value"])
    return s.set_index("year")["value"]


def energy_by_carrier_spec(data: ReportData) -> ChartSpec | None:
    """Stacked delivered energy per carrier and year; recovered energy as a segment
    of its own on top (white, outlined: it is not delivered energy), with the
    pipeline's share of recovered energy written above each bar."""
    lang = data.language
    e = data.energy_by_carrier
    if _missing_cols(e, "year", "carrier", "energy_kwh", "recovered"):
        return None
    e = _numeric(e, "energy_kwh")
    e = e.assign(carrier=e["carrier"].astype(str))
    rec = e["recovered"].astype(bool)
    d = e[~rec].groupby(["year", "carrier"], as_index=False)["energy_kwh"].sum()
    if d.empty:
        return None
    r = e[rec].groupby("year", as_index=False)["energy_kwh"].sum()
    r = r[r["energy_kwh"] > 0]
    totals = d.groupby("year")["energy_kwh"].sum().add(
        r.set_index("year")["energy_kwh"], fill_value=0)
    div, disp_unit = _display_scale("kWh", totals.max())
    order = d.groupby("carrier")["energy_kwh"].sum().sort_values(ascending=False).index.tolist()
    labels = [_mpl_text(id_label(c, lang)) for c in order]
    d["carrier_label"] = d["carrier"].map(lambda c: _mpl_text(id_label(c, lang)))
    fills = {lab: FILL_PALETTE[i % len(FILL_PALETTE)] for i, lab in enumerate(labels)}
    if not r.empty:
        rec_label = t("legend_recovered", lang)
        r = r.assign(carrier="recovered", carrier_label=rec_label)
        d = pd.concat([d, r], ignore_index=True)
        labels.append(rec_label)
        fills[rec_label] = "#FFFFFF"
    d["value"] = d["energy_kwh"] / div
    # the first label at the bottom of the stack, recovered energy on top
    d["carrier_label"] = pd.Categorical(d["carrier_label"], categories=labels[::-1])
    share = _recovered_share_by_year(data)
    ann = pd.DataFrame({"year": totals.index, "value": totals.values / div})
    ann["text"] = [t("annot_recovered", lang, pct=fmt_pct(share.get(y), lang, 1))
                   if y in share.index else "" for y in ann["year"]]
    ann = ann[ann["text"] != ""]
    title = t("chart_energy_by_carrier", lang)
    top = float(totals.max() / div)
    return ChartSpec(
        "energy_by_carrier", "carrier_bars", title, lang, {"bars": d, "annotations": ann},
        {"fills": fills, "fill_breaks": labels, "legend": t("col_carrier", lang),
         "x_breaks": sorted(d["year"].unique().tolist()), "y_limit": top * 1.18,
         "annotation_nudge": top * 0.01, "x": t("axis_year", lang),
         "y": t("axis_with_unit", lang, label=t("col_energy", lang), unit=disp_unit),
         "subtitle": t("chart_energy_subtitle", lang), "size": list(FIG_SIZE)})


def sites_spec(data: ReportData) -> ChartSpec | None:
    """Energy and emissions per site in the report year (two panels)."""
    lang = data.language
    year = data.summary["year"]
    st = data.site_table
    if _missing_cols(st, "year", "site", "energy_kwh", "emissions_tco2e"):
        return None
    st = _numeric(st, "energy_kwh")
    st["emissions_tco2e"] = pd.to_numeric(st["emissions_tco2e"], errors="coerce").astype(float)
    st = st[st["year"] == year]
    if st.empty:
        return None
    div, disp_unit = _display_scale("kWh", st["energy_kwh"].max())
    p_energy = t("axis_with_unit", lang, label=t("col_energy", lang), unit=disp_unit)
    p_em = _emissions_axis(lang)
    names = st["site"].map(lambda s: _mpl_text(data.site_names.get(s, s)))
    if names.duplicated().any():  # two sites with one display name must not merge
        names = names + " (" + st["site"].map(_mpl_text) + ")"
    df = pd.concat([
        pd.DataFrame({"site": names, "panel": p_energy, "value": st["energy_kwh"] / div}),
        pd.DataFrame({"site": names, "panel": p_em, "value": st["emissions_tco2e"]}),
    ], ignore_index=True).dropna(subset=["value"])
    if df.empty:
        return None
    site_order = (st.assign(n=names).sort_values("energy_kwh")["n"].tolist())
    df["site"] = pd.Categorical(df["site"], categories=list(dict.fromkeys(site_order)))
    df["panel"] = pd.Categorical(df["panel"], categories=[p_energy, p_em])
    # a region's "sites" are its members (DESIGN §6a)
    region = bool(data.summary.get("members"))
    title = t("chart_members" if region else "chart_sites", lang, year=year)
    height = max(3.2, 1.6 + 0.4 * len(site_order))
    return ChartSpec(
        "sites", "site_bars", title, lang, {"bars": df},
        {"fills": [OKABE_ITO["blue"], OKABE_ITO["orange"]],
         "x": t("col_member" if region else "col_site", lang),
         # each panel's heading carries its unit: no value-axis title
         "y": "", "size": [FIG_SIZE[0], height]})


# --- a region (DESIGN §6a): each member's part of the change since the baseline ------------

#: Indicators whose region value is the sum of its members' (a member's change adds up
#: to the region's change); climate neutrality is the emissions figure again.
CONTRIBUTION_INDICATORS = ("emissions", "energy", "energy_normalised", "food_waste")


def contribution_spec(data: ReportData, indicator: str) -> ChartSpec | None:
    """Each member's change of ``indicator`` since the baseline year, and the region's.

    For a reduction target a fall pulls the region toward its target and a
    rise away from it. The members' changes add up to the region's bar (the
    region's value is the sum of the members'); the dashed line marks the
    change the region's target path asks for by the report year. Only for a
    region (``summary["members"]``); None when no member has both values.
    """
    s = data.summary
    members = s.get("members") or {}
    ind = (s.get("indicators") or {}).get(indicator)
    if not members or not ind or is_missing(ind.get("value")) or is_missing(ind.get("baseline")):
        return None
    lang = data.language
    unit = ind["unit"]
    rows = []
    for mid, m in members.items():
        f = (m.get("indicators") or {}).get(indicator) or {}
        if is_missing(f.get("value")) or is_missing(f.get("baseline")):
            continue
        rows.append({"id": mid, "name": _mpl_text(m.get("name", mid)),
                     "change": float(f["value"]) - float(f["baseline"])})
    if not rows:
        return None
    total = float(ind["value"]) - float(ind["baseline"])
    path = ind.get("path_value")
    need = None if is_missing(path) else float(path) - float(ind["baseline"])
    div, disp_unit = _display_scale(unit, max([abs(r["change"]) for r in rows] + [abs(total)]))
    region_label = t("contribution_region", lang, name=_mpl_text(s.get("organisation", "")))
    toward, away = t("contribution_toward", lang), t("contribution_away", lang)
    df = pd.DataFrame(rows)
    df = pd.concat([df.sort_values("change", ascending=False, kind="stable"),
                    pd.DataFrame([{"id": "", "name": region_label, "change": total}])],
                   ignore_index=True)
    df["value"] = df["change"] / div
    df["direction"] = np.where(df["change"] <= 0, toward, away)
    df.loc[df.index[-1], "direction"] = t("contribution_total", lang)
    df["label"] = [fmt_num(v, lang, 0 if abs(v) >= 10 else 1) for v in df["value"]]
    df["member"] = pd.Categorical(df["name"], categories=df["name"].tolist()[::-1])
    fills = {toward: OKABE_ITO["green"], away: OKABE_ITO["vermillion"],
             t("contribution_total", lang): "#555555"}
    present = [k for k in fills if k in set(df["direction"])]
    subtitle = t("contribution_subtitle", lang, baseline_year=s["baseline_year"], year=s["year"])
    if need is not None:
        subtitle += " " + t("contribution_path", lang, year=s["year"],
                            change=fmt_qty(need / div, disp_unit, lang))
    spread = float(max(df["value"].abs().max(), abs(need / div) if need is not None else 0.0))
    title = "\n".join(textwrap.wrap(t("chart_contribution", lang,
                                       indicator=t("ind_" + indicator, lang),
                                       baseline_year=s["baseline_year"], year=s["year"]), 60))
    subtitle = "\n".join(textwrap.wrap(subtitle, 100))
    lines = title.count("\n") + subtitle.count("\n")
    return ChartSpec(
        f"contribution_{indicator}", "contribution_bars", title, lang,
        {"bars": df[["member", "value", "direction", "label"]]},
        {"fills": {k: fills[k] for k in present}, "fill_breaks": present,
         "legend": t("contribution_legend", lang), "x": "",
         "y": t("axis_with_unit", lang, label=t("contribution_axis", lang,
                                                 baseline_year=s["baseline_year"]),
                unit=unit_label(disp_unit)),
         "reference": None if need is None else need / div,
         # room for the labels beyond the longest bar, on both sides
         "y_limits": [-spread * 1.25, spread * 1.25],
         "subtitle": subtitle,
         "size": [FIG_SIZE[0], max(3.0, 2.0 + 0.42 * len(df) + 0.2 * lines)]})


# --- measures (DESIGN §4 "Measures"): wedges per indicator, cost curve for emissions ------

#: the statuses drawn solid in a wedge chart (planned ones are lighter; ideas never drawn)
SOLID_STATUSES = ("implemented", "decided")
WEDGE_ALPHA = {"implemented": 0.9, "decided": 0.9, "planned": 0.35}


def measure_indicators(data: ReportData) -> list[str]:
    """Indicators with measures (the pipeline gave them ``bau_target_year_value``), in order."""
    inds = data.summary.get("indicators", {})
    return [i for i in TRAJECTORY_INDICATORS + tuple(k for k in inds if k not in TRAJECTORY_INDICATORS)
            if i in inds and not is_missing(inds[i].get("bau_target_year_value"))]


def _wrap(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(_mpl_text(text), width)) or _mpl_text(text)


def _amount(x: float, unit: str, lang: str) -> str:
    """A quantity as a leader reads it: energy from 10 MWh up in MWh."""
    if unit == "kWh" and abs(x) >= 1e4:
        return fmt_qty(x / 1000.0, "MWh", lang, 0)
    if unit == "%":
        return t("points_abbr", lang, x=fmt_num(x, lang, 1))
    return fmt_qty(x, unit, lang)


def wedge_spec(data: ReportData, indicator: str) -> ChartSpec | None:
    """Actual values, BAU, one stacked wedge per counted measure, target path and gap.

    Everything drawn is read from the accounts: the series, the path, the
    measures' effects beyond the report year and the scenarios (the pipeline
    applied every rule). Decided and implemented measures are solid, planned
    ones lighter; ideas are not drawn. None when the indicator has no measures.
    """
    lang = data.language
    inds = data.summary.get("indicators", {})
    ind = inds.get(indicator) or {}
    eff, scen = data.measure_effects, data.measure_scenarios
    if (is_missing(ind.get("bau_target_year_value")) or _missing_cols(eff, "id", "indicator")
            or _missing_cols(scen, "indicator", "year")):
        return None
    year = int(data.summary["year"])
    unit = ind.get("unit", "")
    target_year, target_value = ind.get("target_year"), ind.get("target_value")
    s = _numeric(data.series[data.series["indicator"] == indicator], "value").dropna(subset=["value"])
    sc = scen[scen["indicator"] == indicator].sort_values("year")
    pth = _numeric(data.paths[data.paths["indicator"] == indicator], "path_value")
    pth = pth.dropna(subset=["path_value"])
    e = eff[(eff["indicator"] == indicator) & (eff["status"] != "idea")]
    e = e.groupby(["id", "status", "year"], as_index=False)["effect_beyond"].sum()
    drawn = [i for i, g in e.groupby("id", sort=False) if (g["effect_beyond"].abs() > 0).any()]
    e = e[e["id"].isin(drawn)]
    top = max([s["value"].max(), sc["bau"].max()]
              + ([pth["path_value"].max()] if not pth.empty else []))
    div, disp_unit = _display_scale(unit, top)

    names = data.measures.set_index("id")["name"].to_dict() if not data.measures.empty else {}
    rank = {"implemented": 0, "decided": 1, "planned": 2}
    order_ids = sorted(drawn, key=lambda i: (rank.get(e.loc[e["id"] == i, "status"].iloc[0], 3),
                                            e.loc[e["id"] == i, "effect_beyond"].abs().max() * -1,
                                            str(i)))
    labels, fills, alphas, bands = [], {}, {}, []
    base = sc.set_index("year")["bau"]
    lower = base.copy()
    for k, mid in enumerate(order_ids):
        g = e[e["id"] == mid].set_index("year")["effect_beyond"].reindex(base.index, fill_value=0.0)
        st = e.loc[e["id"] == mid, "status"].iloc[0]
        lab = _wrap(t("wedge_measure", lang, name=names.get(mid, mid), status=t("mstatus_" + st,
                                                                            lang).lower()), 70)
        labels.append(lab)
        fills[lab] = FILL_PALETTE[k % len(FILL_PALETTE)]
        alphas[lab] = WEDGE_ALPHA.get(st, 0.35)
        upper = lower + g
        bands.append(pd.DataFrame({"year": base.index.astype(float),
                                   "ymin": pd.concat([lower, upper], axis=1).min(axis=1).to_numpy() / div,
                                   "ymax": pd.concat([lower, upper], axis=1).max(axis=1).to_numpy() / div,
                                   "measure": lab, "alpha": alphas[lab]}))
        lower = upper
    wedges = (pd.concat(bands, ignore_index=True) if bands
              else pd.DataFrame(columns=["year", "ymin", "ymax", "measure", "alpha"]))
    wedges["measure"] = pd.Categorical(wedges["measure"], categories=labels)

    n_actual, n_bau = t("legend_actual", lang), t("legend_bau", lang)
    n_path, n_target = t("legend_path", lang), t("legend_target", lang)
    lines = [pd.DataFrame({"year": s["year"], "value": s["value"] / div, "series": n_actual}),
             pd.DataFrame({"year": sc["year"].astype(float), "value": sc["bau"] / div,
                           "series": n_bau})]
    has_target = not is_missing(target_year) and not is_missing(target_value)
    if not pth.empty and has_target:
        lines.append(pd.DataFrame({"year": pth["year"], "value": pth["path_value"] / div,
                                   "series": n_path}))
    lines_df = pd.concat(lines, ignore_index=True)
    order = [n for n in (n_actual, n_bau, n_path) if n in set(lines_df["series"])]
    lines_df["series"] = pd.Categorical(lines_df["series"], categories=order)
    colours = {n_actual: OKABE_ITO["blue"], n_bau: OKABE_ITO["black"], n_path: OKABE_ITO["green"]}
    linetypes = {n_actual: "solid", n_bau: "dashed", n_path: "dotted"}
    colours = {k: v for k, v in colours.items() if k in order}
    linetypes = {k: v for k, v in linetypes.items() if k in order}
    target_df = (pd.DataFrame({"year": [float(target_year)], "value": [target_value / div]})
                 if has_target else pd.DataFrame(columns=["year", "value"]))

    # the remaining gap: between "with planned measures" and the target path, after the report year
    gap = ind.get("gap_after_measures")
    planned = sc.set_index("year")["with_planned"]
    gap_band = pd.DataFrame(columns=["year", "ymin", "ymax"])
    annotation = pd.DataFrame(columns=["year", "value", "text"])
    if has_target and not is_missing(gap):
        lower_better = (ind.get("target_value") is not None
                        and ind.get("baseline") is not None
                        and float(target_value) <= float(ind["baseline"]))
        p_at = pth.set_index(pth["year"].astype(int))["path_value"].reindex(planned.index)
        p_at = p_at.fillna(float(target_value))
        short = (planned > p_at) if lower_better else (planned < p_at)
        if float(gap) > 0:
            gap_band = pd.DataFrame({"year": planned.index.astype(float),
                                     "ymin": np.where(short, np.minimum(planned, p_at), p_at) / div,
                                     "ymax": np.where(short, np.maximum(planned, p_at), p_at) / div})
            text_ = t("annot_gap", lang, year=int(target_year), gap=_amount(float(gap), unit, lang))
        else:
            text_ = t("annot_gap_met", lang)
        annotation = pd.DataFrame({"year": [float(target_year)],
                                   "value": [(float(planned.iloc[-1]) + float(target_value)) / 2 / div],
                                   "text": [text_]})

    title = "\n".join(textwrap.wrap(t("chart_wedge", lang, indicator=t("ind_" + indicator, lang),
                                      year=int(target_year or sc["year"].max())), 75))
    year_max = int(sc["year"].max())
    year_min = int(min(s["year"].min(), year)) if not s.empty else year
    step = 1 if year_max - year_min <= 12 else (2 if year_max - year_min <= 20 else 5)
    breaks = list(range(year_min, year_max + 1, step))
    if breaks[-1] != year_max:
        if year_max - breaks[-1] < step * 0.6:
            breaks[-1] = year_max
        else:
            breaks.append(year_max)
    y_label = t("axis_with_unit", lang, label=label("ylab_", indicator, lang),
                unit=unit_label(disp_unit))
    height = FIG_SIZE[1] + 0.2 * max(0, len(labels) - 2) + 0.6
    return ChartSpec(
        f"measures_{indicator}", "wedge", title, lang,
        {"wedges": wedges, "lines": lines_df, "target": target_df, "gap": gap_band,
         "annotation": annotation},
        {"measures": labels, "fills": fills, "alphas": alphas, "order": order,
         "colours": colours, "linetypes": linetypes, "legend_lines": t("legend_series", lang),
         "legend_measures": t("legend_measures", lang), "gap_colour": OKABE_ITO["vermillion"],
         "target_colour": OKABE_ITO["black"], "x_breaks": breaks, "x": t("axis_year", lang),
         "y": y_label, "subtitle": t("chart_wedge_subtitle", lang),
         "size": [FIG_SIZE[0] + 0.6, height]})


def mac_spec(data: ReportData) -> ChartSpec | None:
    """Marginal abatement cost curve of the emission measures (ideas not drawn).

    Bar width: the tonnes CO2e a year a measure cuts at full effect; height:
    its cost per tonne (negative: a saving, below the axis). Both as the
    pipeline computed them; measures without either are named under the chart.
    """
    lang = data.language
    m = data.measures
    if _missing_cols(m, "id", "cost_per_tco2e", "tco2e_per_year", "status"):
        return None
    m = m[m["status"] != "idea"].copy()
    m["cost"] = pd.to_numeric(m["cost_per_tco2e"], errors="coerce")
    m["width"] = pd.to_numeric(m["tco2e_per_year"], errors="coerce")
    ok = m["cost"].notna() & (m["width"] > 0)
    bars = m[ok].sort_values(["cost", "id"]).reset_index(drop=True)
    if bars.empty:
        return None
    bars["xmax"] = bars["width"].cumsum()
    bars["xmin"] = bars["xmax"] - bars["width"]
    bars["x"] = (bars["xmin"] + bars["xmax"]) / 2
    span = float(bars["cost"].max() - min(0.0, float(bars["cost"].min()))) or 1.0
    bars["label"] = [_wrap(n, 22) + "\n" + t("mac_cost", lang, cost=fmt_num(c, lang, 0))
                     for n, c in zip(bars["name"], bars["cost"])]
    bars["label_y"] = np.where(bars["cost"] >= 0, bars["cost"] + span * 0.03,
                               bars["cost"] - span * 0.03)
    bars["va"] = np.where(bars["cost"] >= 0, "bottom", "top")
    bars["group"] = [t("mstatus_" + s, lang) for s in bars["status"]]
    groups = [t("mstatus_" + s, lang) for s in ("implemented", "decided", "planned")]
    fills = dict(zip(groups, [OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["sky_blue"]]))
    present = [g for g in groups if g in set(bars["group"])]
    # named under the chart: emission and energy measures that have no place in the curve
    relevant = m["indicator"].isin(("emissions", "climate_neutral", "footprint", "energy",
                                    "energy_normalised"))
    left_out = m[~ok & relevant]["name"].tolist()
    rate = data.summary.get("settings", {}).get("discount_rate_pct", 4)
    subtitle = t("chart_mac_subtitle", lang, rate=fmt_num(rate, lang, 0 if float(rate).is_integer() else 1))
    if left_out:
        subtitle += "\n" + "\n".join(textwrap.wrap(
            t("mac_left_out", lang, names=", ".join(_mpl_text(n) for n in left_out)), 110))
    frame = bars[["id", "xmin", "xmax", "x", "cost", "label", "label_y", "va", "group"]]
    lines = bars["label"].str.count("\n") + 1
    return ChartSpec(
        "measures_cost_curve", "mac", t("chart_mac", lang), lang, {"bars": frame},
        {"fills": {g: fills[g] for g in present}, "fill_breaks": present,
         "legend": t("col_status", lang), "x": t("mac_x", lang), "y": t("mac_y", lang),
         # room for each label's lines beyond its bar (about 7 % of the span a line)
         "y_limits": [min(0.0, float((bars["label_y"] - span * 0.075 * lines).min())),
                      max(0.0, float((bars["label_y"] + span * 0.075 * lines).max()))],
         "subtitle": subtitle, "size": [FIG_SIZE[0] + 1.0, FIG_SIZE[1] + 0.4]})


def chart_specs(data: ReportData) -> tuple[list[ChartSpec], list[str]]:
    """Every chart the report shows, in reading order.

    Returns
    -------
    specs : list of ChartSpec
    no_data : list of str
        Indicators with no value for the report year (no chart).
    """
    specs: list[ChartSpec] = []
    no_data: list[str] = []
    for ind in TRAJECTORY_INDICATORS:
        fields = data.summary.get("indicators", {}).get(ind)
        if ind in TARGET_ONLY_CHARTS and fields is not None and is_missing(
                fields.get("target_year")):
            continue
        if fields is not None:
            spec = trajectory_spec(data, ind)
            if spec is None:
                no_data.append(ind)
            else:
                specs.append(spec)
    # a region: who pulls toward the target and who away, per summed indicator
    if data.summary.get("members"):
        specs += [c for c in (contribution_spec(data, i) for i in CONTRIBUTION_INDICATORS
                              if i in data.summary.get("indicators", {})) if c is not None]
    for make in (emissions_by_scope_spec, emissions_by_sector_category_spec,
                 emissions_by_category_spec, energy_by_carrier_spec, sites_spec):
        spec = make(data)
        if spec is not None:
            specs.append(spec)
    # measures: a wedge chart per indicator with measures, and the cost curve
    specs += [w for w in (wedge_spec(data, i) for i in measure_indicators(data)) if w is not None]
    mac = mac_spec(data)
    if mac is not None:
        specs.append(mac)
    return specs, no_data


def render_charts(data: ReportData, out_dir: Path, progress: Callable[[str], None] | None = None,
                  *, workers: int | None = None) -> tuple[list[Chart], list[str]]:
    """Write every chart into ``out_dir``, drawing only those not already there.

    A chart whose PNG and SVG on disk match the content key recorded for
    them (:mod:`.chart_cache`) is kept; the others are drawn, in parallel
    when more than one must be. PNG and SVG files of charts the report no
    longer shows are removed.

    Parameters
    ----------
    data : ReportData
    out_dir : Path
        The report's ``charts/`` folder (created).
    progress : callable, optional
        Called with a short message per chart drawn.
    workers : int, optional
        Drawing processes; default one per available core.

    Returns
    -------
    charts : list of Chart
        The report's charts (PNG and SVG each), in reading order.
    no_data : list of str
        Indicators with no value for the report year (no chart drawn).
    """
    say = progress or (lambda _msg: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs, no_data = chart_specs(data)
    recorded = chart_cache.read_manifest(out_dir)
    charts = [Chart(s.name, s.title, out_dir / f"{s.name}.png", out_dir / f"{s.name}.svg",
                    chart_cache.chart_key(s)) for s in specs]
    todo = [(s, c) for s, c in zip(specs, charts) if not chart_cache.is_current(c, recorded)]
    say(f"charts: {len(todo)} to draw, {len(charts) - len(todo)} unchanged")
    if todo:
        # deferred on purpose: plotnine and matplotlib take most of a second to
        # import, and a rerun whose charts are all current needs neither
        from .plots import draw_all

        drawn = draw_all([s for s, _ in todo], progress=say, workers=workers)
        for (_, c), (png, svg) in zip(todo, drawn):
            c.png.write_bytes(png)
            c.svg.write_bytes(svg)
            c.drawn = True
    # charts from an earlier run (e.g. an indicator that now has no data) must not linger
    names = {c.name for c in charts}
    for old in list(out_dir.glob("*.png")) + list(out_dir.glob("*.svg")):
        if old.stem not in names:
            old.unlink()
    chart_cache.write_manifest(out_dir, charts)
    return charts, no_data
