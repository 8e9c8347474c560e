"""Meters: the meter registry, meter readings (long and wide form) and Elhub exports.

Readings come out in one frame shape whatever the input form::

    row:int64, meter_id:str, ts_utc:datetime64[ns, UTC], year:int16,
    value:float64, quality:str

``ts_utc`` is the interval start, ``year`` the local calendar year of that
start, ``value`` is in the meter's registry unit (a per-row unit column is
converted once per distinct unit; the registry ``multiplier`` is applied
later, not here). Interval meters give consumption per interval; register
meters give the cumulative counter reading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.csv as pacsv

from klimaregnskap.calc.registers import counter_steps
from klimaregnskap.errors import InputError, UnitError
from klimaregnskap.readers.base import ReaderContext, ReadResult, file_sha256
from klimaregnskap.readers.columns import (COLUMN_ALIASES, TIMESTAMP_HEADERS, aliases_of,
                                           columns_of, fold, matches, quality_word,
                                           required_of)
from klimaregnskap.readers.readings_csv import CountingReader, split_header
from klimaregnskap.readers.tables import (Table, check_total_rows, column_strings,
                                          did_you_mean, match_columns, parse_number_column)
from klimaregnskap.readers.timestamps import local_year, parse_timestamps
from klimaregnskap.units import conversion_factor, is_compatible, is_known_unit
from klimaregnskap.warning import KlimaWarning

__all__ = ["ENERGY_CARRIERS", "RECOVERED_CARRIERS", "read_meter_registry",
           "read_meter_readings", "read_elhub", "is_elhub_table", "normalise_quality",
           "iter_meter_reading_chunks", "ChunkState", "READINGS_SCHEMA", "REGISTRY_SCHEMA"]

#: carriers metered in energy units (must convert to kWh).
ENERGY_CARRIERS = ("electricity", "district_heating", "district_cooling", "recovered_heat",
                   "recovered_power")
#: carriers that are recovered energy (no emissions, not delivered energy).
RECOVERED_CARRIERS = ("recovered_heat", "recovered_power")

_CARRIER_ALIASES = {
    "elektrisitet": "electricity", "strom": "electricity", "el": "electricity",
    "elkraft": "electricity", "power": "electricity",
    "fjernvarme": "district_heating", "fjernkjoling": "district_cooling",
    "gjenvunnet_varme": "recovered_heat", "gjenvinningsvarme": "recovered_heat",
    "gjenvunnen_varme": "recovered_heat",
    "gjenvinningskraft": "recovered_power", "gjenvunnet_kraft": "recovered_power",
}
_KIND_WORDS = {
    "interval": "interval", "intervall": "interval", "forbruk": "interval",
    "consumption": "interval",
    "register": "register", "akkumulert": "register", "akkumulerende": "register",
    "accumulated": "register", "cumulative": "register", "maalerstand": "register",
    "malerstand": "register", "teller": "register", "counter": "register",
}
_ROLE_WORDS = {
    "main": "main", "hoved": "main", "hovedmaaler": "main", "hovedmaler": "main",
    "sub": "sub", "under": "sub", "undermaaler": "sub", "undermaler": "sub",
    "submeter": "sub", "sub_meter": "sub",
}

REGISTRY_SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "meter_id": pa.Column(str),
    "site": pa.Column(str),
    "carrier": pa.Column(str),
    "kind": pa.Column(str, pa.Check.isin(["interval", "register"])),
    "role": pa.Column(str, pa.Check.isin(["main", "sub"])),
    "unit": pa.Column(str),
    "multiplier": pa.Column("float64"),
    "rollover": pa.Column("float64", nullable=True),
    "installed_utc": pa.Column("datetime64[ns]", nullable=True),
    "removed_utc": pa.Column("datetime64[ns]", nullable=True),
}, strict=True, ordered=True)

READINGS_SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "meter_id": pa.Column(str),
    "ts_utc": pa.Column("datetime64[ns, UTC]"),
    "year": pa.Column("int16"),
    "value": pa.Column("float64"),
    "quality": pa.Column(str),
}, strict=True, ordered=True)

_EXPECT_KWH = "an energy unit that converts to kWh (kWh, MWh, GWh)"

_REGISTRY_REQUIRED = required_of("meter_registry")
_READINGS_REQUIRED = required_of("meter_readings")
_ELHUB = aliases_of("elhub")
_ELHUB_REQUIRED = required_of("elhub")
_ELHUB_HEADER = ";".join(c.name_nb for c in columns_of("elhub"))


# ----------------------------------------------------------------- registry

def read_meter_registry(table: Table, ctx: ReaderContext) -> ReadResult:
    """Read and validate a meter registry.

    Parameters
    ----------
    table : Table
        Columns ``meter_id, site, carrier, kind, role, unit`` (Norwegian
        ``målepunkt, lokasjon, energibærer, type, rolle, enhet``), optional
        ``multiplier`` (default 1), ``rollover`` (register meters: the
        counter value at which it wraps to zero, in the meter's unit) and
        ``installed`` / ``removed`` (``montert`` / ``demontert``: when the
        meter starts and stops measuring; a date alone is the start of that
        local day for ``installed`` and its end, 24:00, for ``removed``).
    ctx : ReaderContext
        Known sites and the factor library's activities (fuel carriers).

    Returns
    -------
    ReadResult
        ``kind='meter_registry'``; frame ``row:int64, meter_id:str, site:str,
        carrier:str, kind:str, role:str, unit:str, multiplier:float64,
        rollover:float64`` (NaN when none), ``installed_utc, removed_utc``
        (naive UTC, NaT when not given).

    Raises
    ------
    InputError
        Unknown site, carrier, kind, role or unit; a unit that does not fit
        the carrier; a non-positive multiplier or rollover; an unreadable
        ``installed``/``removed`` or one that is not before the other; a
        duplicate meter id (both rows named).
    """
    file = str(table.path)
    cols = match_columns(table, aliases_of("meter_registry"), set(_REGISTRY_REQUIRED))
    check_total_rows(table)
    rows = table.rows
    text = {k: column_strings(table, cols[k]) for k in _REGISTRY_REQUIRED}
    for k in _REGISTRY_REQUIRED:
        empty = np.flatnonzero((text[k] == "").to_numpy())
        if empty.size:
            i = empty[0]
            raise InputError(f"missing {k}", file=file, row=int(rows[i]), column=cols[k],
                             found="", expected=f"a {k}")
    meter_id = text["meter_id"]
    site = text["site"]
    unknown_site = np.flatnonzero(~site.isin(list(ctx.sites)).to_numpy())
    if unknown_site.size:
        i = unknown_site[0]
        raise InputError("unknown site" + did_you_mean(site.iloc[i], ctx.sites), file=file,
                         row=int(rows[i]), column=cols["site"],
                         found=site.iloc[i],
                         expected="one of the sites in klimaregnskap.toml: "
                                  + ", ".join(sorted(ctx.sites)))
    carrier = _map_words(text["carrier"], _carrier_lookup(ctx), table, cols["carrier"],
                         "a carrier: " + ", ".join(ENERGY_CARRIERS)
                         + ", or a fuel from the factor library", "carrier")
    kind = _map_words(text["kind"], _KIND_WORDS, table, cols["kind"],
                      "interval or register (intervall, akkumulert)", "meter kind")
    role = _map_words(text["role"], _ROLE_WORDS, table, cols["role"],
                      "main or sub (hoved/hovedmåler, under/undermåler)", "role")
    unit = text["unit"]
    _check_registry_units(table, cols["unit"], unit, carrier, ctx)

    multiplier = _optional_positive(table, cols, "multiplier",
                                    "a number above 0 (empty means 1)", default=1.0)
    rollover = _optional_positive(table, cols, "rollover",
                                  "the counter value at which the meter wraps to zero")
    installed = _optional_moment(table, cols, "installed", ctx.timezone, end_of_day=False)
    removed = _optional_moment(table, cols, "removed", ctx.timezone, end_of_day=True)
    wrong = np.flatnonzero((~np.isnat(installed) & ~np.isnat(removed)
                            & (removed <= installed)))
    if wrong.size:
        i = wrong[0]
        raise InputError("the meter is removed before it is installed", file=file,
                         row=int(rows[i]), column=cols["removed"],
                         found=column_strings(table, cols["removed"]).iloc[i],
                         expected="a moment after 'installed' ("
                                  + column_strings(table, cols["installed"]).iloc[i] + ")")
    warnings: list[KlimaWarning] = []
    odd = np.flatnonzero(~np.isnan(rollover) & (kind == "interval").to_numpy())
    for i in odd[:10]:
        warnings.append(KlimaWarning("rollover_ignored", file=str(file), row=int(rows[i]),
                                     meter_id=str(meter_id.iloc[i])))

    dup = meter_id.duplicated(keep=False).to_numpy()
    if dup.any():
        later = np.flatnonzero(meter_id.duplicated(keep="first").to_numpy())[0]
        first = np.flatnonzero((meter_id == meter_id.iloc[later]).to_numpy())[0]
        raise InputError(f"duplicate meter id: rows {int(rows[first])} and {int(rows[later])}",
                         file=file, row=int(rows[later]), column=cols["meter_id"],
                         found=meter_id.iloc[later], expected="each meter id once",
                         extra={"rows": [int(rows[first]), int(rows[later])]})

    frame = pd.DataFrame({
        "row": rows.astype("int64"),
        "meter_id": meter_id.to_numpy(dtype=object),
        "site": site.to_numpy(dtype=object),
        "carrier": carrier.to_numpy(dtype=object),
        "kind": kind.to_numpy(dtype=object),
        "role": role.to_numpy(dtype=object),
        "unit": unit.to_numpy(dtype=object),
        "multiplier": np.asarray(multiplier, dtype="float64"),
        "rollover": np.asarray(rollover, dtype="float64"),
        "installed_utc": installed,
        "removed_utc": removed,
    })
    for c in ("meter_id", "site", "carrier", "kind", "role", "unit"):
        frame[c] = frame[c].astype(str)
    frame = REGISTRY_SCHEMA.validate(frame)
    return ReadResult(kind="meter_registry", path=table.path, sha256=table.sha256,
                      frame=frame, rows=len(frame), warnings=warnings)


_DATE_ONLY = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})\s*$")


def _optional_moment(table: Table, cols: dict[str, str], name: str, tz: str, *,
                     end_of_day: bool) -> np.ndarray:
    """An optional registry column of dates or local dates and times (DESIGN §3).

    Parameters
    ----------
    table : Table
    cols : dict
        Canonical column name -> header in the file.
    name : str
        ``installed`` or ``removed``.
    tz : str
        Project time zone: the values are local.
    end_of_day : bool
        A date alone means the end of that local day (24:00) rather than its
        start: the meter measures through the day it is removed.

    Returns
    -------
    numpy.ndarray of datetime64[ns]
        Naive UTC; NaT where the cell is empty or the column absent.
    """
    out = np.full(len(table.rows), np.datetime64("NaT"), dtype="datetime64[ns]")
    if name not in cols:
        return out
    text = column_strings(table, cols[name])
    has = np.flatnonzero((text != "").to_numpy())
    if not has.size:
        return out
    values = table.frame[cols[name]].iloc[has]
    # a date cell of a workbook comes as a datetime at midnight: a date alone
    date_only = text.iloc[has].str.match(_DATE_ONLY).to_numpy() | np.array(
        [isinstance(v, dt.datetime) and v.time() == dt.time(0) for v in values])
    utc = parse_timestamps(values, tz, file=table.path, rows=table.rows[has],
                           column=cols[name], check_duplicates=False)
    if end_of_day and date_only.any():
        local = utc.dt.tz_convert(tz).dt.tz_localize(None)
        next_day = (local[date_only] + pd.Timedelta(days=1)).dt.tz_localize(tz)
        utc.loc[next_day.index] = next_day.dt.tz_convert("UTC")
    out[has] = utc.dt.tz_localize(None).to_numpy("datetime64[ns]")
    return out


def _optional_positive(table: Table, cols: dict[str, str], name: str, expected: str, *,
                       default: float = np.nan) -> np.ndarray:
    """An optional registry column of numbers above zero.

    Parameters
    ----------
    table : Table
    cols : dict of str to str
        Canonical name -> header as written (from :func:`match_columns`).
    name : str
        The column's canonical name (``multiplier``, ``rollover``).
    expected : str
        What the error says was expected instead of a bad cell.
    default : float
        The value of an empty cell, and of every row when the column is absent.

    Returns
    -------
    numpy.ndarray of float64

    Raises
    ------
    InputError
        At the first cell that is not a number, or (after empty cells take
        ``default``) at the first value that is not above zero:
        ``"<name> must be positive"``.
    """
    if name not in cols:
        return np.full(len(table.frame), default)
    values = parse_number_column(table, cols[name], allow_empty=True)
    values = np.where(np.isnan(values), default, values)
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        i = bad[0]
        raise InputError(f"{name} must be positive", file=str(table.path),
                         row=int(table.rows[i]), column=cols[name], found=values[i],
                         expected=expected)
    return values


def _carrier_lookup(ctx: ReaderContext) -> dict[str, str]:
    words = {c: c for c in ENERGY_CARRIERS}
    words.update(_CARRIER_ALIASES)
    for activity in ctx.activity_units:
        words.setdefault(fold(activity), activity)
    return words


def _map_words(text: pd.Series, words: dict[str, str], table: Table, column: str,
               expected: str, label: str) -> pd.Series:
    # Folding happens once per distinct word, not per row.
    uniques = pd.unique(text.to_numpy(dtype=object))
    mapping = {u: words.get(fold(u)) for u in uniques}
    out = text.map(mapping)
    bad = np.flatnonzero(out.isna().to_numpy())
    if bad.size:
        i = bad[0]
        raise InputError(f"unknown {label}" + did_you_mean(text.iloc[i], words),
                         file=str(table.path),
                         row=int(table.rows[i]), column=column, found=text.iloc[i],
                         expected=expected)
    return out.astype(object)


def _check_registry_units(table: Table, column: str, unit: pd.Series, carrier: pd.Series,
                          ctx: ReaderContext) -> None:
    pairs = pd.DataFrame({"u": unit.to_numpy(dtype=object), "c": carrier.to_numpy(dtype=object)})
    first = pairs.drop_duplicates()
    for i, (u, c) in zip(first.index, first.itertuples(index=False)):
        row = int(table.rows[i])
        if not is_known_unit(u):
            raise InputError("unknown unit", file=str(table.path), row=row, column=column,
                             found=u, expected=_EXPECT_KWH if c in ENERGY_CARRIERS
                             else "a unit such as kWh, L, kg or Sm3")
        if c in ENERGY_CARRIERS:
            if not is_compatible(u, "kWh"):
                raise InputError(f"unit '{u}' does not convert to kWh for carrier {c}",
                                 file=str(table.path), row=row, column=column, found=u,
                                 expected=_EXPECT_KWH)
        else:
            allowed = ctx.activity_units.get(c, [])
            if allowed and not any(is_compatible(u, a) for a in allowed):
                raise InputError(f"unit '{u}' does not convert to the units of {c}",
                                 file=str(table.path), row=row, column=column, found=u,
                                 expected="a unit that converts to " + " or ".join(allowed))


# ----------------------------------------------------------------- readings

def _registry(ctx: ReaderContext, table: Table) -> pd.DataFrame:
    if ctx.meters is None or len(ctx.meters) == 0:
        raise InputError("meter readings need a meter registry, and none is loaded",
                         file=str(table.path),
                         expected="a meter registry file (meter_id, site, carrier, kind, "
                                  "role, unit) loaded first or together with the readings")
    reg = ctx.meters.copy()
    reg["meter_id"] = reg["meter_id"].astype(str)
    if "kind" not in reg:
        reg["kind"] = "interval"
    if "unit" not in reg:
        reg["unit"] = "kWh"
    if "rollover" not in reg:
        reg["rollover"] = np.nan
    return reg.drop_duplicates("meter_id", keep="last").set_index("meter_id")


@dataclass
class ChunkState:
    """What reading a long file in chunks carries from one chunk to the next.

    Attributes
    ----------
    october : dict
        ``(meter, wall time [ns]) -> occurrences`` of the repeated October
        hour so far (first is summer time, second winter time).
    """

    october: dict = field(default_factory=dict)


def read_meter_readings(table: Table, ctx: ReaderContext, *,
                        state: ChunkState | None = None) -> ReadResult:
    """Read meter readings, long or wide form.

    Parameters
    ----------
    table : Table
        Long form: ``meter_id, timestamp, value`` (``målepunkt, tidspunkt,
        verdi``), optional ``unit`` (``enhet``) and ``quality``
        (``kvalitet``). Wide form: a first column of timestamps (any header)
        followed by one column per registered meter id.
    ctx : ReaderContext
        ``ctx.meters`` is the registry (meter_id, kind, unit, rollover);
        ``ctx.timezone`` the zone of naive timestamps.
    state : ChunkState, optional
        Long form read in chunks: what earlier chunks showed, updated in
        place.

    Returns
    -------
    ReadResult
        ``kind='meter_readings'``; frame ``row, meter_id, ts_utc, year,
        value, quality`` sorted by meter_id, ts_utc; ``value`` in the meter's
        registry unit.

    Raises
    ------
    InputError
        Unregistered meter, bad or repeated timestamp, a unit that does not
        convert, a value that is not a number, a negative interval value, a
        decreasing register reading without rollover, a value above the
        rollover. An empty value is no error: it is a missing interval, left
        out (a gap in data quality, never zero) and counted in an
        ``empty_values_skipped`` warning.
    """
    reg = _registry(ctx, table)
    check_total_rows(table)
    long_cols = _long_columns(table)
    if long_cols is not None:
        return _read_long(table, ctx, reg, long_cols, state)
    return _read_wide(table, ctx, reg)


def _long_columns(table: Table) -> dict[str, str] | None:
    folded = {fold(h) for h in table.frame.columns}
    spellings = aliases_of("meter_readings")
    if all(any(fold(a) in folded for a in spellings[k]) for k in _READINGS_REQUIRED):
        return match_columns(table, spellings, set(_READINGS_REQUIRED))
    return None


def _read_long(table: Table, ctx: ReaderContext, reg: pd.DataFrame,
               cols: dict[str, str], state: ChunkState | None = None) -> ReadResult:
    file = str(table.path)
    rows = table.rows
    meter = column_strings(table, cols["meter_id"])
    empty = np.flatnonzero((meter == "").to_numpy())
    if empty.size:
        i = empty[0]
        raise InputError("missing meter id", file=file, row=int(rows[i]),
                         column=cols["meter_id"], found="", expected="a registered meter id")
    _check_registered(meter, reg, table, cols["meter_id"])
    values = parse_number_column(table, cols["value"], allow_empty=True)
    ts = parse_timestamps(table.frame[cols["timestamp"]], ctx.timezone, file=file, rows=rows,
                          column=cols["timestamp"], groups=meter.to_numpy(dtype=object),
                          seen=state.october if state is not None else None)
    quality = (normalise_quality(column_strings(table, cols["quality"]))
               if "quality" in cols else pd.Series([""] * len(meter), dtype=object))
    frame = pd.DataFrame({"row": rows.astype("int64"), "meter_id": meter.to_numpy(dtype=object),
                          "ts_utc": ts.to_numpy(dtype="datetime64[ns]"), "value": values,
                          "quality": quality.to_numpy(dtype=object)})
    if "unit" in cols:
        units = column_strings(table, cols["unit"]).to_numpy(dtype=object)
        frame["value"] = _convert_to_meter_units(frame, units, reg, table, cols["unit"])
    return _finish(frame, table, ctx, reg, cols["value"])


def _read_wide(table: Table, ctx: ReaderContext, reg: pd.DataFrame) -> ReadResult:
    file = str(table.path)
    headers = list(table.frame.columns)
    if len(headers) < 2:
        raise InputError("meter readings need a timestamp column and at least one meter "
                         "column", file=file, row=table.header_row,
                         expected="meter_id, timestamp, value (long form) or a timestamp "
                                  "column followed by one column per meter id (wide form)")
    ts_col, meter_cols = headers[0], headers[1:]
    if fold(ts_col) not in {fold(h) for h in TIMESTAMP_HEADERS} | {
            fold(a) for a in COLUMN_ALIASES["timestamp"]}:
        # any header is allowed, but a meter id in the first column means a
        # missing timestamp column
        if str(ts_col).strip() in reg.index:
            raise InputError("the first column of a wide meter file must hold timestamps",
                             file=file, row=table.header_row, column=ts_col,
                             found=ts_col, expected="a timestamp column (tidspunkt, dato, fra)")
    for c in meter_cols:
        if str(c).strip() not in reg.index:
            known = sorted(reg.index)
            raise InputError("column names no registered meter"
                             + did_you_mean(str(c).strip(), known), file=file,
                             row=table.header_row, column=str(c), found=str(c),
                             expected="a meter id from the registry ("
                                      + ", ".join(known[:10])
                                      + (", ..." if len(known) > 10 else "") + ")")
    ts = parse_timestamps(table.frame[ts_col], ctx.timezone, file=file, rows=table.rows,
                          column=ts_col)
    n = len(table.frame)
    parts = []
    for c in meter_cols:
        v = parse_number_column(table, c, allow_empty=True)
        parts.append(pd.DataFrame({"row": table.rows.astype("int64"),
                                   "meter_id": np.full(n, str(c).strip(), dtype=object),
                                   "ts_utc": ts.to_numpy(dtype="datetime64[ns]"), "value": v,
                                   "quality": np.full(n, "", dtype=object),
                                   "_column": np.full(n, c, dtype=object)}))
    frame = pd.concat(parts, ignore_index=True)
    return _finish(frame, table, ctx, reg, None)


def _check_registered(meter: pd.Series, reg: pd.DataFrame, table: Table, column: str) -> None:
    known = reg.index
    bad = np.flatnonzero(~meter.isin(known).to_numpy())
    if bad.size:
        i = bad[0]
        ids = sorted(known)
        found = str(meter.iloc[i])
        hint = (" (Excel keeps only 15 digits of a number: store 18-digit meter ids as text)"
                if found.isdigit() and len(found) > 15 else "")
        raise InputError("reading for a meter that is not in the registry"
                         + did_you_mean(found, ids) + hint,
                         file=str(table.path),
                         row=int(table.rows[i]), column=column, found=meter.iloc[i],
                         expected="a meter id from the registry (" + ", ".join(ids[:10])
                                  + (", ..." if len(ids) > 10 else "") + ")")


def _convert_to_meter_units(frame: pd.DataFrame, units: np.ndarray, reg: pd.DataFrame,
                            table: Table, column: str) -> np.ndarray:
    meter_unit = frame["meter_id"].map(reg["unit"].astype(str)).to_numpy(dtype=object)
    units = np.where(units == "", meter_unit, units)
    pairs = pd.DataFrame({"u": units, "m": meter_unit})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
    out = frame["value"].to_numpy(dtype="float64").copy()
    for k, (u, m) in enumerate(uniques):
        sel = codes == k
        if u == m:
            continue
        try:
            factor = conversion_factor(u, m)
        except UnitError as exc:
            i = int(np.flatnonzero(sel)[0])
            reason = ("unknown unit" if exc.reason == "unknown"
                      else f"unit '{u}' does not convert to the meter's unit '{m}'")
            raise InputError(reason, file=str(table.path), row=int(table.rows[i]),
                             column=column, found=u,
                             expected=f"a unit that converts to {m} (the meter "
                                      f"{frame['meter_id'].iloc[i]}'s registry unit)")
        out[sel] = out[sel] * factor
    return out


def _finish(frame: pd.DataFrame, table: Table, ctx: ReaderContext, reg: pd.DataFrame,
            value_column: str | None) -> ReadResult:
    """Empty values (left out: gaps), sign, register and rollover checks; sort; schema."""
    file = str(table.path)
    warnings: list[str] = []
    colname = frame["_column"].to_numpy(dtype=object) if "_column" in frame else None

    def col_at(i: int) -> str | None:
        return str(colname[i]) if colname is not None else value_column

    # An empty value (a blank cell of a wide export, an empty ``value`` of a
    # long file) is a missing interval (DESIGN §3): it is left out, so that
    # it shows as a gap in data quality, never as zero and never as an error,
    # wherever it stands in the series.
    empty = np.isnan(frame["value"].to_numpy())
    if empty.any():
        warnings.append(KlimaWarning("empty_values_skipped", file=str(file),
                                     values={"count": int(empty.sum())}))
        keep = ~empty
        frame = frame[keep].reset_index(drop=True)
        if colname is not None:
            colname = colname[keep]

    meter = frame["meter_id"]
    kind = meter.map(reg["kind"].astype(str)).to_numpy(dtype=object)
    rollover = meter.map(pd.to_numeric(reg["rollover"], errors="coerce")).to_numpy(
        dtype="float64")
    value = frame["value"].to_numpy(dtype="float64")

    neg = np.flatnonzero(value < 0)
    if neg.size:
        i = neg[0]
        if kind[i] == "register":
            msg, expected = "negative register reading", "a counter reading of 0 or more"
        else:
            msg = "negative value on an interval meter"
            expected = ("0 or more (a meter that also exports energy needs a separate "
                        "meter id for the export)")
        raise InputError(msg, file=file, row=int(frame["row"].iloc[i]), column=col_at(i),
                         found=value[i], expected=expected)
    above = np.flatnonzero(~np.isnan(rollover) & (value > rollover))
    if above.size:
        i = above[0]
        raise InputError("reading above the meter's rollover", file=file,
                         row=int(frame["row"].iloc[i]), column=col_at(i), found=value[i],
                         expected=f"at most {rollover[i]:g} (the registry's rollover for "
                                  f"meter {meter.iloc[i]})")

    codes, _ = pd.factorize(meter, sort=True)
    order = np.lexsort((frame["ts_utc"].to_numpy(dtype="datetime64[ns]"), codes))
    frame = frame.iloc[order].reset_index(drop=True)
    if colname is not None:
        colname = colname[order]
    kind, rollover, value = kind[order], rollover[order], value[order]

    on_register = np.flatnonzero(kind == "register")
    if on_register.size:
        _, decreasing = counter_steps(codes[order][on_register], value[on_register],
                                      rollover[on_register])
        bad = np.flatnonzero(decreasing)
        if bad.size:
            m = frame["meter_id"].to_numpy(dtype=object)
            i, before = on_register[bad[0]], on_register[bad[0] - 1]
            r0, r1 = int(frame["row"].iloc[before]), int(frame["row"].iloc[i])
            raise InputError(f"register reading decreases between rows {r0} and {r1} "
                             f"({value[before]:g} -> {value[i]:g}) and meter {m[i]} has no "
                             "rollover", file=file, row=r1, column=col_at(i), found=value[i],
                             expected=f"at least {value[before]:g} (or a rollover value for "
                                      "the meter in the registry)",
                             extra={"rows": [r0, r1]})

    frame = frame.drop(columns=[c for c in frame.columns if c == "_column"])
    frame["ts_utc"] = pd.Series(pd.DatetimeIndex(frame["ts_utc"].to_numpy(dtype="datetime64[ns]"))
                                .tz_localize("UTC"), index=frame.index)
    frame["year"] = local_year(frame["ts_utc"], ctx.timezone).to_numpy()
    frame = frame[["row", "meter_id", "ts_utc", "year", "value", "quality"]]
    frame = frame.astype({"row": "int64", "meter_id": str, "year": "int16", "value": "float64",
                          "quality": str})
    frame = READINGS_SCHEMA.validate(frame)
    return ReadResult(kind="meter_readings", path=table.path, sha256=table.sha256,
                      frame=frame, rows=len(frame), warnings=warnings)


def normalise_quality(words: pd.Series) -> pd.Series:
    """Quality words as a closed vocabulary where known.

    Parameters
    ----------
    words : pandas.Series of str
        As written (``Avlest``, ``Målt``, ``Estimert``, ``Beregnet``, ...).

    Returns
    -------
    pandas.Series of str
        ``'measured'``, ``'estimated'``, the word in lower case when
        unknown, ``''`` when empty.
    """
    s = pd.Series(words, dtype=object).fillna("").astype(str)
    uniques = pd.unique(s.to_numpy(dtype=object))
    return s.map({u: quality_word(u) for u in uniques}).astype(object)


# -------------------------------------------------------------------- Elhub

def _elhub_headers(table: Table, column: str) -> list:
    """The table's headers written as a spelling of the Elhub ``column`` (in the
    order of the spellings)."""
    return [h for s in _ELHUB[column] for h in table.frame.columns if matches(h, s)]


def is_elhub_table(table: Table) -> bool:
    """Whether a table looks like an Elhub consumption export (Fra, Til, KWH ...)."""
    return all(_elhub_headers(table, c) for c in _ELHUB_REQUIRED)


def read_elhub(table: Table, ctx: ReaderContext) -> ReadResult:
    """Read an Elhub consumption export (one metering point per file).

    Parameters
    ----------
    table : Table
        Columns ``Fra;Til;KWH 60 Forbruk;Kvalitet`` (or ``KWH 15 Forbruk``);
        ``Fra`` is the interval start, ``Til`` is not needed. Values in kWh.
    ctx : ReaderContext
        ``ctx.meters``: the registry; the file NAME must contain exactly one
        registered meter id (the 18-digit målepunkt-ID).

    Returns
    -------
    ReadResult
        ``kind='meter_readings'``, the same frame as
        :func:`read_meter_readings`.

    Raises
    ------
    InputError
        The file name holds no or several registered ids; and every error of
        :func:`read_meter_readings`.
    """
    file = str(table.path)
    reg = _registry(ctx, table)
    check_total_rows(table)
    name = Path(table.path).name
    ids = [m for m in reg.index if m and m in name]
    # An id that is part of a longer matching id is not a second match.
    ids = [m for m in ids if not any(m != o and m in o for o in ids)]
    if len(ids) != 1:
        known = sorted(reg.index)
        listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise InputError(
            ("the file name contains no registered meter id" if not ids else
             "the file name contains several registered meter ids: " + ", ".join(ids)),
            file=file, found=name,
            expected=f"a file name containing exactly one of the registered meter ids ({listed})")
    meter_id = ids[0]
    fra = next(iter(_elhub_headers(table, "fra")), None)
    value_cols = list(dict.fromkeys(_elhub_headers(table, "kwh*")))
    if fra is None or len(value_cols) != 1:
        raise InputError("not an Elhub consumption export", file=file, row=table.header_row,
                         found=", ".join(map(str, table.frame.columns)),
                         expected="columns " + _ELHUB_HEADER)
    vcol = value_cols[0]
    qcol = next(iter(_elhub_headers(table, "kvalitet")), None)
    n = len(table.frame)
    rows = table.rows
    values = parse_number_column(table, vcol, allow_empty=True)
    ts = parse_timestamps(table.frame[fra], ctx.timezone, file=file, rows=rows, column=fra)
    quality = (normalise_quality(column_strings(table, qcol)) if qcol is not None
               else pd.Series([""] * n, dtype=object))
    frame = pd.DataFrame({"row": rows.astype("int64"),
                          "meter_id": np.full(n, meter_id, dtype=object),
                          "ts_utc": ts.to_numpy(dtype="datetime64[ns]"), "value": values,
                          "quality": quality.to_numpy(dtype=object)})
    frame["value"] = _convert_to_meter_units(frame, np.full(n, "kWh", dtype=object), reg,
                                             table, vcol)
    return _finish(frame, table, ctx, reg, vcol)


# ------------------------------------------------------------ big long CSVs

def iter_meter_reading_chunks(path: str | Path, ctx: ReaderContext,
                              chunk_rows: int = 1_000_000, *, sha256: str | None = None,
                              progress=None):
    """Read a big long-form readings CSV in chunks of rows.

    Each chunk is validated like :func:`read_meter_readings` and yielded as a
    :class:`ReadResult`. The header must be on the first line (no metadata
    rows) and the file UTF-8. Checks that need the whole file are only made
    within a chunk: a repeated timestamp split across two chunks and a
    decreasing register reading across a chunk boundary are not seen here
    (``ledger.store_chunks`` checks repeats and register continuity in the
    ledger before COMMIT); the repeated October hour is followed across
    chunks (:class:`ChunkState`). Empty values are gaps wherever they stand.

    Parameters
    ----------
    path : str or Path
        A long-form CSV (``meter_id, timestamp, value``, optional ``unit``,
        ``quality``), delimiter ``;``, ``,`` or tab.
    ctx : ReaderContext
    chunk_rows : int
        Rows per chunk (about).
    sha256 : str, optional
        The file's hash when already known (saves reading the file twice).
    progress : callable, optional
        ``progress(bytes_read, bytes_total)`` after each chunk [bytes].

    Yields
    ------
    ReadResult
    """
    path = Path(path)
    sha = sha256 or file_sha256(path)
    total = path.stat().st_size
    with open(path, "rb") as fh:
        first = fh.readline().decode("utf-8-sig")
    delim, header = split_header(first)
    convert = pacsv.ConvertOptions(column_types={h: pyarrow.string() for h in header},
                                   strings_can_be_null=True)
    block = max(1 << 20, int(chunk_rows) * 40)
    raw = open(path, "rb")
    counting = CountingReader(raw)
    try:
        reader = pacsv.open_csv(counting, read_options=pacsv.ReadOptions(block_size=block,
                                                                         encoding="utf8"),
                                parse_options=pacsv.ParseOptions(delimiter=delim),
                                convert_options=convert)
        next_row = 2
        state = ChunkState()
        for batch in reader:
            df = batch.to_pandas()
            df.columns = [str(c).strip() for c in df.columns]
            for c in df.columns:
                s = df[c].str.strip()
                df[c] = s.where(s != "", np.nan)
            rows = np.arange(next_row, next_row + len(df), dtype="int64")
            next_row += len(df)
            table = Table(path=path, frame=df, rows=rows, header_row=1, sheet=None, sha256=sha)
            result = read_meter_readings(table, ctx, state=state)
            if progress is not None:
                progress(min(counting.position, total), total)
            yield result
    finally:
        raw.close()
