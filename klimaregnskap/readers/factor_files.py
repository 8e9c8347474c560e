"""Factor-library files: emission factors, energy contents and GWP values (DESIGN §3).

Reads the CSV files of the shipped library (``factors/``, installed as
``klimaregnskap.shipped_factors``) and of a project's own ``factors/``
folder with the one CSV decoder (:func:`klimaregnskap.readers.tables.read_table`)
and validates them. Which series is in force is not decided here:
:func:`klimaregnskap.calc.factors.load_library` lets a project's series
replace the shipped ones.

Vocabulary
----------
row kind
    ``emission``: the unit is CO2e per amount (``gCO2e/kWh``, ``kgCO2e/L``,
    ``kgCO2e/tonne``, ``kgCO2e/EUR``); ``co2``: the unit is CO2 alone per
    amount (``gCO2/kWh``, ``kgCO2/L``), a published CO2-only figure kept for
    the record and never used as CO2e (DESIGN §3); ``energy``: the unit is
    energy per amount (``kWh/L``, ``kWh/Sm3``), the activity's energy content.
GWP table
    ``gas, ar5, ar6, source``: GWP100 of refrigerants and anaesthetic gases,
    in kgCO2e per kg.
tables
    The four tables shipped beside the factors (DESIGN §3), each keyed:
    ``activities.csv`` (activity), ``gas_properties.csv`` (gas),
    ``price_index.csv`` (year) and ``exchange_rates.csv`` (year, currency).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from klimaregnskap.errors import InputError, UnitError
from klimaregnskap.readers.base import shipped_factor_dir
from klimaregnskap.readers.columns import fold, required_of
from klimaregnskap.readers.kept import kept_parse
from klimaregnskap.readers.schema import LazySchema, schema_errors
from klimaregnskap.readers.substances import is_list_header
from klimaregnskap.readers.tables import (Table, column_strings, parse_number_column,
                                          read_table, without_blank_rows)
from klimaregnskap.units import parse_unit, ureg
from klimaregnskap.vocabulary import reporting_categories

__all__ = ["FACTOR_COLUMNS", "GWP_COLUMNS", "TABLE_COLUMNS", "TABLE_KEYS", "FACTOR_ROW_SCHEMA",
           "GWP_ROW_SCHEMA", "FactorFolder", "classify_unit", "read_factor_file",
           "read_factor_folder", "read_factor_folders", "library_sha256"]

FACTOR_COLUMNS = list(required_of("factors"))
GWP_COLUMNS = list(required_of("gwp"))
#: the tables shipped beside the factors (DESIGN §3) and their columns
TABLE_COLUMNS = {k: list(required_of(k))
                 for k in ("activities", "gas_properties", "price_index", "exchange_rates")}
#: the key of each table: a project's row replaces the shipped row with the same key
TABLE_KEYS = {"activities": ["activity"], "gas_properties": ["gas"], "price_index": ["year"],
              "exchange_rates": ["year", "currency"]}
#: columns of the factor frame of a folder (one row per factor-file row)
FACTOR_FRAME_COLUMNS = ["activity", "year", "value", "unit", "scope", "method", "source",
                        "kind", "origin", "file", "row", "amount_unit", "scope3_category"]

_ENERGY_DIM = ureg.parse_units("kWh").dimensionality
_CO2E_DIM = ureg.parse_units("kgCO2e").dimensionality
_CO2_ONLY_DIM = ureg.parse_units("kgCO2").dimensionality
_NUMBER = "a number (decimal point or comma)"


# --------------------------------------------------------------------------- schemas

def _nonempty(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip() != ""


FACTOR_ROW_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "activity": pa.Column(str, pa.Check(_nonempty, error="a non-empty activity name")),
        "year": pa.Column("int64", pa.Check.in_range(1900, 2200, error="a year such as 2024")),
        "value": pa.Column("float64", pa.Check.ge(0, error="a number >= 0")),
        "unit": pa.Column(str),
        "scope": pa.Column("Int64", nullable=True),
        "method": pa.Column(str),
        "source": pa.Column(str, pa.Check(_nonempty, error="a source (publication, table, year)")),
        "kind": pa.Column(str, pa.Check.isin(["emission", "co2", "energy"])),
    },
    strict=False,
))
"""Typed factor rows after parsing (see :func:`read_factor_file`)."""

GWP_ROW_SCHEMA = LazySchema(lambda pa: pa.DataFrameSchema(
    {
        "gas": pa.Column(str, pa.Check(_nonempty, error="a non-empty gas name")),
        "ar5": pa.Column("float64", pa.Check.ge(0, error="a GWP100 number >= 0")),
        "ar6": pa.Column("float64", pa.Check.ge(0, error="a GWP100 number >= 0")),
        "source": pa.Column(str, pa.Check(_nonempty, error="a source (publication, table, year)")),
    },
    strict=False,
))
"""Typed GWP rows (GWP100, kgCO2e per kg of gas)."""


def _validate(schema: LazySchema, df: pd.DataFrame, path: Path,
              rows: pd.Series) -> None:
    """Run a pandera schema and turn its first failure into an InputError."""
    try:
        schema.validate(df, lazy=True)
    except schema_errors() as exc:
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()] if "index" in fc else fc
        if len(fc) == 0:
            raise InputError(str(exc), file=str(path)) from None
        first = fc.sort_values("index").iloc[0]
        idx = first["index"]
        col = first["column"]
        check = str(first["check"])
        raise InputError("invalid value", file=str(path), row=int(rows.loc[idx]),
                         column=col, found=first["failure_case"], expected=check) from None


# --------------------------------------------------------------------------- units

def classify_unit(unit: str) -> tuple[str, str]:
    """Tell an emission-factor unit from an energy-content unit.

    Parameters
    ----------
    unit : str
        A factor unit such as ``"gCO2e/kWh"``, ``"kgCO2e/L"`` or ``"kWh/Sm3"``.

    Returns
    -------
    tuple of (str, str)
        ``(kind, amount_unit)``: kind ``'emission'`` (CO2e per amount),
        ``'co2'`` (CO2 alone per amount: never used as CO2e) or ``'energy'``,
        and the denominator as written (``'kWh'``, ``'L'``, ``'Sm3'``).

    Raises
    ------
    UnitError
        If the unit is unknown, or is neither CO2e per amount nor energy per
        amount (``reason`` then says so).
    """
    text = str(unit).strip()
    parts = text.split("/")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise UnitError(text, "CO2e per amount or energy per amount", reason="incompatible")
    num, den = parts[0].strip(), parts[1].strip()
    num_dim = parse_unit(num).dimensionality
    den_u = parse_unit(den)
    if den_u.dimensionality == parse_unit("1").dimensionality:
        raise UnitError(text, "CO2e per amount or energy per amount", reason="incompatible")
    if num_dim == _CO2E_DIM:
        return "emission", den
    if num_dim == _CO2_ONLY_DIM:
        return "co2", den
    if num_dim == _ENERGY_DIM:
        return "energy", den
    raise UnitError(text, "CO2e per amount or energy per amount", reason="incompatible")


_CLASSIFY_CACHE: dict[str, tuple[str, str]] = {}


def _classify_cached(unit: str) -> tuple[str, str]:
    if unit not in _CLASSIFY_CACHE:
        _CLASSIFY_CACHE[unit] = classify_unit(unit)
    return _CLASSIFY_CACHE[unit]


# --------------------------------------------------------------------------- one file

def _is_library_header(cells: list[str]) -> bool:
    """A header of a factor file, a GWP table, one of the four tables or a list of substances."""
    names = {fold(c) for c in cells}
    return (set(FACTOR_COLUMNS) <= names or set(GWP_COLUMNS) <= names
            or any(set(cols) <= names for cols in TABLE_COLUMNS.values())
            or is_list_header(cells))


def _number(table: Table, column: str, index: pd.Index) -> pd.Series:
    return pd.Series(parse_number_column(table, column, expected=_NUMBER), index=index,
                     dtype="float64")


def read_factor_file(path: Path) -> tuple[str, pd.DataFrame]:
    """Read and validate one factor-library CSV.

    Parameters
    ----------
    path : Path
        A CSV with the factor columns or the GWP columns. A blank line
        between rows is skipped.

    Returns
    -------
    tuple of (str, pandas.DataFrame)
        ``('factors', frame)``, ``('gwp', frame)``, one of the four tables
        (``('activities', frame)``, ``('gas_properties', frame)``,
        ``('price_index', frame)``, ``('exchange_rates', frame)``) or
        ``('ignored', empty)`` for a list of substances (``cas`` and ``name``
        columns, read by :mod:`klimaregnskap.readers.substances`).

    Raises
    ------
    InputError
        Naming file, spreadsheet row (header = row 1), column, the value
        found and what was expected.
    """
    path = Path(path)
    table = read_table(path, header_predicate=_is_library_header)
    if is_list_header([str(c) for c in table.frame.columns]):
        return "ignored", pd.DataFrame()
    table = without_blank_rows(table)
    header = {str(c).strip().lower(): c for c in table.frame.columns}
    cols = set(header)
    table_kind = next((k for k, c in TABLE_COLUMNS.items() if set(c) <= cols), None)
    if set(GWP_COLUMNS) <= cols:
        kind = "gwp"
    elif table_kind is not None:
        kind = table_kind
    elif set(FACTOR_COLUMNS) <= cols:
        kind = "factors"
    else:
        raise InputError("not a factor file", file=str(path), row=table.header_row,
                         found=", ".join(header),
                         expected="columns " + ", ".join(FACTOR_COLUMNS)
                         + " (or " + ", ".join(GWP_COLUMNS) + " for a GWP table)")
    if len(table.frame) == 0:
        raise InputError("the file has no data rows", file=str(path), row=table.header_row + 1,
                         expected="at least one row below the header")
    index = table.frame.index
    rows = pd.Series(table.rows, index=index)
    if kind in TABLE_COLUMNS:
        return kind, _read_table_kind(kind, table, header, path, rows)
    text = {c: column_strings(table, header[c]).astype(str)
            for c in (GWP_COLUMNS if kind == "gwp" else FACTOR_COLUMNS)}
    if kind == "gwp":
        out = pd.DataFrame({
            "gas": text["gas"],
            "ar5": _number(table, header["ar5"], index),
            "ar6": _number(table, header["ar6"], index),
            "source": text["source"],
        }, index=index)
        _validate(GWP_ROW_SCHEMA, out, path, rows)
        dup = out["gas"].duplicated()
        if dup.any():
            i = dup.idxmax()
            raise InputError("gas listed twice", file=str(path), row=int(rows.loc[i]),
                             column="gas", found=out.loc[i, "gas"], expected="one row per gas")
        out["file"] = str(path)
        out["row"] = rows
        return "gwp", out.reset_index(drop=True)

    # factor rows
    year = _number(table, header["year"], index)
    frac = (year % 1) != 0
    if frac.any():
        i = frac.idxmax()
        raise InputError("not a whole year", file=str(path), row=int(rows.loc[i]), column="year",
                         found=text["year"].loc[i], expected="a year such as 2024")
    value = _number(table, header["value"], index)
    kinds = []
    for i, u in text["unit"].items():
        try:
            kinds.append(_classify_cached(u))
        except UnitError as exc:
            why = ("unknown unit" if exc.reason == "unknown"
                   else "unit is neither CO2e per amount nor energy per amount")
            raise InputError(why, file=str(path), row=int(rows.loc[i]), column="unit", found=u,
                             expected="CO2e per amount (gCO2e/kWh, kgCO2e/L, kgCO2e/tonne) or "
                                      "energy per amount (kWh/L, kWh/Sm3, MWh/tonne)") from None
    kind_s = pd.Series([k for k, _ in kinds], index=index, dtype=str)
    amount = pd.Series([a for _, a in kinds], index=index, dtype=str)
    scope_txt = text["scope"].str.replace(".0", "", regex=False)
    is_em = kind_s.isin(["emission", "co2"])
    bad_em = is_em & ~scope_txt.isin(["1", "2", "3"])
    if bad_em.any():
        i = bad_em.idxmax()
        raise InputError("emission-factor row needs a scope", file=str(path),
                         row=int(rows.loc[i]), column="scope", found=text["scope"].loc[i],
                         expected="1, 2 or 3")
    bad_en = ~is_em & (scope_txt != "")
    if bad_en.any():
        i = bad_en.idxmax()
        raise InputError("energy-content row must not have a scope", file=str(path),
                         row=int(rows.loc[i]), column="scope", found=text["scope"].loc[i],
                         expected="an empty cell (the unit is energy per amount)")
    scope = pd.array([int(s) if s in ("1", "2", "3") else pd.NA for s in scope_txt],
                     dtype="Int64")
    out = pd.DataFrame({
        "activity": text["activity"],
        "year": year.astype("int64"),
        "value": value,
        "unit": text["unit"],
        "scope": pd.Series(scope, index=index),
        "method": text["method"].astype(str),
        "source": text["source"],
        "kind": kind_s,
    }, index=index)
    _validate(FACTOR_ROW_SCHEMA, out, path, rows)
    dup = out.duplicated(["activity", "kind", "method", "year"])
    if dup.any():
        i = dup.idxmax()
        raise InputError("the same activity, method and year appears twice", file=str(path),
                         row=int(rows.loc[i]), column="year", found=int(out.loc[i, "year"]),
                         expected="one row per activity, kind, method and year")
    out["amount_unit"] = amount
    out["file"] = str(path)
    out["row"] = rows.astype("int64")
    out["scope3_category"] = _scope3_column(table, header, path, rows, index)
    return "factors", out.reset_index(drop=True)


def _scope3_column(table: Table, header: dict, path: Path, rows: pd.Series,
                   index: pd.Index) -> pd.Series:
    """The optional ``scope3_category`` column: a GHG Protocol category 1-15, or NA."""
    if "scope3_category" not in header:
        return pd.Series(pd.array([pd.NA] * len(index), dtype="Int64"), index=index)
    txt = column_strings(table, header["scope3_category"]).astype(str).str.strip()
    txt = txt.str.replace(r"\.0$", "", regex=True)
    ok = txt.eq("") | txt.isin([str(i) for i in range(1, 16)])
    if not ok.all():
        i = (~ok).idxmax()
        raise InputError("not a scope 3 category", file=str(path), row=int(rows.loc[i]),
                         column="scope3_category", found=txt.loc[i],
                         expected="a GHG Protocol category 1-15, or empty")
    return pd.Series(pd.array([int(t) if t else pd.NA for t in txt], dtype="Int64"), index=index)


def _read_table_kind(kind: str, table: Table, header: dict, path: Path,
                     rows: pd.Series) -> pd.DataFrame:
    """Decode and check one of the four tables of DESIGN §3 (activities, gas
    properties, price index, exchange rates); every row needs its source."""
    index = table.frame.index
    cols = TABLE_COLUMNS[kind]
    text = {c: column_strings(table, header[c]).astype(str).str.strip() for c in cols}

    def fail(i, column, found, expected, why="invalid value"):
        raise InputError(why, file=str(path), row=int(rows.loc[i]), column=column,
                         found=found, expected=expected)

    for i, v in text["source"].items():
        if not v:
            fail(i, "source", "", "a source (publisher, publication, edition or date, table)",
                 "a row without a source")
    out = pd.DataFrame(index=index)
    if kind == "activities":
        cats = list(reporting_categories())
        for c in ("activity", "name_nb", "name_en"):
            for i, v in text[c].items():
                if not v:
                    fail(i, c, "", "a non-empty " + c)
        for i, v in text["category"].items():
            if v not in cats:
                fail(i, "category", v, "one of " + ", ".join(cats), "unknown reporting category")
        s3 = text["scope3_category"].str.replace(r"\.0$", "", regex=True)
        for i, v in s3.items():
            if v and v not in [str(k) for k in range(1, 16)]:
                fail(i, "scope3_category", v, "a GHG Protocol category 1-15, or empty",
                     "not a scope 3 category")
        out = pd.DataFrame({c: text[c] for c in ("activity", "name_nb", "name_en", "category")},
                           index=index)
        out["scope3_category"] = pd.array([int(v) if v else pd.NA for v in s3], dtype="Int64")
    elif kind == "gas_properties":
        out["gas"] = text["gas"]
        for c in ("density_kg_per_l", "bottle_ml"):
            out[c] = _number(table, header[c], index)
            bad = ~(out[c] > 0)
            if bad.any():
                i = bad.idxmax()
                fail(i, c, text[c].loc[i], "a number > 0")
    elif kind == "price_index":
        out["year"] = _whole_year(table, header, text, path, rows, index)
        out["index"] = _number(table, header["index"], index)
        bad = ~(out["index"] > 0)
        if bad.any():
            i = bad.idxmax()
            fail(i, "index", text["index"].loc[i], "an index > 0")
    else:  # exchange_rates
        out["year"] = _whole_year(table, header, text, path, rows, index)
        out["currency"] = text["currency"].str.upper()
        bad = ~out["currency"].str.fullmatch(r"[A-Z]{3}")
        if bad.any():
            i = bad.idxmax()
            fail(i, "currency", text["currency"].loc[i], "a three-letter currency code (EUR)")
        out["nok_per_unit"] = _number(table, header["nok_per_unit"], index)
        bad = ~(out["nok_per_unit"] > 0)
        if bad.any():
            i = bad.idxmax()
            fail(i, "nok_per_unit", text["nok_per_unit"].loc[i], "a number > 0")
    out["source"] = text["source"]
    keys = TABLE_KEYS[kind]
    dup = out.duplicated(keys)
    if dup.any():
        i = dup.idxmax()
        fail(i, keys[-1], ", ".join(str(out.loc[i, k]) for k in keys),
             "one row per " + " and ".join(keys), "the same key appears twice")
    out["file"] = str(path)
    out["row"] = rows.astype("int64")
    return out.reset_index(drop=True)


def _whole_year(table: Table, header: dict, text: dict, path: Path, rows: pd.Series,
                index: pd.Index) -> pd.Series:
    year = _number(table, header["year"], index)
    bad = (year % 1 != 0) | ~year.between(1900, 2200)
    if bad.any():
        i = bad.idxmax()
        raise InputError("not a whole year", file=str(path), row=int(rows.loc[i]), column="year",
                         found=text["year"].loc[i], expected="a year such as 2024")
    return year.astype("int64")


# --------------------------------------------------------------------------- folders

@dataclass
class FactorFolder:
    """The factor files of one folder, read and validated.

    Attributes
    ----------
    factors : pandas.DataFrame
        Columns :data:`FACTOR_FRAME_COLUMNS`; ``origin`` is the folder's
        origin (``'shipped'`` or ``'project'``). No (activity, kind, method,
        year) twice.
    gwp : pandas.DataFrame or None
        ``gas, ar5, ar6, source, file, row, origin``; None when the folder
        holds no GWP table.
    files : list of Path
        The files read (lists of substances are not among them).
    tables : dict of str to pandas.DataFrame
        The four tables of DESIGN §3 found in the folder (``activities``,
        ``gas_properties``, ``price_index``, ``exchange_rates``), each with
        its columns plus ``file, row``; absent when the folder has none.
    """

    factors: pd.DataFrame
    gwp: pd.DataFrame | None
    files: list[Path]
    tables: dict = field(default_factory=dict)


def _csv_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".csv"),
                  key=lambda p: (p.name, str(p)))


def read_factor_folder(folder: Path, origin: str,
                       kept_in: Path | None = None) -> FactorFolder:
    """Read every factor CSV of a folder (and its subfolders).

    Parameters
    ----------
    folder : Path
    origin : str
        ``'shipped'`` or ``'project'``, the ``origin`` of every row.
    kept_in : Path, optional
        The project whose cache folder keeps the parse between runs
        (:func:`klimaregnskap.readers.kept.kept_parse`); None: kept in this
        process only.

    Returns
    -------
    FactorFolder

    Raises
    ------
    InputError
        For the first invalid file, row and column; and for the same
        activity, kind, method and year in two files of the folder.
    """
    files = _csv_files(Path(folder))

    def parse() -> tuple[dict, dict]:
        got = _read_files(files, origin)
        frames = {"factors": got.factors,
                  **({"gwp": got.gwp} if got.gwp is not None else {}),
                  **{f"table_{k}": v for k, v in got.tables.items()}}
        return frames, {"files": [str(p) for p in got.files]}

    frames, note = kept_parse("factors", origin, files, kept_in, parse)
    return FactorFolder(factors=frames.pop("factors"), gwp=frames.pop("gwp", None),
                        files=[Path(f) for f in note["files"]],
                        tables={k.removeprefix("table_"): v for k, v in frames.items()})


def _read_files(files: list[Path], origin: str) -> FactorFolder:
    """The factor folder of ``files`` (:func:`read_factor_folder` without its memory)."""
    facs, gwps, used = [], [], []
    tables: dict[str, list[pd.DataFrame]] = {}
    for path in files:
        kind, df = read_factor_file(path)
        if kind == "ignored":
            continue
        used.append(path)
        df["origin"] = origin
        if kind in TABLE_COLUMNS:
            tables.setdefault(kind, []).append(df)
        else:
            (gwps if kind == "gwp" else facs).append(df)
    merged = {}
    for kind, frames in tables.items():
        t = pd.concat(frames, ignore_index=True)
        dup = t.duplicated(TABLE_KEYS[kind])
        if dup.any():
            i = dup.idxmax()
            raise InputError(f"the same {kind} key appears in two {origin} files",
                             file=t.loc[i, "file"], row=int(t.loc[i, "row"]),
                             column=TABLE_KEYS[kind][-1],
                             found=", ".join(str(t.loc[i, k]) for k in TABLE_KEYS[kind]),
                             expected="one row per " + " and ".join(TABLE_KEYS[kind]))
        merged[kind] = t
    return FactorFolder(factors=_concat(facs, origin),
                        gwp=pd.concat(gwps, ignore_index=True) if gwps else None, files=used,
                        tables=merged)


def _concat(frames: list[pd.DataFrame], origin: str) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FACTOR_FRAME_COLUMNS})
    df = pd.concat(frames, ignore_index=True)
    dup = df.duplicated(["activity", "kind", "method", "year"])
    if dup.any():
        i = dup.idxmax()
        raise InputError(f"the same activity, method and year appears in two {origin} files",
                         file=df.loc[i, "file"], row=int(df.loc[i, "row"]), column="year",
                         found=int(df.loc[i, "year"]),
                         expected="one row per activity, kind, method and year")
    return df[FACTOR_FRAME_COLUMNS]


def read_factor_folders(project_dir: Path | None = None,
                        kept_in: Path | None = None) -> tuple[FactorFolder, FactorFolder]:
    """The shipped library's files and a project's own ``factors/`` folder.

    Parameters
    ----------
    project_dir : Path, optional
        The project folder. When its ``factors/`` is missing, or is the
        shipped folder itself (the demo repository), the project part is
        empty and the shipped folder is read once, as shipped.
    kept_in : Path, optional
        The project whose cache folder keeps the parses between runs; None:
        kept in this process only.

    Returns
    -------
    shipped, project : FactorFolder
    """
    shipped_dir = shipped_factor_dir()
    shipped = read_factor_folder(shipped_dir, "shipped", kept_in)
    if project_dir is not None:
        own = Path(project_dir) / "factors"
        if own.is_dir() and own.resolve() != shipped_dir.resolve():
            return shipped, read_factor_folder(own, "project", kept_in)
    return shipped, FactorFolder(factors=_concat([], "project"), gwp=None, files=[])


def library_sha256(files: list[Path]) -> str:
    """Hash over factor files: each file's name and content bytes, in the given order."""
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()
