"""Tests for readers/activity.py beyond test_readers.py: unit spellings, total
rows and "did you mean" (issue 13 items 6, 7 and 8)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input

CTX = ReaderContext(sites={"kalnes", "fredrikstad"},
                    activity_units={"diesel": ["L", "kWh"], "refrigerant:R-134a": ["kg"],
                                    "waste:residual": ["tonne"]})


def write(tmp_path: Path, text: str, name: str = "aktivitet.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, CTX)
    return info.value


def test_units_in_any_case_and_kilo(tmp_path):
    """Issue 13 item 6: ``KWh`` and ``LITER`` were accepted, ``Kg``, ``KG`` and
    ``kilo`` refused."""
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;refrigerant:R-134a;2;Kg\n"
                        "kalnes;2024;refrigerant:R-134a;3;KG\n"
                        "kalnes;2024;refrigerant:R-134a;4;kilo\n"
                        "kalnes;2024;diesel;5;LITER\n"
                        "kalnes;2024;diesel;6;KWh\n"
                        "kalnes;2024;waste:residual;7;Tonn\n")
    df = read_input(p, CTX).frame
    assert df["unit"].tolist() == ["Kg", "KG", "kilo", "LITER", "KWh", "Tonn"]
    assert df["quantity"].tolist() == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def test_a_unit_not_in_the_list_is_still_refused(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;refrigerant:R-134a;2;kiloer\n")
    err = refused(p)
    assert (err.message, err.row, err.found) == ("unknown unit", 2, "kiloer")


def test_sum_row_is_one_error_saying_so(tmp_path):
    """Issue 13 item 8: a ``Sum`` row at the bottom gave four errors."""
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;diesel;100;L\n"
                        "fredrikstad;2024;diesel;50;L\n"
                        "Sum;;;150;\n")
    err = refused(p)
    assert "problems" not in err.message and not err.extra.get("errors")
    assert (err.file, err.row, err.column, err.found) == (str(p), 4, "lokasjon", "Sum")
    assert err.message == ("row 4 is a total row ('Sum'): totals are computed from the data "
                           "rows, not read")
    assert err.expected == "only data rows (delete the total row)"


@pytest.mark.parametrize("label,where", [("Totalt", 0), ("TOTAL:", 0), ("total", 2)])
def test_total_words_in_the_first_text_cell(tmp_path, label, where):
    cells = ["", "", "", "150", ""]
    cells[where] = label
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;diesel;150;L\n" + ";".join(cells) + "\n")
    err = refused(p)
    assert err.row == 3 and err.found == label and "is a total row" in err.message


def test_two_total_rows_still_one_error(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;diesel;100;L\nSum;;;100;\n"
                        "fredrikstad;2024;diesel;50;L\nTotalt;;;150;\n")
    err = refused(p)
    assert err.row == 3 and err.message.endswith("(row 5 is a total row too)")


def test_sum_as_an_activity_after_a_site_is_not_a_total_row(tmp_path):
    """Only the FIRST text cell marks a total row: 'kalnes;2024;sum' is a data row
    with an unknown activity."""
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\nkalnes;2024;sum;1;L\n")
    err = refused(p)
    assert err.message.startswith("unknown activity") and err.found == "sum"


def test_total_row_in_a_workbook(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (["Demo HF"], ["Lokasjon", "Periode", "Aktivitet", "Mengde", "Enhet"],
              ["kalnes", 2024, "diesel", 100, "L"], ["Totalt", None, None, 100, None]):
        ws.append(r)
    wb.save(tmp_path / "a.xlsx")
    err = refused(tmp_path / "a.xlsx")
    assert (err.row, err.column, err.found) == (4, "Lokasjon", "Totalt")


def test_unknown_site_did_you_mean(tmp_path):
    """Issue 13 item 7: site typos got no "did you mean"."""
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\nkalens;2024;diesel;1;L\n")
    err = refused(p)
    assert err.message == "unknown site (did you mean 'kalnes'?)"
    assert (err.row, err.found) == (2, "kalens")


def test_unknown_site_far_from_any_gets_no_guess(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\nbergen;2024;diesel;1;L\n")
    assert refused(p).message == "unknown site"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 25), data=st.data())
def test_a_total_row_anywhere_is_exactly_one_error_at_its_row(tmp_path_factory, n, data):
    """Property: whatever the data rows, a total row (any total word, any case,
    with or without a colon) at any position gives one error naming its row."""
    at = data.draw(st.integers(0, n))
    word = data.draw(st.sampled_from(["Sum", "SUM", "sum:", "Total", "TOTALT", "totalt :"]))
    rows = [f"{data.draw(st.sampled_from(['kalnes', 'fredrikstad']))};2024;diesel;"
            f"{data.draw(st.integers(0, 10**6))};L" for _ in range(n)]
    rows.insert(at, f"{word};;;{n};")
    p = write(tmp_path_factory.mktemp("t"),
              "lokasjon;periode;aktivitet;mengde;enhet\n" + "\n".join(rows) + "\n")
    err = refused(p)
    assert not err.extra.get("errors")
    assert (err.row, err.column, err.found) == (at + 2, "lokasjon", word.strip())


# ------------------------------------------- Norwegian activity names (issue 13, DESIGN §3)

def test_norwegian_activity_names_from_the_activity_table(tmp_path):
    """Issue 13 item 7: 'lystgass' was refused. The library's names stand for their codes."""
    from klimaregnskap.calc import factors as fl
    from klimaregnskap.importing import ActivityUnits

    repo = Path(__file__).resolve().parents[2]
    units = ActivityUnits(fl.load_library(repo), repo)
    ctx = ReaderContext(sites={"kalnes"}, activity_units=units)
    p = tmp_path / "aktivitet.csv"
    p.write_text("lokasjon;periode;aktivitet;mengde;enhet\n"
                 "kalnes;2024;Lystgass;12;kg\n"
                 "kalnes;2024;fyringsolje;1000;L\n"
                 "kalnes;2024;Desfluran;2;kg\n"
                 "kalnes;2024;Lystgass (N2O);1;kg\n"
                 "kalnes;2024;diesel;5;L\n", encoding="utf-8")
    res = read_input(p, ctx)
    assert list(res.frame["activity"]) == ["nitrous_oxide", "fuel_oil", "anaesthetic:desflurane",
                                           "nitrous_oxide", "diesel"]


def test_unknown_activity_points_to_the_factors_command(tmp_path):
    from klimaregnskap.calc import factors as fl
    from klimaregnskap.importing import ActivityUnits

    repo = Path(__file__).resolve().parents[2]
    ctx = ReaderContext(sites={"kalnes"},
                        activity_units=ActivityUnits(fl.load_library(repo), repo))
    p = tmp_path / "aktivitet.csv"
    p.write_text("lokasjon;periode;aktivitet;mengde;enhet\nkalnes;2024;lystgas;12;kg\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_input(p, ctx)
    assert "did you mean 'lystgass'" in str(e.value) and "klimaregnskap factors" in str(e.value)


def test_anaesthetic_gases_in_bottles_and_litres_are_accepted(tmp_path):
    """Issue 13 item 7: gases in 'flaske' were refused; the gas table makes them kilograms."""
    from klimaregnskap.calc import factors as fl
    from klimaregnskap.importing import ActivityUnits

    repo = Path(__file__).resolve().parents[2]
    ctx = ReaderContext(sites={"kalnes"},
                        activity_units=ActivityUnits(fl.load_library(repo), repo))
    p = tmp_path / "gass.csv"
    p.write_text("lokasjon;periode;aktivitet;mengde;enhet\nkalnes;2024;desfluran;6;Flaske\n"
                 "kalnes;2024;isofluran;0,5;L\n", encoding="utf-8")
    f = read_input(p, ctx).frame
    assert list(f["activity"]) == ["anaesthetic:desflurane", "anaesthetic:isoflurane"]
    assert list(f["unit"]) == ["Flaske", "L"]
    # sevoflurane has no density in the shipped gas table: litres are refused
    p.write_text("lokasjon;periode;aktivitet;mengde;enhet\nkalnes;2024;sevofluran;1;L\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_input(p, ctx)
    assert "does not convert" in str(e.value)


def test_category_column_by_code_or_name(tmp_path):
    """DESIGN §3: an optional ``category`` (``kategori``) sets the row's reporting category;
    codes and Norwegian or English names in any case, empty for the activity's own."""
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet;kategori\n"
                        "kalnes;2024;diesel;10;L;Pasienttransport\n"
                        "kalnes;2024;diesel;11;L;patient_transport\n"
                        "kalnes;2024;diesel;12;L;STAFF TRAVEL\n"
                        "kalnes;2024;diesel;13;L;\n")
    df = read_input(p, CTX).frame
    assert list(df["category"]) == ["patient_transport", "patient_transport", "staff_travel", ""]


def test_unknown_category_is_refused_with_did_you_mean(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet;kategori\n"
                        "kalnes;2024;diesel;10;L;energi\n"
                        "kalnes;2024;diesel;10;L;pasient_transpor\n")
    err = refused(p)
    assert err.row == 3 and err.column == "kategori"
    assert "did you mean 'patient_transport'" in str(err)
