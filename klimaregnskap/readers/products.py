"""Purchased products: ``year, product_id, quantity`` (``år, varenummer,
antall``), optional ``description``, ``spend``, ``contains_listed_substance``
(yes/no, ja/nei) and ``cas_numbers`` (separated by ``;`` or ``|``)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.readers.cas import is_valid_cas, normalise_cas
from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.tables import (Table, begin_reading, check_not_negative,
                                          column_strings, parse_int_column,
                                          parse_number_column, require_filled)

__all__ = ["read_products", "parse_cas_list", "BOOLEAN_WORDS"]

REQUIRED = set(required_of("products"))
COLUMNS = aliases_of("products")

BOOLEAN_WORDS = {
    "yes": True, "no": False, "ja": True, "nei": False, "true": True, "false": False,
    "sann": True, "usann": False, "1": True, "0": False, "y": True, "n": False,
    "j": True, "x": True,
}
# Commas are accepted too: a CAS number never contains one.
_CAS_SPLIT = re.compile(r"[;|,\n]+")

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "year": pa.Column("int64"),
    "product_id": pa.Column(str),
    "quantity": pa.Column("float64", pa.Check.ge(0)),
    "description": pa.Column(str),
    "spend": pa.Column("float64", nullable=True),
    "contains_listed_substance": pa.Column("boolean", nullable=True),
    "cas_numbers": pa.Column(str),
}, strict=True, ordered=True)


def parse_cas_list(text: str) -> tuple[list[str], str | None]:
    """Split and normalise a cell of CAS numbers.

    Parameters
    ----------
    text : str
        E.g. ``"117-81-7; 84-74-2"`` or ``"117-81-7|84-74-2"``.

    Returns
    -------
    tuple of (list of str, str or None)
        The normalised numbers, and the first invalid one (None if all valid).
    """
    parts = [p.strip() for p in _CAS_SPLIT.split(str(text)) if p.strip()]
    out = []
    for p in parts:
        n = normalise_cas(re.sub(r"\s*-\s*", "-", p))
        if not is_valid_cas(n):
            return out, p
        if n not in out:
            out.append(n)
    return out, None


def read_products(table: Table, ctx) -> pd.DataFrame:
    """Read and validate a purchased-products file.

    Returns
    -------
    pandas.DataFrame
        ``row, year, product_id, quantity, description, spend,
        contains_listed_substance, cas_numbers``. ``quantity`` is a count of
        items as purchased; ``spend`` in the file's currency (NOK), NaN when
        absent; ``contains_listed_substance`` pandas boolean (NA when not
        given); ``cas_numbers`` normalised and ``;``-joined ('' if none).

    Raises
    ------
    InputError
        Naming file, row, column, found and expected; a CAS number whose
        check digit is wrong is an error.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    n = len(table.frame)
    years = qty = None
    spend = np.full(n, np.nan)
    with problems.check():
        years = parse_int_column(table, cols["year"], low=1900, high=2200,
                                 what="a year such as 2024")
    with problems.check():
        require_filled(table, cols["product_id"], "a product number")
    product_id = column_strings(table, cols["product_id"])
    with problems.check():
        qty = parse_number_column(table, cols["quantity"])
        check_not_negative(table, cols["quantity"], qty)
    if "spend" in cols:
        with problems.check():
            spend = parse_number_column(table, cols["spend"], allow_empty=True)
            check_not_negative(table, cols["spend"], np.nan_to_num(spend))
    flag = pd.array([pd.NA] * n, dtype="boolean")
    if "contains_listed_substance" in cols:
        text = column_strings(table, cols["contains_listed_substance"])
        mapped = text.str.lower().map(BOOLEAN_WORDS)
        bad = (mapped.isna() & (text != "")).to_numpy()
        with problems.check():
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise table.error("not yes or no", i, cols["contains_listed_substance"],
                                  text.iloc[i], "yes/no (ja/nei, true/false, 1/0)")
        flag = pd.array(mapped.where(~bad, None).to_numpy(dtype=object), dtype="boolean")
    cas = np.full(n, "", dtype=object)
    if "cas_numbers" in cols:
        text = column_strings(table, cols["cas_numbers"])
        # Parse each distinct cell once; product lists repeat the same cells.
        codes, uniques = pd.factorize(text)
        joined = []
        for j, cell in enumerate(uniques):
            numbers, invalid = parse_cas_list(cell)
            if invalid is not None:
                i = int(np.flatnonzero(codes == j)[0])
                problems.add(table.error("invalid CAS number (wrong check digit or form)", i,
                                         cols["cas_numbers"], invalid,
                                         "CAS numbers like 117-81-7, separated by ; or |"))
            joined.append(";".join(numbers))
        if len(uniques):
            cas = np.asarray(joined, dtype=object)[codes]
    problems.raise_if_any()
    desc = (column_strings(table, cols["description"]) if "description" in cols
            else pd.Series([""] * n, dtype=object))
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "year": years.astype("int64"),
        "product_id": pd.array(product_id.to_numpy(dtype=object), dtype=str),
        "quantity": qty.astype("float64"),
        "description": pd.array(desc.to_numpy(dtype=object), dtype=str),
        "spend": np.asarray(spend, dtype="float64"),
        "contains_listed_substance": flag,
        "cas_numbers": pd.array(cas, dtype=str),
    })
    return SCHEMA.validate(out)
