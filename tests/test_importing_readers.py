"""The readers' issue-13 behaviour through importing and the ledger (a real
DuckDB in tmp_path): ``.xls`` files in ``inputs/`` are found and loaded with
their unread sheets named (items 1 and 2), and empty meter values are gaps on
both load paths (item 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from klimaregnskap import importing, ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.config import load_config
from klimaregnskap.readers import readings_csv

from conftest import write

GAMMEL = Path(__file__).parent / "readers" / "data" / "workbooks" / "gammel.xls"
REGISTRY = "meter_id,site,carrier,kind,role,unit\nM2,a,electricity,interval,main,kWh\n"


def load(project: Path, *paths: Path):
    con = ledger.connect(project)
    out = importing.load_files(con, list(paths), load_config(project),
                               fl.load_library(project))
    return con, out


def test_xls_in_inputs_is_found_and_loaded(project: Path):
    """Issue 13 item 2: ``check`` skipped gammel.xls silently and ``load`` called it
    "not a text CSV file (it contains binary data)"."""
    p = project / "inputs" / "gammel.xls"
    shutil.copy(GAMMEL, p)
    assert importing.input_files(project) == [p]
    con, out = load(project, p)
    assert not out.errors, out.errors
    rows = ledger.current(con, "activity").sort_values("row")
    assert rows["row"].tolist() == [4, 5]
    assert rows["quantity"].tolist() == [120.5, 3.0]
    assert rows["period"].tolist() == ["2024-03-15", "2024"]
    # sheet '2025' is named, not read
    assert [(w.code, w.get("sheet")) for w in out.warnings] == [("sheet_not_read", "2025")]
    assert not (rows["period"] == "2025").any()


def _long_with_gaps(path: Path, hours: int, empty: list[int]) -> tuple[Path, np.ndarray]:
    """A machine-written long readings CSV of M2, 1..hours kWh, with the given hours empty."""
    ts = pd.date_range("2024-01-01", periods=hours, freq="h", tz="UTC")
    values = np.arange(1, hours + 1, dtype="float64")
    cells = [f"{v:g}" for v in values]
    for i in empty:
        cells[i] = ""
    pd.DataFrame({"meter_id": "M2", "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "value": cells}).to_csv(path, index=False)
    return path, np.delete(values, empty)


@pytest.mark.parametrize("empty", [[0, 1], [5000], [8781, 8782, 8783], [0, 4000, 8783]],
                         ids=["start", "middle", "end", "all-three"])
def test_empty_values_in_a_long_file_are_gaps_in_the_ledger(project: Path, empty):
    """Issue 13 item 5, long form: the fast path leaves a file with empty values to
    the careful reader, which stores the filled hours only (no zero, no error)."""
    reg = write(project / "inputs" / "registry.csv", REGISTRY)
    p, kept = _long_with_gaps(project / "inputs" / "m2.csv", 8784, empty)
    layout = readings_csv.sniff(p)
    assert layout is not None        # looks like a fast-path file ...
    with pytest.raises(readings_csv.NotFast):   # ... but empty cells are left to the careful reader
        readings_csv.read_fast(p, readings_csv.MeterLookup.from_records([("M2", "interval", None)]),
                               "Europe/Oslo", layout, sha256="x")
    con, out = load(project, reg, p)
    assert not out.errors, out.errors
    got = ledger.current(con, "meter_readings").sort_values("ts_utc")
    assert got["value"].tolist() == kept.tolist()
    assert len(got) == 8784 - len(empty) and (got["value"] > 0).all()
    assert [(w.code, w.get("count")) for w in out.warnings] == [
        ("empty_values_skipped", len(empty))]


def test_wide_export_with_blank_cells_loads_with_gaps(project: Path):
    """Issue 13 item 5, wide form, through the ledger."""
    reg = write(project / "inputs" / "registry.csv",
                REGISTRY + "M3,b,electricity,interval,main,kWh\n")
    p = write(project / "inputs" / "wide.csv",
              "Tidspunkt;M2;M3\n01.01.2024 00:00;;1\n01.01.2024 01:00;2;\n"
              "01.01.2024 02:00;3;3\n01.01.2024 03:00;;4\n")
    con, out = load(project, reg, p)
    assert not out.errors, out.errors
    got = ledger.current(con, "meter_readings").sort_values(["meter_id", "ts_utc"])
    assert list(zip(got["meter_id"], got["row"], got["value"])) == [
        ("M2", 3, 2.0), ("M2", 4, 3.0), ("M3", 2, 1.0), ("M3", 4, 3.0), ("M3", 5, 4.0)]
