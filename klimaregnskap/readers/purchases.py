"""Purchases (the general ledger) and account mappings (DESIGN §3).

**Purchases** — ``year, account, amount`` (``år, konto, beløp``), optional
``currency`` (``valuta``, default NOK), ``supplier`` (``leverandør``),
``description`` (``beskrivelse``) and ``category`` (``kategori``). Amounts
exclude VAT; a credit (a negative amount) is allowed. A row's own
``category`` is a spend category of the factor library.

**Account mapping** — ``account, category`` (``konto, kategori``), optional
``reason`` (``begrunnelse``). ``account`` is one account (``4650``), a range
(``4600-4699``) or a prefix (``46*``); ``category`` a spend category of the
factor library or ``exclude``, which needs a reason.

Both readers refuse, naming file, row, column, found and expected: a number
that is not one, a spend category the library does not have (with a "did you
mean"), a currency the exchange-rate table lacks, a year before the first
row of the price index or of the currency's exchange rates (DESIGN §4: a
year before a table's first row is an error), two mapping rows for the same
pattern that disagree, two ranges that overlap without one containing the
other, and ``exclude`` without a reason. Which mapping row applies to an
account is :mod:`klimaregnskap.calc.purchases`' rule.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import SpendTables
from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.schema import LazySchema
from klimaregnskap.readers.tables import (Table, begin_reading, column_strings, did_you_mean,
                                          parse_int_column, parse_number_column,
                                          require_filled)

__all__ = ["read_purchases", "read_account_mapping", "parse_pattern", "EXCLUDE",
           "spend_category_spellings"]

#: the mapping category that leaves an account out (with a reason)
EXCLUDE = "exclude"
_EXCLUDE_WORDS = {"exclude", "ekskluder", "utelat", "utelates", "ikke_med"}

PURCHASE_COLUMNS = aliases_of("purchases")
PURCHASE_REQUIRED = set(required_of("purchases"))
MAPPING_COLUMNS = aliases_of("account_mapping")
MAPPING_REQUIRED = set(required_of("account_mapping"))

PURCHASES_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "year": pa.Column("int64"),
    "account": pa.Column("int64", pa.Check.ge(0)),
    "amount": pa.Column("float64"),
    "currency": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
    "supplier": pa.Column(str),
    "description": pa.Column(str),
    "category": pa.Column(str),
}, strict=True, ordered=True))

MAPPING_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "pattern": pa.Column(str),
    "match": pa.Column(str, pa.Check.isin(["exact", "range", "prefix"])),
    "low": pa.Column("int64"),
    "high": pa.Column("int64"),
    "prefix": pa.Column(str),
    "category": pa.Column(str),
    "reason": pa.Column(str),
}, strict=True, ordered=True))

_EXACT = re.compile(r"^\d+$")
_RANGE = re.compile(r"^(\d+)\s*[-–—]\s*(\d+)$")
_PREFIX = re.compile(r"^(\d+)\s*\*$")
PATTERN_EXPECTED = "one account (4650), a range (4600-4699) or a prefix (46*)"


def parse_pattern(text: str) -> tuple[str, int, int, str] | None:
    """An account pattern as written -> ``(match, low, high, prefix)``, or None.

    Parameters
    ----------
    text : str
        ``"4650"``, ``"4600-4699"`` or ``"46*"`` (a workbook number cell
        ``4650.0`` is an account too).

    Returns
    -------
    tuple or None
        ``("exact", 4650, 4650, "")``, ``("range", 4600, 4699, "")`` or
        ``("prefix", -1, -1, "46")``; None when it is none of these, or a
        range whose end is below its start.
    """
    t = str(text).strip()
    t = re.sub(r"\.0+$", "", t)
    if _EXACT.match(t):
        return "exact", int(t), int(t), ""
    m = _RANGE.match(t)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return ("range", lo, hi, "") if lo <= hi else None
    m = _PREFIX.match(t)
    if m:
        return "prefix", -1, -1, m.group(1)
    return None


def canonical_pattern(match: str, low: int, high: int, prefix: str) -> str:
    """The pattern's one spelling (``4650``, ``4600-4699``, ``46*``), the ledger's key."""
    if match == "exact":
        return str(low)
    if match == "range":
        return f"{low}-{high}"
    return f"{prefix}*"


def spend_category_spellings(categories: list[str], aliases: dict[str, str]) -> dict[str, str]:
    """Accepted spellings of the spend categories, lower-cased -> code.

    Parameters
    ----------
    categories : list of str
        The library's ``spend:*`` activities.
    aliases : dict
        The activity table's names, lower-cased -> code
        (:func:`klimaregnskap.calc.factors.activity_aliases`).

    Returns
    -------
    dict
        The code (``spend:cleaning``), the code without its prefix
        (``cleaning``) and the names (``renhold``) of each category.
    """
    cats = set(categories)
    out = {a: c for a, c in aliases.items() if c in cats}
    for c in categories:
        out[c.split(":", 1)[1].lower()] = c
        out[c.lower()] = c
    return out


def _spend(ctx) -> SpendTables:
    if ctx.spend is None:
        raise InputError("purchases need the factor library's spend categories, price index "
                         "and exchange rates, which this command did not give the reader")
    return ctx.spend()


def _categories(table: Table, column: str, spend: SpendTables, problems, *,
                allow_exclude: bool) -> pd.Series:
    """Spend categories as written -> codes ('' where empty); unknown ones are problems."""
    text = column_strings(table, column)
    key = text.str.strip().str.lower().str.split().str.join(" ")
    known = dict(spend.categories)
    if allow_exclude:
        known.update({w: EXCLUDE for w in _EXCLUDE_WORDS})
    codes = key.map(known)
    bad = (codes.isna() & (key != "")).to_numpy()
    choices = sorted(set(spend.categories.values())) + ([EXCLUDE] if allow_exclude else [])
    for found, i in pd.Series(np.flatnonzero(bad), index=text[bad]).groupby(
            level=0, sort=False).first().items():
        problems.add(table.error(
            "unknown spend category" + did_you_mean(found, choices), int(i), column, found,
            "a spend category of the factor library (" + ", ".join(choices[:6])
            + ", ...; 'klimaregnskap factors' lists them)"
            + (" or exclude" if allow_exclude else "")))
    return codes.fillna("").astype(str)


def read_purchases(table: Table, ctx) -> pd.DataFrame:
    """Read and validate a general-ledger export (DESIGN §3 Purchases).

    Parameters
    ----------
    table : Table
    ctx : ReaderContext
        Uses ``spend`` (spend categories, currencies, price-index years).

    Returns
    -------
    pandas.DataFrame
        ``row, year, account, amount, currency, supplier, description,
        category``; ``amount`` in ``currency`` as written (negative: a
        credit), ``currency`` upper case (NOK when not given), ``category``
        the spend category's code or '' (then the account mapping's).

    Raises
    ------
    InputError
        Naming file, row, column, found and expected (up to 10 problems).
    """
    cols, problems = begin_reading(table, PURCHASE_COLUMNS, PURCHASE_REQUIRED)
    spend = _spend(ctx)
    n = len(table.frame)
    years = accounts = amounts = None
    with problems.check():
        years = parse_int_column(table, cols["year"], low=1900, high=2200,
                                 what="a year such as 2024")
    with problems.check():
        require_filled(table, cols["account"], "an account number such as 4650")
        accounts = parse_int_column(table, cols["account"], low=0,
                                    what="an account number such as 4650")
    with problems.check():
        # a credit is negative: allowed here (DESIGN §3)
        amounts = parse_number_column(table, cols["amount"],
                                      expected="an amount such as 12 500,00 (a credit is "
                                               "negative)")
    currency = pd.Series(["NOK"] * n, dtype=object)
    if "currency" in cols:
        text = column_strings(table, cols["currency"]).str.strip().str.upper()
        # 'kr' is how Norwegian ledgers write NOK
        currency = text.where(~text.isin(["", "KR", "KR."]), "NOK")
        known = {"NOK", *spend.currencies}
        bad = ~currency.isin(known).to_numpy()
        for found, i in pd.Series(np.flatnonzero(bad), index=currency[bad]).groupby(
                level=0, sort=False).first().items():
            problems.add(table.error(
                "a currency the exchange-rate table does not have", int(i), cols["currency"],
                found, "NOK or a currency of exchange_rates.csv ("
                + ", ".join(sorted(spend.currencies)) + "), or a project factors/"
                "exchange_rates.csv with its rates"))
        if years is not None:
            # DESIGN §4: a year before a table's first row is an error
            first = currency.map(lambda c: spend.currencies.get(c, -1) if c != "NOK" else -1)
            early = (~bad) & (years < first.to_numpy())
            if early.any():
                i = int(np.flatnonzero(early)[0])
                problems.add(table.error(
                    f"no exchange rate for {currency.iloc[i]} in {years[i]} or any earlier "
                    "year", i, cols["year"], int(years[i]),
                    f"a year from {first.iloc[i]}, the first year of {currency.iloc[i]} in "
                    "exchange_rates.csv"))
    if years is not None and spend.first_price_year is not None:
        early = years < spend.first_price_year
        if early.any():
            i = int(np.flatnonzero(early)[0])
            problems.add(table.error(
                f"no price index for {years[i]} or any earlier year", i, cols["year"],
                int(years[i]), f"a year from {spend.first_price_year}, the first year of "
                "price_index.csv"))
    category = pd.Series([""] * n, dtype=object)
    if "category" in cols:
        category = _categories(table, cols["category"], spend, problems, allow_exclude=False)
    problems.raise_if_any()

    def text_of(c):
        return (column_strings(table, cols[c]).astype(str).to_numpy() if c in cols
                else np.full(n, "", dtype=object))

    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "year": years.astype("int64"),
        "account": accounts.astype("int64"),
        "amount": np.asarray(amounts, dtype="float64"),
        "currency": currency.astype(str).to_numpy(),
        "supplier": text_of("supplier"),
        "description": text_of("description"),
        "category": category.astype(str).to_numpy(),
    })
    for c in ("currency", "supplier", "description", "category"):
        out[c] = out[c].astype(str)
    out = PURCHASES_SCHEMA.validate(out)
    # the file's own headers, for an error the ledger finds later (an unmapped account)
    out.attrs["headers"] = dict(cols)
    return out


def read_account_mapping(table: Table, ctx) -> pd.DataFrame:
    """Read and validate an account mapping (DESIGN §3 Account mapping).

    Parameters
    ----------
    table : Table
    ctx : ReaderContext
        Uses ``spend`` (the spend categories).

    Returns
    -------
    pandas.DataFrame
        ``row, pattern, match, low, high, prefix, category, reason``:
        ``pattern`` the canonical spelling (``4650``, ``4600-4699``,
        ``46*``), ``match`` ``exact``, ``range`` or ``prefix``, ``low`` and
        ``high`` the accounts it covers (-1 for a prefix), ``prefix`` the
        digits of a prefix ('' otherwise), ``category`` a spend category's
        code or ``exclude``.

    Raises
    ------
    InputError
        A pattern that is none of the three forms, an unknown category,
        ``exclude`` without a reason, two rows for the same pattern that
        disagree, two ranges that overlap without one containing the other.
    """
    cols, problems = begin_reading(table, MAPPING_COLUMNS, MAPPING_REQUIRED)
    spend = _spend(ctx)
    n = len(table.frame)
    with problems.check():
        require_filled(table, cols["account"], PATTERN_EXPECTED)
    text = column_strings(table, cols["account"]).astype(str)
    parsed = [parse_pattern(t) for t in text]
    for i, p in enumerate(parsed):
        if p is None and text.iloc[i].strip():
            problems.add(table.error("not an account, range or prefix", i, cols["account"],
                                     text.iloc[i], PATTERN_EXPECTED))
    with problems.check():
        require_filled(table, cols["category"], "a spend category or exclude")
    category = _categories(table, cols["category"], spend, problems, allow_exclude=True)
    reason = (column_strings(table, cols["reason"]).astype(str).str.strip() if "reason" in cols
              else pd.Series([""] * n, dtype=object))
    no_reason = ((category == EXCLUDE) & (reason == "")).to_numpy()
    if no_reason.any():
        i = int(np.flatnonzero(no_reason)[0])
        problems.add(table.error("exclude needs a reason", i,
                                 cols.get("reason", "reason / begrunnelse"), "",
                                 "why the account is left out (wages, depreciation, taxes, "
                                 "already counted from physical data, ...)"))
    problems.raise_if_any()
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "pattern": [canonical_pattern(*p) for p in parsed],
        "match": [p[0] for p in parsed],
        "low": np.array([p[1] for p in parsed], dtype="int64"),
        "high": np.array([p[2] for p in parsed], dtype="int64"),
        "prefix": [p[3] for p in parsed],
        "category": category.astype(str).to_numpy(),
        "reason": reason.astype(str).to_numpy(),
    })
    for c in ("pattern", "match", "prefix", "category", "reason"):
        out[c] = out[c].astype(str)
    check_mapping(out, str(table.path), cols["account"])
    return MAPPING_SCHEMA.validate(out)


def check_mapping(mapping: pd.DataFrame, file: str | None = None,
                  column: str = "account") -> None:
    """Refuse a disagreeing repeated pattern and two ranges overlapping without nesting.

    Parameters
    ----------
    mapping : pandas.DataFrame
        Rows as :func:`read_account_mapping` returns them, optionally with a
        ``file`` column (rows of several files: the error names both files).
    file : str, optional
        The file of every row, when there is no ``file`` column.
    column : str
        The pattern column's name as the user wrote it.

    Raises
    ------
    InputError
        Naming the first of the two rows, and the other in the message.
    """
    def where(r) -> tuple[str, int]:
        return (str(r["file"]) if "file" in r and r["file"] else str(file)), int(r["row"])

    for _pattern, grp in mapping.groupby("pattern", sort=False):
        if len(grp) < 2:
            continue
        first = grp.iloc[0]
        for _, other in grp.iloc[1:].iterrows():
            if (other["category"], other["reason"]) != (first["category"], first["reason"]):
                f1, r1 = where(first)
                f2, r2 = where(other)
                raise InputError(
                    f"account {first['pattern']} is mapped twice, differently: row {r1} and "
                    + (f"row {r2}" if f1 == f2 else f"{f2} row {r2}"), file=f2, row=r2,
                    column=column, found=f"{other['category']} ({other['reason'] or 'no reason'})",
                    expected=f"one mapping per account: {first['category']} as in row {r1}, "
                             "or remove one of the rows")
    ranges = mapping[mapping["match"] == "range"].drop_duplicates("pattern")
    if len(ranges) < 2:
        return
    lo = ranges["low"].to_numpy()
    hi = ranges["high"].to_numpy()
    order = np.argsort(lo, kind="stable")
    rs = ranges.iloc[order]
    lo, hi = lo[order], hi[order]
    for a in range(len(rs)):
        for b in range(a + 1, len(rs)):
            if lo[b] > hi[a]:
                break
            # overlapping: fine only when one contains the other
            if (lo[a] <= lo[b] and hi[b] <= hi[a]) or (lo[b] <= lo[a] and hi[a] <= hi[b]):
                continue
            ra, rb = rs.iloc[a], rs.iloc[b]
            fa, rowa = where(ra)
            fb, rowb = where(rb)
            raise InputError(
                f"ranges {ra['pattern']} (row {rowa}) and {rb['pattern']} ("
                + (f"row {rowb}" if fa == fb else f"{fb} row {rowb}")
                + ") overlap without one containing the other, so an account in both "
                "has no most specific mapping", file=fa, row=rowa, column=column,
                found=f"{ra['pattern']} and {rb['pattern']}",
                expected="ranges that are apart or nested (4600-4699 and 4650-4659)",
                extra={"other_file": fb, "other_row": rowb})

