"""Tests for klimaregnskap.readers.factor_files: reading and validating factor files."""

from __future__ import annotations

import pandas as pd
import pytest

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import shipped_factor_dir
from klimaregnskap.readers.factor_files import (read_factor_file, read_factor_folder,
                                                read_factor_folders)

HEADER = "activity,year,value,unit,scope,method,source\n"


def test_shipped_dir_is_repository_factors():
    assert (shipped_factor_dir() / "gwp.csv").exists()


def test_shipped_row_without_source_fails(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(HEADER + "diesel,2019,2.5,kgCO2e/L,1,,src\ndiesel,2020,2.5,kgCO2e/L,1,,\n")
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert e.value.row == 3 and e.value.column == "source"


# ---------------------------------------------------------------- schema errors

@pytest.mark.parametrize("line,column,row", [
    ("diesel,2019,2.5,furlongs/L,1,,s", "unit", 2),
    ("diesel,2019,2.5,kgCO2e/L,4,,s", "scope", 2),
    ("diesel,2019,2.5,kgCO2e/L,,,s", "scope", 2),
    ("diesel,2019,10,kWh/L,1,,s", "scope", 2),
    ("diesel,2019,2.5,kg/L,1,,s", "unit", 2),
    ("diesel,20x9,2.5,kgCO2e/L,1,,s", "year", 2),
    ("diesel,2019,abc,kgCO2e/L,1,,s", "value", 2),
])
def test_schema_errors_name_row_and_column(tmp_path, line, column, row):
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + line + "\n")
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert e.value.column == column
    assert e.value.row == row
    assert str(p) in str(e.value)


def test_error_on_later_row_counts_header(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + "diesel,2019,2.5,kgCO2e/L,1,,s\npetrol,2019,2.3,kgCO2e/L,1,,s\n"
                 "fuel_oil,2019,2.6,kgCO2e/L,7,,s\n")
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert (e.value.row, e.value.column, e.value.found) == (4, "scope", "7")


def test_semicolon_decimal_comma_cp1252(tmp_path):
    p = tmp_path / "nb.csv"
    text = "activity;year;value;unit;scope;method;source\ndiesel;2019;2,66;kgCO2e/L;1;;Miljødirektoratet\n"
    p.write_bytes(text.encode("cp1252"))
    kind, df = read_factor_file(p)
    assert kind == "factors"
    assert df["value"].iloc[0] == pytest.approx(2.66)
    assert df["source"].iloc[0] == "Miljødirektoratet"


def test_utf8_bom_and_listed_substances_ignored(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(("\ufeff" + HEADER + "diesel,2019,2.5,kgCO2e/L,1,,s\n").encode("utf-8"))
    assert read_factor_file(p)[0] == "factors"
    q = tmp_path / "listed.csv"
    q.write_text("cas,name,source\n50-00-0,formaldehyde,x\n")
    assert read_factor_file(q)[0] == "ignored"


# ---------------------------------------------------------------- the one CSV decoder

def test_blank_line_is_skipped_and_rows_are_spreadsheet_rows(tmp_path):
    """A blank line between entries is skipped; an error below it names the row a
    spreadsheet shows (header 1, diesel 2, blank 3, petrol 4)."""
    p = tmp_path / "f.csv"
    p.write_text(HEADER + "diesel,2019,2.5,kgCO2e/L,1,,s\n\npetrol,2019,2.3,kgCO2e/L,9,,s\n")
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert (e.value.row, e.value.column, e.value.found) == (4, "scope", "9")
    p.write_text(HEADER + "diesel,2019,2.5,kgCO2e/L,1,,s\n\npetrol,2019,2.3,kgCO2e/L,1,,s\n")
    kind, df = read_factor_file(p)
    assert kind == "factors" and df["row"].tolist() == [2, 4]


def test_metadata_row_above_the_header_is_counted(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("Egne faktorer 2024\n" + HEADER + "diesel,2019,abc,kgCO2e/L,1,,s\n")
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert (e.value.row, e.value.column, e.value.message) == (3, "value", "not a number")
    assert e.value.expected == "a number (decimal point or comma)"


def test_thousands_separators_as_elsewhere(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("activity;year;value;unit;scope;method;source\n"
                 "natural_gas;2019;1 234,5;gCO2e/Sm3;1;;s\n")
    assert read_factor_file(p)[1]["value"].tolist() == [1234.5]


def test_header_only_and_other_files_are_refused(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(HEADER)
    with pytest.raises(InputError, match="no data rows"):
        read_factor_file(p)
    p.write_text("activity,year,value\ndiesel,2019,1\n")
    with pytest.raises(InputError, match="not a factor file") as e:
        read_factor_file(p)
    assert e.value.row == 1 and e.value.found == "activity, year, value"


def test_norwegian_list_of_substances_is_left_to_the_substances_reader(tmp_path):
    """A project's list with Norwegian headers (read by readers.substances) is not
    a factor file: the factor library skips it instead of refusing it."""
    own = tmp_path / "factors"
    own.mkdir()
    (own / "egne_stoffer.csv").write_text("CAS-nr;Navn;Kilde\n50-00-0;Formaldehyd;Vedtak\n",
                                          encoding="utf-8")
    (own / "own.csv").write_text(HEADER + "diesel,2021,3.0,kgCO2e/L,1,,own\n")
    assert read_factor_file(own / "egne_stoffer.csv")[0] == "ignored"
    folder = read_factor_folder(own, "project")
    assert [p.name for p in folder.files] == ["own.csv"] and folder.gwp is None
    shipped, project = read_factor_folders(tmp_path)
    assert (project.factors["origin"] == "project").all() and len(project.factors) == 1
    assert (shipped.factors["origin"] == "shipped").all() and shipped.gwp is not None


def test_the_same_series_year_in_two_files_of_a_folder_is_refused(tmp_path):
    (tmp_path / "a.csv").write_text(HEADER + "diesel,2021,3.0,kgCO2e/L,1,,a\n")
    (tmp_path / "b.csv").write_text(HEADER + "diesel,2021,3.1,kgCO2e/L,1,,b\n")
    with pytest.raises(InputError, match="two project files") as e:
        read_factor_folder(tmp_path, "project")
    assert e.value.file.endswith("b.csv") and e.value.row == 2


# ---------------------------------------------------------------- the four tables (issue 12)

ACT_HEADER = "activity,name_nb,name_en,category,scope3_category,source\n"


def test_activities_table_is_read_with_categories(tmp_path):
    p = tmp_path / "activities.csv"
    p.write_text(ACT_HEADER + "taxi,Drosje,Taxi,staff_travel,6,S\nfuel_oil,Fyringsolje,Heating oil,"
                 "energy,,S\n", encoding="utf-8")
    kind, df = read_factor_file(p)
    assert kind == "activities"
    assert df["scope3_category"].tolist()[0] == 6 and pd.isna(df["scope3_category"].tolist()[1])
    assert df["row"].tolist() == [2, 3]


@pytest.mark.parametrize("line,column", [
    ("taxi,Drosje,Taxi,travel,6,S", "category"),
    ("taxi,Drosje,Taxi,staff_travel,16,S", "scope3_category"),
    ("taxi,Drosje,Taxi,staff_travel,6,", "source"),
    ("taxi,,Taxi,staff_travel,6,S", "name_nb"),
])
def test_activities_table_errors_name_row_and_column(tmp_path, line, column):
    p = tmp_path / "activities.csv"
    p.write_text(ACT_HEADER + "rail,Tog,Rail,staff_travel,6,S\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert (e.value.row, e.value.column) == (3, column)


def test_gas_properties_price_index_and_exchange_rates_are_read(tmp_path):
    g = tmp_path / "gas_properties.csv"
    g.write_text("gas,density_kg_per_l,bottle_ml,source\ndesflurane,1.5,240,S\n")
    assert read_factor_file(g)[1][["gas", "density_kg_per_l", "bottle_ml"]].values.tolist() == \
        [["desflurane", 1.5, 240.0]]
    pi = tmp_path / "price_index.csv"
    pi.write_text("year,index,source\n2015,100,S\n2016,\"103,6\",S\n")
    kind, df = read_factor_file(pi)
    assert kind == "price_index" and df["index"].tolist() == [100.0, 103.6]
    x = tmp_path / "exchange_rates.csv"
    x.write_text("year,currency,nok_per_unit,source\n2019,eur,9.85,S\n")
    kind, df = read_factor_file(x)
    assert kind == "exchange_rates" and df["currency"].tolist() == ["EUR"]


@pytest.mark.parametrize("name,text,column", [
    ("exchange_rates.csv", "year,currency,nok_per_unit,source\n2019,EUR,9.85,S\n2019,EUR,9.9,S\n",
     "currency"),
    ("exchange_rates.csv", "year,currency,nok_per_unit,source\n2019,EURO,9.85,S\n", "currency"),
    ("price_index.csv", "year,index,source\n2015.5,100,S\n", "year"),
    ("price_index.csv", "year,index,source\n2015,0,S\n", "index"),
    ("gas_properties.csv", "gas,density_kg_per_l,bottle_ml,source\ndesflurane,-1,240,S\n",
     "density_kg_per_l"),
])
def test_table_errors_name_the_column(tmp_path, name, text, column):
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(InputError) as e:
        read_factor_file(p)
    assert e.value.column == column and str(p) in str(e.value)


def test_co2_only_unit_is_its_own_kind(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(HEADER + "electricity,2020,402,gCO2/kWh,2,market,NVE CO2 only\n")
    kind, df = read_factor_file(p)
    assert df["kind"].tolist() == ["co2"]


def test_spend_factor_units_are_money(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text(HEADER + "spend:it_equipment,2022,0.3,kgCO2e/EUR,3,,S\n"
                 "spend:cleaning,2022,0.02,kgCO2e/NOK,3,,S\n")
    kind, df = read_factor_file(p)
    assert df["kind"].tolist() == ["emission", "emission"]
    assert df["amount_unit"].tolist() == ["EUR", "NOK"]


def test_shipped_tables_are_in_the_shipped_folder():
    shipped, _ = read_factor_folders(None)
    assert {"activities", "price_index", "exchange_rates"} <= set(shipped.tables)


# ------------------------------------------------- a folder read again in the same process


def test_a_folder_read_again_is_read_afresh_when_a_file_changes(tmp_path):
    """The parse is kept per process by the files' content: an edit is seen at once, even one
    that keeps the file's size and time stamp, and a caller's change never reaches the next."""
    import os

    p = tmp_path / "own.csv"
    p.write_text(HEADER + "diesel,2021,3.0,kgCO2e/L,1,,a\n")
    first = read_factor_folder(tmp_path, "project")
    assert first.factors["value"].tolist() == [3.0]
    first.factors.loc[0, "value"] = 99.0            # the caller's copy, not the kept one
    assert read_factor_folder(tmp_path, "project").factors["value"].tolist() == [3.0]
    stat = p.stat()
    p.write_text(HEADER + "diesel,2021,3.1,kgCO2e/L,1,,a\n")     # same size
    os.utime(p, ns=(stat.st_atime_ns, stat.st_mtime_ns))        # same time stamp
    assert read_factor_folder(tmp_path, "project").factors["value"].tolist() == [3.1]


def test_the_parse_kept_between_runs_is_the_parse(tmp_path, monkeypatch):
    """A project's ``.klimaregnskap/factors/`` keeps the parse (Parquet) for the next run:
    read back, it is the same frames; an edited file is parsed again and replaces it; a
    damaged one is parsed again."""
    from klimaregnskap.readers import factor_files as ff, kept

    folder = tmp_path / "factors"
    folder.mkdir()
    (folder / "own.csv").write_text(HEADER + "diesel,2021,3.0,kgCO2e/L,1,,a\n"
                                    "diesel,2022,2.9,kgCO2e/L,1,,b\n")
    stored = tmp_path / ".klimaregnskap" / "factors"
    parsed = read_factor_folder(folder, "project", tmp_path)
    first = list(stored.iterdir())
    assert len(first) == 1 and first[0].name.startswith("project-")
    monkeypatch.setattr(kept, "_MEMORY", {})                   # as in a new process
    monkeypatch.setattr(ff, "_read_files", lambda *a: pytest.fail("parsed again"))
    again = read_factor_folder(folder, "project", tmp_path)
    pd.testing.assert_frame_equal(again.factors, parsed.factors, check_exact=True)
    assert again.files == parsed.files
    monkeypatch.undo()

    (folder / "own.csv").write_text(HEADER + "diesel,2021,3.5,kgCO2e/L,1,,a\n")
    assert read_factor_folder(folder, "project", tmp_path).factors["value"].tolist() == [3.5]
    (now,) = stored.iterdir()
    assert now != first[0]
    (now / "factors.parquet").write_bytes(b"not parquet")
    monkeypatch.setattr(kept, "_MEMORY", {})
    assert read_factor_folder(folder, "project", tmp_path).factors["value"].tolist() == [3.5]
