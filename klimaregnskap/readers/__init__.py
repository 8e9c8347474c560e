"""Readers: users' CSV/XLSX files -> validated, unit-tagged DataFrames.

A file's kind is recognised from its columns (:func:`detect_kind`), never
from its name; :func:`read_input` reads, detects and dispatches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fast load path runs without pandas
    import pandas as pd


@dataclass
class ReaderContext:
    """What a reader needs to know about the project.

    Attributes
    ----------
    sites : set of str
        Site ids from the configuration.
    activity_units : mapping of str to list of str
        Activity -> units its quantity may convert to (the factor library's
        denominators, e.g. ``{"diesel": ["L", "kWh"]}``).
    timezone : str
        IANA zone of naive timestamps.
    meters : pandas.DataFrame, optional
        The meter registry (for meter readings).
    """

    sites: set[str]
    activity_units: Mapping[str, list[str]]
    timezone: str = "Europe/Oslo"
    meters: pd.DataFrame | None = None


@dataclass
class ReadResult:
    """One file, read and validated."""

    kind: str
    path: Path
    sha256: str
    frame: pd.DataFrame  # a pyarrow.Table from the fast readings path (readings_csv)
    rows: int
    warnings: list[str] = field(default_factory=list)


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as lower-case hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


#: kind -> the canonical columns a file of that kind must have.
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "meter_registry": ("meter_id", "site", "carrier", "kind", "role", "unit"),
    "meter_readings": ("meter_id", "timestamp", "value"),
    "activity": ("site", "period", "activity", "quantity", "unit"),
    "food_waste": ("date", "site", "category", "quantity", "unit"),
    "temperatures": ("date", "site", "mean_temperature"),
    "operations": ("year", "site", "patient_days"),
    "products": ("year", "product_id", "quantity"),
}

_NORWEGIAN = {
    "meter_registry": "målepunkt, lokasjon, energibærer, type, rolle, enhet",
    "meter_readings": "målepunkt, tidspunkt, verdi; or a timestamp column followed by "
                      "one column per meter id; or an Elhub export (Fra, Til, KWH ...)",
    "activity": "lokasjon, periode, aktivitet, mengde, enhet",
    "food_waste": "dato, lokasjon, kategori, mengde, enhet",
    "temperatures": "dato, lokasjon, middeltemperatur",
    "operations": "år, lokasjon, liggedøgn",
    "products": "år, varenummer, antall",
}


def _present_columns(table) -> set[str]:
    from klimaregnskap.readers.columns import COLUMN_ALIASES, fold

    folded = {fold(c) for c in table.frame.columns}
    return {canon for canon, aliases in COLUMN_ALIASES.items()
            if any(fold(a) in folded for a in [canon, *aliases])}


def is_elhub(table) -> bool:
    """Whether the table is an Elhub export: ``Fra``, ``Til`` and a ``KWH ...`` column."""
    from klimaregnskap.readers.columns import fold

    folded = [fold(c) for c in table.frame.columns]
    return "fra" in folded and "til" in folded and any(c.startswith("kwh") for c in folded)


def is_wide_readings(table, meter_ids=None) -> bool:
    """Whether the table is wide meter readings: a timestamp column, then meter ids.

    Parameters
    ----------
    table : Table
    meter_ids : iterable of str, optional
        Registered meter ids. When given, every further column must be one
        of them (so a file with a date column and other data is not taken
        for meter readings); when None, any further columns are accepted.
    """
    from klimaregnskap.readers.columns import TIMESTAMP_HEADERS, fold

    cols = [str(c) for c in table.frame.columns]
    if len(cols) < 2 or fold(cols[0]) not in {fold(h) for h in TIMESTAMP_HEADERS}:
        return False
    rest = [c.strip() for c in cols[1:] if not c.startswith("Unnamed: ")]
    if not rest:
        return False
    if meter_ids is None:
        return True
    ids = {str(m).strip() for m in meter_ids}
    # One registered id is enough: meters.py then names any unregistered column.
    return any(c in ids for c in rest)


def detect_kind(table, meter_ids=None) -> str:
    """Recognise a file's kind from its columns (never from its name).

    Parameters
    ----------
    table : Table
    meter_ids : iterable of str, optional
        Registered meter ids, to recognise wide meter-readings files.

    Returns
    -------
    str
        'activity', 'food_waste', 'operations', 'products', 'temperatures',
        'meter_registry' or 'meter_readings' (Elhub exports included; see
        :func:`is_elhub`).

    Raises
    ------
    InputError
        No kind fits; the message lists each kind's required columns.
    """
    from klimaregnskap.errors import InputError

    if is_elhub(table):
        return "meter_readings"
    present = _present_columns(table)
    fits = [k for k, need in KIND_COLUMNS.items() if set(need) <= present]
    if fits:
        # The most specific kind wins (the registry has more columns than readings).
        return max(fits, key=lambda k: len(KIND_COLUMNS[k]))
    if is_wide_readings(table, meter_ids):
        return "meter_readings"
    found = ", ".join(map(str, table.frame.columns))
    # The kind the file comes closest to (most required columns present) tells
    # the user which columns to add or rename.
    best = max(KIND_COLUMNS, key=lambda k: len(set(KIND_COLUMNS[k]) & present))
    have = set(KIND_COLUMNS[best]) & present
    if len(have) >= 2:
        from klimaregnskap.readers.columns import COLUMN_ALIASES

        missing = [c for c in KIND_COLUMNS[best] if c not in present]
        names = "; ".join(" / ".join(dict.fromkeys([c, COLUMN_ALIASES[c][1]
                                                    if len(COLUMN_ALIASES[c]) > 1 else c]))
                          for c in missing)
        raise InputError(f"looks like {best.replace('_', ' ')} data, but a column is missing",
                         file=str(table.path), row=table.header_row, column=missing[0],
                         found=found,
                         expected=f"also the column(s) {names} "
                                  f"({best.replace('_', ' ')} columns: {_NORWEGIAN[best]})")
    listing = "; ".join(f"{k.replace('_', ' ')}: {_NORWEGIAN[k]}" for k in KIND_COLUMNS)
    raise InputError("cannot tell what kind of file this is from its column names",
                     file=str(table.path), row=table.header_row, found=found,
                     expected=f"the header row of one of these kinds: {listing}")


def read_input(path, ctx: ReaderContext, *, sha256: str | None = None) -> ReadResult:
    """Read a user's file, recognise its kind, validate it.

    Parameters
    ----------
    path : str or Path
        A CSV or XLSX file.
    ctx : ReaderContext
    sha256 : str, optional
        The file's content hash when already known (saves reading it twice).

    Returns
    -------
    ReadResult
        ``kind`` is one of 'activity', 'food_waste', 'operations',
        'products', 'temperatures', 'meter_registry', 'meter_readings'
        (Elhub exports are meter readings).

    Raises
    ------
    InputError
        For anything wrong in the file; nothing of it is to be imported.
    """
    from klimaregnskap.readers.tables import read_table

    table = read_table(path, sha256=sha256)
    meter_ids = None
    if ctx.meters is not None and "meter_id" in ctx.meters:
        meter_ids = ctx.meters["meter_id"].astype(str).tolist()
    kind = detect_kind(table, meter_ids)
    if kind in ("meter_registry", "meter_readings"):
        # Imported here so the other readers work without the meter module.
        from klimaregnskap.readers import meters

        if kind == "meter_registry":
            return meters.read_meter_registry(table, ctx)
        if is_elhub(table):
            return meters.read_elhub(table, ctx)
        return meters.read_meter_readings(table, ctx)
    reader = _reader(kind)
    frame = reader(table, ctx)
    return ReadResult(kind=kind, path=Path(table.path), sha256=table.sha256, frame=frame,
                      rows=len(frame), warnings=[])


def _reader(kind: str):
    if kind == "activity":
        from klimaregnskap.readers.activity import read_activity
        return read_activity
    if kind == "food_waste":
        from klimaregnskap.readers.food_waste import read_food_waste
        return read_food_waste
    if kind == "operations":
        from klimaregnskap.readers.operations import read_operations
        return read_operations
    if kind == "products":
        from klimaregnskap.readers.products import read_products
        return read_products
    from klimaregnskap.readers.temperatures import read_temperatures
    return read_temperatures
