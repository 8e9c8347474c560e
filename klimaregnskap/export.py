"""The accounts as tidy tables for Power BI, pandas and SQL engines (DESIGN §5 ``export``).

Four tables, one row per fact, the same columns every time:

``emission_lines``
    ``year, site, activity, category, scope, scope3_category, method,
    quantity, unit, factor, factor_unit, factor_year, fallback,
    emissions_kgco2e, source_file, source_row``: one row per calculation
    line, with its reporting category (DESIGN §4: ``energy``,
    ``patient_transport``, ``staff_travel``, ``own_vehicles``, ``gases``,
    ``waste``, ``purchases``) and, on scope 3 lines, its GHG Protocol
    category (1-15); lines that depend on the electricity method
    (electricity, and district heating and cooling where the library has them per method)
    once per method, every other line once with ``method`` empty (``''``).
    Per method ``m``, the lines whose method is ``''`` or ``m`` add up to
    ``emissions_by_scope[m]`` of ``summary.json`` (in kgCO2e here, tCO2e
    there). ``quantity`` is in ``unit``, ``factor`` in ``factor_unit``.
    Certificate lines (activity ``certificate:<kind>``, DESIGN §4) come once
    per method but ``location``, with the deduction as negative emissions,
    so the lines add up to the net figures. Spend lines (unit ``NOK``) are
    not computed by the engine yet; when they are, they arrive through
    ``Accounts.method_lines`` and are written like any line.
``energy``
    ``year, site, source, carrier, role, kwh``: every energy line [kWh];
    ``source`` is the meter id or the activity. Sub-meters (``role`` ``sub``)
    and recovered energy (carrier ``recovered_heat`` / ``recovered_power``)
    are included: delivered energy is ``role = 'main'`` without the
    recovered carriers.
``indicators``
    ``year, indicator, value, path_value, status, complete``: each year as
    its own report year, so the row of year Y holds the ``value``,
    ``path_value`` and ``status`` of ``summary.json`` for Y; ``complete``
    says whether that year's own figure rests on all its data (a status is
    also ``incomplete`` when the baseline year is). Values in the
    indicator's unit (``summary.json``'s ``unit``).
``meter_quality``
    ``meter_id, site, year, coverage_pct, estimated_pct, longest_gap_hours``.

Parquet (the default) is written as a Hive-partitioned dataset per table,
``<out>/<table>/year=YYYY/part-0.parquet``, through
:func:`pyarrow.dataset.write_dataset`; the ``year`` column lives in the
folder names, and DuckDB, Spark, Trino and pyarrow read it back from there.
CSV is one file per table, ``<out>/<table>.csv``, with ``year`` as a column.
An export replaces the tables of an earlier one in the same folder (either
format) whole, so no stale year is left behind; nothing else in the folder
is touched.

A region (DESIGN §6a) exports every member's four tables, on the region's
basis, with a ``member`` column, partitioned ``<table>/year=YYYY/member=ID/``
(:func:`write_region_export`); per member they add up to the region's figures.
``region_indicators`` (``year=YYYY/``) holds the region's own indicator rows,
whose shares and statuses are not sums of the members'.

This module reads :class:`klimaregnskap.pipeline.Accounts` and arranges
its fields; it applies no rule (DESIGN §7).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds

from klimaregnskap.errors import KlimaError
from klimaregnskap.pipeline import Accounts

__all__ = ["TABLES", "SCHEMAS", "FORMATS", "export_tables", "write_export", "partitioning",
           "region_tables", "region_partitioning", "write_region_export"]

FORMATS = ("parquet", "csv")

#: Column types of every table: numbers float64, years and scopes int64, text string.
SCHEMAS: dict[str, pa.Schema] = {
    "emission_lines": pa.schema([
        ("year", pa.int64()), ("site", pa.string()), ("activity", pa.string()),
        ("category", pa.string()), ("scope", pa.int64()), ("scope3_category", pa.int64()),
        ("method", pa.string()), ("quantity", pa.float64()), ("unit", pa.string()),
        ("factor", pa.float64()), ("factor_unit", pa.string()), ("factor_year", pa.int64()),
        ("fallback", pa.bool_()), ("emissions_kgco2e", pa.float64()),
        ("source_file", pa.string()), ("source_row", pa.int64())]),
    "energy": pa.schema([
        ("year", pa.int64()), ("site", pa.string()), ("source", pa.string()),
        ("carrier", pa.string()), ("role", pa.string()), ("kwh", pa.float64())]),
    "indicators": pa.schema([
        ("year", pa.int64()), ("indicator", pa.string()), ("value", pa.float64()),
        ("path_value", pa.float64()), ("status", pa.string()), ("complete", pa.bool_())]),
    "meter_quality": pa.schema([
        ("meter_id", pa.string()), ("site", pa.string()), ("year", pa.int64()),
        ("coverage_pct", pa.float64()), ("estimated_pct", pa.float64()),
        ("longest_gap_hours", pa.float64())]),
}
TABLES = tuple(SCHEMAS)

KG_PER_T = 1000.0


def partitioning() -> ds.Partitioning:
    """The Hive partitioning of the Parquet export: ``year=YYYY/`` with ``year`` as int64."""
    return ds.partitioning(pa.schema([("year", pa.int64())]), flavor="hive")


def export_tables(acc: Accounts, years=None) -> dict[str, pa.Table]:
    """The four tidy tables of the accounts, as Arrow tables of :data:`SCHEMAS`.

    Parameters
    ----------
    acc : Accounts
        Accounts of a report year; they cover the baseline year to it.
    years : iterable of int, optional
        The years to export (default: every year of the accounts).

    Returns
    -------
    dict of str to pyarrow.Table
        ``emission_lines`` (emissions in kgCO2e), ``energy`` (kWh),
        ``indicators`` (the indicator's unit), ``meter_quality`` (%, h).
    """
    keep = set(acc.years if years is None else (int(y) for y in years))
    frames = {
        "emission_lines": _emission_lines(acc.method_lines),
        "energy": _energy(acc.energy),
        "indicators": acc.indicator_years,
        "meter_quality": acc.quality,
    }
    out = {}
    for name, frame in frames.items():
        schema = SCHEMAS[name]
        if frame is None or frame.empty:
            frame = pd.DataFrame(columns=schema.names)
        frame = frame[frame["year"].astype("int64").isin(keep)]
        out[name] = _arrow(frame, schema)
    return out


def _emission_lines(lines: pd.DataFrame) -> pd.DataFrame:
    if lines is None or lines.empty:
        return pd.DataFrame(columns=SCHEMAS["emission_lines"].names)
    return pd.DataFrame({
        "year": lines["year"], "site": lines["site"], "activity": lines["activity"],
        "category": lines["reporting_category"], "scope": lines["scope"],
        "scope3_category": lines["scope3_category"],
        "method": lines["method"], "quantity": lines["quantity"], "unit": lines["quantity_unit"],
        "factor": lines["factor_value"], "factor_unit": lines["factor_unit"],
        "factor_year": lines["factor_year"], "fallback": lines["fallback"],
        "emissions_kgco2e": lines["emissions_tco2e"].astype("float64") * KG_PER_T,
        "source_file": lines["file"], "source_row": lines["row"]})


def _energy(energy: pd.DataFrame) -> pd.DataFrame:
    if energy is None or energy.empty:
        return pd.DataFrame(columns=SCHEMAS["energy"].names)
    return pd.DataFrame({"year": energy["year"], "site": energy["site"], "source": energy["item"],
                         "carrier": energy["carrier"], "role": energy["role"],
                         "kwh": energy["energy_kwh"]})


def _arrow(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """One Arrow column per schema field; empty text is kept, missing values become null."""
    cols = []
    for f in schema:
        v = frame[f.name]
        if pa.types.is_string(f.type):
            arr = pa.array([None if _missing(x) else str(x) for x in v], type=f.type)
        elif pa.types.is_boolean(f.type):
            arr = pa.array([None if _missing(x) else bool(x) for x in v], type=f.type)
        elif pa.types.is_integer(f.type):
            num = pd.to_numeric(pd.Series(v, dtype="object"), errors="coerce")
            arr = pa.array(num.astype("Int64"), type=f.type)
        else:
            arr = pa.array(pd.to_numeric(pd.Series(v, dtype="object"), errors="coerce")
                           .to_numpy(dtype="float64"), type=f.type, from_pandas=True)
        cols.append(arr)
    return pa.Table.from_arrays(cols, schema=schema)


def _missing(x) -> bool:
    if x is None or x is pd.NA:
        return True
    return isinstance(x, float) and np.isnan(x)


def write_export(acc: Accounts, out_dir: Path, *, years=None, fmt: str = "parquet") -> list[Path]:
    """Write the tidy tables into ``out_dir``, replacing an earlier export there.

    Parameters
    ----------
    acc : Accounts
    out_dir : pathlib.Path
        The export folder (created when missing).
    years : iterable of int, optional
        The years to export (default: every year of the accounts).
    fmt : {'parquet', 'csv'}
        Parquet: one Hive-partitioned dataset per table (``<table>/year=YYYY/``);
        CSV: one file per table (``<table>.csv``).

    Returns
    -------
    list of pathlib.Path
        The dataset folders (Parquet) or files (CSV) written, one per table.

    Raises
    ------
    KlimaError
        An unknown format, or an output folder that cannot be written.
    """
    return _write_tables(export_tables(acc, years), Path(out_dir), fmt, partitioning())


def region_tables(members: list, region: Accounts, years=None) -> dict[str, pa.Table]:
    """A region's tidy tables: every member's rows with its ``member`` id (DESIGN §5, §6a).

    Parameters
    ----------
    members : list of (str, str, Accounts)
        Per member its id, name and accounts on the region's basis.
    region : Accounts
        The region's accounts (:func:`klimaregnskap.pipeline.combine_members`).
    years : iterable of int, optional

    Returns
    -------
    dict of str to pyarrow.Table
        The four tables of :func:`export_tables` with a ``member`` column
        (per member, their quantities add up to the region's), and
        ``region_indicators``: the region's own indicators per year (the
        ``indicators`` schema; a region's share or status is not a sum).
    """
    out: dict[str, list] = {name: [] for name in TABLES}
    for mid, _name, acc in members:
        for name, table in export_tables(acc, years).items():
            out[name].append(table.append_column(
                pa.field("member", pa.string()), pa.array([mid] * table.num_rows, pa.string())))
    tables = {name: pa.concat_tables(parts) for name, parts in out.items()}
    tables["region_indicators"] = export_tables(region, years)["indicators"]
    return tables


def region_partitioning() -> ds.Partitioning:
    """The Hive partitioning of a region's member tables: ``year=YYYY/member=ID/``."""
    return ds.partitioning(pa.schema([("year", pa.int64()), ("member", pa.string())]),
                           flavor="hive")


def write_region_export(members: list, region: Accounts, out_dir: Path, *, years=None,
                        fmt: str = "parquet") -> list[Path]:
    """Write a region's tidy tables (:func:`region_tables`) into ``out_dir``.

    Parquet: the member tables as ``<table>/year=YYYY/member=ID/``, and
    ``region_indicators/year=YYYY/``; CSV: one file per table, ``member`` a column.
    Replaces an earlier export there, as :func:`write_export` does.
    """
    tables = region_tables(members, region, years)
    parts = {name: region_partitioning() for name in TABLES}
    parts["region_indicators"] = partitioning()
    return _write_tables(tables, Path(out_dir), fmt, parts)


def _write_tables(tables: dict, out_dir: Path, fmt: str, parts) -> list[Path]:
    """Write ``tables`` in ``fmt``, each table swapped in whole (Parquet: partitioned by
    ``parts``, one partitioning or one per table)."""
    if fmt not in FORMATS:
        raise KlimaError(f"--format: unknown format '{fmt}'; expected parquet or csv")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # written beside the old export first, then swapped in table by table
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    except OSError as exc:
        raise KlimaError(f"{out_dir}: cannot write the export there ({exc.strerror})") from exc
    try:
        written = []
        for name, table in tables.items():
            if fmt == "parquet":
                target = staging / name
                target.mkdir()
                part = parts[name] if isinstance(parts, dict) else parts
                ds.write_dataset(table, target, format="parquet", partitioning=part,
                                 basename_template="part-{i}.parquet",
                                 existing_data_behavior="error")
            else:
                target = staging / f"{name}.csv"
                pacsv.write_csv(table, target)
            written.append(target)
        result = []
        for name, target in zip(tables, written):
            _remove_table(out_dir, name)
            final = out_dir / target.name
            target.rename(final)
            result.append(final)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_table(out_dir: Path, name: str) -> None:
    """Remove a table of an earlier export, in either format."""
    folder, file = out_dir / name, out_dir / f"{name}.csv"
    if folder.is_dir():
        shutil.rmtree(folder)
    if file.is_file():
        file.unlink()
