"""A user's file -> its kind -> the reader of that kind.

A file's kind is recognised from its columns (:func:`detect_kind`), never
from its name; :func:`read_input` reads, detects and dispatches. This module
imports every reader (and so pandas): the fast load path does not use it.
"""

from __future__ import annotations

from pathlib import Path

from klimaregnskap.errors import InputError
from klimaregnskap.readers import meters
from klimaregnskap.readers.activity import read_activity
from klimaregnskap.readers.base import ReaderContext, ReadResult
from klimaregnskap.readers.certificates import read_certificates
from klimaregnskap.readers.columns import (COLUMN_ALIASES, DETECTED_KINDS,
                                           TIMESTAMP_HEADERS, columns_of, fold, required_of)
from klimaregnskap.readers.food_waste import read_food_waste
from klimaregnskap.readers.measures import read_measures
from klimaregnskap.readers.operations import read_operations
from klimaregnskap.readers.products import read_products
from klimaregnskap.readers.purchases import read_account_mapping, read_purchases
from klimaregnskap.readers.tables import Table, read_table, sheet_heads
from klimaregnskap.readers.temperatures import read_temperatures
from klimaregnskap.warning import KlimaWarning, Phrase

__all__ = ["KIND_COLUMNS", "detect_kind", "is_wide_readings", "read_input",
           "unread_sheets"]

#: kind -> the canonical columns a file of that kind must have.
KIND_COLUMNS: dict[str, tuple[str, ...]] = {k: required_of(k) for k in DETECTED_KINDS}

_NORWEGIAN_ELHUB = ", ".join(c.name_nb for c in columns_of("elhub") if c.required)

#: kind -> its required columns in Norwegian, for messages
_NORWEGIAN = {k: ", ".join(c.name_nb for c in columns_of(k) if c.required)
              for k in DETECTED_KINDS}
_NORWEGIAN["meter_readings"] += ("; or a timestamp column followed by one column per meter id; "
                                 "or an Elhub export (" + _NORWEGIAN_ELHUB + ")")

#: kind -> its reader: ``reader(table, ctx) -> DataFrame`` (the meter kinds
#: return a ReadResult of their own, see :func:`read_input`).
_READERS = {
    "activity": read_activity,
    "food_waste": read_food_waste,
    "operations": read_operations,
    "products": read_products,
    "temperatures": read_temperatures,
    "measures": read_measures,
    "purchases": read_purchases,
    "account_mapping": read_account_mapping,
    "certificates": read_certificates,
}


def _present_columns(table: Table) -> set[str]:
    folded = {fold(c) for c in table.frame.columns}
    return {canon for canon, aliases in COLUMN_ALIASES.items()
            if any(fold(a) in folded for a in [canon, *aliases])}


def is_wide_readings(table: Table, meter_ids=None) -> bool:
    """Whether the table is wide meter readings: a timestamp column, then meter ids.

    Parameters
    ----------
    table : Table
    meter_ids : iterable of str, optional
        Registered meter ids. When given, every further column must be one
        of them (so a file with a date column and other data is not taken
        for meter readings); when None, any further columns are accepted.
    """
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


def detect_kind(table: Table, meter_ids=None) -> str:
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
        'measures', 'purchases', 'account_mapping', 'meter_registry' or
        'meter_readings' (Elhub exports included; see
        :func:`klimaregnskap.readers.meters.is_elhub_table`).

    Raises
    ------
    InputError
        No kind fits; the message lists each kind's required columns.
    """
    if meters.is_elhub_table(table):
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
        missing = [c for c in KIND_COLUMNS[best] if c not in present]
        norwegian = {c.column: c.name_nb or c.column for c in columns_of(best)}
        names = "; ".join(" / ".join(dict.fromkeys([c, norwegian[c]])) for c in missing)
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
        A CSV file or a workbook (XLSX, XLS: its first sheet).
    ctx : ReaderContext
    sha256 : str, optional
        The file's content hash when already known (saves reading it twice).

    Returns
    -------
    ReadResult
        ``kind`` is one of 'activity', 'food_waste', 'operations',
        'products', 'temperatures', 'meter_registry', 'meter_readings'
        (Elhub exports are meter readings). ``warnings`` names the further
        sheets of a workbook laid out as data (:func:`unread_sheets`).

    Raises
    ------
    InputError
        For anything wrong in the file; nothing of it is to be imported.
    """
    table = read_table(path, sha256=sha256)
    meter_ids = None
    if ctx.meters is not None and "meter_id" in ctx.meters:
        meter_ids = ctx.meters["meter_id"].astype(str).tolist()
    kind = detect_kind(table, meter_ids)
    if kind == "meter_registry":
        result = meters.read_meter_registry(table, ctx)
    elif kind == "meter_readings":
        if meters.is_elhub_table(table):
            result = meters.read_elhub(table, ctx)
        else:
            result = meters.read_meter_readings(table, ctx)
    else:
        frame = _READERS[kind](table, ctx)
        result = ReadResult(kind=kind, path=Path(table.path), sha256=table.sha256,
                            frame=frame, rows=len(frame), warnings=[])
    result.warnings.extend(unread_sheets(table, meter_ids))
    return result


def unread_sheets(table: Table, meter_ids=None) -> list[KlimaWarning]:
    """A ``sheet_not_read`` warning for each further sheet laid out as a known kind.

    Only a workbook's first sheet is read (DESIGN §3); a further sheet with a
    header of a known kind and a row below it is named, so that no data is
    dropped silently (``sheet '2025' looks like activity data and was not
    read``). Instructions and notes sheets are not named.

    Parameters
    ----------
    table : Table
        The first sheet, as read (``table.sheets`` lists every sheet).
    meter_ids : iterable of str, optional
        Registered meter ids, to recognise wide meter-readings sheets.

    Returns
    -------
    list of KlimaWarning
        In workbook order; empty for a CSV file or a one-sheet workbook.
    """
    out: list[KlimaWarning] = []
    further = [s for s in table.sheets if s != table.sheet]
    # the head of a sheet is enough to tell its kind from its columns
    for sheet in sheet_heads(table.path, further, sha256=table.sha256):
        try:
            kind = detect_kind(sheet, meter_ids)
        except InputError:
            continue
        out.append(KlimaWarning("sheet_not_read", file=str(table.path),
                                values={"sheet": sheet.sheet, "kind": Phrase("kind_" + kind)}))
    return out
