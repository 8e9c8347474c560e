"""Purchases: scope 3 from the general ledger with spend factors (DESIGN §4 Purchases).

The rules, in the order they apply:

1. **NOK.** An amount in another currency becomes NOK with that currency's
   exchange rate of the purchase year (:func:`to_nok`).
2. **Spend category.** A row's own ``category`` where given, else the
   account mapping's most specific row covering the account
   (:func:`map_accounts`): an exact account before any range, a narrower
   range before a wider one, any range before a prefix, a longer prefix
   before a shorter one. An account no mapping covers is an error naming
   the account and its total (:func:`check_mapped`). ``exclude`` rows count
   nothing and are listed with their reason and total (:func:`excluded_spend`).
3. **Credits net** within a category and year; a negative net counts 0,
   with a warning (:func:`category_spend`).
4. **Emissions** = amount (NOK) x P(f) / P(y) / X(f) x factor(f), y the
   purchase year, f the year of the factor used (the factor library's year
   fallback), P the consumer price index and X the NOK per unit of the
   factor's currency in year f (1 for NOK factors); P and X use the nearest
   earlier year where a year is missing, and a year before a table's first
   row is an error (:func:`spend_lines`).

``spend_nok`` and ``excluded_nok`` are net, in NOK at the purchase year's
rate, before price adjustment (:func:`purchase_years`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from klimaregnskap.calc import factors as fl
from klimaregnskap.calc.accounting import LINE_COLUMNS
from klimaregnskap.errors import InputError, KlimaError
from klimaregnskap.readers.purchases import EXCLUDE, check_mapping
from klimaregnskap.units import conversion_factor, is_compatible
from klimaregnskap.vocabulary import spend_overlaps
from klimaregnskap.warning import KlimaWarning

__all__ = ["PurchaseFigures", "purchase_figures", "to_nok", "map_accounts", "check_mapped",
           "category_spend", "spend_lines", "excluded_spend", "purchase_years",
           "table_value", "double_counting_warnings", "CATEGORY_COLUMNS", "EXCLUDED_COLUMNS",
           "YEAR_COLUMNS"]

#: per year and spend category (DESIGN §4): NOK at the purchase year's rate
CATEGORY_COLUMNS = ["year", "category", "gross_nok", "credits_nok", "net_nok", "counted_nok",
                    "rows", "files"]
#: per year and excluding mapping row: its reason and net total [NOK]
EXCLUDED_COLUMNS = ["year", "pattern", "reason", "net_nok", "rows", "files"]
#: per year: the ``purchases`` key of summary.json
YEAR_COLUMNS = ["year", "spend_nok", "excluded_nok", "emissions_tco2e"]


@dataclass
class PurchaseFigures:
    """What the purchases rules make of the ledger's purchases and mappings.

    Attributes
    ----------
    rows : pandas.DataFrame
        Each purchases row with ``amount_nok``, ``nok_per_unit``,
        ``spend_category`` (a ``spend:*`` code or ``exclude``), ``pattern``
        (the mapping row used, '' for a row's own category) and ``reason``.
    categories : pandas.DataFrame
        :data:`CATEGORY_COLUMNS` and ``emissions_tco2e`` [tCO2e] under the
        configured method.
    excluded : pandas.DataFrame
        :data:`EXCLUDED_COLUMNS`.
    lines : pandas.DataFrame
        Spend lines in :data:`klimaregnskap.calc.accounting.LINE_COLUMNS`,
        one per year, category and electricity method.
    years : pandas.DataFrame
        :data:`YEAR_COLUMNS`.
    warnings : list of KlimaWarning
        Negative nets (``purchases_negative_net``).
    """

    rows: pd.DataFrame
    categories: pd.DataFrame
    excluded: pd.DataFrame
    lines: pd.DataFrame
    years: pd.DataFrame
    warnings: list = field(default_factory=list)


def table_value(table: pd.DataFrame, years, value: str, what: str) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """A yearly table's value in each year: the nearest earlier year where one is missing.

    Parameters
    ----------
    table : pandas.DataFrame
        ``year`` and ``value`` columns (the price index, one currency's rates).
    years : array-like of int
    value : str
        The value column.
    what : str
        The table's name for the error (``price index``, ``exchange rate for USD``).

    Returns
    -------
    values, used_years : numpy.ndarray
        The value and the year it is from, per requested year.

    Raises
    ------
    KlimaError
        A year before the table's first row (DESIGN §4), or an empty table.
    """
    years = np.asarray(years, dtype="int64")
    t = table.sort_values("year")
    ty = t["year"].astype("int64").to_numpy()
    tv = t[value].astype("float64").to_numpy()
    if len(ty) == 0:
        raise KlimaError(f"no {what} in the factor library; purchases need one")
    pos = np.searchsorted(ty, years, side="right") - 1
    if (pos < 0).any():
        y = int(years[pos < 0].min())
        raise KlimaError(f"no {what} for {y} or any earlier year: the table starts in "
                         f"{int(ty[0])} (DESIGN §4: a year before a table's first row is an "
                         "error)")
    return tv[pos], ty[pos]


def _rates(lib) -> pd.DataFrame:
    return lib.tables.get("exchange_rates", pd.DataFrame(columns=["year", "currency",
                                                                  "nok_per_unit"]))


def to_nok(purchases: pd.DataFrame, lib) -> pd.DataFrame:
    """Amounts in NOK at the purchase year's rate (DESIGN §4).

    Parameters
    ----------
    purchases : pandas.DataFrame
        ``year, amount, currency`` (amount in currency).
    lib : FactorLibrary
        Its ``exchange_rates`` table (``year, currency, nok_per_unit``).

    Returns
    -------
    pandas.DataFrame
        ``purchases`` with ``nok_per_unit`` [NOK per unit of the currency; 1
        for NOK] and ``amount_nok`` [NOK].

    Raises
    ------
    KlimaError
        A currency without rates, or a year before its first rate.
    """
    out = purchases.copy()
    rate = np.ones(len(out))
    rates = _rates(lib)
    cur = out["currency"].astype(str).str.upper().to_numpy()
    for c in sorted(set(cur) - {"NOK"}):
        idx = np.flatnonzero(cur == c)
        sub = rates[rates["currency"].astype(str).str.upper() == c]
        if sub.empty:
            raise KlimaError(f"no exchange rate for {c} in the factor library")
        rate[idx], _ = table_value(sub, out["year"].to_numpy()[idx], "nok_per_unit",
                                   f"exchange rate for {c}")
    out["nok_per_unit"] = rate
    out["amount_nok"] = out["amount"].astype("float64").to_numpy() * rate
    return out


def map_accounts(purchases: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    """Each row's spend category: its own, else the most specific mapping (DESIGN §3).

    An exact account before any range, a narrower range before a wider one,
    any range before a prefix, a longer prefix before a shorter one.
    Accounts and ranges compare as integers; a prefix matches the account's
    decimal digits.

    Parameters
    ----------
    purchases : pandas.DataFrame
        ``account`` (int) and ``category`` ('' when the mapping decides).
    mapping : pandas.DataFrame
        ``pattern, match, low, high, prefix, category, reason``.

    Returns
    -------
    pandas.DataFrame
        ``purchases`` with ``spend_category`` ('' where nothing covers the
        account), ``pattern`` (the mapping row used; '' for a row's own
        category) and ``reason``.
    """
    out = purchases.copy()
    accounts = sorted({int(a) for a in out["account"]})
    best: dict[int, tuple[str, str, str]] = {}
    m = mapping.drop_duplicates("pattern") if not mapping.empty else mapping
    for acc in accounts:
        text = str(acc)
        choice, rank = None, None
        for r in m.itertuples(index=False):
            if r.match == "exact":
                key = (0, 0) if acc == int(r.low) else None
            elif r.match == "range":
                key = (1, int(r.high) - int(r.low)) if int(r.low) <= acc <= int(r.high) else None
            else:
                key = (2, -len(r.prefix)) if text.startswith(r.prefix) else None
            if key is not None and (rank is None or key < rank):
                choice, rank = r, key
        if choice is not None:
            best[acc] = (str(choice.category), str(choice.pattern), str(choice.reason))
    own = out["category"].fillna("").astype(str).to_numpy()
    found = [best.get(int(a), ("", "", "")) for a in out["account"]]
    out["spend_category"] = np.where(own != "", own, [f[0] for f in found])
    out["pattern"] = np.where(own != "", "", [f[1] for f in found])
    out["reason"] = np.where(own != "", "", [f[2] for f in found])
    return out


def check_mapped(rows: pd.DataFrame) -> None:
    """Refuse purchases whose account no mapping covers (DESIGN §3: nothing dropped silently).

    Parameters
    ----------
    rows : pandas.DataFrame
        From :func:`map_accounts` after :func:`to_nok` (``amount_nok``,
        ``file``, ``row``).

    Raises
    ------
    InputError
        Naming each unmapped account with its total [NOK] and rows, at the
        first row of the first account.
    """
    miss = rows[rows["spend_category"] == ""]
    if miss.empty:
        return
    parts = []
    for acc, g in miss.groupby("account", sort=True):
        years = sorted({int(y) for y in g["year"]})
        span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        parts.append(f"{int(acc)} (total {g['amount_nok'].sum():,.2f} NOK in {len(g)} row(s), "
                     f"{span})")
    first = miss.sort_values(["account", "file", "row"]).iloc[0]
    what = "account" if len(parts) == 1 else f"{len(parts)} accounts"
    raise InputError(
        f"{what} in no row of the account mapping: " + "; ".join(parts[:10])
        + ("; ..." if len(parts) > 10 else ""),
        file=str(first.get("file", "")) or None, row=int(first["row"]), column="account",
        found=str(int(first["account"])),
        expected="a row of an account mapping file (konto, kategori) whose account, range or "
                 "prefix covers it, with a spend category or exclude and a reason; or a "
                 "kategori on the purchases row")


def _files(g: pd.Series) -> str:
    return "; ".join(sorted({str(f) for f in g if str(f)}))


def category_spend(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[KlimaWarning]]:
    """Net spend per year and spend category; a negative net counts 0, with a warning.

    Parameters
    ----------
    rows : pandas.DataFrame
        Mapped rows (``year, spend_category, amount_nok, file``), excluded
        ones left out by the caller or here.

    Returns
    -------
    categories : pandas.DataFrame
        :data:`CATEGORY_COLUMNS`: ``gross_nok`` the positive amounts,
        ``credits_nok`` the negative ones (<= 0), ``net_nok`` their sum and
        ``counted_nok`` = max(net, 0) [NOK].
    warnings : list of KlimaWarning
        ``purchases_negative_net`` per year and category with a negative net.
    """
    r = rows[rows["spend_category"] != EXCLUDE]
    if r.empty:
        return pd.DataFrame(columns=CATEGORY_COLUMNS), []
    amt = r["amount_nok"].astype("float64")
    g = r.assign(_pos=amt.clip(lower=0), _neg=amt.clip(upper=0)).groupby(
        ["year", "spend_category"], sort=True)
    out = pd.DataFrame({
        "gross_nok": g["_pos"].sum(), "credits_nok": g["_neg"].sum(),
        "net_nok": g["amount_nok"].sum(), "rows": g.size(), "files": g["file"].agg(_files),
    }).reset_index().rename(columns={"spend_category": "category"})
    out["year"] = out["year"].astype("int64")
    out["counted_nok"] = out["net_nok"].clip(lower=0.0)
    warnings = [KlimaWarning("purchases_negative_net", year=int(x.year),
                             values={"category": x.category, "net_nok": float(x.net_nok)})
                for x in out.itertuples(index=False) if x.net_nok < 0]
    return out[CATEGORY_COLUMNS], warnings


def excluded_spend(rows: pd.DataFrame) -> pd.DataFrame:
    """Spend mapped to ``exclude``, per year and mapping row, with its reason (DESIGN §4).

    Returns
    -------
    pandas.DataFrame
        :data:`EXCLUDED_COLUMNS`; ``net_nok`` [NOK] at the purchase year's rate.
    """
    r = rows[rows["spend_category"] == EXCLUDE]
    if r.empty:
        return pd.DataFrame(columns=EXCLUDED_COLUMNS)
    g = r.groupby(["year", "pattern", "reason"], sort=True)
    out = pd.DataFrame({"net_nok": g["amount_nok"].sum(), "rows": g.size(),
                        "files": g["file"].agg(_files)}).reset_index()
    out["year"] = out["year"].astype("int64")
    return out[EXCLUDED_COLUMNS]


def _factor_currency(unit: str) -> tuple[str, str]:
    """``'kgCO2e/USD'`` -> (``'kgCO2e'``, ``'USD'``)."""
    num, _, den = str(unit).rpartition("/")
    return num, den.strip().upper()


def spend_lines(categories: pd.DataFrame, lib, methods: list[str]) -> pd.DataFrame:
    """Spend lines: counted NOK x the factor per NOK after price and currency adjustment.

    For a purchase year y and the factor of year f (the year fallback
    applies): factor per NOK = factor(f) x P(f) / P(y) / X(f), where P is the
    consumer price index and X the NOK per unit of the factor's currency in
    year f (1 for a NOK factor); emissions = counted NOK x that (DESIGN §4).

    Parameters
    ----------
    categories : pandas.DataFrame
        From :func:`category_spend`.
    lib : FactorLibrary
        Spend factors (``spend:*``, CO2e per a currency unit), ``price_index``
        and ``exchange_rates``.
    methods : list of str
        The electricity methods: every line is repeated per method, as the
        other method-independent lines are.

    Returns
    -------
    pandas.DataFrame
        :data:`klimaregnskap.calc.accounting.LINE_COLUMNS`: ``source``
        ``purchases``, ``item`` and ``activity`` the spend category,
        ``quantity`` the counted NOK (``quantity_unit`` ``NOK``),
        ``factor_value`` per NOK after adjustment (``factor_unit``
        ``<CO2e unit>/NOK``), ``factor_year`` f, ``converted_from`` how the
        factor was adjusted, ``scope`` 3, ``site`` '' (the whole trust);
        and ``factor_scope3_category``, the factor row's GHG Protocol
        category (NA where the row has none).

    Raises
    ------
    FactorMissing
        A spend category without a factor.
    KlimaError
        A factor whose unit is not CO2e per a currency with rates; a year
        before the price index's or the rates' first row.
    """
    if categories.empty:
        return pd.DataFrame(columns=LINE_COLUMNS)
    base = categories.reset_index(drop=True)
    f = fl.resolve(lib, pd.DataFrame({"activity": base["category"], "year": base["year"]}),
                   kind="emission", method=None).reset_index(drop=True)
    prices = lib.tables.get("price_index")
    p_y, _ = table_value(prices, base["year"], "index", "price index")
    p_f, _ = table_value(prices, f["factor_year"], "index", "price index")
    rates = _rates(lib)
    rate_currency = rates["currency"].astype(str).str.upper()
    with_rates = {"NOK", *rate_currency}
    f_unit = f["factor_unit"].astype(str).tolist()
    f_year = f["factor_year"].astype("int64").to_numpy()
    f_value = f["factor_value"].astype("float64").to_numpy()
    year = base["year"].astype("int64").to_numpy()
    # each unit is parsed and converted once: a few units, many rows
    split = {u: _factor_currency(u) for u in dict.fromkeys(f_unit)}
    usable = {u: is_compatible(num, "tCO2e") and c in with_rates for u, (num, c) in split.items()}
    cur = np.array([split[u][1] for u in f_unit], dtype=object)
    first_rate = {c: int(rates.loc[rate_currency == c, "year"].astype("int64").min())
                  for c in set(cur) & with_rates - {"NOK"}}
    # the first row in order that cannot be adjusted is the error, as if alone
    for i, u in enumerate(f_unit):
        if not usable[u]:
            raise KlimaError(f"spend factor of {base.at[i, 'category']} ({u}, {f_year[i]}) is not "
                             "CO2e per a currency with exchange rates (kgCO2e/NOK, kgCO2e/EUR, "
                             "kgCO2e/USD, ...)")
        if cur[i] != "NOK" and f_year[i] < first_rate[cur[i]]:
            table_value(rates[rate_currency == cur[i]], [f_year[i]], "nok_per_unit",
                        f"exchange rate for {cur[i]}")
    x_f = np.ones(len(base))
    for c in sorted(set(cur) - {"NOK"}):
        rows = np.flatnonzero(cur == c)
        x_f[rows], _ = table_value(rates[rate_currency == c], f_year[rows], "nok_per_unit",
                                   f"exchange rate for {c}")
    per_nok = f_value * p_f / p_y / x_f
    to_t_of = {u: conversion_factor(num, "tCO2e") for u, (num, _c) in split.items()}
    to_t = np.array([to_t_of[u] for u in f_unit], dtype="float64")
    units = np.array([f"{split[u][0]}/NOK" for u in f_unit], dtype=object)
    how = np.array([f"{f_value[i]:g} {u} ({f_year[i]}) x CPI {p_f[i]:g}/{p_y[i]:g} "
                    f"({f_year[i]}/{year[i]})"
                    + (f" / {x_f[i]:g} NOK/{cur[i]} ({f_year[i]})" if cur[i] != "NOK" else "")
                    for i, u in enumerate(f_unit)], dtype=object)
    qty = base["counted_nok"].astype("float64").to_numpy()
    one = pd.DataFrame({
        "year": base["year"].astype("int64"), "site": "", "source": "purchases",
        "item": base["category"].astype(str), "activity": base["category"].astype(str),
        "category": "purchases", "file": base["files"].astype(str),
        "row": pd.array([pd.NA] * len(base), dtype="Int64"),
        "quantity": qty, "quantity_unit": "NOK", "factor_value": per_nok,
        "factor_unit": units, "factor_year": f["factor_year"].astype("int64"),
        "fallback": f["fallback"].astype(bool), "factor_source": f["factor_source"],
        "factor_method": "", "scope": pd.array([3] * len(base), dtype="Int64"),
        "emissions_tco2e": qty * per_nok * to_t, "converted_from": how})
    # the factor row's own GHG Protocol category, which wins over the activity
    # table's (DESIGN §4) where the line categories read it
    fr = lib.factors[(lib.factors["kind"] == "emission") & (lib.factors["method"] == "")]
    s3 = {(a, int(y)): c for a, y, c in zip(fr["activity"], fr["year"], fr["scope3_category"])}
    one["factor_scope3_category"] = pd.array(
        [s3.get((a, int(y)), pd.NA) for a, y in zip(one["activity"], one["factor_year"])],
        dtype="Int64")
    out = pd.concat([one.assign(method=m) for m in methods], ignore_index=True)
    return out[LINE_COLUMNS + ["factor_scope3_category"]]


def purchase_years(categories: pd.DataFrame, excluded: pd.DataFrame, lines: pd.DataFrame,
                   method: str, years) -> pd.DataFrame:
    """The ``purchases`` figures per year (DESIGN §5).

    Returns
    -------
    pandas.DataFrame
        :data:`YEAR_COLUMNS`: ``spend_nok`` the counted spend (net per
        category, a negative net as 0), ``excluded_nok`` the excluded spend
        (net), both [NOK] at the purchase year's rate before price
        adjustment; ``emissions_tco2e`` [tCO2e]. Every year of ``years``,
        0 where there is nothing.
    """
    years = [int(y) for y in years]
    sp = (categories.groupby("year")["counted_nok"].sum() if not categories.empty
          else pd.Series(dtype="float64"))
    ex = (excluded.groupby("year")["net_nok"].sum() if not excluded.empty
          else pd.Series(dtype="float64"))
    ln = lines[lines["method"] == method] if not lines.empty else lines
    em = (ln.groupby("year")["emissions_tco2e"].sum() if not ln.empty
          else pd.Series(dtype="float64"))
    return pd.DataFrame({"year": years,
                         "spend_nok": [float(sp.get(y, 0.0)) for y in years],
                         "excluded_nok": [float(ex.get(y, 0.0)) for y in years],
                         "emissions_tco2e": [float(em.get(y, 0.0)) for y in years]},
                        columns=YEAR_COLUMNS)


def double_counting_warnings(categories: pd.DataFrame, physical: pd.DataFrame
                             ) -> list[KlimaWarning]:
    """Spend that looks like something counted from physical data that year (DESIGN §4).

    The spend categories and the reporting categories they may double count
    are data (``vocabulary/spend_overlaps.csv``).

    Parameters
    ----------
    categories : pandas.DataFrame
        From :func:`category_spend`.
    physical : pandas.DataFrame
        ``year, reporting_category`` of the emission lines that are not spend.

    Returns
    -------
    list of KlimaWarning
        ``purchases_double_counting`` per year and spend category.
    """
    overlaps = spend_overlaps()
    if categories.empty or physical.empty:
        return []
    have = {(int(y), str(c)) for y, c in zip(physical["year"], physical["reporting_category"])}
    out = []
    for x in categories.itertuples(index=False):
        counted = [c for c in overlaps.get(x.category, ()) if (int(x.year), c) in have]
        if counted and x.counted_nok > 0:
            out.append(KlimaWarning("purchases_double_counting", year=int(x.year), values={
                "category": x.category, "counted_as": ", ".join(counted),
                "spend_nok": float(x.counted_nok)}))
    return out


def purchase_figures(purchases: pd.DataFrame, mapping: pd.DataFrame, lib, methods: list[str],
                     method: str, years) -> PurchaseFigures:
    """Every purchases rule of DESIGN §4, from the ledger's current rows.

    Parameters
    ----------
    purchases : pandas.DataFrame
        Current purchases rows of ``years`` (``year, account, amount,
        currency, category, file, row``).
    mapping : pandas.DataFrame
        Current account-mapping rows (``pattern, match, low, high, prefix,
        category, reason, file, row``).
    lib : FactorLibrary
    methods : list of str
        The electricity methods (spend lines are repeated per method).
    method : str
        The configured method (for the yearly emissions).
    years : iterable of int
        Baseline year .. report year.

    Returns
    -------
    PurchaseFigures

    Raises
    ------
    InputError
        An unmapped account; two ranges of different mapping files that
        overlap without nesting.
    """
    if not mapping.empty:
        check_mapping(mapping)
    if purchases.empty:
        empty = pd.DataFrame(columns=LINE_COLUMNS)
        return PurchaseFigures(purchases, pd.DataFrame(
                                   columns=CATEGORY_COLUMNS + ["emissions_tco2e"]),
                               pd.DataFrame(columns=EXCLUDED_COLUMNS), empty,
                               purchase_years(pd.DataFrame(columns=CATEGORY_COLUMNS),
                                              pd.DataFrame(columns=EXCLUDED_COLUMNS), empty,
                                              method, years))
    if "file" not in purchases:
        purchases = purchases.assign(file="")
    rows = map_accounts(to_nok(purchases, lib), mapping)
    check_mapped(rows)
    cats, warnings = category_spend(rows)
    excl = excluded_spend(rows)
    lines = spend_lines(cats, lib, methods)
    if not cats.empty:
        ln = lines[lines["method"] == method]
        em = ln.groupby(["year", "activity"])["emissions_tco2e"].sum()
        cats = cats.assign(emissions_tco2e=[float(em.get((int(y), c), 0.0)) for y, c in
                                            zip(cats["year"], cats["category"])])
    else:
        cats = cats.assign(emissions_tco2e=pd.Series(dtype="float64"))
    return PurchaseFigures(rows, cats, excl, lines,
                           purchase_years(cats, excl, lines, method, years), warnings)
