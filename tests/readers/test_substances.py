"""Tests for klimaregnskap.readers.substances: the shipped list and project lists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import products_frame
from klimaregnskap.calc.products import product_shares
from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import shipped_factor_dir
from klimaregnskap.readers.cas import is_valid_cas, normalise_cas
from klimaregnskap.readers.substances import SHIPPED_FILE, is_listed_file, load_listed_substances

SHIPPED = Path(__file__).resolve().parents[2] / "factors" / SHIPPED_FILE


# ------------------------------------------------------------------ shipped list

def _shipped_rows():
    with open(SHIPPED, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_shipped_file_has_the_contract_columns_and_size():
    with open(SHIPPED, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["cas", "name", "list", "source"]
    assert 80 <= len(_shipped_rows()) <= 200


def test_every_shipped_row_has_valid_cas_and_a_source():
    rows = _shipped_rows()
    bad = [r["cas"] for r in rows if not is_valid_cas(r["cas"])]
    assert bad == []
    assert all(r["cas"] == normalise_cas(r["cas"]) for r in rows)
    assert all(r["source"].strip() and r["name"].strip() and r["list"].strip() for r in rows)
    # one row per CAS number; one cited source per list named
    assert len({r["cas"] for r in rows}) == len(rows)
    for r in rows:
        assert len(r["list"].split(" | ")) == len(r["source"].split(" | ")), r["cas"]


def test_shipped_list_holds_the_substances_hospitals_screen_for():
    cas = {r["cas"] for r in _shipped_rows()}
    for c in ["117-81-7", "84-74-2", "85-68-7", "84-69-5", "80-05-7", "335-67-1",
              "1763-23-1", "556-67-2", "541-02-6", "3380-34-5", "7439-97-6", "7440-43-9",
              "7439-92-1", "50-00-0"]:
        assert c in cas, c


def test_load_shipped_only():
    listed = load_listed_substances(None)
    assert list(listed.columns) == ["cas", "name", "list", "source", "origin"]
    assert len(listed) == len(_shipped_rows())
    assert set(listed["origin"]) == {"shipped"}
    assert shipped_factor_dir().joinpath(SHIPPED_FILE).is_file()


# ------------------------------------------------------------------ project lists

def test_project_list_adds_substances_and_factor_files_are_ignored(tmp_path):
    f = tmp_path / "factors"
    f.mkdir()
    (f / "egne_stoffer.csv").write_text(
        "CAS-nr;Navn;Kilde\n0000050-00-0;Formaldehyd;Eget vedtak 2024\n"
        "7732-18-5;Vann (test);Test\n", encoding="utf-8")
    (f / "my_factors.csv").write_text(
        "activity,year,value,unit,scope,method,source\n"
        "diesel,2024,2.5,kgCO2e/L,1,,test\n", encoding="utf-8")
    listed = load_listed_substances(tmp_path)
    shipped_n = len(_shipped_rows())
    assert len(listed) == shipped_n + 2
    own = listed[listed["origin"] != "shipped"]
    assert own["cas"].tolist() == ["50-00-0", "7732-18-5"]
    assert own["list"].tolist() == ["egne_stoffer", "egne_stoffer"]
    assert own["origin"].iloc[0].endswith("egne_stoffer.csv")
    # the added substance now makes a product not free
    per_year, not_free = product_shares(
        products_frame([(2024, "X", "Test", 10.0, None, "7732-18-5")]), listed)
    assert per_year["free_products"].tolist() == [0]
    assert not_free["reason"].tolist() == ["listed: 7732-18-5 Vann (test) (egne_stoffer)"]


def test_project_list_with_invalid_cas_is_refused_with_file_row_value(tmp_path):
    f = tmp_path / "factors"
    f.mkdir()
    path = f / "liste.csv"
    path.write_text("cas,name,list,source\n117-81-7,DEHP,Egen,Kilde\n"
                    "80-05-8,BPA typo,Egen,Kilde\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_listed_substances(tmp_path)
    err = exc.value
    assert err.file == str(path)
    assert err.row == 3          # header is row 1
    assert err.column == "cas"
    assert err.found == "80-05-8"
    assert "80-05-8" in str(err) and "row 3" in str(err)


def test_project_list_without_source_is_refused(tmp_path):
    f = tmp_path / "factors"
    f.mkdir()
    path = f / "liste.csv"
    path.write_text("cas,name,source\n117-81-7,DEHP,Kilde\n80-05-7,BPA,\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_listed_substances(tmp_path)
    assert exc.value.row == 3 and exc.value.column == "source"


def test_project_list_missing_source_column_is_refused(tmp_path):
    f = tmp_path / "factors"
    f.mkdir()
    (f / "liste.csv").write_text("cas,name\n117-81-7,DEHP\n", encoding="utf-8")
    with pytest.raises(InputError, match="source"):
        load_listed_substances(tmp_path)


def test_project_list_xlsx_with_metadata_row(tmp_path):
    from openpyxl import Workbook

    f = tmp_path / "factors"
    f.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.append(["Stoffliste for Demo HF"])
    ws.append(["cas", "stoff", "liste", "kilde"])
    ws.append(["541-02-6", "D5", "Egen", "Vedtak"])
    ws.append(["541-02-7", "feil", "Egen", "Vedtak"])
    wb.save(f / "stoffer.xlsx")
    with pytest.raises(InputError) as exc:
        load_listed_substances(tmp_path)
    assert exc.value.row == 4 and exc.value.found == "541-02-7"


# ------------------------------------------------------------------ recognising a list

def test_a_list_is_recognised_by_its_cas_and_name_columns(tmp_path):
    from openpyxl import Workbook

    csv_list = tmp_path / "liste.csv"
    csv_list.write_text("Egen stoffliste 2024\nCAS-nr;Stoff;Kilde\n50-00-0;Formaldehyd;X\n",
                        encoding="cp1252")
    factors = tmp_path / "own.csv"
    factors.write_text("activity,year,value,unit,scope,method,source\n"
                       "diesel,2024,2.5,kgCO2e/L,1,,test\n", encoding="utf-8")
    wb = Workbook()
    wb.active.append(["Stoffliste"])
    wb.active.append(["cas", "navn", "kilde"])
    wb.active.append(["50-00-0", "Formaldehyd", "X"])
    wb.save(tmp_path / "liste.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert is_listed_file(csv_list) and is_listed_file(tmp_path / "liste.xlsx")
    assert not is_listed_file(factors) and not is_listed_file(broken)
    assert not is_listed_file(tmp_path / "missing.csv")


def test_an_edited_project_list_is_read_again(tmp_path):
    """The list's parse is kept between builds by the files' content (readers/kept.py):
    a substance added to the project's list counts at the next build."""
    f = tmp_path / "factors"
    f.mkdir()
    path = f / "egne_stoffer.csv"
    path.write_text("CAS-nr;Navn;Kilde\n50-00-0;Formaldehyd;Eget vedtak\n", encoding="utf-8")
    first = load_listed_substances(tmp_path, kept_in=tmp_path)
    assert (tmp_path / ".klimaregnskap" / "substances").is_dir()
    path.write_text("CAS-nr;Navn;Kilde\n50-00-0;Formaldehyd;Eget vedtak\n"
                    "7732-18-5;Vann (test);Test\n", encoding="utf-8")
    again = load_listed_substances(tmp_path, kept_in=tmp_path)
    assert len(again) == len(first) + 1
    assert again["cas"].iloc[-1] == "7732-18-5"
    path.unlink()
    assert len(load_listed_substances(tmp_path, kept_in=tmp_path)) == len(first) - 1
