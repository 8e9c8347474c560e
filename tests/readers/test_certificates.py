"""The energy-certificates reader (DESIGN §3 "Energy certificates", issue 14): Norwegian
headers, kinds and their aliases, any energy unit stored in kWh, a blank site for the
whole trust, and every bad input refused with file, row and column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input

CTX = ReaderContext(sites={"kalnes", "fredrikstad"}, activity_units={"diesel": ["L", "kWh"]})
HEADER = "år;sertifikat;mengde;enhet;lokasjon;leverandør\n"


def write(tmp_path: Path, body: str, name: str = "opprinnelsesgarantier.csv",
          header: str = HEADER) -> Path:
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, CTX)
    return info.value


def test_norwegian_file_read_in_kwh(tmp_path):
    p = write(tmp_path,
              "2023;gjenvinningskraft;1 200;MWh;;Vestkraft AS\n"
              "2023;Gjenvinningskraft;0,5;GWh;Kalnes;\n"
              "2024;fornybar;250 000;kWh;fredrikstad;Sørvik Kraft\n"
              "2024;opprinnelsesgaranti;3;MWh;;\n")
    r = read_input(p, CTX)
    assert r.kind == "certificates" and r.rows == 4
    f = r.frame
    # 1 200 MWh = 1 200 000 kWh; 0,5 GWh = 500 000 kWh
    assert list(f["quantity_kwh"]) == [1_200_000.0, 500_000.0, 250_000.0, 3_000.0]
    assert list(f["certificate"]) == ["gjenvinningskraft", "gjenvinningskraft", "renewable",
                                      "renewable"]
    # a blank site is the whole trust (''); a written one is the configured id
    assert list(f["site"]) == ["", "kalnes", "fredrikstad", ""]
    assert list(f["supplier"]) == ["Vestkraft AS", "", "Sørvik Kraft", ""]
    assert list(f["year"]) == [2023, 2023, 2024, 2024] and list(f["row"]) == [2, 3, 4, 5]


def test_english_headers_without_optional_columns(tmp_path):
    p = write(tmp_path, "2025,renewable,10,MWh\n", name="certs.csv",
              header="year,certificate,quantity,unit\n")
    f = read_input(p, CTX).frame
    assert list(f["site"]) == [""] and f["quantity_kwh"].iloc[0] == 10_000.0


def test_xlsx_with_number_cells(tmp_path):
    p = tmp_path / "sertifikater.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["år", "sertifikat", "mengde", "enhet", "lokasjon"])
    ws.append([2024, "gjenvinningskraft", 1234.5, "MWh", None])
    wb.save(p)
    f = read_input(p, CTX).frame
    assert f["quantity_kwh"].iloc[0] == pytest.approx(1_234_500.0) and f["site"].iloc[0] == ""


@pytest.mark.parametrize("body, row, column, found, words", [
    ("2024;grønn;10;MWh;;\n", 2, "sertifikat", "grønn", "unknown kind of certificate"),
    ("2024;gjenvinningskraft;10;MWh;;\n2024;gjenvinningskraft;-5;MWh;;\n", 3, "mengde", "-5",
     "negative value"),
    ("2024;gjenvinningskraft;10;MWh;Ahus;\n", 2, "lokasjon", "Ahus", "unknown site"),
    ("2024;gjenvinningskraft;10;tonn;;\n", 2, "enhet", "tonn", "is not an energy"),
    ("2024;gjenvinningskraft;10;kwhh;;\n", 2, "enhet", "kwhh", "unknown unit"),
    ("24x;gjenvinningskraft;10;MWh;;\n", 2, "år", "24x", ""),
])
def test_bad_rows_are_refused_with_file_row_and_column(tmp_path, body, row, column, found, words):
    e = refused(write(tmp_path, body))
    text = str(e)
    assert "opprinnelsesgarantier.csv" in text
    assert e.row == row and e.column == column and str(e.found) == found, text
    assert words in text


def test_every_problem_of_a_file_is_named_at_once(tmp_path):
    e = refused(write(tmp_path, "2024;grønn;10;MWh;;\n2024;renewable;-1;MWh;;\n"))
    text = str(e)
    assert "unknown kind of certificate" in text and "negative value" in text


def test_a_refused_file_imports_nothing(project, cli):
    (project / "inputs" / "sertifikater.csv").write_text(
        HEADER + "2021;gjenvinningskraft;10;MWh;;\n2021;gjenvinningskraft;-1;MWh;a;\n",
        encoding="utf-8")
    r = cli("check", "--project", project)
    assert r.exit_code == 1
    assert "inputs/sertifikater.csv, row 3" in r.output and "mengde" in r.output
    from klimaregnskap import ledger
    con = ledger.connect(project)
    assert ledger.current(con, "certificates").empty
    con.close()
