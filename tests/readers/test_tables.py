"""Tests for readers/tables.py: workbooks (XLSX, XLS, further sheets) and numbers
per column (DESIGN §3). Total rows and "did you mean" are tested with the
readers that use them (test_activity.py, test_food_waste.py, test_meters.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input
from klimaregnskap.readers.tables import Table, parse_number_column, read_table

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


# -------------------------------------------------------------------- numbers

def number_table(values: list) -> Table:
    """A one-column table ``v`` of the given cells (spreadsheet rows 2, 3, ...)."""
    frame = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    return Table(path=Path("tall.csv"), frame=frame, rows=np.arange(2, 2 + len(values)),
                 header_row=1, sheet=None, sha256="0")


def numbers(values: list, **kw) -> list[float]:
    return parse_number_column(number_table(values), "v", **kw).tolist()


def number_error(values: list) -> InputError:
    with pytest.raises(InputError) as info:
        parse_number_column(number_table(values), "v")
    return info.value


def test_issue_example_column_with_decimal_comma():
    """Issue 13 item 4: ``2.345,5``, ``1.234`` and ``12,5`` became 2345.5, 1.234 and
    12.5. The column's unambiguous values (``2.345,5``, ``12,5``) take a decimal
    comma, so ``1.234`` is 1234."""
    assert numbers(["2.345,5", "1.234", "12,5"]) == [2345.5, 1234.0, 12.5]


def test_issue_example_lone_ambiguous_value_is_an_error():
    """Issue 13 item 4: ``1,234`` became 1.234 with no warning."""
    err = number_error(["1,234"])
    assert (err.row, err.column, err.found) == (2, "v", "1,234")
    assert err.message == ("'1,234' can be read as 1.234 or as 1234 (the ',' may be a "
                           "decimal or a thousands separator), and no other value in the "
                           "column says which")
    err = number_error(["1.234", "2.500", "17"])
    assert (err.row, err.found) == (2, "1.234")


def test_ambiguous_values_follow_the_column():
    assert numbers(["1.234", "0.25"]) == [1.234, 0.25]          # decimal point column
    assert numbers(["1,234", "0,25"]) == [1.234, 0.25]          # decimal comma column
    assert numbers(["1,234", "1,234.5"]) == [1234.0, 1234.5]    # thousands comma
    assert numbers(["1.234", "1234,567"]) == [1234.0, 1234.567]
    # a lead of 0 is no thousands group: 0,250 is a decimal comma
    assert numbers(["0,250"]) == [0.25]
    assert numbers(["0.250", "1.234"]) == [0.25, 1.234]


def test_values_that_read_the_same_need_no_convention():
    assert numbers(["1234", "1 234", "1\u00a0234", "\u221212", "1e3", "17"]) == [
        1234.0, 1234.0, 1234.0, -12.0, 1000.0, 17.0]


def test_disagreeing_unambiguous_values_name_the_value():
    err = number_error(["12,5", "7", "0.25", "3,5"])
    assert (err.row, err.found) == (4, "0.25")
    assert err.message == ("decimal comma and decimal point mixed in one column: row 2 has "
                           "'12,5' (decimal comma), so this value cannot be read the same way")
    assert err.expected == ("numbers written the same way throughout the column (a decimal "
                            "comma, as in row 2)")


def test_separators_only_between_groups_of_three():
    for bad in ("1.23,5", "12 34", "1,2,3", "1.2345,6", "1 234.567,8", "1..2"):
        err = number_error([bad, "0,5"])
        assert (err.message, err.found) == ("not a number", bad), bad


def test_workbook_number_cells_and_plain_exports():
    # number cells are taken as they are; they decide no convention
    assert numbers([1.234, "12,5", 1234]) == [1.234, 12.5, 1234.0]
    # a machine export of plain decimal points (the one-step path)
    assert numbers(["0.125", "12.5", "1.234", ""], allow_empty=True)[:3] == [0.125, 12.5, 1.234]


@st.composite
def written_number(draw):
    """A number as a person writes it under one convention, and its value."""
    comma = draw(st.booleans())
    whole = draw(st.integers(min_value=0, max_value=10**12))
    decimals = draw(st.text("0123456789", min_size=0, max_size=5))
    sign = draw(st.sampled_from(["", "-"]))
    sep = draw(st.sampled_from(["", " ", "\u00a0", "." if comma else ","]))
    digits = str(whole)
    groups = [digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)][::-1]
    text = sign + sep.join(groups) + (("," if comma else ".") + decimals if decimals else "")
    value = float(sign + digits + ("." + decimals if decimals else ""))
    return comma, text, value


@settings(max_examples=150, deadline=None)
@given(st.lists(written_number(), min_size=1, max_size=8), st.data())
def test_any_number_written_under_the_column_convention_reads_back_exactly(cells, data):
    """Property (DESIGN §3 "Numbers"): in a column with at least one unambiguous
    value, any number written under the column's convention parses back exactly."""
    comma = cells[0][0]
    cells = [c for c in cells if c[0] == comma]
    anchor = ("0,5", 0.5) if comma else ("0.5", 0.5)      # unambiguous in its convention
    at = data.draw(st.integers(min_value=0, max_value=len(cells)))
    texts = [t for _, t, _ in cells]
    values = [v for _, _, v in cells]
    texts.insert(at, anchor[0])
    values.insert(at, anchor[1])
    assert numbers(texts) == values
