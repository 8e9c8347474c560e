"""Energy certificates (guarantees of origin bought for electricity, DESIGN §3):
``year, certificate, quantity, unit`` (``år, sertifikat, mengde, enhet``),
optional ``site`` (``lokasjon``; blank: the whole trust) and ``supplier``
(``leverandør``).

``certificate`` is ``gjenvinningskraft`` (power produced from waste heat) or
``renewable`` (other guarantees of origin; ``fornybar`` and
``opprinnelsesgaranti`` are accepted for it). The quantity is any energy
(``kWh``, ``MWh``, ``GWh``) and is stored in kWh.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.errors import UnitError
from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.tables import (Table, begin_reading, check_not_negative,
                                          column_strings, did_you_mean,
                                          parse_int_column, parse_number_column,
                                          require_filled)
from klimaregnskap.units import convert_values

__all__ = ["read_certificates", "CERTIFICATE_KINDS", "KIND_ALIASES", "TRUST"]

REQUIRED = set(required_of("certificates"))
COLUMNS = aliases_of("certificates")

#: The kinds of certificate (DESIGN §3), in the order the accounts show them.
CERTIFICATE_KINDS = ("gjenvinningskraft", "renewable")

#: Spellings accepted in the ``certificate`` column (folded: lower case, blanks as ``_``).
KIND_ALIASES = {
    "gjenvinningskraft": "gjenvinningskraft", "gjenvunnet_kraft": "gjenvinningskraft",
    "renewable": "renewable", "fornybar": "renewable", "fornybar_kraft": "renewable",
    "opprinnelsesgaranti": "renewable", "opprinnelsesgarantier": "renewable",
    "guarantee_of_origin": "renewable", "guarantees_of_origin": "renewable",
}

#: ``site`` of a trust-wide row (split among the sites by their electricity, DESIGN §3).
TRUST = ""

_KIND_EXPECTED = ("gjenvinningskraft (power produced from waste heat) or renewable "
                  "(other guarantees of origin; fornybar, opprinnelsesgaranti)")
_UNIT_EXPECTED = "an energy unit: kWh, MWh or GWh"

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "year": pa.Column("int64"),
    "site": pa.Column(str),
    "certificate": pa.Column(str, pa.Check.isin(CERTIFICATE_KINDS)),
    "quantity_kwh": pa.Column("float64", pa.Check.ge(0)),
    "supplier": pa.Column(str),
}, strict=True, ordered=True)


def read_certificates(table: Table, ctx) -> pd.DataFrame:
    """Read and validate an energy-certificates file.

    Parameters
    ----------
    table : Table
    ctx : ReaderContext
        Uses ``sites``.

    Returns
    -------
    pandas.DataFrame
        ``row, year, site, certificate, quantity_kwh, supplier``: ``site``
        is a configured site id, or ``''`` (:data:`TRUST`) for the whole
        trust; ``certificate`` is ``gjenvinningskraft`` or ``renewable``;
        ``quantity_kwh`` [kWh].

    Raises
    ------
    InputError
        Every problem found (up to 10), naming file, row, column, found and
        expected: a year that is not one, an unknown kind of certificate, a
        negative or missing quantity, a unit that is not energy, an unknown
        site.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    n = len(table.frame)
    years = qty = kwh = None
    sites = np.full(n, TRUST, dtype=object)
    with problems.check():
        years = parse_int_column(table, cols["year"], low=1900, high=2200,
                                 what="a year such as 2024")
    if "site" in cols:
        text = column_strings(table, cols["site"])
        given = (text.fillna("").str.strip() != "").to_numpy()
        if given.any():
            with problems.check():
                # a blank site is the whole trust; a written one must be configured
                mapped = _map_given(table, cols["site"], ctx.sites, given)
                sites[given] = mapped
    kind_text = column_strings(table, cols["certificate"])
    kinds = kind_text.fillna("").str.strip().str.lower().str.replace(r"[\s\-]+", "_",
                                                                     regex=True).map(KIND_ALIASES)
    bad = kinds.isna().to_numpy()
    for found, i in pd.Series(np.flatnonzero(bad), index=kind_text[bad].fillna("")).groupby(
            level=0, sort=False).first().items():
        problems.add(table.error(("unknown kind of certificate"
                                  + did_you_mean(found, sorted(KIND_ALIASES)))
                                 if found else "missing kind of certificate",
                                 int(i), cols["certificate"], found, _KIND_EXPECTED))
    with problems.check():
        qty = parse_number_column(table, cols["quantity"])
        check_not_negative(table, cols["quantity"], qty)
    units = column_strings(table, cols["unit"])
    with problems.check():
        require_filled(table, cols["unit"], _UNIT_EXPECTED)
        if qty is not None:
            try:
                kwh = convert_values(qty, units.to_numpy(), "kWh")
            except UnitError as exc:
                i = int(np.flatnonzero(units.to_numpy() == exc.found)[0])
                raise table.error("unknown unit" if exc.reason == "unknown"
                                  else f"unit '{exc.found}' is not an energy", i, cols["unit"],
                                  exc.found, _UNIT_EXPECTED)
    problems.raise_if_any()
    supplier = (column_strings(table, cols["supplier"]).fillna("") if "supplier" in cols
                else pd.Series([""] * n, dtype=object))
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "year": np.asarray(years, dtype="int64"),
        "site": pd.array(sites, dtype=str),
        "certificate": pd.array(kinds.to_numpy(dtype=object), dtype=str),
        "quantity_kwh": np.asarray(kwh, dtype="float64"),
        "supplier": pd.array(supplier.astype(str).to_numpy(), dtype=str),
    })
    return SCHEMA.validate(out)


def _map_given(table: Table, column: str, sites, given: np.ndarray) -> np.ndarray:
    """The configured site ids of the rows whose ``site`` is written (case-insensitive).

    Raises
    ------
    InputError
        At the first written site that is not configured, listing the sites.
    """
    known = {str(s).strip().lower(): str(s) for s in sites}
    text = column_strings(table, column).fillna("").str.strip()
    mapped = text.str.lower().map(known)
    bad = given & mapped.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        listing = ", ".join(sorted(known.values())) or "(none configured)"
        raise table.error("unknown site" + did_you_mean(text.iloc[i], known.values()), i, column,
                          text.iloc[i], f"one of the sites in klimaregnskap.toml ({listing}), "
                          "or empty for the whole trust")
    return mapped.to_numpy(dtype=object)[given]
