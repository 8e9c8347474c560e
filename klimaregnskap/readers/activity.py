"""Activity data: everything that is not metered (fuels, gases, travel, waste).

Columns ``site, period, activity, quantity, unit`` (``lokasjon, periode,
aktivitet, mengde, enhet``), optional ``note`` (``merknad``/``kommentar``) and
``category`` (``kategori``): the row's reporting category (DESIGN §3, §4), by
its code or its Norwegian name from ``vocabulary/categories.csv``; empty: the
activity table's.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.readers.columns import aliases_of, required_of
from klimaregnskap.readers.tables import (Table, begin_reading, check_not_negative,
                                          column_strings, did_you_mean,
                                          extract_year_month_day, map_sites,
                                          parse_number_column, require_filled)
from klimaregnskap.units import is_compatible, is_known_unit
from klimaregnskap.vocabulary import reporting_categories

REQUIRED = set(required_of("activity"))
COLUMNS = aliases_of("activity")

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "site": pa.Column(str),
    "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$")),
    "year": pa.Column("int64"),
    "month": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
    "activity": pa.Column(str),
    "quantity": pa.Column("float64", pa.Check.ge(0)),
    "unit": pa.Column(str),
    "note": pa.Column(str),
    "category": pa.Column(str),
}, strict=True, ordered=True)

_PERIOD_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})[./](?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?: 00:00(?::00)?)?$"),
)
PERIOD_EXPECTED = "a year (2024), a month (2024-03 or 03.2024) or a date (2024-03-15)"


def parse_period_column(table: Table, column: str) -> pd.DataFrame:
    """Parse periods into canonical text, year and month, vectorised.

    Parameters
    ----------
    table : Table
    column : str

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD'), ``year``
        (int64) and ``month`` (Int64, NA for a whole year).

    Raises
    ------
    InputError
        At the first period that is none of the accepted forms.
    """
    require_filled(table, column, PERIOD_EXPECTED)
    text = column_strings(table, column)
    y, m, d = extract_year_month_day(text, _PERIOD_PATTERNS)
    bad = y.isna() | (m.notna() & ~m.between(1, 12)) | ~y.between(1900, 2200)
    has_day = d.notna()
    if has_day.any():
        dates = pd.to_datetime(pd.DataFrame({"year": y[has_day], "month": m[has_day],
                                             "day": d[has_day]}), errors="coerce")
        bad[has_day] |= dates.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise table.error("not a period", i, column, text.iloc[i], PERIOD_EXPECTED)
    yi = y.astype("int64")
    period = yi.astype(str)
    has_month = m.notna()
    period[has_month] = (period[has_month] + "-"
                         + m[has_month].astype("int64").astype(str).str.zfill(2))
    period[has_day] = period[has_day] + "-" + d[has_day].astype("int64").astype(str).str.zfill(2)
    return pd.DataFrame({"period": period.astype(object), "year": yi,
                         "month": m.astype("Int64")})


def read_activity(table: Table, ctx) -> pd.DataFrame:
    """Read and validate an activity-data file.

    Parameters
    ----------
    table : Table
    ctx : ReaderContext
        Uses ``sites`` and ``activity_units``.

    Returns
    -------
    pandas.DataFrame
        ``row, site, period, year, month, activity, quantity, unit, note``;
        ``quantity`` is in ``unit`` (as written, stripped).

    Raises
    ------
    InputError
        Every problem found (up to 10), naming file, row, column, found and
        expected.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    n = len(table.frame)
    sites = periods = quantity = None
    with problems.check():
        sites = map_sites(table, cols["site"], ctx.sites)
    with problems.check():
        periods = parse_period_column(table, cols["period"])
    with problems.check():
        quantity = parse_number_column(table, cols["quantity"])
        check_not_negative(table, cols["quantity"], quantity)

    known = {a.lower(): a for a in ctx.activity_units}
    # the library's names (lystgass, fyringsolje) in place of a code, when the
    # context knows them (DESIGN §3); a code always wins over a name
    aliases = getattr(ctx.activity_units, "aliases", None)
    if callable(aliases):
        known = {**{k: v for k, v in aliases().items() if v in ctx.activity_units}, **known}
    # certificates are bought, not used: they are read from a certificates file
    # (DESIGN §3 "Energy certificates"), never as activity data
    known = {k: v for k, v in known.items() if not v.startswith("certificate:")}
    act_text = column_strings(table, cols["activity"])
    activities = act_text.str.lower().str.split().str.join(" ").map(known)
    bad = activities.isna().to_numpy()
    # One problem per distinct unknown name, at its first row.
    for found, i in pd.Series(np.flatnonzero(bad), index=act_text[bad]).groupby(
            level=0, sort=False).first().items():
        problems.add(table.error("unknown activity" + did_you_mean(found, sorted(known)),
                                 int(i), cols["activity"], found,
                                 "one of the factor library's activities or their "
                                 "Norwegian names (klimaregnskap factors lists them)"))
    units = column_strings(table, cols["unit"])
    with problems.check():
        require_filled(table, cols["unit"], "a unit such as kWh, L, kg, tonne or pkm")
    # Units are checked even when other columns have problems, so one pass shows
    # everything; rows with an unknown activity or no unit are already reported.
    pairs = pd.DataFrame({"a": activities, "u": units})
    pairs = pairs[pairs["a"].notna() & (pairs["u"].fillna("").str.strip() != "")]
    for (act, unit), idx in pairs.groupby(["a", "u"], sort=False).indices.items():
        i = int(pairs.index[idx[0]])
        with problems.check():
            if not is_known_unit(unit):
                raise table.error("unknown unit", i, cols["unit"], unit,
                                  "a unit such as kWh, MWh, L, m3, Sm3, kg, tonne, km "
                                  "or pkm")
            targets = ctx.activity_units.get(act) or []
            if targets and not any(is_compatible(unit, t) for t in targets):
                raise table.error(
                    f"unit '{unit}' does not convert to "
                    f"{' or '.join(repr(t) for t in targets)}, the unit(s) the factor "
                    f"library uses for '{act}'", i, cols["unit"], unit,
                    f"a unit that converts to {' or '.join(targets)}")
    category = pd.Series([""] * n, dtype=object)
    if "category" in cols:
        with problems.check():
            category = _categories(table, cols["category"])
    problems.raise_if_any()
    note = (column_strings(table, cols["note"]) if "note" in cols
            else pd.Series([""] * n, dtype=object))
    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "site": pd.Series(sites, dtype=str),
        "period": periods["period"].astype(str).to_numpy(),
        "year": periods["year"].to_numpy(dtype="int64"),
        "month": periods["month"].to_numpy(),
        "activity": activities.astype(str).to_numpy(),
        "quantity": quantity.astype("float64"),
        "unit": units.astype(str).to_numpy(),
        "note": note.astype(str).to_numpy(),
        "category": category.astype(str).to_numpy(),
    })
    out["month"] = out["month"].astype("Int64")
    for c in ("site", "period", "activity", "unit", "note", "category"):
        out[c] = out[c].astype(str)
    return SCHEMA.validate(out)


CATEGORY_EXPECTED = ("a reporting category: " + ", ".join(reporting_categories())
                     + " (or its Norwegian name), or empty for the activity's own")


def _categories(table: Table, column: str) -> pd.Series:
    """The optional ``category`` column as reporting-category codes ('' where empty).

    A code or a Norwegian or English name of ``categories.csv`` is accepted,
    case-insensitively (``Pasienttransport``, ``patient transport``).

    Raises
    ------
    InputError
        At the first value that is no reporting category, with a did-you-mean.
    """
    known: dict[str, str] = {}
    for code, names in reporting_categories().items():
        for name in (code, code.replace("_", " "), names["nb"], names["en"]):
            known[" ".join(str(name).lower().split())] = code
    text = column_strings(table, column).fillna("").astype(str).str.strip()
    found = text.str.lower().str.split().str.join(" ")
    # 'patient transport' and 'patient_transport' alike
    codes = found.map(lambda v: "" if v == "" else known.get(v.replace("_", " ")))
    bad = codes.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise table.error("unknown category" + did_you_mean(text.iloc[i], sorted(
            reporting_categories())), i, column, text.iloc[i], CATEGORY_EXPECTED)
    return codes.astype(object)
