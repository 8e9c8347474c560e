"""Workbooks through importing and the ledger (a real DuckDB in tmp_path):
``.xls`` files in ``inputs/`` are found, loaded, and their unread sheets named
(issue 13 items 1 and 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

from klimaregnskap import importing, ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.config import load_config

GAMMEL = Path(__file__).parent / "readers" / "data" / "workbooks" / "gammel.xls"


def test_xls_in_inputs_is_found_and_loaded(project: Path):
    """Issue 13 item 2: ``check`` skipped gammel.xls silently and ``load`` called it
    "not a text CSV file (it contains binary data)"."""
    p = project / "inputs" / "gammel.xls"
    shutil.copy(GAMMEL, p)
    assert importing.input_files(project) == [p]
    con = ledger.connect(project)
    out = importing.load_files(con, [p], load_config(project), fl.load_library(project))
    assert not out.errors, out.errors
    rows = ledger.current(con, "activity").sort_values("row")
    assert rows["row"].tolist() == [4, 5]
    assert rows["quantity"].tolist() == [120.5, 3.0]
    assert rows["period"].tolist() == ["2024-03-15", "2024"]
    # sheet '2025' is named, not read
    assert [(w.code, w.get("sheet")) for w in out.warnings] == [("sheet_not_read", "2025")]
    assert not (rows["period"] == "2025").any()
