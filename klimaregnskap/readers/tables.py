"""Reading a user's CSV, XLSX or XLS file into a table of cells, with row numbers.

Every reader starts here. The table keeps the spreadsheet row number of each
data row (1-based, metadata rows and the header row counted), so that errors
can point at the row the user sees in Excel.

Workbooks (XLSX and Excel 97-2003 XLS) are read with pandas' ``calamine``
engine (the Rust reader of ``python-calamine``); openpyxl only writes
workbooks (templates, report.xlsx). A workbook is recognised by its content
(zip or OLE2 signature), so an XLSX saved under ``.xls`` reads as what it is.
Only the first sheet is read (DESIGN §3); :attr:`Table.sheets` lists the
others so that :mod:`klimaregnskap.readers.dispatch` can name those laid out
as data.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import file_sha256
from klimaregnskap.readers.columns import (ALL_KNOWN_COLUMNS, TIMESTAMP_HEADERS, fold)

__all__ = ["Table", "read_table", "parse_number_column", "match_columns",
           "is_missing", "column_strings", "ALL_KNOWN_COLUMNS", "WORKBOOK_SUFFIXES",
           "check_total_rows", "did_you_mean", "sheets_with_data", "sheet_heads"]

# XLSX bomb limits (checked on the zip directory, before any XML is parsed).
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Ratios above the limit are normal for tiny members (a few hundred bytes of
# boilerplate); a bomb needs size, so the ratio is checked from this size up.
RATIO_CHECK_FROM_BYTES = 1024 * 1024

_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_XLS_SUFFIXES = {".xls"}
#: file name endings of the workbooks read (everything else is read as CSV)
WORKBOOK_SUFFIXES = frozenset(_XLSX_SUFFIXES | _XLS_SUFFIXES)
_ZIP_MAGIC = b"PK\x03\x04"
# OLE2 compound file: the container of Excel 97-2003 workbooks
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_DELIMITERS = (";", "\t", ",")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class Table:
    """The cells of one input file below its header row.

    Attributes
    ----------
    path : Path
        The file.
    frame : pandas.DataFrame
        Data rows only. Columns are the header cells, stripped, original case.
        CSV cells are stripped strings (empty -> NaN); workbook cells keep their
        Python type (float, int, datetime, str; empty -> None).
    rows : numpy.ndarray of int64
        Spreadsheet row number (1-based) of each row of ``frame``.
    header_row : int
        Spreadsheet row number of the header.
    sheet : str or None
        Workbook sheet read (the first sheet); None for CSV.
    sha256 : str
        SHA-256 of the file's bytes, hex.
    sheets : tuple of str
        Every sheet of a workbook, in workbook order (the first is ``sheet``);
        empty for CSV.
    """

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    header_row: int
    sheet: str | None
    sha256: str
    sheets: tuple[str, ...] = ()

    def row_of(self, position: int) -> int:
        """Spreadsheet row number of the data row at ``position`` (0-based)."""
        return int(self.rows[position])

    def error(self, message: str, position: int | None = None, column: str | None = None,
              found: object | None = None, expected: str | None = None) -> InputError:
        """An :class:`InputError` about this file, at data row ``position`` (0-based)."""
        row = None if position is None else self.row_of(position)
        return InputError(message, file=str(self.path), row=row, column=column,
                          found=found, expected=expected)


def default_header_predicate(candidates: Iterable[str]) -> Callable[[list[str]], bool]:
    """The usual header test: at least two cells are known column names."""
    known = {fold(c) for c in candidates}

    def predicate(cells: list[str]) -> bool:
        return sum(1 for c in cells if c and fold(c) in known) >= 2

    return predicate


def wide_header_predicate(cells: list[str]) -> bool:
    """Header of a wide meter-readings file: a timestamp header, then meter ids.

    Such a header has one known column name only, so it is tried after the
    usual test has found nothing (a metadata row such as ``Periode; 2024``
    would otherwise pass).
    """
    filled = [c for c in cells if c]
    return bool(cells) and fold(cells[0]) in _TS_FOLDED and len(filled) >= 2


_TS_FOLDED = frozenset(fold(c) for c in TIMESTAMP_HEADERS)


def read_table(path: str | Path, header_candidates: Iterable[str] = ALL_KNOWN_COLUMNS, *,
               max_scan_rows: int = 30,
               header_predicate: Callable[[list[str]], bool] | None = None,
               sha256: str | None = None, sheet: int | str = 0,
               max_rows: int | None = None) -> Table:
    """Read a CSV, XLSX or XLS file into a :class:`Table`.

    Parameters
    ----------
    path : str or Path
        The file. A workbook (``.xlsx``, ``.xlsm``, ``.xls``, or any file
        whose content is one) is read one sheet at a time; anything else as
        CSV.
    header_candidates : iterable of str
        Known column names; the header is the first row (within
        ``max_scan_rows``) where at least two cells are among them.
    max_scan_rows : int
        How many rows to search for the header.
    header_predicate : callable, optional
        ``f(cells) -> bool`` replacing the default header test; ``cells`` are
        the row's cells as stripped strings.
    sha256 : str, optional
        The file's content hash when already known (saves reading it twice).
    sheet : int or str
        Workbooks: the sheet to read, by position or name (default the
        first, as users' files are read). Ignored for CSV.
    max_rows : int, optional
        Workbooks: read only this many rows of the sheet (to look at a
        further sheet's layout without reading all of it).

    Returns
    -------
    Table

    Raises
    ------
    InputError
        Not a text CSV / not a valid or unsafe workbook, no data rows (for a
        workbook whose first sheet holds none, naming the sheets that do),
        or a duplicate header name.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    if header_predicate is not None:
        predicates = [header_predicate]
    else:
        predicates = [default_header_predicate(header_candidates), wide_header_predicate]
    sha = sha256 or file_sha256(path)
    sheets: tuple[str, ...] = ()
    if _is_workbook(path):
        records, sheet_name, sheets = _workbook_records(path, sheet, max_rows)
        header_idx = _records_header(records, predicates, max_scan_rows)
        if header_idx is None or not _has_rows_below(records, header_idx):
            _refuse_if_data_elsewhere(path, sheet_name, sheets, predicates, max_scan_rows)
        frame_cells, header, header_idx = _split_header(path, records, predicates,
                                                        max_scan_rows)
        frame = _frame_from_records(path, header, frame_cells, header_idx, text=False)
    else:
        text = _decode_csv(path)
        frame, header_idx = _csv_frame(path, text, predicates, max_scan_rows)
        sheet_name = None
    rows = frame.pop("__row__").to_numpy(dtype="int64")
    frame.index = pd.RangeIndex(len(frame))
    if len(frame) == 0:
        raise InputError("no data rows", file=str(path), row=header_idx + 1,
                         expected="at least one data row below the header")
    return Table(path=path, frame=frame, rows=rows, header_row=header_idx + 1,
                 sheet=sheet_name, sha256=sha, sheets=sheets)


def _is_workbook(path: Path) -> bool:
    """Whether to read ``path`` as a workbook: by its name or its first bytes.

    Raises
    ------
    InputError
        A workbook named ``.csv`` (people rename files; the message says
        what to rename it to, as the CSV reader would only see binary data).
    """
    with open(path, "rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE2_MAGIC):
        if suffix == ".csv":
            ext = ".xlsx" if head.startswith(_ZIP_MAGIC) else ".xls"
            raise InputError(f"not a text CSV file (it looks like an Excel workbook; "
                             f"save it with the {ext} extension)", file=str(path),
                             expected="a CSV file saved as text, or a workbook named "
                                      ".xlsx or .xls")
        return True
    return suffix in WORKBOOK_SUFFIXES


def has_header(path: str | Path, predicate: Callable[[list[str]], bool], *,
               max_scan_rows: int = 30) -> bool:
    """Whether a CSV or workbook file has a header row ``predicate`` accepts.

    Only the first ``max_scan_rows`` rows are looked at, as :func:`read_table`
    looks for its header; nothing below them is parsed.

    Raises
    ------
    InputError
        The file is not a text CSV or a valid, safe workbook.
    """
    path = Path(path)
    if _is_workbook(path):
        records, _, _ = _workbook_records(path, 0, max_scan_rows)
        return _records_header(records, [predicate], max_scan_rows) is not None
    sample = _decode_csv(path).splitlines()[:max_scan_rows]
    return _csv_header(sample, [predicate])[0] is not None


# --------------------------------------------------------------------------- CSV

def _decode_csv(path: Path) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError("no data rows (the file is empty)", file=str(path), row=1,
                         expected="a header row and at least one data row")
    if b"\x00" in raw:
        raise InputError("not a text CSV file (it contains binary data)", file=str(path),
                         expected="a CSV file saved as text (UTF-8 or Windows-1252)")
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError("not a text CSV file (undecodable bytes)", file=str(path),
                             expected="a CSV file saved as text (UTF-8 or Windows-1252)")
    if _CONTROL.search(text[:65536]):
        raise InputError("not a text CSV file (it contains control characters)",
                         file=str(path),
                         expected="a CSV file saved as text (UTF-8 or Windows-1252)")
    return text


def _sample_records(lines: list[str], delimiter: str) -> list[list[str]]:
    return [[c.strip() for c in rec] for rec in csv.reader(lines, delimiter=delimiter)]


def _csv_header(sample: list[str], predicates) -> tuple[int | None, str | None]:
    """The first line of ``sample`` read as a header, and the delimiter it reads with."""
    header_idx, delimiter = None, None
    # The delimiter is the one under which some early row reads as a header;
    # metadata rows (``Rapport: energi, 2024``) may contain any of them.
    for predicate in predicates:
        for delim in _CSV_DELIMITERS:
            recs = _sample_records(sample, delim)
            for i, rec in enumerate(recs):
                if len(rec) >= 2 and predicate(rec):
                    if header_idx is None or i < header_idx:
                        header_idx, delimiter = i, delim
                    break
        if header_idx is not None:
            break
    return header_idx, delimiter


def _csv_frame(path: Path, text: str, predicates, max_scan_rows: int):
    lines = text.splitlines()
    sample = lines[:max_scan_rows]
    header_idx, delimiter = _csv_header(sample, predicates)
    if header_idx is None:
        delimiter = _guess_delimiter(sample)
        recs = _sample_records(sample, delimiter)
        header_idx = next((i for i, r in enumerate(recs) if any(r)), 0)
    header = _sample_records([lines[header_idx]], delimiter)[0] if lines else []
    body = "\n".join(lines[header_idx + 1:])
    if not body.strip():
        raise InputError("no data rows (only a header)", file=str(path), row=header_idx + 1,
                         expected="at least one data row below the header")
    try:
        df = pd.read_csv(io.StringIO(body), sep=delimiter, header=None, dtype=str,
                         keep_default_na=False, skip_blank_lines=False,
                         names=range(max(len(header), _max_fields(body, delimiter))),
                         quotechar='"', engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"the CSV file cannot be read: {exc}", file=str(path))
    # Row numbers before anything is dropped: line i of the body is row header+2+i.
    df["__row__"] = np.arange(len(df), dtype="int64") + header_idx + 2
    data_cols = [c for c in df.columns if c != "__row__"]
    for c in data_cols:
        s = df[c].str.strip()
        df[c] = s.where(s != "", np.nan)
    df = _name_columns(path, df, header, header_idx)
    return _drop_trailing_blank(df), header_idx


def _max_fields(body: str, delimiter: str) -> int:
    # Cheap bound on fields per line; quoted delimiters only make it larger.
    return max((ln.count(delimiter) + 1 for ln in body.splitlines()[:100000]), default=1)


def _guess_delimiter(sample: list[str]) -> str:
    best, best_score = ";", -1
    for delim in _CSV_DELIMITERS:
        counts = [ln.count(delim) for ln in sample if ln.strip()]
        score = min(counts) if counts else 0
        if score > best_score:
            best, best_score = delim, score
    return best


# --------------------------------------------------------------------- workbooks

def check_xlsx_safe(path: str | Path) -> None:
    """Refuse zip and XML bombs before the workbook reader sees the file.

    calamine does not expand XML entities (it stops at an undeclared one),
    but refusing here, from the zip directory and each XML member's prolog
    only, needs no member inflated at all and gives the user a plain reason.

    Raises
    ------
    InputError
        The file is not a zip, a member is larger than 200 MB or compressed
        more than 100 times, or an XML member declares a DOCTYPE or ENTITY.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a valid XLSX file ({exc})", file=str(path),
                         expected="an Excel workbook (.xlsx)")
    with zf:
        infos = zf.infolist()
        for info in infos:
            if info.file_size > MAX_MEMBER_BYTES:
                raise InputError(f"unsafe XLSX file: member {info.filename} unpacks to "
                                 f"{info.file_size} bytes", file=str(path))
            if (info.file_size >= RATIO_CHECK_FROM_BYTES
                    and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
                raise InputError(f"unsafe XLSX file: member {info.filename} is compressed "
                                 f"{info.file_size / max(info.compress_size, 1):.0f} times",
                                 file=str(path))
        for info in infos:
            name = info.filename.lower()
            if name.endswith((".xml", ".rels", ".vml")):
                try:
                    _check_xml_prolog(zf, info, path)
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                    raise InputError(f"not a valid XLSX file ({exc})", file=str(path))


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DANGER = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    # DOCTYPE and ENTITY declarations may only stand before the root element,
    # so the scan stops there instead of inflating the whole member.
    buf = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(65536)
            if not chunk:
                break
            buf = buf[-16:] + chunk
            if _DANGER.search(buf):
                raise InputError("unsafe XML in XLSX file (DOCTYPE/ENTITY declaration in "
                                 f"{info.filename})", file=str(path),
                                 expected="an ordinary Excel workbook")
            if _ROOT_START.search(buf):
                break


def _open_workbook(path: Path) -> pd.ExcelFile:
    """The workbook at ``path``, opened with the calamine engine (XLSX and XLS).

    Raises
    ------
    InputError
        An unsafe XLSX (:func:`check_xlsx_safe`), or a file that is no
        workbook a spreadsheet program saved, in words without the library's.
    """
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP_MAGIC) or path.suffix.lower() in _XLSX_SUFFIXES:
        check_xlsx_safe(path)
        what = "XLSX"
    else:
        what = "XLS" if head.startswith(_OLE2_MAGIC) else "Excel"
    try:
        return pd.ExcelFile(path, engine="calamine")
    except Exception:  # noqa: BLE001 - calamine raises its own and zip/XML errors alike
        # the library's words ("Cannot detect file format", "XmlError at 0..0")
        # tell a coordinator nothing: say what the file is not, and what to do
        raise InputError(f"not a valid {what} file (it cannot be opened as a workbook; "
                         "it may be damaged, or not saved by a spreadsheet program)",
                         file=str(path),
                         expected="an Excel workbook (.xlsx or .xls) saved by Excel or "
                                  "LibreOffice, or a CSV file") from None


def _workbook_records(path: Path, sheet: int | str = 0, max_rows: int | None = None
                      ) -> tuple[list[list], str, tuple[str, ...]]:
    """The cells of one sheet of a workbook, row by row.

    Returns
    -------
    records : list of list
        Each row's cells from column A: text stripped (empty -> None),
        numbers as int or float, dates as ``datetime`` (as openpyxl gave
        them, so readers see the same cells whatever the engine).
    sheet_name : str
    sheets : tuple of str
        Every sheet's name, in workbook order.
    """
    book = _open_workbook(path)
    with book:
        sheets = tuple(str(n) for n in book.sheet_names)
        if not sheets:
            raise InputError("no data rows (the workbook has no sheets)", file=str(path),
                             expected="a header row and at least one data row")
        name = sheets[sheet] if isinstance(sheet, int) else str(sheet)
        try:
            # every cell as stored: no type guessing, no "NA" text read as missing
            df = pd.read_excel(book, sheet_name=name, header=None, dtype=object,
                               na_filter=False, nrows=max_rows)
        except Exception:  # noqa: BLE001 - as in _open_workbook
            raise InputError(f"the sheet '{name}' cannot be read (the workbook may be "
                             "damaged)", file=str(path),
                             expected="an Excel workbook (.xlsx or .xls) saved by Excel "
                                      "or LibreOffice") from None
    cleaned = []
    for rec in df.itertuples(index=False, name=None):
        out = []
        for v in rec:
            if isinstance(v, str):
                v = v.strip()
                if v == "":
                    v = None
            elif isinstance(v, float) and v != v:
                v = None
            out.append(v)
        cleaned.append(out)
    return cleaned, name, sheets


def _has_rows_below(records: list[list], header_idx: int) -> bool:
    return any(any(v is not None for v in r) for r in records[header_idx + 1:])


def sheet_heads(path: str | Path, sheets: Iterable[str], *, max_scan_rows: int = 30,
                sha256: str = "") -> list[Table]:
    """The head of each of ``sheets`` that has a header row and a row below it.

    Each sheet is read once, its first ``max_scan_rows`` + 1 rows only: enough
    to tell its layout (:func:`klimaregnskap.readers.dispatch.unread_sheets`),
    not to read its data.

    Parameters
    ----------
    path : str or Path
        A workbook.
    sheets : iterable of str
        Sheet names to look at.
    max_scan_rows : int
        How many rows to search for the header.
    sha256 : str
        The workbook's hash, for the tables.

    Returns
    -------
    list of Table
        In the order of ``sheets``; a sheet that cannot be read, or has no
        header with a row below it, is left out.
    """
    path = Path(path)
    predicates = [default_header_predicate(ALL_KNOWN_COLUMNS), wide_header_predicate]
    out = []
    for name in sheets:
        try:
            records = _sheet_head_with_data(path, name, predicates, max_scan_rows)
            if records is None:
                continue
            body, header, idx = _split_header(path, records, predicates, max_scan_rows)
            frame = _frame_from_records(path, header, body, idx, text=False)
        except InputError:
            continue
        rows = frame.pop("__row__").to_numpy(dtype="int64")
        frame.index = pd.RangeIndex(len(frame))
        out.append(Table(path=path, frame=frame, rows=rows, header_row=idx + 1, sheet=name,
                         sha256=sha256))
    return out


def sheets_with_data(path: str | Path, sheets: Iterable[str],
                     predicates: list[Callable[[list[str]], bool]] | None = None, *,
                     max_scan_rows: int = 30) -> list[str]:
    """The sheets among ``sheets`` that have a header row and a row below it.

    Only the first ``max_scan_rows`` + 1 rows of each sheet are read.

    Parameters
    ----------
    path : str or Path
        A workbook.
    sheets : iterable of str
        Sheet names to look at.
    predicates : list of callable, optional
        Header tests (default: :func:`default_header_predicate` with every
        known column name, then :func:`wide_header_predicate`).
    """
    path = Path(path)
    if predicates is None:
        predicates = [default_header_predicate(ALL_KNOWN_COLUMNS), wide_header_predicate]
    return [name for name in sheets
            if _sheet_head_with_data(path, name, predicates, max_scan_rows) is not None]


def _sheet_head_with_data(path: Path, name: str, predicates, max_scan_rows: int):
    """The first ``max_scan_rows`` + 1 records of a sheet when it has a header with a row
    below it; None otherwise, or when the sheet cannot be read."""
    try:
        records, _, _ = _workbook_records(path, name, max_scan_rows + 1)
    except InputError:
        return None
    idx = _records_header(records, predicates, max_scan_rows)
    return records if idx is not None and _has_rows_below(records, idx) else None


def _refuse_if_data_elsewhere(path: Path, first: str, sheets: tuple[str, ...], predicates,
                              max_scan_rows: int) -> None:
    """The first sheet holds no data: refuse, naming the sheets that do (if any)."""
    others = sheets_with_data(path, [s for s in sheets if s != first], predicates,
                              max_scan_rows=max_scan_rows)
    if others:
        names = ", ".join(f"'{s}'" for s in others)
        raise InputError(f"no data rows on the first sheet '{first}'; only the first sheet "
                         f"of a workbook is read, and the data is on sheet(s) {names}",
                         file=str(path), row=1,
                         expected=f"the data on the first sheet (move sheet {names.split(', ')[0]} "
                                  "first, or save it as a file of its own)")


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _records_header(records: list[list], predicates, max_scan_rows: int) -> int | None:
    """Position of the first of a sheet's rows read as a header, or None."""
    texts = [[_cell_text(v) for v in rec] for rec in records[:max_scan_rows]]
    for predicate in predicates:
        header_idx = next((i for i, cells in enumerate(texts) if predicate(cells)), None)
        if header_idx is not None:
            return header_idx
    return None


def _split_header(path: Path, records: list[list], predicates, max_scan_rows: int):
    header_idx = _records_header(records, predicates, max_scan_rows)
    if header_idx is None:
        header_idx = next((i for i, r in enumerate(records)
                           if any(v is not None for v in r)), None)
        if header_idx is None:
            raise InputError("no data rows (the first sheet is empty)", file=str(path), row=1,
                             expected="a header row and at least one data row")
    header = [_cell_text(v) for v in records[header_idx]]
    return records[header_idx + 1:], header, header_idx


def _frame_from_records(path: Path, header: list[str], body: list[list], header_idx: int,
                        text: bool) -> pd.DataFrame:
    width = max([len(header)] + [len(r) for r in body]) if body else len(header)
    padded = [r + [None] * (width - len(r)) for r in body]
    df = pd.DataFrame(padded, columns=range(width), dtype=object)
    df["__row__"] = np.arange(len(df), dtype="int64") + header_idx + 2
    df = _name_columns(path, df, header, header_idx)
    return _drop_trailing_blank(df)


# ----------------------------------------------------------------------- shared

def _name_columns(path: Path, df: pd.DataFrame, header: list[str],
                  header_idx: int) -> pd.DataFrame:
    names: dict = {}
    seen: dict[str, str] = {}
    drop = []
    for c in df.columns:
        if c == "__row__":
            continue
        name = header[c].strip() if c < len(header) and header[c] is not None else ""
        if name == "":
            if df[c].isna().all():
                drop.append(c)
                continue
            name = f"Unnamed: {c + 1}"
        key = fold(name)
        if key in seen:
            raise InputError("duplicate column name", file=str(path), row=header_idx + 1,
                             column=name, found=f"'{seen[key]}' and '{name}'",
                             expected="each column name once")
        seen[key] = name
        names[c] = name
    df = df.drop(columns=drop).rename(columns=names)
    return df


def _drop_trailing_blank(df: pd.DataFrame) -> pd.DataFrame:
    data_cols = [c for c in df.columns if c != "__row__"]
    if not data_cols or len(df) == 0:
        return df.iloc[0:0] if not data_cols else df
    filled = df[data_cols].notna().any(axis=1).to_numpy()
    if not filled.any():
        return df.iloc[0:0]
    last = int(np.flatnonzero(filled)[-1])
    return df.iloc[: last + 1]


def without_blank_rows(table: Table) -> Table:
    """The table without its fully blank rows (row numbers kept).

    For the factor library's own files, where a blank line between entries
    is ignored as a spreadsheet user expects; users' input files refuse one
    instead (:func:`check_blank_rows`).
    """
    blank = np.ones(len(table.frame), dtype=bool)
    for c in table.frame.columns:
        blank &= is_missing(table.frame[c])
    if not blank.any():
        return table
    frame = table.frame[~blank].reset_index(drop=True)
    return replace(table, frame=frame, rows=table.rows[~blank])


def is_missing(series: pd.Series) -> np.ndarray:
    """Boolean mask of empty cells (None, NaN, NaT or a blank string)."""
    miss = series.isna().to_numpy()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        blank = series.astype("string").str.strip().eq("").fillna(False).to_numpy(dtype=bool)
        miss = miss | blank
    return miss


def column_strings(table: Table, column: str) -> pd.Series:
    """A column as stripped strings ('' for empty cells); numbers as written.

    Whole floats from a workbook (``2024.0``) come back as ``"2024"``.
    """
    s = table.frame[column]
    if s.dtype == object:
        s = s.map(_cell_text, na_action="ignore")
    s = s.astype("string").fillna("").str.strip()
    return s.astype(object)


# Numbers as people write them (DESIGN §3 "Numbers"). Under the decimal-comma
# convention (nb) a dot or a blank separates thousands; under the
# decimal-point convention (en) a comma or a blank does. A separator counts as
# a thousands separator only between groups of three digits after a lead of
# one to three digits; a lead of 0 is no thousands lead (``0,250`` is a
# decimal), and one value uses one kind of separator. An exponent is allowed
# on a number without thousands separators.
_BLANK = "[ \u00a0\u202f\u2009']"        # space, no-break spaces, apostrophe
_LEAD = r"[1-9]\d{0,2}"


def _number_grammar(decimal: str, thousands: str) -> re.Pattern:
    d, t = re.escape(decimal), re.escape(thousands)
    whole = rf"(?:{_LEAD}(?:{_BLANK}\d{{3}})+|{_LEAD}(?:{t}\d{{3}})+|\d+)"
    return re.compile(rf"[+-]?(?:{whole}(?:{d}\d+)?|{d}\d+|\d+(?:{d}\d+)?[eE][+-]?\d+"
                      rf"|{d}\d+[eE][+-]?\d+)")


_NB_NUMBER = _number_grammar(",", ".")
_EN_NUMBER = _number_grammar(".", ",")
_BLANKS = re.compile(_BLANK)
# A plain decimal-point text that the decimal-comma convention reads otherwise
# (``1.234``: 1234 there); see :func:`_plain_numbers`.
_DOT_THOUSANDS = re.compile(rf"[+-]?{_LEAD}(?:\.\d{{3}})+")


def parse_number_column(table: Table, column: str, *, allow_empty: bool = False,
                        expected: str = "a number") -> np.ndarray:
    """Parse a column of numbers as people write them, vectorised.

    Workbook number cells are taken as they are. Text is read under one of
    two conventions, decided for the whole column (DESIGN §3 "Numbers"):
    decimal comma with a dot or blank between thousands (``1.234,5``,
    ``1 234,5``), or decimal point with a comma or blank between thousands
    (``1,234.5``). The column's unambiguous values decide (``2.345,5``,
    ``12,5`` and ``1234,567`` take a decimal comma; ``0.25`` and ``1,234.5``
    a decimal point); values that read the same either way (``1234``,
    ``1 234``) need no convention. A text column of plain decimal-point
    numbers (machine exports) is parsed in one step.

    Parameters
    ----------
    table : Table
    column : str
        Header of the column, as in ``table.frame``.
    allow_empty : bool
        Whether empty cells are allowed (they become NaN).
    expected : str
        What an error says was expected instead of a bad cell.

    Returns
    -------
    numpy.ndarray of float64
        In whatever unit the column is in.

    Raises
    ------
    InputError
        At the first cell that is not a number (or empty when not allowed);
        at a value that reads differently under the two conventions
        (``1.234``, ``1,234``) in a column whose other values do not say
        which; at the first value whose convention disagrees with the
        column's first unambiguous value. Each names file, row, column and
        the value found.
    """
    s = table.frame[column]
    if pd.api.types.is_bool_dtype(s.dtype):
        raise table.error("not a number", 0, column, s.iloc[0], expected)
    if pd.api.types.is_numeric_dtype(s.dtype):
        out = s.to_numpy(dtype="float64", na_value=np.nan)
        missing = np.isnan(out)
        bad = np.zeros(len(out), dtype=bool)
    else:
        plain = _plain_numbers(s)
        if plain is not None and (allow_empty or not np.isnan(plain).any()):
            return plain
        obj = s.astype(object)
        if pd.api.types.infer_dtype(obj, skipna=True) in ("string", "empty"):
            is_num = np.zeros(len(obj), dtype=bool)     # CSV: text only
        else:
            # NaN (an empty cell) is a float but not a number the user wrote
            is_num = np.fromiter((isinstance(v, (int, float, np.number))
                                  and not isinstance(v, bool) and v == v for v in obj),
                                 dtype=bool, count=len(obj))
        out = np.full(len(obj), np.nan)
        if is_num.any():
            out[is_num] = obj[is_num].astype("float64").to_numpy()
        txt = obj.where(~is_num).map(lambda v: v if isinstance(v, str) else None,
                                     na_action="ignore")
        # Cells that are neither numbers nor text (an Excel date in a number
        # column, a boolean) are bad values, not missing ones.
        other = (~is_num) & obj.notna().to_numpy() & txt.isna().to_numpy()
        t = txt.astype("string").str.strip()
        missing = (t.isna() | (t == "")).fillna(True).to_numpy(dtype=bool) & ~is_num & ~other
        text_rows = ~is_num & ~missing & ~other
        if not allow_empty and missing.any():
            i = int(np.flatnonzero(missing)[0])
            raise table.error("missing value", i, column, "", expected)
        parsed, unreadable = _parse_number_texts(table, column, t, text_rows)
        out[text_rows] = parsed[text_rows]
        bad = other | unreadable
    if not allow_empty and missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise table.error("missing value", i, column, "", expected)
    bad = bad | (~missing & ~np.isfinite(np.nan_to_num(out, nan=0.0)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise table.error("not a number", i, column, _display(s.iloc[i]), expected)
    return out


def _parse_number_texts(table: Table, column: str, t: pd.Series, rows: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of a column's text cells, under the column's convention.

    Parameters
    ----------
    table, column
        For the error messages.
    t : pandas.Series of string
        The column's cells as stripped text (NA where not text).
    rows : numpy.ndarray of bool
        The cells to read (filled text cells).

    Returns
    -------
    values : numpy.ndarray of float64
        NaN outside ``rows`` and where unreadable.
    unreadable : numpy.ndarray of bool
        Cells of ``rows`` that are a number under neither convention.

    Raises
    ------
    InputError
        An ambiguous value in a column with no unambiguous one, or two
        unambiguous values of different conventions.
    """
    n = len(t)
    values = np.full(n, np.nan)
    unreadable = np.zeros(n, dtype=bool)
    if not rows.any():
        return values, unreadable
    text = t.fillna("").str.replace("\u2212", "-", regex=False)
    ok_nb = text.str.fullmatch(_NB_NUMBER).fillna(False).to_numpy(dtype=bool) & rows
    ok_en = text.str.fullmatch(_EN_NUMBER).fillna(False).to_numpy(dtype=bool) & rows
    both = ok_nb & ok_en
    comma_only = ok_nb & ~ok_en
    point_only = ok_en & ~ok_nb
    # A value both conventions read reads the same under both unless it holds a
    # dot or a comma (a dot or comma is a decimal sign under one and a
    # thousands separator under the other), so no value is parsed twice.
    ambiguous = both & text.str.contains(r"[.,]", regex=True).fillna(False).to_numpy(dtype=bool)
    first = np.flatnonzero(comma_only | point_only)
    if first.size:
        i0 = int(first[0])
        comma = bool(comma_only[i0])
        against = point_only if comma else comma_only
        if against.any():
            i = int(np.flatnonzero(against)[0])
            said = "decimal comma" if comma else "decimal point"
            raise table.error(
                f"decimal comma and decimal point mixed in one column: row "
                f"{table.row_of(i0)} has '{text.iloc[i0]}' ({said}), so this value cannot "
                "be read the same way", i, column, text.iloc[i],
                f"numbers written the same way throughout the column (a {said}, as in "
                f"row {table.row_of(i0)})")
        ok = ok_nb if comma else ok_en
    else:
        if ambiguous.any():
            i = int(np.flatnonzero(ambiguous)[0])
            v = text.iloc[i]
            sep = "." if "." in v else ","
            as_nb, as_en = _number_text(v, comma=True), _number_text(v, comma=False)
            raise table.error(
                f"'{v}' can be read as {float(as_nb):.15g} or as {float(as_en):.15g} (the "
                f"'{sep}' may be a decimal or a thousands separator), and no other value "
                "in the column says which", i, column, v,
                "the number without thousands separator (1234), or a column in which a "
                "value shows the decimal separator (12,5 or 0.25)")
        comma, ok = True, both
    plain = _number_text(text[ok], comma=comma)
    values[ok] = pd.to_numeric(plain, errors="coerce").to_numpy(dtype="float64",
                                                                na_value=np.nan)
    unreadable = rows & ~ok
    return values, unreadable


def _number_text(text, *, comma: bool):
    """Number text (a str or a string Series) of one convention as plain
    decimal-point text: blanks out, thousands separators out, decimal sign ``.``."""
    if isinstance(text, str):
        text = _BLANKS.sub("", text)
        return (text.replace(".", "").replace(",", ".") if comma else text.replace(",", ""))
    text = text.str.replace(_BLANKS, "", regex=True)
    if comma:
        return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return text.str.replace(",", "", regex=False)


def _plain_numbers(s: pd.Series) -> np.ndarray | None:
    """A text column whose every filled cell is a plain finite number (``1234.5``)
    as float64 (NaN where empty); None when any cell needs the full parser.

    A column whose dotted values could all be thousands (``1.234``, ``2.500``)
    is left to the full parser, which decides the convention (DESIGN §3)."""
    if not (pd.api.types.is_string_dtype(s.dtype)
            and pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")):
        return None
    head = s.iloc[:64]
    # a decimal comma shows in the first rows of most columns: no need to try all
    if head.str.contains(",", regex=False).fillna(False).any():
        return None
    empty = s.isna().to_numpy()
    out = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if (np.isnan(out) & ~empty).any() or not np.isfinite(out[~empty]).all():
        return None
    dotted = s.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
    if dotted.any():
        thousands = s.str.fullmatch(_DOT_THOUSANDS).fillna(False).to_numpy(dtype=bool)
        if thousands.any() and not (dotted & ~thousands).any():
            return None
    return out


def _display(v) -> str:
    return _cell_text(v)


def match_columns(table: Table, spec: dict[str, list[str]],
                  required: set[str]) -> dict[str, str]:
    """Find the file's header for each canonical column.

    Parameters
    ----------
    table : Table
    spec : dict of str to list of str
        Canonical name -> accepted spellings (see
        :data:`klimaregnskap.readers.columns.COLUMN_ALIASES`).
    required : set of str
        Canonical names that must be present.

    Returns
    -------
    dict of str to str
        Canonical name -> header as written, for the columns present.

    Raises
    ------
    InputError
        A required column is missing, or two headers match one column.
    """
    by_fold = {fold(h): h for h in table.frame.columns}
    found: dict[str, str] = {}
    for canon, aliases in spec.items():
        hits = []
        for a in [canon, *aliases]:
            h = by_fold.get(fold(a))
            if h is not None and h not in hits:
                hits.append(h)
        if len(hits) > 1:
            raise InputError("two columns mean the same thing", file=str(table.path),
                             row=table.header_row, column=hits[1],
                             found=", ".join(hits), expected=f"one '{canon}' column")
        if hits:
            found[canon] = hits[0]
    missing = [c for c in spec if c in required and c not in found]
    missing += sorted(c for c in required if c not in spec)
    if missing:
        c = missing[0]
        names = " / ".join(dict.fromkeys([c, *spec.get(c, [])]))
        raise InputError(f"missing column '{c}'", file=str(table.path),
                         row=table.header_row, column=c,
                         found=", ".join(map(str, table.frame.columns)),
                         expected=f"a column named {names}")
    return found


# ------------------------------------------------------------ reader helpers

class Problems:
    """Collects a file's problems so the whole file is checked before refusing it.

    Use ``with problems.check(): ...`` around a step that raises
    :class:`InputError`; :meth:`raise_if_any` raises the only problem as is,
    or all of them (up to ``limit``) joined into one error.
    """

    def __init__(self, path: str | Path, limit: int = 10):
        self.path = str(path)
        self.limit = limit
        self.errors: list[InputError] = []

    def add(self, error: InputError) -> None:
        self.errors.append(error)

    def check(self):
        return _Catch(self)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        errs = sorted(self.errors, key=lambda e: (e.row is None, e.row or 0))
        if len(errs) == 1:
            raise errs[0]
        lines = []
        for e in errs[: self.limit]:
            one = InputError(e.message, row=e.row, column=e.column, found=e.found,
                             expected=e.expected)
            lines.append(f"  - {one}")
        more = len(errs) - self.limit
        if more > 0:
            lines.append(f"  - ... and {more} more")
        first = errs[0]
        raise InputError(f"{len(errs)} problems:\n" + "\n".join(lines), file=self.path,
                         row=first.row, column=first.column, extra={"errors": errs})


class _Catch:
    def __init__(self, problems: Problems):
        self.problems = problems

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, InputError):
            self.problems.add(exc)
            return True
        return False


#: words that mark a total row in the first text cell of a row (DESIGN §3)
TOTAL_WORDS = frozenset({"sum", "total", "totalt"})
# patterns as text, not compiled: pandas then matches arrow-backed text in C
_TOTAL = r"\s*(?:" + "|".join(sorted(TOTAL_WORDS)) + r")\s*:?\s*"
_LETTER = r"[^\W\d_]"


def check_total_rows(table: Table) -> None:
    """Refuse a total row (``Sum``, ``Total``, ``Totalt``) as one error that says so.

    A row is a total row when its first cell holding text (a letter; numbers
    and dates are passed over) is one of :data:`TOTAL_WORDS`, in any case and
    with or without a colon. Spreadsheets often end with such a row; read as
    data it would count everything twice, and would give one error per column
    (a total has no site, period or activity), so it is named alone.

    Raises
    ------
    InputError
        At the first total row: file, spreadsheet row, the column and word
        found; the message names any further total rows.
    """
    frame = table.frame
    n = len(frame)
    if n == 0:
        return
    # One vectorised match per text column finds the candidates; the common
    # case (no total word anywhere) ends there.
    texts, found = [], False
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_datetime64_any_dtype(
                s.dtype):
            continue
        if not pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            # workbook cells: text among numbers and dates (their str() has no
            # total word); a CSV column is text already
            s = s.map(lambda v: v if isinstance(v, str) else None).astype("string")
        is_total = _total_cells(s)
        found = found or bool(is_total.any())
        texts.append((c, s, is_total))
    if not found:
        return
    decided = np.zeros(n, dtype=bool)
    total_col = np.full(n, None, dtype=object)
    for c, s, is_total in texts:
        here = ~decided & is_total
        total_col[here] = c
        decided |= s.str.contains(_LETTER).fillna(False).to_numpy(dtype=bool)
    hits = np.flatnonzero(total_col != None)  # noqa: E711 - elementwise on an object array
    if not hits.size:
        return
    i = int(hits[0])
    column = total_col[i]
    word = str(frame[column].iloc[i]).strip()
    more = [table.row_of(int(k)) for k in hits[1:]]
    also = (f" (rows {', '.join(map(str, more))} are total rows too)" if len(more) > 1 else
            f" (row {more[0]} is a total row too)" if more else "")
    raise table.error(f"row {table.row_of(i)} is a total row ('{word}'): totals are "
                      f"computed from the data rows, not read{also}", i, column, word,
                      "only data rows (delete the total row)")


def _total_cells(s: pd.Series) -> np.ndarray:
    """Which cells of a text column (stripped) are a total word, as a boolean array.

    Two cheap filters (short text, starting with s or t) leave the pattern
    match to a handful of cells: a 1,000,000-row column of numbers or
    timestamps costs a length and a first letter, not a regular expression.
    """
    out = np.zeros(len(s), dtype=bool)
    lengths = s.str.len().to_numpy(dtype="float64", na_value=np.nan)
    short = np.flatnonzero(lengths <= 10)
    if not short.size:
        return out
    first = s.iloc[short].str.slice(0, 1).str.lower().isin(["s", "t"]).to_numpy(dtype=bool)
    maybe = short[first]
    if maybe.size:
        out[maybe] = s.iloc[maybe].str.fullmatch(_TOTAL, case=False).fillna(False).to_numpy(
            dtype=bool)
    return out


def did_you_mean(word: object, choices: Iterable) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or ``''``.

    The one "did you mean" of the readers (activities, sites, meters,
    categories). Case is ignored in the comparison; the choice is given as
    spelt in ``choices``.

    Parameters
    ----------
    word : object
        The unknown name as written.
    choices : iterable
        The known names.
    """
    options = {str(c).casefold(): str(c) for c in choices}
    hit = difflib.get_close_matches(str(word).casefold(), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{options[hit[0]]}'?)" if hit else ""


def check_blank_rows(table: Table, columns: Iterable[str] | None = None) -> None:
    """Refuse a blank row between data rows (trailing ones are already dropped).

    Raises
    ------
    InputError
        Naming the first blank row.
    """
    cols = list(columns) if columns is not None else list(table.frame.columns)
    blank = np.ones(len(table.frame), dtype=bool)
    for c in cols:
        blank &= is_missing(table.frame[c])
    if blank.any():
        i = int(np.flatnonzero(blank)[0])
        raise table.error("empty row between data rows", i, None, "",
                          "no blank rows inside the data (delete the row)")


def begin_reading(table: Table, columns: dict[str, list[str]],
                  required: set[str]) -> tuple[dict[str, str], Problems]:
    """The first step of a reader of one kind of user file.

    Finds the file's header for each column, refuses a total row
    (:func:`check_total_rows`: one error, before any other check) and a blank
    row between data rows (checked in the required columns), and starts the
    file's problem list.

    Parameters
    ----------
    table : Table
    columns : dict of str to list of str
        Canonical name -> accepted spellings, as for :func:`match_columns`.
    required : set of str
        Canonical names that must be present.

    Returns
    -------
    cols : dict of str to str
        Canonical name -> header as written, for the columns present.
    problems : Problems
        An empty problem list for the file, for the reader's further checks.

    Raises
    ------
    InputError
        A required column is missing, two headers match one column, a row
        is a total row, or a data row is blank in every required column.
    """
    cols = match_columns(table, columns, required)
    check_total_rows(table)
    problems = Problems(table.path)
    with problems.check():
        check_blank_rows(table, [cols[c] for c in required])
    problems.raise_if_any()
    return cols, problems


def require_filled(table: Table, column: str, what: str = "a value") -> None:
    """Refuse empty cells in ``column``, naming the first one."""
    miss = is_missing(table.frame[column])
    if miss.any():
        i = int(np.flatnonzero(miss)[0])
        raise table.error("missing value", i, column, "", what)


def check_not_negative(table: Table, column: str, values: np.ndarray) -> None:
    """Refuse negative numbers (corrections are made by loading a corrected file)."""
    neg = np.asarray(values) < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise table.error("negative value; corrections are made by loading a corrected "
                          "file, not by a negative row", i, column,
                          _display(table.frame[column].iloc[i]), "a number >= 0")


def map_sites(table: Table, column: str, sites: Iterable[str]) -> np.ndarray:
    """Site ids as the configuration spells them (matched case-insensitively).

    Returns
    -------
    numpy.ndarray of object (str)

    Raises
    ------
    InputError
        At the first empty or unknown site, listing the known sites.
    """
    known = {str(s).strip().lower(): str(s) for s in sites}
    text = column_strings(table, column)
    mapped = text.str.lower().map(known)
    bad = mapped.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        listing = ", ".join(sorted(known.values())) or "(none configured)"
        message = ("unknown site" + did_you_mean(text.iloc[i], known.values())
                   if text.iloc[i] else "missing site")
        raise table.error(message, i, column, text.iloc[i],
                          f"one of the sites in klimaregnskap.toml: {listing}")
    return mapped.to_numpy(dtype=object)


def extract_year_month_day(text: pd.Series, patterns: Iterable[re.Pattern]
                           ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Year, month and day of each cell, by the first pattern that matches it.

    Parameters
    ----------
    text : pandas.Series of str
        The cells, stripped (as from :func:`column_strings`).
    patterns : iterable of re.Pattern
        Tried in order; each has a group ``y`` and may have groups ``m`` and
        ``d``. A cell takes its parts from the first pattern that matches it.

    Returns
    -------
    y, m, d : pandas.Series of float64
        On ``text``'s index; NaN where no pattern matched, and ``m`` / ``d``
        NaN where the matching pattern has no such group. The numbers are not
        checked (month 13 comes back as 13).
    """
    found = {g: np.full(len(text), np.nan) for g in ("y", "m", "d")}
    pos = np.arange(len(text))   # the cells no pattern has matched yet
    todo = text
    for pat in patterns:
        # a later pattern only sees the cells no earlier one matched (most files
        # write one form, so the first pattern is usually the last one tried)
        if not len(pos):
            break
        parts = todo.str.extract(pat)
        hit = parts["y"].notna().to_numpy()
        for g in parts.columns.intersection(list(found)):
            found[g][pos[hit]] = parts[g].to_numpy(dtype=object)[hit].astype(float)
        pos, todo = pos[~hit], todo[~hit]
    return tuple(pd.Series(found[g], index=text.index) for g in ("y", "m", "d"))


_DATE_PATTERNS = (
    # ISO date, optionally with a midnight time (Excel date cells print like that)
    (re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?: 00:00(?::00)?)?$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
)


def parse_date_column(table: Table, column: str) -> np.ndarray:
    """Parse a column of calendar dates, vectorised.

    Accepts ISO ``2024-03-15``, ``15.03.2024``, ``15/03/2024`` and Excel date
    cells (a midnight time is allowed; any other time is refused).

    Returns
    -------
    numpy.ndarray of datetime64[ns]

    Raises
    ------
    InputError
        At the first empty cell or value that is not a date.
    """
    require_filled(table, column, "a date such as 2024-03-15 or 15.03.2024")
    text = column_strings(table, column)
    y, m, d = extract_year_month_day(text, _DATE_PATTERNS)
    dates = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": d}), errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise table.error("not a date", i, column, text.iloc[i],
                          "a date such as 2024-03-15 or 15.03.2024")
    return dates.to_numpy(dtype="datetime64[ns]")


def parse_int_column(table: Table, column: str, *, low: int | None = None,
                     high: int | None = None, what: str = "a whole number") -> np.ndarray:
    """Parse a column of whole numbers (``2024``, ``2024,0`` or a workbook number cell).

    Returns
    -------
    numpy.ndarray of int64
    """
    values = parse_number_column(table, column)
    bad = (values != np.round(values))
    if low is not None:
        bad |= values < low
    if high is not None:
        bad |= values > high
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise table.error("not a valid value", i, column,
                          _display(table.frame[column].iloc[i]), what)
    return values.astype("int64")
