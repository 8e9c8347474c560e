"""Food waste weighings: ``date, site, category, quantity, unit``
(``dato, lokasjon, kategori, mengde, enhet``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.errors import UnitError
from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.tables import (Table, begin_reading, check_not_negative,
                                          column_strings, did_you_mean, map_sites,
                                          parse_date_column, parse_number_column,
                                          require_filled)
from klimaregnskap.units import convert_values

REQUIRED = set(required_of("food_waste"))
COLUMNS = aliases_of("food_waste")
CATEGORIES = ("production", "serving", "plate")
CATEGORY_ALIASES = {
    "production": "production", "produksjon": "production", "kjøkken": "production",
    "serving": "serving", "servering": "serving", "buffet": "serving",
    "plate": "plate", "tallerken": "plate", "tallerkenrester": "plate",
    "tallerkensvinn": "plate", "plate_waste": "plate",
}

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "date": pa.Column("datetime64[ns]"),
    "year": pa.Column("int64"),
    "month": pa.Column("int64", pa.Check.in_range(1, 12)),
    "site": pa.Column(str),
    "category": pa.Column(str, pa.Check.isin(CATEGORIES)),
    "quantity_kg": pa.Column("float64", pa.Check.ge(0)),
}, strict=True, ordered=True)


def read_food_waste(table: Table, ctx) -> pd.DataFrame:
    """Read and validate a food-waste file.

    Returns
    -------
    pandas.DataFrame
        ``row, date, year, month, site, category, quantity_kg``; category is
        ``production``, ``serving`` or ``plate``; quantity in kg.

    Raises
    ------
    InputError
        Naming file, row, column, found and expected.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    dates = sites = qty = kg = None
    with problems.check():
        dates = parse_date_column(table, cols["date"])
    with problems.check():
        sites = map_sites(table, cols["site"], ctx.sites)
    cat_text = column_strings(table, cols["category"])
    cats = cat_text.str.lower().str.replace(" ", "_").map(CATEGORY_ALIASES)
    with problems.check():
        bad = cats.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise table.error("unknown food-waste category"
                              + did_you_mean(cat_text.iloc[i], CATEGORY_ALIASES),
                              i, cols["category"],
                              cat_text.iloc[i],
                              "production, serving or plate (produksjon, servering, "
                              "tallerken)")
    with problems.check():
        qty = parse_number_column(table, cols["quantity"])
        check_not_negative(table, cols["quantity"], qty)
    units = column_strings(table, cols["unit"])
    with problems.check():
        require_filled(table, cols["unit"], "a mass unit: g, kg or tonne")
        if qty is not None:
            try:
                kg = convert_values(qty, units.to_numpy(), "kg")
            except UnitError as exc:
                i = int(np.flatnonzero(units.to_numpy() == exc.found)[0])
                raise table.error("unknown unit" if exc.reason == "unknown"
                                  else f"unit '{exc.found}' is not a mass", i, cols["unit"],
                                  exc.found, "a mass unit: g, kg or tonne")
    problems.raise_if_any()
    d = pd.DatetimeIndex(dates)
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "date": dates,
        "year": d.year.to_numpy(dtype="int64"),
        "month": d.month.to_numpy(dtype="int64"),
        "site": pd.array(sites, dtype=str),
        "category": pd.array(cats.to_numpy(dtype=object), dtype=str),
        "quantity_kg": np.asarray(kg, dtype="float64"),
    })
    return SCHEMA.validate(out)
