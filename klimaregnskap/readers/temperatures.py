"""Daily mean outdoor temperatures: ``date, site, mean_temperature``
(``dato, lokasjon, middeltemperatur``), °C unless a ``unit`` column says
otherwise (degC/°C, K, degF)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.errors import UnitError
from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.tables import (Table, begin_reading, column_strings, map_sites,
                                          parse_date_column, parse_number_column)
from klimaregnskap.units import convert_values

REQUIRED = set(required_of("temperatures"))
COLUMNS = aliases_of("temperatures")
_UNIT_ALIASES = {"c": "degC", "°c": "degC", "degc": "degC", "celsius": "degC",
                 "grader": "degC", "grader_c": "degC", "k": "kelvin", "kelvin": "kelvin",
                 "f": "degF", "°f": "degF", "degf": "degF", "fahrenheit": "degF"}

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "date": pa.Column("datetime64[ns]"),
    "year": pa.Column("int64"),
    "site": pa.Column(str),
    "mean_temperature_degc": pa.Column("float64", pa.Check.in_range(-90, 70)),
}, strict=True, ordered=True)


def read_temperatures(table: Table, ctx) -> pd.DataFrame:
    """Read and validate a temperature file.

    Returns
    -------
    pandas.DataFrame
        ``row, date, year, site, mean_temperature_degc`` (daily mean, °C).

    Raises
    ------
    InputError
        Naming file, row, column, found and expected; also for the same
        (date, site) twice, and for a temperature outside -90 .. 70 °C.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    dates = sites = degc = None
    with problems.check():
        dates = parse_date_column(table, cols["date"])
    with problems.check():
        sites = map_sites(table, cols["site"], ctx.sites)
    with problems.check():
        t = parse_number_column(table, cols["mean_temperature"])
        if "unit" in cols:
            written = column_strings(table, cols["unit"])
            units = written.replace("", "degC").map(
                lambda u: _UNIT_ALIASES.get(u.strip().lower().replace(" ", "_"), u))
            try:
                degc = convert_values(t, units.to_numpy(), "degC")
            except UnitError as exc:
                i = int(np.flatnonzero(units.to_numpy() == exc.found)[0])
                raise table.error("not a temperature unit", i, cols["unit"], written.iloc[i],
                                  "degC, °C, K or degF")
        else:
            degc = t
        implausible = (degc < -90) | (degc > 70)
        if implausible.any():
            i = int(np.flatnonzero(implausible)[0])
            raise table.error("implausible daily mean temperature", i,
                              cols["mean_temperature"], str(table.frame[cols[
                                  "mean_temperature"]].iloc[i]),
                              "a daily mean between -90 and 70 °C")
    if dates is not None and sites is not None:
        key = pd.DataFrame({"d": dates, "s": sites})
        dup = key.duplicated().to_numpy()
        if dup.any():
            i = int(np.flatnonzero(dup)[0])
            problems.add(table.error("the same date and site twice", i, cols["date"],
                                     f"{pd.Timestamp(dates[i]).date()} {sites[i]}",
                                     "one row per date and site"))
    problems.raise_if_any()
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "date": dates,
        "year": pd.DatetimeIndex(dates).year.to_numpy(dtype="int64"),
        "site": pd.array(sites, dtype=str),
        "mean_temperature_degc": np.asarray(degc, dtype="float64"),
    })
    return SCHEMA.validate(out)
