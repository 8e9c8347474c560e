"""``klimaregnskap explain``: how a figure was made, down to files, rows and factors."""

from __future__ import annotations

import pandas as pd

from klimaregnskap.errors import KlimaError
from klimaregnskap.pipeline import Accounts
from klimaregnskap.vocabulary import indicators

#: The indicators ``explain`` breaks down (``explainable`` in vocabulary/indicators.csv).
EXPLAINABLE = tuple(i.name for i in indicators().values() if i.explainable)


def _n(x: float, d: int = 3) -> str:
    return f"{x:,.{d}f}".replace(",", " ")


def explain_figure(acc: Accounts, indicator: str, *, site: str | None = None) -> str:
    """A plain-text account of one indicator's value in the report year.

    Parameters
    ----------
    acc : Accounts
    indicator : str
    site : str, optional
        Only this site's part.

    Returns
    -------
    str
        Lines of text whose parts add up to the figure stated at the top.
    """
    if indicator not in EXPLAINABLE:
        raise KlimaError(f"unknown indicator '{indicator}'; expected one of {', '.join(EXPLAINABLE)}")
    y = acc.report_year
    cfg = acc.config
    out: list[str] = []
    where = f" at site {site}" if site else ""
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
        out.append(f"{indicator} {y}{where}: {_n(total)} tCO2e "
                   f"(scopes {', '.join(map(str, scopes))}, electricity "
                   f"method '{cfg.accounting.electricity_method}', GWP {cfg.accounting.gwp})")
        group = "reporting_category" if footprint else "category"
        for (scope, cat), g in tl.groupby(["scope", group]):
            out.append(f"  scope {int(scope)} / {cat}: {_n(g['emissions_tco2e'].sum())} tCO2e")
            for r in g.sort_values(["site", "item", "file", "row"]).itertuples(index=False):
                origin = (f"{r.file} row {int(r.row)}" if r.source == "activity" and pd.notna(r.row)
                          else f"meter {r.item}, readings in the ledger")
                fb = f", fallback from {y} to {int(r.factor_year)}" if r.fallback else ""
                conv = getattr(r, "converted_from", "")
                if isinstance(conv, str) and conv:
                    origin += f"; {conv}"
                out.append(f"    {r.site}: {r.item} {_n(r.quantity, 2)} {r.quantity_unit} x "
                           f"{r.factor_value:g} {r.factor_unit} ({int(r.factor_year)}{fb}) "
                           f"= {_n(r.emissions_tco2e, 4)} tCO2e   [{origin}; factor: {r.factor_source}]")
        for a in adj:
            out.append(f"  baseline adjustment {a.amount:+g} tCO2e ({a.amount_as_written}, "
                       f"from {a.year}: {a.reason}) restates {y}")
        out.append(f"  sum of parts: {_n(total)} tCO2e")
    elif indicator in ("energy", "energy_normalised", "recovered_heat_share"):
        d = acc.delivered[acc.delivered["year"] == y]
        r_ = acc.recovered[acc.recovered["year"] == y]
        if site:
            d, r_ = d[d["site"] == site], r_[r_["site"] == site]
        total = float(d["energy_kwh"].sum())
        out.append(f"delivered energy {y}{where}: {_n(total, 1)} kWh (main meters and building "
                   f"fuels; sub-meters and recovered energy excluded)")
        for carrier, g in d.groupby("carrier"):
            out.append(f"  {carrier}: {_n(g['energy_kwh'].sum(), 1)} kWh")
            for r in g.itertuples(index=False):
                origin = (f"{r.file} row {int(r.row)}" if r.source == "activity" and pd.notna(r.row)
                          else f"meter {r.item}")
                out.append(f"    {r.site}: {_n(r.energy_kwh, 1)} kWh [{origin}]")
        rec = float(r_["energy_kwh"].sum())
        out.append(f"recovered energy {y}{where}: {_n(rec, 1)} kWh")
        for r in r_.itertuples(index=False):
            out.append(f"    {r.site}: {r.carrier} {_n(r.energy_kwh, 1)} kWh [meter {r.item}]")
        if site:
            st = acc.site_table
            share = st.loc[(st["year"] == y) & (st["site"] == site), "recovered_heat_share_pct"]
            share = float(share.iloc[0]) if len(share) else float("nan")
        else:
            share = float(acc.series_of("recovered_heat_share").get(y, float("nan")))
        if share == share:
            out.append(f"recovered share = {_n(rec, 1)} / ({_n(total, 1)} + {_n(rec, 1)}) = "
                       f"{share:.3f} %")
        if indicator == "energy_normalised":
            n = acc.normalised[acc.normalised["year"] == y]
            if site:
                n = n[n["site"] == site]
            for r in n.itertuples(index=False):
                if r.normalised:
                    out.append(f"  {r.site}: {_n(r.energy_kwh, 1)} x (1 - {r.heating_share:g}) + "
                               f"{_n(r.energy_kwh, 1)} x {r.heating_share:g} x {r.hdd_normal:g} / "
                               f"{r.hdd_actual:.1f} = {_n(r.energy_normalised_kwh, 1)} kWh "
                               f"({r.temperature_days} temperature days)")
                else:
                    out.append(f"  {r.site}: not normalised (no temperatures or hdd_normal): "
                               f"{_n(r.energy_kwh, 1)} kWh")
            out.append(f"  sum: {_n(n['energy_normalised_kwh'].sum(), 1)} kWh")
    elif indicator == "food_waste":
        f = acc.food[acc.food["year"] == y]
        if site:
            f = f[f["site"] == site]
        out.append(f"food waste {y}{where}: {_n(f['quantity_kg'].sum(), 2)} kg")
        for (s, c), g in f.groupby(["site", "category"]):
            files = ", ".join(sorted(set(g["file"])))
            out.append(f"  {s} / {c}: {_n(g['quantity_kg'].sum(), 2)} kg from {len(g)} "
                       f"registrations [{files}]")
    elif indicator == "chemical_free_share":
        py = acc.product_years[acc.product_years["year"] == y]
        if py.empty:
            out.append(f"no purchased products registered for {y}")
        else:
            r = py.iloc[0]
            out.append(f"products free of listed substances {y}: {int(r.free_products)} of "
                       f"{int(r.products)} distinct products = {r.free_share_pct:.3f} %")
            nf = acc.products_not_free[acc.products_not_free["year"] == y]
            for p in nf.itertuples(index=False):
                out.append(f"  not free: {p.product_id} {p.description}: {p.reason}")
    return "\n".join(out)
