"""Where the accounts' figures are asked for: ESRS E1-6, GRI 305-1/2/3 and 302-1,
and the sector's own climate-accounting categories (issue 14, DESIGN §4, §5).

A disclosure row selects one figure the pipeline has already computed (a
scope total of one electricity method, a scope 3 category, a reporting
category, delivered energy) and names the framework item it answers, with
its basis: the GWP set and the electricity method the figure rests on. Totals
are the sums of the scope figures of one method, exactly as
``emissions_by_scope`` gives them. An item the accounts cannot answer is a
row of its own with ``covered`` false and a ``reason`` code (``no_purchases``,
``no_data``, ``not_in_scope``), never a silent zero; a total that is given
but leaves purchases out keeps ``covered`` true with the reason
``excludes_purchases``.

Reasons
-------
no_purchases
    Scope 3 categories 1 and 2 (purchased goods and services, capital goods)
    come from the general ledger (DESIGN §4 Purchases); the report year has
    no purchases rows.
no_data
    No line of the accounts falls into the item (a scope 3 category without
    activity data, an energy carrier not used).
excludes_purchases
    A scope 3 figure or total given without purchases (no purchases rows).
not_in_scope
    The item needs data the tool does not take (ESRS E1-6's intensity per
    net revenue needs the trust's net revenue).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DISCLOSURE_COLUMNS", "SCOPE3_CATEGORIES", "disclosure_rows"]

#: One row per disclosed figure.
DISCLOSURE_COLUMNS = ["framework", "reference", "item", "scope3_category", "category", "value",
                      "unit", "method", "gwp", "covered", "reason"]

#: The fifteen GHG Protocol scope 3 categories (the i18n gives their names).
SCOPE3_CATEGORIES = tuple(range(1, 16))
#: Scope 3 categories whose figures come from the general ledger (spend lines).
SPEND_CATEGORIES = (1, 2)


def disclosure_rows(*, year: int, by_scope: pd.DataFrame, by_scope3_category: pd.DataFrame,
                    by_reporting_category: pd.DataFrame, delivered_by_carrier: pd.DataFrame,
                    categories, methods, method: str, gwp: str,
                    has_purchases: bool) -> pd.DataFrame:
    """The disclosure table of one report year.

    Parameters
    ----------
    year : int
        The report year.
    by_scope : pandas.DataFrame
        ``year, method, scope, emissions_tco2e`` [tCO2e]: every method's
        lines (net of certificates where the method deducts them).
    by_scope3_category : pandas.DataFrame
        ``year, scope3_category, emissions_tco2e`` [tCO2e], the configured
        method.
    by_reporting_category : pandas.DataFrame
        ``year, reporting_category, scope, emissions_tco2e`` [tCO2e], the
        configured method.
    delivered_by_carrier : pandas.DataFrame
        ``year, carrier, energy_kwh`` [kWh]: delivered energy (main meters
        and building fuels, recovered energy excluded).
    categories : sequence of str
        The reporting categories of DESIGN §4, in order.
    methods : sequence of str
        The library's electricity methods.
    method : str
        The configured electricity method.
    gwp : str
        The configured GWP set (``AR5``/``AR6``).
    has_purchases : bool
        The report year has purchases rows.

    Returns
    -------
    pandas.DataFrame
        :data:`DISCLOSURE_COLUMNS`; ``value`` in ``unit`` (tCO2e or kWh),
        NaN where not covered; ``method`` '' where the figure is the same
        under every method.
    """
    rows: list[dict] = []

    def add(framework, reference, item, value, unit="tCO2e", *, m="", s3=None, cat="",
            reason="", gwp_set=gwp, covered=None):
        covered = not reason if covered is None else covered
        rows.append({"framework": framework, "reference": reference, "item": item,
                     "scope3_category": s3, "category": cat,
                     "value": float(value) if covered else float("nan"), "unit": unit,
                     "method": m, "gwp": gwp_set, "covered": covered, "reason": reason})

    es = by_scope[by_scope["year"].astype(int) == year] if not by_scope.empty else by_scope

    def scope(m: str, sc: int) -> float:
        if es.empty:
            return 0.0
        sel = es[(es["method"] == m) & (es["scope"].astype(int) == sc)]
        return float(sel["emissions_tco2e"].sum())

    # scope 1 is the same under every method: take the configured one's
    s1 = scope(method, 1)
    loc = "location" if "location" in methods else method
    mkt = "market" if "market" in methods else method
    s3_rows = (by_scope3_category[by_scope3_category["year"].astype(int) == year]
               if not by_scope3_category.empty else by_scope3_category)
    s3 = {int(r.scope3_category): float(r.emissions_tco2e) for r in s3_rows.itertuples()}
    # a total leaves out purchases when there are none: it is given, and says so
    partial = {} if has_purchases else {"reason": "excludes_purchases", "covered": True}

    # --- ESRS E1-6 ------------------------------------------------------------
    add("ESRS", "E1-6 44(a)", "gross_scope1", s1)
    add("ESRS", "E1-6 44(b)", "gross_scope2_location", scope(loc, 2), m=loc)
    add("ESRS", "E1-6 44(b)", "gross_scope2_market", scope(mkt, 2), m=mkt)
    for n in SCOPE3_CATEGORIES:
        if n in s3:
            add("ESRS", "E1-6 44(c)", "scope3_category", s3[n], m=method, s3=n)
        elif n in SPEND_CATEGORIES and not has_purchases:
            add("ESRS", "E1-6 44(c)", "scope3_category", 0, m=method, s3=n, reason="no_purchases")
        else:
            add("ESRS", "E1-6 44(c)", "scope3_category", 0, m=method, s3=n, reason="no_data")
    add("ESRS", "E1-6 44(c)", "gross_scope3", scope(method, 3), m=method, **partial)
    for m in (loc, mkt):
        add("ESRS", "E1-6 44(d)", f"total_{'location' if m == loc else 'market'}",
            scope(m, 1) + scope(m, 2) + scope(m, 3), m=m, **partial)
    add("ESRS", "E1-6 53", "intensity_per_net_revenue", 0, unit="tCO2e/MNOK",
        reason="not_in_scope")

    # --- GRI 305 ------------------------------------------------------------------
    add("GRI", "305-1", "gross_scope1", s1)
    add("GRI", "305-2", "gross_scope2_location", scope(loc, 2), m=loc)
    add("GRI", "305-2", "gross_scope2_market", scope(mkt, 2), m=mkt)
    add("GRI", "305-3", "gross_scope3", scope(method, 3), m=method, **partial)

    # --- GRI 302-1: energy consumption within the organisation --------------------
    dc = (delivered_by_carrier[delivered_by_carrier["year"].astype(int) == year]
          if not delivered_by_carrier.empty else delivered_by_carrier)
    per = dc.groupby("carrier")["energy_kwh"].sum() if not dc.empty else pd.Series(dtype=float)
    for carrier, kwh in per.items():
        add("GRI", "302-1", "energy_carrier", kwh, unit="kWh", cat=str(carrier), gwp_set="")
    add("GRI", "302-1", "energy_total", float(per.sum()), unit="kWh", gwp_set="")

    # --- the sector's own climate-accounting categories ---------------------------
    rc = (by_reporting_category[by_reporting_category["year"].astype(int) == year]
          if not by_reporting_category.empty else by_reporting_category)
    sums = rc.groupby("reporting_category")["emissions_tco2e"].sum() if not rc.empty else {}
    for c in list(categories) + [c for c in dict(sums) if c not in categories]:
        if c == "purchases" and not has_purchases:
            add("sector", "klimaregnskap", "category", 0, m=method, cat=c, reason="no_purchases")
        elif c not in dict(sums):
            add("sector", "klimaregnskap", "category", 0, m=method, cat=c, reason="no_data")
        else:
            add("sector", "klimaregnskap", "category", float(sums[c]), m=method, cat=c)
    add("sector", "klimaregnskap", "category_total", scope(method, 1) + scope(method, 2)
        + scope(method, 3), m=method, **partial)

    out = pd.DataFrame(rows, columns=DISCLOSURE_COLUMNS)
    out["scope3_category"] = out["scope3_category"].astype("Int64")
    out["covered"] = out["covered"].astype(bool)
    return out
