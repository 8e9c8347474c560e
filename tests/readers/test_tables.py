"""Tests for readers/tables.py: workbooks (XLSX, XLS, sheets), numbers per
column, total rows and "did you mean" (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input
from klimaregnskap.readers.tables import read_table

DATA = Path(__file__).parent / "data" / "workbooks"
GAMMEL = DATA / "gammel.xls"
CTX = ReaderContext(sites={"a", "b"},
                    activity_units={"diesel": ["L", "kWh"], "waste:residual": ["tonne"]})
HEADER = ["Lokasjon", "Periode", "Aktivitet", "Mengde", "Enhet"]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An XLSX with the given sheets (name -> rows), in order."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def refused(path: Path, ctx: ReaderContext = CTX) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, ctx)
    return info.value


# ------------------------------------------------------------------ workbooks

def test_xls_read_with_metadata_rows_dates_and_numbers():
    """Issue 13 item 2: gammel.xls (Excel 97-2003) is read like an XLSX."""
    res = read_input(GAMMEL, CTX)
    assert res.kind == "activity"
    df = res.frame
    assert df["row"].tolist() == [4, 5]              # title row, blank row, header on 3
    assert df["period"].tolist() == ["2024-03-15", "2024"]   # a date cell, a number cell
    assert df["quantity"].tolist() == [120.5, 3.0]
    assert df["unit"].tolist() == ["L", "tonn"]
    table = read_table(GAMMEL)
    assert (table.sheet, table.sheets, table.header_row) == ("2024", ("2024", "2025"), 3)


def test_xls_further_sheet_named():
    """Issue 13 item 1: sheet '2025' of gammel.xls is named, not dropped silently."""
    res = read_input(GAMMEL, CTX)
    assert [w.code for w in res.warnings] == ["sheet_not_read"]
    w = res.warnings[0]
    assert w.text("en") == (f"{GAMMEL}: sheet '2025' looks like activity data and was not "
                            "read; only the first sheet of a workbook is read (move it "
                            "first, or save it as a file of its own)")
    assert "arket '2025' ser ut som aktivitetsdata og ble ikke lest" in w.text("nb")


def test_multisheet_two_years_names_the_second_sheet(tmp_path):
    """Issue 13 item 1: multisheet_two_years.xlsx imported one sheet without a word."""
    p = workbook(tmp_path / "multisheet_two_years.xlsx", {
        "2024": [HEADER, ["a", 2024, "diesel", 100, "L"]],
        "2025": [HEADER, ["a", 2025, "diesel", 90, "L"]],
        "Notater": [["Tallene er fra regnskapet"]],
        "Mal": [HEADER],                             # a header only: not data
    })
    res = read_input(p, CTX)
    assert res.frame["quantity"].tolist() == [100.0]
    assert [(w.code, w.get("sheet")) for w in res.warnings] == [("sheet_not_read", "2025")]


def test_one_sheet_workbook_and_csv_have_no_sheet_warning(tmp_path):
    p = workbook(tmp_path / "one.xlsx", {"Data": [HEADER, ["a", 2024, "diesel", 1, "L"]]})
    assert read_input(p, CTX).warnings == []
    c = tmp_path / "one.csv"
    c.write_text("site;period;activity;quantity;unit\na;2024;diesel;1;L\n", encoding="utf-8")
    assert read_input(c, CTX).warnings == []


def test_data_behind_a_notes_sheet_names_the_data_sheet(tmp_path):
    """Issue 13 item 1: with data behind 'Notater' the error was 'row 1: no data rows'."""
    p = workbook(tmp_path / "notater_forst.xlsx", {
        "Notater": [["Aktivitetsdata for 2024, se neste ark"]],
        "2024": [["Demo HF"], HEADER, ["a", 2024, "diesel", 100, "L"]],
    })
    err = refused(p)
    assert err.message == ("no data rows on the first sheet 'Notater'; only the first sheet "
                           "of a workbook is read, and the data is on sheet(s) '2024'")
    assert err.row == 1 and "move sheet '2024' first" in err.expected


def test_empty_first_sheet_names_every_data_sheet(tmp_path):
    p = workbook(tmp_path / "tom.xlsx", {
        "Ark1": [],
        "A": [HEADER, ["a", 2024, "diesel", 1, "L"]],
        "B": [HEADER, ["b", 2024, "diesel", 2, "L"]],
    })
    assert "the data is on sheet(s) 'A', 'B'" in refused(p).message


def test_header_only_first_sheet_names_the_data_sheet(tmp_path):
    p = workbook(tmp_path / "mal.xlsx", {"Mal": [HEADER], "Data": [HEADER, ["a", 2024, "diesel",
                                                                            1, "L"]]})
    assert "the data is on sheet(s) 'Data'" in refused(p).message


def test_empty_workbook_without_data_anywhere_is_no_data_rows(tmp_path):
    p = workbook(tmp_path / "tom.xlsx", {"Ark1": [], "Ark2": [["bare tekst"]]})
    err = refused(p)
    assert "no data rows" in err.message and "sheet(s)" not in err.message


def test_xlsx_renamed_xls_is_read_by_its_content(tmp_path):
    """Issue 13 item 2: an xlsx renamed .xls gave openpyxl's 'please use xlrd' jargon."""
    src = workbook(tmp_path / "x.xlsx", {"Data": [HEADER, ["a", "2024-03", "diesel", 5, "L"]]})
    p = tmp_path / "renamed.xls"
    shutil.copy(src, p)
    res = read_input(p, CTX)
    assert res.frame["quantity"].tolist() == [5.0]
    assert res.frame["period"].tolist() == ["2024-03"]


@pytest.mark.parametrize("content", [b"this is not a workbook",
                                     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1broken ole2"])
def test_broken_xls_plain_message(tmp_path, content):
    p = tmp_path / "gammel.xls"
    p.write_bytes(content)
    err = refused(p)
    text = str(err).lower()
    assert "not a valid" in text and "cannot be opened as a workbook" in text
    for jargon in ("xlrd", "calamine", "detect file format", "olefile", "error:"):
        assert jargon not in text


def test_xls_renamed_csv_says_rename_to_xls(tmp_path):
    p = tmp_path / "gammel.csv"
    shutil.copy(GAMMEL, p)
    assert refused(p).message == ("not a text CSV file (it looks like an Excel workbook; save "
                                  "it with the .xls extension)")


def test_workbook_cells_as_openpyxl_gave_them(tmp_path):
    """calamine's cells are given to readers as openpyxl gave them: whole numbers
    as int, date cells as datetime, blank text as empty."""
    p = workbook(tmp_path / "cells.xlsx", {"Data": [
        ["site", "period", "quantity"],
        ["a", dt.datetime(2024, 3, 15), 120.5],
        ["  b ", 2024, "   "],
        ["a", dt.datetime(2024, 3, 15, 13, 30), 3]]})
    t = read_table(p)
    assert t.frame.to_numpy().tolist() == [
        ["a", dt.datetime(2024, 3, 15), 120.5],
        ["b", 2024, None],
        ["a", dt.datetime(2024, 3, 15, 13, 30), 3]]
    assert type(t.frame.iloc[1, 1]) is int
    np.testing.assert_array_equal(t.rows, [2, 3, 4])
