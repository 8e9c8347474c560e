"""Long-form meter readings CSV from machine exports: the fast path.

Most meter data arrives as machine-written long CSV files (header on the
first line, UTF-8, decimal point, ISO 8601 stamps, every cell filled). Such a
file is parsed by pyarrow straight into typed columns and checked with
vectorised array operations: no per-cell Python, no pandas text columns.

The fast path only ever *accepts* a file. Whatever it does not check itself
-- a metadata row, a decimal comma, Windows-1252, another timestamp format,
an empty cell, an unregistered meter, a negative value, a repeated
timestamp, a decreasing register, a unit column -- makes it give up
(:class:`NotFast`) and the file goes through the careful reader
(:func:`klimaregnskap.readers.meters.read_meter_readings`), which accepts
the same files with the same result and names file, row and column of any
error. ``tests/readers/test_readings_csv.py`` checks that both paths agree.

One difference is known: a value with a dot is a decimal point here (the
file is a machine export), while the careful reader decides the decimal
sign per column (DESIGN §3 "Numbers") and refuses a column in which every
dotted value could be a thousands separator (``1.234``, ``12.500``) and no
value says which. Such a file taken by the fast path reads ``1.234`` as
1.234.

The table produced has the ledger's readings columns::

    row:int32, meter_id:string, ts_utc:timestamp[us] (UTC), year:int16,
    value:float64 (the meter's registry unit), quality:string
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from klimaregnskap.calc.registers import counter_steps
from klimaregnskap.errors import KlimaError
from klimaregnskap.localyear import local_years
from klimaregnskap.readers.base import ReadResult
from klimaregnskap.readers.columns import aliases_of, fold, quality_word, required_of

__all__ = ["NotFast", "Layout", "MeterLookup", "MeterSpans", "sniff", "read_fast", "iter_fast_chunks",
           "check_readings"]

#: the columns the fast path reads (a file with any other column is careful).
_FAST_COLUMNS = ("meter_id", "timestamp", "value", "quality")
_SPELLINGS = aliases_of("meter_readings")
_REQUIRED = required_of("meter_readings")
_ALIAS = {fold(a): k for k in _FAST_COLUMNS for a in _SPELLINGS[k]}
_ISO_AWARE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                        r"(?:Z|[+-]\d{2}(?::?\d{2})?)")
_ISO_NAIVE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?)?")
_SNIFF_BYTES = 64 * 1024


class NotFast(Exception):
    """The file holds something the fast path does not check: read it carefully."""


@dataclass(frozen=True)
class MeterLookup:
    """What the fast path needs of the meter registry.

    Attributes
    ----------
    ids : tuple of str
        Registered meter ids.
    register : numpy.ndarray of bool
        Whether each meter is a register (cumulative counter) meter.
    rollover : numpy.ndarray of float64
        Counter value at which each register wraps, in the meter's unit;
        NaN when none.
    """

    ids: tuple[str, ...]
    register: np.ndarray
    rollover: np.ndarray

    @classmethod
    def from_records(cls, records) -> "MeterLookup":
        """From ``(meter_id, kind, rollover)`` tuples (the ledger's registry)."""
        ids = tuple(str(r[0]).strip() for r in records)
        register = np.array([r[1] == "register" for r in records], dtype=bool)
        rollover = np.array([np.nan if r[2] is None else float(r[2]) for r in records],
                            dtype="float64")
        return cls(ids, register, rollover)

    @classmethod
    def from_frame(cls, frame) -> "MeterLookup":
        """From a registry DataFrame (``meter_id, kind, rollover``)."""
        return cls.from_records(list(zip(frame["meter_id"], frame["kind"],
                                         frame["rollover"].astype(object).where(
                                             frame["rollover"].notna(), None))))


@dataclass(frozen=True)
class Layout:
    """How a fast-path readings CSV is laid out.

    Attributes
    ----------
    delimiter : str
    columns : tuple of str
        Canonical name of each column, in file order.
    aware : bool
        Whether the timestamps carry a zone (``Z`` or an offset); naive
        stamps are local time in the project's timezone.
    """

    delimiter: str
    columns: tuple[str, ...]
    aware: bool


class MeterSpans:
    """Per meter, the time span its readings covered in earlier chunks.

    A (meter, timestamp) repeated in two chunks of one file is only possible
    where a chunk's span of a meter overlaps the span of the chunks before
    it; machine exports (one block per meter, time increasing) never do, and
    the ledger's whole-file repeat check can then be skipped.

    Parameters
    ----------
    n_meters : int
        Number of registered meters (codes ``0 .. n_meters - 1``).
    """

    def __init__(self, n_meters: int):
        self.lo = np.full(n_meters, np.iinfo("int64").max, dtype="int64")
        self.hi = np.full(n_meters, np.iinfo("int64").min, dtype="int64")
        self.may_repeat = False

    def add(self, codes: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """One chunk: meter codes and their first and last stamp [us since epoch]."""
        if ((lo <= self.hi[codes]) & (hi >= self.lo[codes])).any():
            self.may_repeat = True
        self.lo[codes] = np.minimum(self.lo[codes], lo)
        self.hi[codes] = np.maximum(self.hi[codes], hi)


def split_header(line: str) -> tuple[str, list[str]]:
    """The delimiter (``;``, ``,`` or tab: the most frequent) and the stripped
    cells of a CSV header line."""
    delim = max((";", ",", "\t"), key=line.count)
    return delim, [h.strip() for h in line.rstrip("\r\n").split(delim)]


def is_long_readings_header(line: str) -> bool:
    """Whether a header line names the long-form readings columns (any alias)."""
    folded = {fold(h) for h in split_header(line)[1]}
    return all(any(fold(a) in folded for a in _SPELLINGS[k]) for k in _REQUIRED)


def sniff(path: str | Path) -> Layout | None:
    """Whether a file can take the fast path, from its first lines.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.txt`` file.

    Returns
    -------
    Layout or None
        None when the file is not a plain long-form readings CSV with its
        header on the first line (the careful reader then decides).
    """
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # a multi-byte character cut at the end of the sample is fine
        try:
            text = head[:-4].decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    lines = text.splitlines()
    if len(lines) < 2 or '"' in lines[0]:
        return None
    delim, header = split_header(lines[0])
    names = [_ALIAS.get(fold(h)) for h in header]
    if None in names or len(set(names)) != len(names) or not set(_REQUIRED) <= set(names):
        return None
    cells = lines[1].split(delim)
    if len(cells) != len(names):
        return None
    stamp = cells[names.index("timestamp")]
    if _ISO_AWARE.fullmatch(stamp):
        aware = True
    elif _ISO_NAIVE.fullmatch(stamp):
        aware = False
    else:
        return None
    return Layout(delimiter=delim, columns=tuple(names), aware=aware)


def _options(layout: Layout, block_size: int | None = None):
    text = pa.dictionary(pa.int32(), pa.string())
    types = {"meter_id": text, "value": pa.float64(), "quality": text,
             "timestamp": pa.timestamp("us", tz="UTC") if layout.aware else pa.timestamp("us")}
    read = pacsv.ReadOptions(column_names=list(layout.columns), skip_rows=1,
                             **({"block_size": block_size} if block_size else {}))
    # an empty line is not skipped: the careful reader reports it with its row
    parse = pacsv.ParseOptions(delimiter=layout.delimiter, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(column_types={c: types[c] for c in layout.columns},
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    return read, parse, convert


def read_fast(path: str | Path, meters: MeterLookup, timezone: str, layout: Layout, *,
              sha256: str) -> ReadResult:
    """Read a whole fast-path readings CSV.

    Parameters
    ----------
    path : str or Path
    meters : MeterLookup
        The meter registry.
    timezone : str
        IANA zone of naive stamps.
    layout : Layout
        From :func:`sniff`.
    sha256 : str
        The file's content hash.

    Returns
    -------
    ReadResult
        ``kind='meter_readings'``; ``frame`` is a ``pyarrow.Table`` with the
        columns in the module docstring.

    Raises
    ------
    NotFast
        The file needs the careful reader.
    """
    read, parse, convert = _options(layout)
    try:
        table = pacsv.read_csv(path, read_options=read, parse_options=parse,
                               convert_options=convert)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise NotFast(str(exc)) from None
    checked = check_readings(table, meters, timezone, first_row=2)
    return ReadResult(kind="meter_readings", path=Path(path), sha256=sha256, frame=checked,
                      rows=checked.num_rows)


def iter_fast_chunks(path: str | Path, meters: MeterLookup, timezone: str, layout: Layout, *,
                     sha256: str, chunk_rows: int = 1_000_000, progress=None,
                     spans_out: list | None = None):
    """Read a big fast-path readings CSV in chunks (bounded memory).

    Each chunk is checked as by :func:`read_fast`; what needs the whole file
    (a repeat across chunks, register continuity) is checked by the ledger
    before COMMIT. The repeated October hour of naive local time is counted
    across chunks.

    Parameters
    ----------
    path, meters, timezone, layout, sha256
        As for :func:`read_fast`.
    chunk_rows : int
        Rows per chunk (about).
    progress : callable, optional
        ``progress(bytes_read, bytes_total)`` after each chunk [bytes].
    spans_out : list, optional
        Receives the file's :class:`MeterSpans` once the last chunk is read
        (``may_repeat`` tells whether the ledger must look for repeats).

    Yields
    ------
    ReadResult
        ``frame`` is a ``pyarrow.Table``.

    Raises
    ------
    NotFast
        At any chunk: the whole file needs the careful reader (the caller
        rolls back what was stored).
    """
    path = Path(path)
    total = path.stat().st_size
    read, parse, convert = _options(layout, block_size=max(1 << 20, int(chunk_rows) * 40))
    seen: dict = {}
    spans = MeterSpans(len(meters.ids))
    with open(path, "rb") as raw:
        counting = CountingReader(raw)
        try:
            reader = pacsv.open_csv(counting, read_options=read, parse_options=parse,
                                    convert_options=convert)
            next_row = 2
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                table = pa.Table.from_batches([batch])
                checked = check_readings(table, meters, timezone, first_row=next_row,
                                         seen=seen, spans=spans)
                next_row += table.num_rows
                if progress is not None:
                    progress(min(counting.position, total), total)
                yield ReadResult(kind="meter_readings", path=path, sha256=sha256,
                                 frame=checked, rows=checked.num_rows)
            if spans_out is not None:
                spans_out.append(spans)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise NotFast(str(exc)) from None


def check_readings(table, meters: MeterLookup, timezone: str, *, first_row: int,
                   seen: dict | None = None, spans: MeterSpans | None = None):
    """Check typed readings and shape them for the ledger, or give up.

    Parameters
    ----------
    table : pyarrow.Table
        Columns ``meter_id`` (string), ``timestamp`` (timestamp[us], UTC
        or naive local), ``value`` (float64, the meter's registry unit),
        optional ``quality`` (string).
    meters : MeterLookup
        The meter registry.
    timezone : str
        IANA zone of naive stamps.
    first_row : int
        Spreadsheet row (1-based, header = 1) of the table's first row.
    seen : dict, optional
        Occurrences of the repeated October hour in earlier chunks (see
        :func:`klimaregnskap.readers.timestamps.localise_naive`).
    spans : MeterSpans, optional
        Updated with this chunk's span of each meter.

    Returns
    -------
    pyarrow.Table
        The ledger's readings columns (module docstring).

    Raises
    ------
    NotFast
        Anything the careful reader must look at.
    """
    n = table.num_rows
    if n == 0 or not meters.ids:
        raise NotFast("empty file or no registry")
    if any(table[c].null_count for c in ("meter_id", "timestamp", "value")):
        raise NotFast("empty cells")

    position = {m: i for i, m in enumerate(meters.ids)}
    try:
        codes = _codes(table["meter_id"], lambda ids: [position[m.strip()] for m in ids])
    except KeyError:
        raise NotFast("unregistered meter") from None

    value = _numpy(table["value"])
    if not np.isfinite(value).all() or (value < 0).any():
        raise NotFast("value out of range")
    if not np.isnan(meters.rollover).all() and (value > meters.rollover[codes]).any():
        raise NotFast("reading above rollover")   # (NaN rollover compares False)

    stamps = table["timestamp"]
    wall = _numpy(stamps).view("datetime64[us]")
    if not stamps.type.tz:
        # naive local stamps need pandas's zone rules; aware stamps stay pandas-free
        from klimaregnskap.readers.timestamps import localise_naive  # deferred: needs pandas

        try:
            wall = localise_naive(wall.astype("datetime64[ns]"), timezone, groups=codes,
                                  seen=seen).astype("datetime64[us]")
        except KlimaError:
            raise NotFast("local time that does not exist") from None
    ts = wall.view("int64")

    # repeats and register order need each meter's readings in time order;
    # machine exports usually are (one block per meter, time increasing)
    same = codes[1:] == codes[:-1]
    blocks = 1 + int(len(same) - np.count_nonzero(same))
    in_order = (blocks == np.count_nonzero(np.bincount(codes, minlength=len(meters.ids)))
                and bool(((ts[1:] > ts[:-1]) | ~same).all()))
    if in_order:
        s_codes, s_ts, s_value = codes, ts, value
    else:
        order = np.lexsort((ts, codes))
        s_codes, s_ts, s_value = codes[order], ts[order], value[order]
        same = s_codes[1:] == s_codes[:-1]
        if (same & (s_ts[1:] == s_ts[:-1])).any():
            raise NotFast("repeated timestamp")
    if spans is not None:
        first = np.flatnonzero(np.r_[True, ~same])
        last = np.r_[first[1:] - 1, len(s_codes) - 1]
        spans.add(s_codes[first], s_ts[first], s_ts[last])
    if meters.register.any():
        on_register = meters.register[s_codes]
        _, decreasing = counter_steps(s_codes[on_register], s_value[on_register],
                                      meters.rollover[s_codes[on_register]])
        if decreasing.any():
            raise NotFast("decreasing register")

    if "quality" in table.column_names:
        words: dict[str, int] = {}
        q_codes = _codes(table["quality"], lambda ws: [
            words.setdefault(quality_word(w), len(words)) for w in ws])
        quality = pa.DictionaryArray.from_arrays(_arrow(q_codes), _strings(list(words)))
    else:
        quality = pa.DictionaryArray.from_arrays(_arrow(np.zeros(n, dtype="int32")),
                                                 _strings([""]))
    return pa.table({
        "row": _arrow(np.arange(first_row, first_row + n, dtype="int32")),
        "meter_id": pa.DictionaryArray.from_arrays(_arrow(codes), _strings(meters.ids)),
        "ts_utc": _arrow(wall.view("int64"), pa.timestamp("us")),
        "year": _arrow(local_years(wall, timezone)),
        "value": _arrow(np.ascontiguousarray(value, dtype="float64")),
        "quality": quality,
    })


def _numpy(values) -> np.ndarray:
    """A primitive arrow (chunked) array without nulls as numpy.

    A view of a single chunk; chunks are concatenated. ``to_numpy`` and
    ``combine_chunks`` are avoided: they import pandas or pyarrow.compute,
    which cost the fast path more than its work.
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    parts = []
    for arr in chunks:
        width = arr.type.bit_width // 8
        if pa.types.is_floating(arr.type):
            dtype = f"float{8 * width}"
        elif pa.types.is_unsigned_integer(arr.type):
            dtype = f"uint{8 * width}"
        else:  # signed integers, timestamps (int64)
            dtype = f"int{8 * width}"
        parts.append(np.frombuffer(arr.buffers()[1], dtype=dtype, count=len(arr),
                                   offset=arr.offset * width))
    if not parts:
        return np.zeros(0)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _codes(values, lookup) -> np.ndarray:
    """Dictionary-encoded text as global int32 codes.

    Parameters
    ----------
    values : pyarrow.ChunkedArray of dictionary<int32, string>
        As read by the CSV reader (each chunk has its own dictionary).
    lookup : callable
        ``lookup(list of str) -> list of int``, the global code of each
        dictionary entry (may raise ``KeyError``).

    Returns
    -------
    numpy.ndarray of int32
    """
    parts = []
    for chunk in values.chunks:
        local = np.asarray(lookup(chunk.dictionary.to_pylist()), dtype="int32")
        parts.append(local[_numpy(chunk.indices)] if local.size else
                     np.zeros(len(chunk), dtype="int32"))
    return (parts[0] if len(parts) == 1 else np.concatenate(parts)).astype("int32", copy=False)


def _arrow(values: np.ndarray, type_=None):
    """A numpy array as an arrow array without copying (``pa.array`` imports pandas)."""
    values = np.ascontiguousarray(values)
    type_ = type_ or pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(type_, len(values), [None, pa.py_buffer(values)])


def _strings(texts):
    """A few Python strings as an arrow string array (``pa.array`` imports pandas)."""
    data = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(data) + 1, dtype="int32")
    np.cumsum([len(b) for b in data], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(data),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


class CountingReader:
    """A binary file wrapper that counts the bytes read (for a progress bar)."""

    def __init__(self, fh):
        self._fh = fh
        self.position = 0
        self.closed = False

    def read(self, n=-1):
        data = self._fh.read(n)
        self.position += len(data)
        return data

    def readable(self):
        return True

    def seekable(self):
        return False

    def close(self):
        self.closed = True
