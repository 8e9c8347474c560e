"""Share of purchased products free of listed substances (DESIGN §4).

A product (distinct ``product_id``) counts once per year however many order
lines it has; it is *not free* that year when any of its lines is flagged
``contains_listed_substance`` or names a CAS number on the substitution list
(read by :func:`klimaregnskap.readers.substances.load_listed_substances`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.readers.cas import normalise_cas
from klimaregnskap.readers.substances import LIST_SEPARATOR

__all__ = ["product_shares", "year_shares", "PER_YEAR_COLUMNS", "NOT_FREE_COLUMNS"]

PER_YEAR_COLUMNS = ["year", "products", "free_products", "free_share_pct", "spend_total",
                    "spend_free", "spend_weighted_free_share_pct"]
NOT_FREE_COLUMNS = ["year", "product_id", "description", "reason"]


def _listed_by_cas(listed: pd.DataFrame) -> pd.DataFrame:
    """One row per CAS: first name, every list it is on (``' | '``-joined)."""
    lst = listed[["cas", "name", "list"]].copy()
    lst["cas"] = lst["cas"].astype(str).map(normalise_cas)
    names = lst.drop_duplicates("cas").set_index("cas")["name"]
    lists = (lst.assign(list=lst["list"].astype(str).str.split(LIST_SEPARATOR.strip(),
                                                                 regex=False))
             .explode("list"))
    lists["list"] = lists["list"].str.strip()
    lists = lists[lists["list"] != ""].drop_duplicates(["cas", "list"])
    joined = lists.groupby("cas", sort=False)["list"].agg(LIST_SEPARATOR.join)
    return pd.DataFrame({"name": names, "lists": joined.reindex(names.index).fillna("")})


def year_shares(per_year: pd.DataFrame) -> pd.DataFrame:
    """The shares of a year's product counts and spend (DESIGN §4 chemical-free share).

    Used on one trust's counts and on a region's summed counts alike (DESIGN
    §6a: a share from the summed numerators and denominators).

    Parameters
    ----------
    per_year : pandas.DataFrame
        ``products``, ``free_products`` [count], ``spend_total``,
        ``spend_free`` [NOK; NaN when no product had a spend].

    Returns
    -------
    pandas.DataFrame
        A copy with ``free_share_pct`` [%] and ``spend_weighted_free_share_pct``
        [%] (NaN when the total spend is NaN or 0).
    """
    out = per_year.copy()
    out["free_share_pct"] = out["free_products"] / out["products"] * 100.0
    total = out["spend_total"]
    out["spend_weighted_free_share_pct"] = out["spend_free"] / total.where(total != 0) * 100.0
    return out


def product_shares(products: pd.DataFrame, listed: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Share of purchased products free of listed substances, per year.

    A product (distinct ``product_id``) counts once per year however many
    order lines it has. It is *not free* that year when any of its lines is
    flagged ``contains_listed_substance`` or any CAS number on any of its
    lines is in ``listed``.

    Parameters
    ----------
    products : pandas.DataFrame
        One row per order line: ``year`` (int), ``product_id`` (str),
        ``quantity`` (float, count of items; not used for the shares),
        ``description`` (str), ``spend`` (float, in the currency of the input,
        NOK; NaN when absent), ``contains_listed_substance`` (boolean, NA when
        absent), ``cas_numbers`` (str, ``;``-joined normalised CAS numbers,
        ``''`` for none). Missing optional columns count as absent.
    listed : pandas.DataFrame
        ``cas, name, list`` (as from
        :func:`klimaregnskap.readers.substances.load_listed_substances`).

    Returns
    -------
    per_year : pandas.DataFrame
        ``year, products, free_products, free_share_pct (%), spend_total,
        spend_free (currency of the input), spend_weighted_free_share_pct (%)``.
        The spend-weighted share is taken over products with a known spend:
        a product's spend is the sum of its lines' known spend; a product
        with no known spend on any line that year is left out of both
        ``spend_total`` and ``spend_free``. ``spend_total``, ``spend_free``
        and the spend-weighted share are NaN when no product has a spend
        that year (the share also when the total spend is 0).
    not_free : pandas.DataFrame
        ``year, product_id, description, reason`` for every product that is
        not free. ``reason`` is ``'; '``-joined items, ``flagged`` first and
        then one ``listed: <cas> <name> (<lists>)`` per listed CAS number,
        e.g. ``flagged; listed: 117-81-7 Bis(2-ethylhexyl) phthalate (DEHP)
        (REACH Candidate List | Prioritetslisten)``.
    """
    n = len(products)
    year = pd.to_numeric(products["year"]).astype("int64").to_numpy() if n else \
        np.array([], dtype="int64")
    pid = products["product_id"].astype(str).to_numpy(dtype=object) if n else \
        np.array([], dtype=object)

    def col(name, default):
        if name in products.columns:
            return products[name]
        return pd.Series([default] * n, index=products.index, dtype=object)

    desc = col("description", "").astype(object).where(col("description", "").notna(), "")
    spend = pd.to_numeric(col("spend", np.nan), errors="coerce").astype("float64")
    flag = col("contains_listed_substance", pd.NA).astype("boolean").fillna(False)
    cas_text = col("cas_numbers", "").fillna("").astype(str)

    lines = pd.DataFrame({"year": year, "product_id": pid,
                          "description": desc.astype(str).str.strip().to_numpy(dtype=object),
                          "spend": spend.to_numpy(), "flagged": flag.to_numpy(dtype=bool)})
    keys = ["year", "product_id"]

    g = lines.groupby(keys, sort=True)
    per_product = pd.DataFrame({
        "flagged": g["flagged"].any(),
        "spend": g["spend"].sum(min_count=1),
    })
    # first non-empty description of the product that year
    d = lines[lines["description"] != ""].groupby(keys, sort=True)["description"].first()
    per_product["description"] = d.reindex(per_product.index).fillna("")

    # CAS numbers: explode the lists, keep each (year, product, cas) once, merge.
    cas_lines = pd.DataFrame({"year": year, "product_id": pid,
                              "cas": cas_text.str.replace("|", ";", regex=False)
                              .str.split(";").to_numpy(dtype=object)})
    cas_lines = cas_lines.explode("cas")
    cas_lines["cas"] = cas_lines["cas"].fillna("").astype(str).str.strip()
    cas_lines = cas_lines[cas_lines["cas"] != ""]
    uniq = pd.unique(cas_lines["cas"])
    cas_lines["cas"] = cas_lines["cas"].map({u: normalise_cas(u) for u in uniq})
    cas_lines = cas_lines.drop_duplicates(keys + ["cas"])
    by_cas = _listed_by_cas(listed) if len(listed) else \
        pd.DataFrame({"name": pd.Series(dtype=object), "lists": pd.Series(dtype=object)})
    hits = cas_lines.merge(by_cas, left_on="cas", right_index=True, how="inner")
    hits["item"] = ("listed: " + hits["cas"] + " " + hits["name"].astype(str)
                    + " (" + hits["lists"].astype(str) + ")")
    listed_reason = hits.groupby(keys, sort=True)["item"].agg("; ".join)
    per_product["listed_reason"] = listed_reason.reindex(per_product.index)
    per_product["free"] = ~per_product["flagged"] & per_product["listed_reason"].isna()

    # ---- per year
    pp = per_product.reset_index()
    pp["free_spend"] = pp["spend"].where(pp["free"], 0.0).where(pp["spend"].notna())
    gy = pp.groupby("year", sort=True)
    per_year = pd.DataFrame({
        "products": gy["product_id"].size().astype("int64"),
        "free_products": gy["free"].sum().astype("int64"),
        "spend_total": gy["spend"].sum(min_count=1).astype("float64"),
        "spend_free": gy["free_spend"].sum(min_count=1).astype("float64"),
    })
    per_year = year_shares(per_year)
    per_year = per_year.reset_index()
    per_year["year"] = per_year["year"].astype("int64")
    per_year = per_year[PER_YEAR_COLUMNS].reset_index(drop=True)

    # ---- not free
    nf = pp[~pp["free"]].copy()
    flagged_part = np.where(nf["flagged"].to_numpy(dtype=bool), "flagged", "")
    listed_part = nf["listed_reason"].fillna("").to_numpy(dtype=object)
    both = (flagged_part != "") & (listed_part != "")
    reason = np.where(both, np.char.add(np.char.add(flagged_part.astype(str), "; "),
                                        listed_part.astype(str)),
                      np.where(flagged_part != "", flagged_part, listed_part))
    not_free = pd.DataFrame({
        "year": nf["year"].astype("int64").to_numpy(),
        "product_id": nf["product_id"].astype(str).to_numpy(dtype=object),
        "description": nf["description"].astype(str).to_numpy(dtype=object),
        "reason": pd.Series(reason, dtype=object).astype(str).to_numpy(dtype=object),
    }, columns=NOT_FREE_COLUMNS)
    return per_year, not_free.reset_index(drop=True)
