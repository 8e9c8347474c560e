"""Tests for the table reader and the non-meter readers."""

from __future__ import annotations

import datetime as dt
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import detect_kind, read_input
from klimaregnskap.readers.activity import read_activity
from klimaregnskap.readers.cas import is_valid_cas
from klimaregnskap.readers.products import parse_cas_list
from klimaregnskap.readers.tables import (match_columns, parse_number_column, read_table)

CTX = ReaderContext(
    sites={"kalnes", "fredrikstad"},
    activity_units={"diesel": ["L", "kWh"], "fuel_oil": ["L", "kWh"],
                    "waste:residual": ["tonne"], "flight_domestic": ["pkm"],
                    "refrigerant:R-134a": ["kg"]},
)
HEADER = "site;period;activity;quantity;unit;note\n"


def write(tmp_path: Path, text: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def write_xlsx(tmp_path: Path, rows: list[list], name: str = "data.xlsx",
               extra_sheet: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in rows:
        ws.append(r)
    if extra_sheet:
        info = wb.create_sheet("Instruksjoner")
        info.append(["site", "period", "activity", "quantity", "unit"])
        info.append(["Fyll inn én rad per aktivitet", None, None, "tekst", None])
    p = tmp_path / name
    wb.save(p)
    return p


def refused(path: Path, ctx: ReaderContext = CTX) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, ctx)
    return info.value


# --------------------------------------------------------------- bad inputs

def test_unknown_unit_names_file_row_column(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024-01;diesel;10;L;\nkalnes;2024-02;diesel;5;gallonz;\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (3, "unit", "gallonz")
    assert str(p) in str(err) and "unknown unit" in err.message


def test_unit_that_does_not_convert_names_both_units(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;waste:residual;3;kWh;\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (2, "unit", "kWh")
    assert "tonne" in str(err) and "kWh" in str(err)


def test_text_in_number_column(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;diesel;10;L;\nkalnes;2024;diesel;ti liter;L;\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (3, "quantity", "ti liter")
    assert err.expected == "a number"


def test_unknown_activity_suggests_close_match(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;disel;10;L;\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (2, "activity", "disel")
    assert "diesel" in err.message
    assert "factor library" in err.expected


def test_unknown_site_lists_known_sites(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;diesel;10;L;\nmoss;2024;diesel;10;L;\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (3, "site", "moss")
    assert "fredrikstad" in err.expected and "kalnes" in err.expected


def test_empty_file(tmp_path):
    err = refused(write(tmp_path, ""))
    assert "no data rows" in err.message and err.file and err.row == 1


def test_header_only_file(tmp_path):
    err = refused(write(tmp_path, HEADER))
    assert "no data rows" in err.message and err.row == 1


def test_header_only_xlsx(tmp_path):
    err = refused(write_xlsx(tmp_path, [["site", "period", "activity", "quantity", "unit"]]))
    assert "no data rows" in err.message


def test_duplicate_header_case_insensitive(tmp_path):
    p = write(tmp_path, "site;period;activity;quantity;unit;Unit\nkalnes;2024;diesel;1;L;L\n")
    err = refused(p)
    assert err.row == 1 and err.column == "Unit" and "duplicate" in err.message


def test_period_that_is_not_a_date(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024-13;diesel;10;L;\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (2, "period", "2024-13")
    p = write(tmp_path, HEADER + "kalnes;våren 2024;diesel;10;L;\n")
    assert refused(p).found == "våren 2024"


def test_negative_quantity(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;diesel;-10;L;\n")
    err = refused(p)
    assert (err.row, err.column) == (2, "quantity")
    assert "corrected file" in err.message


def test_invalid_cas_check_digit(tmp_path):
    p = write(tmp_path, "år;varenummer;antall;cas-nummer\n2024;A1;3;117-81-7\n"
                        "2024;A2;1;84-74-2|117-81-8\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (3, "cas-nummer", "117-81-8")
    assert str(p) in str(err)


def test_missing_required_column(tmp_path):
    p = write(tmp_path, "site;period;activity;quantity\nkalnes;2024;diesel;3\n")
    with pytest.raises(InputError) as info:
        read_activity(read_table(p), CTX)
    assert info.value.column == "unit"


def test_unrecognised_kind_lists_kinds(tmp_path):
    p = write(tmp_path, "site;colour\nkalnes;blue\n")
    err = refused(p)
    assert "activity" in err.expected and "products" in err.expected


def test_several_problems_reported_together(tmp_path):
    p = write(tmp_path, HEADER + "moss;2024;diesel;1;L;\nkalnes;2024;diesel;x;L;\n")
    err = refused(p)
    assert "2 problems" in err.message
    assert "row 2" in err.message and "row 3" in err.message


def test_blank_row_in_the_middle_is_refused(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;diesel;1;L;\n;;;;;\nkalnes;2024;diesel;2;L;\n\n\n")
    err = refused(p)
    assert err.row == 3 and "empty row" in err.message


# ---------------------------------------------------------- formats, encodings

def test_comma_csv_with_decimal_point(tmp_path):
    p = write(tmp_path, "site,period,activity,quantity,unit\nkalnes,2024-03,diesel,12.5,L\n"
                        'kalnes,2024-04,diesel,"1,234.5",L\n')
    df = read_input(p, CTX).frame
    assert df["quantity"].tolist() == [12.5, 1234.5]
    assert df["period"].tolist() == ["2024-03", "2024-04"]


def test_semicolon_csv_with_decimal_comma_and_thousands(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024-3;diesel;1 234,5;L;\n"
                                 "kalnes;03.2024;diesel;1\u00a0000;L;\n"
                                 "kalnes;2024;diesel;0,25;L;\n")
    res = read_input(p, CTX)
    assert res.kind == "activity" and res.rows == 3
    assert res.frame["quantity"].tolist() == [1234.5, 1000.0, 0.25]
    assert res.frame["period"].tolist() == ["2024-03", "2024-03", "2024"]
    assert res.frame["month"].tolist()[:2] == [3, 3] and pd.isna(res.frame["month"].iloc[2])
    assert res.frame["row"].tolist() == [2, 3, 4]


def test_utf8_bom(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024;diesel;1;L;blå\n", encoding="utf-8-sig")
    res = read_input(p, CTX)
    assert res.frame["site"].tolist() == ["kalnes"]
    assert res.frame["note"].tolist() == ["blå"]


def test_cp1252_note(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet;merknad\n"
                        "kalnes;2024-01;diesel;1;liter;Ærlig øl på å\n", encoding="cp1252")
    df = read_input(p, CTX).frame
    assert df["note"].tolist() == ["Ærlig øl på å"]
    assert df["unit"].tolist() == ["liter"]


def test_tab_delimited(tmp_path):
    p = write(tmp_path, HEADER.replace(";", "\t") + "kalnes\t2024\tdiesel\t7\tL\t\n")
    assert read_input(p, CTX).frame["quantity"].tolist() == [7.0]


def test_metadata_rows_in_csv_counted_in_row_numbers(tmp_path):
    p = write(tmp_path, "Rapport: energi, 2024\nLaget av: Kari\n" + HEADER
              + "kalnes;2024;diesel;1;L;\nkalnes;2024;diesel;x;L;\n")
    err = refused(p)
    assert err.row == 5


def test_xlsx_metadata_rows_second_sheet_and_excel_dates(tmp_path):
    rows = [["Klimaregnskap Demo HF"], ["Eksportert", dt.datetime(2025, 1, 3)],
            ["Lokasjon", "Periode", "Aktivitet", "Mengde", "Enhet", "Merknad"],
            ["kalnes", dt.datetime(2024, 3, 15), "diesel", 120.5, "L", None],
            ["kalnes", 2024, "waste:residual", 3, "tonn", "årlig"],
            ["Fredrikstad", "2024-02", "flight_domestic", "1 200", "pkm", None],
            [None, None, None, None, None, None]]
    p = write_xlsx(tmp_path, rows, extra_sheet=True)
    res = read_input(p, CTX)
    df = res.frame
    assert res.kind == "activity"
    assert df["row"].tolist() == [4, 5, 6]
    assert df["period"].tolist() == ["2024-03-15", "2024", "2024-02"]
    assert df["quantity"].tolist() == [120.5, 3.0, 1200.0]
    assert df["site"].tolist() == ["kalnes", "kalnes", "fredrikstad"]
    assert df["note"].tolist() == ["", "årlig", ""]
    table = read_table(p)
    assert table.sheet == "Data" and table.header_row == 3


def test_xlsx_error_row_counts_metadata_rows(tmp_path):
    rows = [["Demo HF"], [None], ["site", "period", "activity", "quantity", "unit"],
            ["kalnes", 2024, "diesel", "mye", "L"]]
    err = refused(write_xlsx(tmp_path, rows))
    assert (err.row, err.column, err.found) == (4, "quantity", "mye")


def test_xml_bomb_xlsx_refused_quickly(tmp_path):
    p = tmp_path / "bomb.xlsx"
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{"&lol;" * 10}">' for i in range(1, 10))
           + ']><worksheet>&lol9;</worksheet>')
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", lol)
    tracemalloc.start()
    err = refused(p)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10_000_000     # refused before any expansion [bytes]
    assert "unsafe" in err.message


def test_zip_bomb_xlsx_refused_by_compression_ratio(tmp_path):
    p = tmp_path / "zipbomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * 20_000_000 + "</worksheet>")
    tracemalloc.start()
    err = refused(p)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10_000_000     # 20 MB of XML never inflated [bytes]
    assert "unsafe" in err.message


def test_bad_zip_named_xlsx(tmp_path):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"this is not a workbook")
    assert "not a valid XLSX" in refused(p).message


def test_binary_file_renamed_csv(tmp_path):
    p = tmp_path / "image.csv"
    p.write_bytes(bytes(range(256)) * 4)
    assert "not a text CSV" in refused(p).message


def test_xlsx_renamed_csv(tmp_path):
    src = write_xlsx(tmp_path, [["site", "period"], ["kalnes", 2024]])
    p = tmp_path / "renamed.csv"
    p.write_bytes(src.read_bytes())
    assert "not a text CSV" in refused(p).message


# -------------------------------------------------------------- table helpers

def test_parse_number_column_forms(tmp_path):
    # one convention per column (DESIGN §3): a decimal comma in a, a decimal point in b
    p = write(tmp_path, "a;b;c\n1 234,5;1 234.5;x\n1.234,5;1,234.5;x\n12;12;x\n-0,5;-0.5;x\n"
                        "\u221212;\u221212;x\n1e3;1e3;x\n;;x\n")
    t = read_table(p, ["a", "b", "c"])
    for col in ("a", "b"):
        vals = parse_number_column(t, col, allow_empty=True)
        np.testing.assert_array_equal(vals[:6], [1234.5, 1234.5, 12.0, -0.5, -12.0, 1000.0])
        assert np.isnan(vals[6])
    with pytest.raises(InputError) as info:
        parse_number_column(t, "a")
    assert info.value.row == 8 and info.value.expected == "a number"


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)))
def test_decimal_comma_round_trip(tmp_path_factory, x):
    text = f"{x:,.3f}".replace(",", " ").replace(".", ",")
    # with a value that shows the decimal comma: "1,000" alone reads either way
    p = write(tmp_path_factory.mktemp("n"), f"a;b\n{text};1\n0,5;2\n")
    t = read_table(p, ["a", "b"])
    assert parse_number_column(t, "a")[0] == pytest.approx(x, abs=1e-9)


def test_match_columns_norwegian_and_case(tmp_path):
    p = write(tmp_path, " År ;LOKASJON;Liggedøgn\n2024;kalnes;100\n")
    t = read_table(p)
    cols = match_columns(t, {"year": ["år"], "site": ["lokasjon"],
                             "patient_days": ["liggedøgn"]}, {"year", "site"})
    assert cols == {"year": "År", "site": "LOKASJON", "patient_days": "Liggedøgn"}


def test_sha256_of_file_bytes(tmp_path):
    import hashlib
    p = write(tmp_path, HEADER + "kalnes;2024;diesel;1;L;\n")
    assert read_input(p, CTX).sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


# ---------------------------------------------------------------- kind detection

@pytest.mark.parametrize("header,kind", [
    ("lokasjon;periode;aktivitet;mengde;enhet", "activity"),
    ("dato;lokasjon;kategori;mengde;enhet", "food_waste"),
    ("år;lokasjon;liggedøgn;måltider;årsverk", "operations"),
    ("år;varenummer;antall;inneholder_listet_stoff", "products"),
    ("dato;lokasjon;middeltemperatur", "temperatures"),
    ("målepunkt;lokasjon;energibærer;type;rolle;enhet", "meter_registry"),
    ("målepunkt;tidspunkt;verdi", "meter_readings"),
    ("Fra;Til;KWH 60 Forbruk;Kvalitet", "meter_readings"),
])
def test_detect_kind(tmp_path, header, kind):
    p = write(tmp_path, header + "\n" + ";".join("x" for _ in header.split(";")) + "\n")
    assert detect_kind(read_table(p)) == kind


def test_detect_wide_meter_readings(tmp_path):
    p = write(tmp_path, "Tidspunkt;707057500012345678\n01.01.2024 00:00;12,5\n")
    t = read_table(p)
    assert detect_kind(t, ["707057500012345678"]) == "meter_readings"
    assert t.header_row == 1


# ---------------------------------------------------------------- other readers

def test_food_waste_categories_and_units(tmp_path):
    p = write(tmp_path, "dato;lokasjon;kategori;mengde;enhet\n"
                        "15.03.2024;kalnes;Produksjon;1 500;g\n"
                        "2024-03-16;kalnes;tallerkenrester;2,5;kg\n"
                        "2024-12-31;fredrikstad;Servering;0,01;tonn\n")
    res = read_input(p, CTX)
    df = res.frame
    assert res.kind == "food_waste"
    assert df["category"].tolist() == ["production", "plate", "serving"]
    assert df["quantity_kg"].tolist() == pytest.approx([1.5, 2.5, 10.0])
    assert df["month"].tolist() == [3, 3, 12]
    assert str(df["date"].dtype) == "datetime64[ns]"


def test_food_waste_unknown_category_and_non_mass_unit(tmp_path):
    p = write(tmp_path, "dato;lokasjon;kategori;mengde;enhet\n2024-01-01;kalnes;søppel;1;kg\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (2, "kategori", "søppel")
    p = write(tmp_path, "dato;lokasjon;kategori;mengde;enhet\n2024-01-01;kalnes;plate;1;L\n")
    err = refused(p)
    assert (err.row, err.column, err.found) == (2, "enhet", "L")


def test_operations_reader_and_duplicates(tmp_path):
    p = write(tmp_path, "år;lokasjon;liggedøgn;årsverk\n2024;kalnes;120 000;1 500,5\n"
                        "2024;fredrikstad;80000;\n")
    df = read_input(p, CTX).frame
    assert df["patient_days"].tolist() == [120000.0, 80000.0]
    assert df["fte"].iloc[0] == 1500.5 and np.isnan(df["fte"].iloc[1])
    assert df["meals_served"].isna().all()
    p = write(tmp_path, "år;lokasjon;liggedøgn\n2024;kalnes;1\n2024;Kalnes;2\n")
    err = refused(p)
    assert err.row == 3 and "row 2" in err.message


def test_products_reader(tmp_path):
    p = write(tmp_path, "år;varenummer;antall;beløp;inneholder_listet_stoff;cas-nummer\n"
                        '2024;1001;10;1 000,50;Ja;"0117-81-7; 84-74-2"\n'
                        "2024;1002;5;;nei;\n"
                        "2024;1003;1;20;;7732-18-5|7732-18-5\n")
    df = read_input(p, CTX).frame
    assert df["product_id"].tolist() == ["1001", "1002", "1003"]
    assert df["contains_listed_substance"].tolist()[:2] == [True, False]
    assert pd.isna(df["contains_listed_substance"].iloc[2])
    assert str(df["contains_listed_substance"].dtype) == "boolean"
    assert df["cas_numbers"].tolist() == ["117-81-7;84-74-2", "", "7732-18-5"]
    assert df["spend"].iloc[0] == 1000.5 and np.isnan(df["spend"].iloc[1])


def test_is_valid_cas():
    assert is_valid_cas("117-81-7") and is_valid_cas("7732-18-5")
    assert not is_valid_cas("117-81-8") and not is_valid_cas("abc")
    assert parse_cas_list("50-00-0 | 64-17-5") == (["50-00-0", "64-17-5"], None)


def test_temperatures_with_unit_column_and_duplicates(tmp_path):
    p = write(tmp_path, "dato;lokasjon;middeltemperatur;enhet\n01.01.2024;kalnes;-5,5;°C\n"
                        "02.01.2024;kalnes;273,15;K\n03.01.2024;kalnes;50;degF\n")
    df = read_input(p, CTX).frame
    assert df["mean_temperature_degc"].tolist() == pytest.approx([-5.5, 0.0, 10.0])
    assert df["year"].tolist() == [2024] * 3
    p = write(tmp_path, "dato;lokasjon;middeltemperatur\n2024-01-01;kalnes;1\n"
                        "01.01.2024;kalnes;2\n")
    err = refused(p)
    assert err.row == 3


def test_activity_frame_dtypes(tmp_path):
    p = write(tmp_path, HEADER + "kalnes;2024-05;refrigerant:r-134a;2;kg;lekkasje\n")
    df = read_input(p, CTX).frame
    assert list(df.columns) == ["row", "site", "period", "year", "month", "activity",
                                "quantity", "unit", "note", "category"]
    assert df["activity"].iloc[0] == "refrigerant:R-134a"
    # no category column: '' (the activity table's category applies, DESIGN §4)
    assert df["category"].iloc[0] == ""
    assert str(df["month"].dtype) == "Int64" and df["year"].dtype == np.int64


# ------------------------------------------------------------ kind detection messages

@pytest.mark.parametrize("header", ["måned", "Maned", "MONTH", "periode", "tidspunkt", "Dato"])
def test_wide_meter_file_timestamp_headers(tmp_path, header):
    p = write(tmp_path, f"{header};M1;M2\n01.01.2024;5;6\n")
    assert detect_kind(read_table(p), meter_ids=["M1", "M2"]) == "meter_readings"


def test_wide_header_needs_a_registered_meter_column(tmp_path):
    p = write(tmp_path, "måned;something\n01.01.2024;5\n")
    with pytest.raises(InputError):
        detect_kind(read_table(p), meter_ids=["M1"])


def test_file_close_to_a_kind_names_the_missing_column(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;antal;enhet\nkalnes;2024;diesel;10;L\n")
    err = refused(p)
    assert err.row == 1 and err.column == "quantity"
    assert "activity" in err.message and "mengde" in err.expected


def test_unrecognised_file_lists_the_kinds_in_norwegian(tmp_path):
    err = refused(write(tmp_path, "foo;bar\n1;2\n"))
    assert err.row == 1 and err.found == "foo, bar"
    assert "lokasjon, periode, aktivitet, mengde, enhet" in err.expected
