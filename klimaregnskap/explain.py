"""``klimaregnskap explain``: how a figure was made, down to files, rows and factors.

Every sentence comes from the report's translation table (``report/i18n.py``,
keys ``explain_*``) in the language asked for; numbers in that language's
format (``nb``: ``12 345,6``; ``en``: ``12 345.6``, grouped by spaces so that
a figure reads the same in every locale). Codes a person types or finds in a
file (activity codes, meter ids, file names) are shown as written, so that
each line can be traced to its row.
"""

from __future__ import annotations

import pandas as pd

from klimaregnskap.display import fmt_num
from klimaregnskap.errors import KlimaError
from klimaregnskap.pipeline import Accounts
from klimaregnskap.report.i18n import id_label, t
from klimaregnskap.vocabulary import indicators

#: The indicators ``explain`` breaks down (``explainable`` in vocabulary/indicators.csv).
EXPLAINABLE = tuple(i.name for i in indicators().values() if i.explainable)


def _n(x: float, d: int = 3, lang: str = "en") -> str:
    """``x`` with ``d`` decimals: ``12 345,678`` (nb) or ``12 345.678`` (en)."""
    if lang == "nb":
        return fmt_num(x, "nb", d)
    return f"{x:,.{d}f}".replace(",", " ")


def _g(x: float, lang: str) -> str:
    """A factor or share as written (``%g``), with the language's decimal sign."""
    s = f"{x:g}"
    return s.replace(".", ",") if lang == "nb" else s


def _named(code, lang: str) -> str:
    """A category or carrier in Norwegian words with its code beside it; in English its code
    (the codes are English words, as the factor library writes them)."""
    if lang != "nb":
        return str(code)
    name = id_label(code, lang)
    return str(code) if name == str(code) else f"{name} ({code})"


def explain_figure(acc: Accounts, indicator: str, *, site: str | None = None,
                   lang: str | None = None) -> str:
    """A plain-text account of one indicator's value in the report year.

    Parameters
    ----------
    acc : Accounts
    indicator : str
    site : str, optional
        Only this site's part.
    lang : str, optional
        ``nb`` or ``en``: the words and the number format; default the
        project's language (``[organisation] language``).

    Returns
    -------
    str
        Lines of text whose parts add up to the figure stated at the top.
    """
    if indicator not in EXPLAINABLE:
        raise KlimaError(f"unknown indicator '{indicator}'; expected one of {', '.join(EXPLAINABLE)}")
    y = acc.report_year
    cfg = acc.config
    lang = lang or cfg.language or "en"
    out: list[str] = []
    where = t("explain_at_site", lang, site=site) if site else ""
    name = indicators()[indicator].display_name(lang)

    def row_origin(r, meter_key: str) -> str:
        if r.source == "activity" and pd.notna(r.row):
            return t("explain_file_row", lang, file=r.file, row=int(r.row))
        if r.source == "certificate":
            return t("explain_certificate_origin", lang)
        if r.source == "purchases":
            return t("explain_purchases_origin", lang, file=r.file)
        return t(meter_key, lang, meter=r.item)

    if indicator in ("emissions", "climate_neutral", "footprint"):
        # footprint: every scope of the configured method, by reporting category (DESIGN §5)
        footprint = indicator == "footprint"
        tl = acc.basis_lines if footprint else acc.target_lines
        tl = tl[tl["year"] == y]
        if site:
            tl = tl[tl["site"] == site]
        lines_total = float(tl["emissions_tco2e"].sum())
        # restated history: adjustments taking effect after this year belong to its figure
        adj = [] if site else [a for a in cfg.baseline_adjustments
                               if a.indicator == "emissions" and y < a.year]
        total = lines_total + sum(a.amount for a in adj)
        scopes = (1, 2, 3) if footprint else cfg.accounting.target_scopes
        out.append(t("explain_emissions_head", lang, indicator=name, year=y, where=where,
                     total=_n(total, 3, lang), scopes=", ".join(map(str, scopes)),
                     method=cfg.accounting.electricity_method, gwp=cfg.accounting.gwp))
        group = "reporting_category" if footprint else "category"
        for (scope, cat), g in tl.groupby(["scope", group]):
            out.append(t("explain_scope_line", lang, scope=int(scope), category=_named(cat, lang),
                         total=_n(g["emissions_tco2e"].sum(), 3, lang)))
            for r in g.sort_values(["site", "item", "file", "row"]).itertuples(index=False):
                origin = row_origin(r, "explain_meter_readings")
                fb = (t("explain_fallback", lang, year=y, factor_year=int(r.factor_year))
                      if r.fallback else "")
                conv = getattr(r, "converted_from", "")
                if isinstance(conv, str) and conv:
                    origin += f"; {conv}"
                out.append(t("explain_emission_line", lang, site=r.site, item=r.item,
                             quantity=_n(r.quantity, 2, lang), unit=r.quantity_unit,
                             factor=_g(r.factor_value, lang), factor_unit=r.factor_unit,
                             factor_year=int(r.factor_year), fallback=fb,
                             emissions=_n(r.emissions_tco2e, 4, lang), origin=origin,
                             source=r.factor_source))
        for a in adj:
            sign = "+" if a.amount >= 0 else ""  # as %+g: an adjustment is signed
            out.append(t("explain_adjustment", lang, amount=sign + _g(a.amount, lang),
                         as_written=a.amount_as_written,
                         year=a.year, reason=a.reason, restated=y))
        out.append(t("explain_sum_of_parts", lang, total=_n(total, 3, lang)))
    elif indicator in ("energy", "energy_normalised", "recovered_heat_share"):
        d = acc.delivered[acc.delivered["year"] == y]
        r_ = acc.recovered[acc.recovered["year"] == y]
        if site:
            d, r_ = d[d["site"] == site], r_[r_["site"] == site]
        total = float(d["energy_kwh"].sum())
        out.append(t("explain_delivered_head", lang, year=y, where=where,
                     total=_n(total, 1, lang)))
        for carrier, g in d.groupby("carrier"):
            out.append(t("explain_carrier_line", lang, carrier=_named(carrier, lang),
                         total=_n(g["energy_kwh"].sum(), 1, lang)))
            for r in g.itertuples(index=False):
                out.append(t("explain_energy_line", lang, site=r.site,
                             energy=_n(r.energy_kwh, 1, lang),
                             origin=row_origin(r, "explain_meter")))
        rec = float(r_["energy_kwh"].sum())
        out.append(t("explain_recovered_head", lang, year=y, where=where, total=_n(rec, 1, lang)))
        for r in r_.itertuples(index=False):
            out.append(t("explain_recovered_line", lang, site=r.site,
                         carrier=_named(r.carrier, lang), energy=_n(r.energy_kwh, 1, lang),
                         origin=t("explain_meter", lang, meter=r.item)))
        if site:
            st = acc.site_table
            share = st.loc[(st["year"] == y) & (st["site"] == site), "recovered_heat_share_pct"]
            share = float(share.iloc[0]) if len(share) else float("nan")
        else:
            share = float(acc.series_of("recovered_heat_share").get(y, float("nan")))
        if share == share:
            out.append(t("explain_recovered_share", lang, recovered=_n(rec, 1, lang),
                         delivered=_n(total, 1, lang), share=_n(share, 3, lang)))
        if indicator == "energy_normalised":
            n = acc.normalised[acc.normalised["year"] == y]
            if site:
                n = n[n["site"] == site]
            for r in n.itertuples(index=False):
                if r.normalised:
                    out.append(t("explain_normalised_line", lang, site=r.site,
                                 energy=_n(r.energy_kwh, 1, lang), share=_g(r.heating_share, lang),
                                 hdd_normal=_g(r.hdd_normal, lang),
                                 hdd_actual=_n(r.hdd_actual, 1, lang),
                                 normalised=_n(r.energy_normalised_kwh, 1, lang),
                                 days=r.temperature_days))
                else:
                    out.append(t("explain_not_normalised", lang, site=r.site,
                                 energy=_n(r.energy_kwh, 1, lang)))
            out.append(t("explain_sum", lang, total=_n(n["energy_normalised_kwh"].sum(), 1, lang)))
    elif indicator == "food_waste":
        f = acc.food[acc.food["year"] == y]
        if site:
            f = f[f["site"] == site]
        out.append(t("explain_food_head", lang, year=y, where=where,
                     total=_n(f["quantity_kg"].sum(), 2, lang)))
        for (s, c), g in f.groupby(["site", "category"]):
            files = ", ".join(sorted(set(g["file"])))
            out.append(t("explain_food_line", lang, site=s, category=c,
                         total=_n(g["quantity_kg"].sum(), 2, lang), n=len(g), files=files))
    elif indicator == "chemical_free_share":
        py = acc.product_years[acc.product_years["year"] == y]
        if py.empty:
            out.append(t("explain_no_products", lang, year=y))
        else:
            r = py.iloc[0]
            out.append(t("explain_products_head", lang, year=y, free=int(r.free_products),
                         products=int(r.products), share=_n(r.free_share_pct, 3, lang)))
            nf = acc.products_not_free[acc.products_not_free["year"] == y]
            for p in nf.itertuples(index=False):
                out.append(t("explain_not_free", lang, product=p.product_id,
                             description=p.description, reason=p.reason))
    return "\n".join(out)
