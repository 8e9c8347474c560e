"""Report charts (plotnine), written as PNG and deterministic SVG.

Each chart is built once, drawn once to a matplotlib figure and saved twice.
Colours are the Okabe-Ito palette; every series also differs in line style
or marker, so the charts read in black and white.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from plotnine import (  # noqa: E402
    aes, coord_flip, element_text, expand_limits, facet_wrap, geom_col, geom_line,
    geom_point, geom_text, ggplot, labs, scale_color_manual, scale_fill_manual,
    scale_linetype_manual, scale_shape_manual, scale_x_continuous, scale_y_continuous,
    theme, theme_bw,
)

from .data import ReportData
from .i18n import fmt_num, fmt_pct, id_label, is_missing, label, t, unit_label

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
}
# Adjacent entries alternate dark and light so stacked bars separate in grey.
FILL_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#F0E442", "#CC79A7", "#56B4E9", "#D55E00",
                "#000000"]
SCOPE_FILL = {1: "#0072B2", 2: "#E69F00", 3: "#F0E442"}

DPI = 150
FIG_SIZE = (8.0, 4.6)
# Fixed salt + fonts as paths + no date: two runs write identical SVG bytes.
RC = {"svg.hashsalt": "klimaregnskap", "svg.fonttype": "path", "font.family": "DejaVu Sans"}

TRAJECTORY_INDICATORS = ("emissions", "climate_neutral", "energy", "energy_normalised",
                         "recovered_heat_share", "food_waste", "chemical_free_share")


@dataclass
class Chart:
    """One rendered chart: its name, title (for alt text) and files."""

    name: str
    title: str
    png: Path
    svg: Path


def _display_scale(unit: str, max_value: float) -> tuple[float, str]:
    """Divisor and unit for the axis, so energy axes read in MWh/GWh."""
    if unit == "kWh" and not is_missing(max_value):
        if max_value >= 1e7:
            return 1e6, "GWh"
        if max_value >= 1e4:
            return 1e3, "MWh"
    return 1.0, unit


def _num_labels(lang: str, decimals: int | None = None):
    def fmt(breaks):
        vals = [b for b in breaks if not is_missing(b)]
        d = decimals
        if d is None:
            # as many decimals as the break spacing needs, no more
            steps = np.diff(sorted(vals)) if len(vals) > 1 else [1.0]
            step = min((s for s in steps if s > 0), default=1.0)
            d = 0 if step >= 1 else int(min(3, np.ceil(-np.log10(step))))
        return [fmt_num(b, lang, d) for b in breaks]
    return fmt


def _year_labels(breaks):
    return [str(int(round(b))) for b in breaks]


def _save(p: ggplot, name: str, title: str, out_dir: Path) -> Chart:
    out_dir.mkdir(parents=True, exist_ok=True)
    png, svg = out_dir / f"{name}.png", out_dir / f"{name}.svg"
    with matplotlib.rc_context(RC):
        fig = p.draw()
        try:
            fig.savefig(png, dpi=DPI, metadata={"Software": None})
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    return Chart(name, title, png, svg)


def _base_theme():
    return theme_bw() + theme(
        figure_size=FIG_SIZE, plot_title=element_text(size=12, weight="bold", ha="left"),
        plot_subtitle=element_text(size=9), legend_position="bottom",
        legend_title=element_text(size=9), axis_title=element_text(size=9))


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


def trajectory_chart(data: ReportData, indicator: str, out_dir: Path) -> Chart | None:
    """Actual values, target path, target point and trend for one indicator.

    Returns None (and draws nothing) when the report year has no value.
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
    else:
        title = t("ind_" + indicator, lang)
    title = "\n".join(textwrap.wrap(title, 75))

    year_max = int(max(lines_df["year"].max(), target_year or 0))
    year_min = int(lines_df["year"].min())
    step = 1 if year_max - year_min <= 12 else (2 if year_max - year_min <= 20 else 5)
    breaks = list(range(year_min, year_max + 1, step))
    if breaks[-1] != year_max:
        # the target year must be labelled; drop a neighbour that would overlap it
        if year_max - breaks[-1] < step * 0.6:
            breaks[-1] = year_max
        else:
            breaks.append(year_max)

    p = (ggplot()
         + geom_line(lines_df, aes("year", "value", color="series", linetype="series"), size=1)
         + geom_point(points_df, aes("year", "value", color="series", shape="series"), size=3,
                      fill="white", stroke=1)
         + scale_color_manual(values=colours, limits=order, breaks=order, name=t("legend_series", lang))
         + scale_linetype_manual(values=linetypes, limits=order, breaks=order,
                                 name=t("legend_series", lang))
         + scale_shape_manual(values=shapes, limits=order, breaks=order, name=t("legend_series", lang))
         + scale_x_continuous(breaks=breaks, labels=_year_labels)
         + scale_y_continuous(labels=_num_labels(lang))
         + expand_limits(y=0)
         + labs(x=t("axis_year", lang),
                y=t("axis_with_unit", lang, label=label("ylab_", indicator, lang),
                    unit=unit_label(disp_unit)),
                title=title)
         + _base_theme())
    return _save(p, f"trajectory_{indicator}", title, out_dir)


def emissions_by_scope_chart(data: ReportData, out_dir: Path) -> Chart | None:
    """Stacked bars per year of emissions by scope (configured electricity method)."""
    lang = data.language
    method = data.method_notes.get("electricity_method", "location")
    df = data.emissions_by_scope
    if _missing_cols(df, "year", "method", "scope", "emissions_tco2e"):
        return None
    df = df[df["method"] == method].groupby(["year", "scope"], as_index=False)["emissions_tco2e"].sum()
    if df.empty:
        return None
    df["scope_label"] = df["scope"].map(lambda s: t("scope_n", lang, scope=int(s)))
    levels = [t("scope_n", lang, scope=s) for s in (3, 2, 1)]
    df["scope_label"] = pd.Categorical(df["scope_label"], categories=levels)
    fills = {t("scope_n", lang, scope=s): SCOPE_FILL[s] for s in (1, 2, 3)}
    title = t("chart_emissions_by_scope", lang, method=label("method_", method, lang))
    years = sorted(df["year"].unique())
    p = (ggplot(df, aes("year", "emissions_tco2e", fill="scope_label"))
         + geom_col(color="black", size=0.3, width=0.7)
         + scale_fill_manual(values=fills, breaks=levels[::-1], name=t("col_scope", lang))
         + scale_x_continuous(breaks=years, labels=_year_labels)
         + scale_y_continuous(labels=_num_labels(lang))
         + labs(x=t("axis_year", lang),
                y=t("axis_with_unit", lang, label=t("col_emissions", lang), unit=unit_label("tCO2e")),
                title=title)
         + _base_theme())
    return _save(p, "emissions_by_scope", title, out_dir)


def emissions_by_category_chart(data: ReportData, out_dir: Path) -> Chart | None:
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
    p = (ggplot(df, aes("category", "emissions_tco2e", fill="scope_label"))
         + geom_col(color="black", size=0.3, width=0.7)
         + coord_flip()
         + scale_fill_manual(values=fills, name=t("col_scope", lang))
         + scale_y_continuous(labels=_num_labels(lang))
         + labs(x=t("col_category", lang),
                y=t("axis_with_unit", lang, label=t("col_emissions", lang), unit=unit_label("tCO2e")),
                title=title)
         + _base_theme() + theme(figure_size=(FIG_SIZE[0], height)))
    return _save(p, "emissions_by_category", title, out_dir)


def _recovered_share_by_year(data: ReportData) -> pd.Series:
    s = data.series[data.series["indicator"] == "recovered_heat_share"].dropna(subset=["value"])
    if not s.empty:
        return s.set_index("year")["value"]
    e = data.energy_by_carrier
    if _missing_cols(e, "year", "energy_kwh", "recovered"):
        return pd.Series(dtype=float)
    tot = e.groupby("year")["energy_kwh"].sum()
    rec = e[e["recovered"].astype(bool)].groupby("year")["energy_kwh"].sum()
    return (rec.reindex(tot.index, fill_value=0) / tot * 100).dropna()


def energy_by_carrier_chart(data: ReportData, out_dir: Path) -> Chart | None:
    """Stacked delivered energy per carrier and year, recovered share on top."""
    lang = data.language
    e = data.energy_by_carrier
    if _missing_cols(e, "year", "carrier", "energy_kwh", "recovered"):
        return None
    e = _numeric(e, "energy_kwh")
    e = e.assign(carrier=e["carrier"].astype(str))
    d = e[~e["recovered"].astype(bool)].groupby(["year", "carrier"], as_index=False)["energy_kwh"].sum()
    if d.empty:
        return None
    totals = d.groupby("year")["energy_kwh"].sum()
    div, disp_unit = _display_scale("kWh", totals.max())
    d["value"] = d["energy_kwh"] / div
    order = d.groupby("carrier")["energy_kwh"].sum().sort_values(ascending=False).index.tolist()
    labels = [_mpl_text(id_label(c, lang)) for c in order]
    d["carrier_label"] = pd.Categorical(d["carrier"].map(lambda c: _mpl_text(id_label(c, lang))),
                                        categories=labels[::-1])
    fills = {lab: FILL_PALETTE[i % len(FILL_PALETTE)] for i, lab in enumerate(labels)}
    share = _recovered_share_by_year(data)
    ann = pd.DataFrame({"year": totals.index, "value": totals.values / div})
    ann["text"] = [t("annot_recovered", lang, pct=fmt_pct(share.get(y), lang, 1))
                   if y in share.index else "" for y in ann["year"]]
    ann = ann[ann["text"] != ""]
    title = t("chart_energy_by_carrier", lang)
    years = sorted(d["year"].unique())
    p = (ggplot(d, aes("year", "value"))
         + geom_col(aes(fill="carrier_label"), color="black", size=0.3, width=0.7)
         + scale_fill_manual(values=fills, breaks=labels, name=t("col_carrier", lang))
         + scale_x_continuous(breaks=years, labels=_year_labels)
         + scale_y_continuous(labels=_num_labels(lang))
         + expand_limits(y=float(totals.max() / div * 1.1))
         + labs(x=t("axis_year", lang),
                y=t("axis_with_unit", lang, label=t("col_energy", lang), unit=disp_unit),
                title=title, subtitle=t("chart_energy_subtitle", lang))
         + _base_theme())
    if not ann.empty:
        p = p + geom_text(ann, aes("year", "value", label="text"), va="bottom", size=7,
                          nudge_y=float(totals.max() / div * 0.01))
    return _save(p, "energy_by_carrier", title, out_dir)


def sites_chart(data: ReportData, out_dir: Path) -> Chart | None:
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
    p_em = t("axis_with_unit", lang, label=t("col_emissions", lang), unit=unit_label("tCO2e"))
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
    title = t("chart_sites", lang, year=year)
    height = max(3.2, 1.6 + 0.4 * len(site_order))
    p = (ggplot(df, aes("site", "value", fill="panel"))
         + geom_col(color="black", size=0.3, width=0.6, show_legend=False)
         + coord_flip()
         + facet_wrap("panel", scales="free_x")
         + scale_fill_manual(values=[OKABE_ITO["blue"], OKABE_ITO["orange"]])
         + scale_y_continuous(labels=_num_labels(lang))
         + labs(x=t("col_site", lang), y=t("axis_panel_units", lang), title=title)
         + _base_theme() + theme(figure_size=(FIG_SIZE[0], height)))
    return _save(p, "sites", title, out_dir)


def render_charts(data: ReportData, out_dir: Path, progress=None) -> tuple[list[Chart], list[str]]:
    """Render every chart into ``out_dir``.

    Returns
    -------
    charts : list of Chart
        The charts written (PNG and SVG each).
    no_data : list of str
        Indicators with no value for the report year (no chart drawn).
    """
    charts: list[Chart] = []
    no_data: list[str] = []
    indicators = [i for i in TRAJECTORY_INDICATORS if i in data.summary.get("indicators", {})]
    for ind in indicators:
        if progress:
            progress(f"chart trajectory_{ind}")
        c = trajectory_chart(data, ind, out_dir)
        if c is None:
            no_data.append(ind)
        else:
            charts.append(c)
    for name, fn in (("emissions_by_scope", emissions_by_scope_chart),
                     ("emissions_by_category", emissions_by_category_chart),
                     ("energy_by_carrier", energy_by_carrier_chart), ("sites", sites_chart)):
        if progress:
            progress(f"chart {name}")
        c = fn(data, out_dir)
        if c is not None:
            charts.append(c)
    return charts, no_data
