"""Operations figures for intensities: ``year, site, patient_days`` (``år,
lokasjon, liggedøgn``), optional ``meals_served`` (``måltider``), ``fte``
(``årsverk``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.tables import (Table, begin_reading, check_not_negative,
                                          map_sites, parse_int_column, parse_number_column)

REQUIRED = set(required_of("operations"))
COLUMNS = aliases_of("operations")

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "year": pa.Column("int64"),
    "site": pa.Column(str),
    "patient_days": pa.Column("float64", pa.Check.ge(0)),
    "meals_served": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "fte": pa.Column("float64", pa.Check.ge(0), nullable=True),
}, strict=True, ordered=True)


def read_operations(table: Table, ctx) -> pd.DataFrame:
    """Read and validate an operations file.

    Returns
    -------
    pandas.DataFrame
        ``row, year, site, patient_days, meals_served, fte`` (counts;
        ``meals_served`` and ``fte`` NaN when absent or blank).

    Raises
    ------
    InputError
        Naming file, row, column, found and expected; also for the same
        (year, site) twice in one file.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    n = len(table.frame)
    values: dict[str, np.ndarray] = {}
    years = sites = None
    with problems.check():
        years = parse_int_column(table, cols["year"], low=1900, high=2200,
                                 what="a year such as 2024")
    with problems.check():
        sites = map_sites(table, cols["site"], ctx.sites)
    for name in ("patient_days", "meals_served", "fte"):
        if name not in cols:
            values[name] = np.full(n, np.nan)
            continue
        with problems.check():
            v = parse_number_column(table, cols[name], allow_empty=name != "patient_days")
            check_not_negative(table, cols[name], v)
            values[name] = v
    if years is not None and sites is not None:
        key = pd.DataFrame({"y": years, "s": sites})
        dup = key.duplicated().to_numpy()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            first = int(np.flatnonzero((key["y"] == years[i]) & (key["s"] == sites[i]))[0])
            problems.add(table.error(
                f"year {years[i]} and site '{sites[i]}' already given in row "
                f"{table.row_of(first)}", i, cols["site"], sites[i],
                "one row per year and site"))
    problems.raise_if_any()
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "year": years.astype("int64"),
        "site": pd.array(sites, dtype=str),
        "patient_days": values["patient_days"].astype("float64"),
        "meals_served": values["meals_served"].astype("float64"),
        "fte": values["fte"].astype("float64"),
    })
    return SCHEMA.validate(out)
