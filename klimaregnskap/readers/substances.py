"""Lists of listed (health- and environmentally harmful) substances: reading
and validating them (DESIGN §3 Purchased products). The share of products
free of them is :mod:`klimaregnskap.calc.products`.

The shipped substitution list is ``factors/listed_substances.csv`` (columns
``cas, name, list, source``): one row per CAS number; a substance on several
lists names them all in ``list`` separated by ``' | '``, and ``source`` cites
each list in the same order, also separated by ``' | '``.

A project adds substances with its own list file(s) in ``<project>/factors/``
(CSV, XLSX or XLS, any file name), recognised by having a ``cas`` and a ``name``
column (Norwegian: ``cas-nr``, ``navn``/``stoff``; optional ``list``/``liste``,
required ``source``/``kilde``). A project list never removes shipped entries.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import shipped_factor_dir
from klimaregnskap.readers.cas import is_valid_cas, normalise_cas
from klimaregnskap.readers.columns import aliases_of, columns_of, fold, required_of
from klimaregnskap.readers.kept import kept_parse
from klimaregnskap.readers.schema import LazySchema
from klimaregnskap.readers.tables import (WORKBOOK_SUFFIXES, column_strings, has_header,
                                          read_table)

__all__ = ["LISTED_SCHEMA", "SHIPPED_FILE", "LIST_SEPARATOR", "load_listed_substances",
           "read_listed_file", "is_listed_file", "is_list_header"]

SHIPPED_FILE = "listed_substances.csv"
#: separator between several lists (and their sources) of one substance
LIST_SEPARATOR = " | "
#: origin of rows from the shipped list (project rows carry their file path)
SHIPPED_ORIGIN = "shipped"

#: folded header spelling -> canonical column (``vocabulary/columns.csv``)
_BY_FOLDED = {fold(a): canon for canon, aliases in aliases_of("listed_substances").items()
              for a in aliases}
_REQUIRED = required_of("listed_substances")
_EXPECTED_COLUMNS = ", ".join(c.column if c.required else f"{c.column} (optional)"
                              for c in columns_of("listed_substances"))
_SUFFIXES = {".csv"} | WORKBOOK_SUFFIXES   # workbooks: XLSX and XLS

LISTED_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "cas": pa.Column(str, pa.Check(lambda s: s.map(is_valid_cas),
                                       error="CAS number with a valid check digit")),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "list": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        "origin": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True, ordered=True, coerce=False,
))


# ------------------------------------------------------------------ list files

def _header_columns(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        canon = _BY_FOLDED.get(fold(c))
        if canon is not None and canon not in found:
            found[canon] = i
    return found


def is_list_header(cells: list[str]) -> bool:
    """Whether a header row is that of a list of substances (``cas`` and ``name`` columns)."""
    cols = _header_columns(cells)
    return "cas" in cols and "name" in cols


def is_listed_file(path: str | Path) -> bool:
    """Whether a file is a list of substances (has ``cas`` and ``name`` columns).

    Parameters
    ----------
    path : str or Path
        A CSV or XLSX file.

    Returns
    -------
    bool
    """
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES or not path.is_file():
        return False
    try:
        return has_header(path, is_list_header)
    except (OSError, InputError):
        return False


def read_listed_file(path: str | Path, origin: str | None = None) -> pd.DataFrame:
    """Read and validate one list of substances.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX with columns ``cas, name, source`` and optional ``list``
        (Norwegian names accepted, see module docstring). Without a ``list``
        column the list is named after the file (its stem).
    origin : str, optional
        Value of the ``origin`` column; default the file path.

    Returns
    -------
    pandas.DataFrame
        ``cas, name, list, source, origin`` (all str), CAS normalised.

    Raises
    ------
    InputError
        A missing column, an empty cell, or a CAS number that is malformed or
        whose check digit does not match (file, spreadsheet row, column and
        value are named). The whole file is refused.
    """
    path = Path(path)
    table = read_table(path, header_predicate=is_list_header)
    header = list(table.frame.columns)
    cols = {canon: header[i] for canon, i in _header_columns(header).items()}
    for need in _REQUIRED:
        if need not in cols:
            raise InputError(f"missing column '{need}'", file=str(path), row=table.header_row,
                             column=need, found=", ".join(map(str, header)),
                             expected="columns " + _EXPECTED_COLUMNS)
    cas_raw = column_strings(table, cols["cas"])
    name = column_strings(table, cols["name"])
    source = column_strings(table, cols["source"])
    if "list" in cols:
        lst = column_strings(table, cols["list"])
    else:
        lst = pd.Series([path.stem] * len(table.frame), dtype=object)

    # A fully blank row between entries is ignored, as a spreadsheet user expects.
    filled = (cas_raw != "") | (name != "") | (source != "")
    if "list" in cols:
        filled |= lst != ""
    keep = filled.to_numpy(dtype=bool)

    uniq = pd.unique(cas_raw[keep])
    norm = {u: normalise_cas(u) for u in uniq}
    valid = {u: is_valid_cas(n) for u, n in norm.items()}
    cas = cas_raw.map(norm)
    bad = keep & ~cas_raw.map(valid).fillna(False).to_numpy(dtype=bool)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        found = cas_raw.iloc[pos]
        raise table.error("invalid CAS number (malformed or wrong check digit)"
                          if found else "empty CAS number", pos, cols["cas"], found,
                          "a CAS number such as 117-81-7 whose last digit is its check digit")
    for canon, series, what in (("name", name, "the substance's name"),
                                ("source", source, "the source of the entry (publication "
                                 "and where in it)"),
                                ("list", lst, "the name of the list")):
        empty = keep & (series == "").to_numpy()
        if empty.any():
            pos = int(np.flatnonzero(empty)[0])
            raise table.error(f"empty {canon}", pos, cols.get(canon, canon), "", what)
    out = pd.DataFrame({
        "cas": cas[keep].astype(str).to_numpy(dtype=object),
        "name": name[keep].astype(str).to_numpy(dtype=object),
        "list": lst[keep].astype(str).to_numpy(dtype=object),
        "source": source[keep].astype(str).to_numpy(dtype=object),
        "origin": np.full(int(keep.sum()), origin if origin is not None else str(path),
                          dtype=object),
    })
    return out


def load_listed_substances(project_dir: Path | None = None,
                           kept_in: Path | None = None) -> pd.DataFrame:
    """The substitution list: shipped entries plus a project's own list files.

    Parameters
    ----------
    project_dir : Path, optional
        The project folder; its ``factors/`` folder is searched for list files
        (CSV/XLSX with ``cas`` and ``name`` columns). Other files there (factor
        files) are ignored. ``None``: shipped list only.
    kept_in : Path, optional
        The project whose cache folder keeps the parse between runs
        (:mod:`klimaregnskap.readers.kept`); None: kept in this process only.

    Returns
    -------
    pandas.DataFrame
        ``cas, name, list, source, origin``; ``origin`` is ``"shipped"`` or the
        project file's path. Project entries add to the shipped ones; a CAS
        number may appear more than once (e.g. shipped and in a project list).

    Raises
    ------
    InputError
        A list file with an invalid CAS number or a missing source (see
        :func:`read_listed_file`), or a missing shipped list.
    """
    shipped = shipped_factor_dir() / SHIPPED_FILE
    if not shipped.is_file():
        raise InputError("the shipped list of substances is missing", file=str(shipped))
    own = []
    if project_dir is not None:
        fdir = Path(project_dir) / "factors"
        if fdir.is_dir() and fdir.resolve() != shipped.parent.resolve():
            own = [p for p in sorted(fdir.iterdir())
                   if not p.name.startswith((".", "~$")) and is_listed_file(p)]

    def parse() -> tuple[dict, dict]:
        frames = [read_listed_file(shipped, origin=SHIPPED_ORIGIN)]
        frames += [read_listed_file(p) for p in own]
        return {"listed": LISTED_SCHEMA.validate(pd.concat(frames, ignore_index=True))}, {}

    # read on every build: the parse is kept (by the files' content) for the next
    frames, _ = kept_parse("substances", "project" if own else "shipped", [shipped, *own],
                           kept_in, parse)
    return frames["listed"]
