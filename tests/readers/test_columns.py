"""The table of column names (klimaregnskap/vocabulary/columns.csv) and what it drives."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from klimaregnskap import templates
from klimaregnskap.readers import (activity, dispatch, factor_files, food_waste, meters,
                                   operations, products, substances, temperatures)
from klimaregnskap.readers.columns import (COLUMN_ALIASES, COLUMN_TABLE, DETECTED_KINDS, KINDS,
                                           aliases_of, canonical_name, columns_of, fold,
                                           matches, required_of)

ROOT = Path(__file__).resolve().parents[2]

#: every kind of file the readers know
KNOWN_KINDS = {*DETECTED_KINDS, "meter_readings_wide", "elhub", "factors", "gwp",
               "listed_substances", "activities", "gas_properties", "price_index",
               "exchange_rates"}


def _raw_rows():
    with open(COLUMN_TABLE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_table_has_its_columns_and_well_formed_rows():
    rows = _raw_rows()
    assert list(rows[0]) == ["kind", "folder", "column", "required", "name_nb", "aliases",
                             "template", "unit", "description_en"]
    for r in rows:
        assert r["required"] in ("yes", "no") and r["template"] in ("yes", "no"), r
        assert r["folder"] in ("inputs", "factors"), r
        assert r["description_en"].strip(), r
        assert all(a == a.strip() and a for a in r["aliases"].split("|") if r["aliases"]), r
    keys = [(r["kind"], r["column"]) for r in rows]
    assert len(keys) == len(set(keys)), "one row per (kind, column)"


def test_every_kind_the_readers_know_is_in_the_table_with_required_columns():
    assert set(KINDS) == KNOWN_KINDS
    for kind in KINDS:
        assert required_of(kind), kind
        assert len({c.folder for c in columns_of(kind)}) == 1, kind
    # the shapes a file's kind is recognised by
    assert dispatch.KIND_COLUMNS == {
        "meter_registry": ("meter_id", "site", "carrier", "kind", "role", "unit"),
        "meter_readings": ("meter_id", "timestamp", "value"),
        "activity": ("site", "period", "activity", "quantity", "unit"),
        "food_waste": ("date", "site", "category", "quantity", "unit"),
        "temperatures": ("date", "site", "mean_temperature"),
        "operations": ("year", "site", "patient_days"),
        "products": ("year", "product_id", "quantity"),
        "measures": ("id", "name", "indicator", "effect", "start_year"),
        "purchases": ("year", "account", "amount"),
        "account_mapping": ("account", "category"),
        "certificates": ("year", "certificate", "quantity", "unit"),
    }
    assert factor_files.FACTOR_COLUMNS == ["activity", "year", "value", "unit", "scope",
                                           "method", "source"]
    assert factor_files.GWP_COLUMNS == ["gas", "ar5", "ar6", "source"]
    assert required_of("listed_substances") == ("cas", "name", "source")


@pytest.mark.parametrize("module,kind", [(activity, "activity"), (food_waste, "food_waste"),
                                         (operations, "operations"), (products, "products"),
                                         (temperatures, "temperatures")])
def test_readers_take_their_columns_from_the_table(module, kind):
    assert module.REQUIRED == set(required_of(kind))
    assert module.COLUMNS == aliases_of(kind)


@pytest.mark.parametrize("kind", sorted(KNOWN_KINDS))
def test_no_spelling_names_two_columns_of_a_kind(kind):
    owner: dict[str, str] = {}
    for c in columns_of(kind):
        for s in c.spellings:
            assert owner.setdefault(fold(s), c.column) == c.column, (kind, s)


#: Spellings two columns of the recognised kinds share: DESIGN §3 names the general
#: ledger's column ``amount`` (``beløp``), which activity data and products already
#: accepted for their ``quantity`` and ``spend``. Recognition is not confused by them:
#: a file's kind needs all of its required columns, and the purchases' ``account``
#: (``konto``) is in no other kind (see test_shared_spellings_do_not_confuse_the_kind).
SHARED = {"amount", "beløp", "belop", "kostnad", "cost"}


def test_no_spelling_names_two_columns_of_the_recognised_kinds():
    """A file's kind is recognised from the union of these kinds' spellings."""
    owner: dict[str, str] = {}
    shared = {fold(s) for s in SHARED}
    for column, spellings in COLUMN_ALIASES.items():
        for s in spellings:
            if fold(s) in shared:
                continue
            assert owner.setdefault(fold(s), column) == column, s
    for kind in DETECTED_KINDS:
        for c in columns_of(kind):
            assert all(canonical_name(s) == c.column for s in c.spellings
                       if fold(s) not in shared), (kind, c.column)


@pytest.mark.parametrize("header,kind", [
    ("år;konto;beløp", "purchases"), ("year,account,amount", "purchases"),
    ("år;varenummer;antall;beløp", "products"), ("konto;kategori", "account_mapping"),
    ("lokasjon;periode;aktivitet;amount;enhet", "activity")])
def test_shared_spellings_do_not_confuse_the_kind(tmp_path, header, kind):
    from klimaregnskap.readers.tables import read_table

    p = tmp_path / "f.csv"
    sep = ";" if ";" in header else ","
    p.write_text(header + "\n" + sep.join(["1"] * len(header.split(sep))) + "\n",
                 encoding="utf-8")
    assert dispatch.detect_kind(read_table(p)) == kind


def test_norwegian_names_are_accepted_spellings():
    for kind in KINDS:
        for c in columns_of(kind):
            if c.folder == "inputs":
                assert c.name_nb, (kind, c.column)
            if c.name_nb:
                assert any(matches(c.name_nb, s) for s in c.spellings), (kind, c.column)


def test_elhub_value_column_is_a_prefix():
    assert matches("KWH 60 Forbruk", "kwh*") and matches("kWh 15 forbruk", "kwh*")
    assert matches("KWH", "kwh*") and not matches("KWH60", "kwh*")
    assert not matches("kwhx", "kwh")


def test_templates_are_built_from_the_table():
    """Issue 13 (13): a template for every input kind of DESIGN §3, the wide and
    Elhub meter formats."""
    assert set(templates.TEMPLATE_KINDS.values()) == {*DETECTED_KINDS, "meter_readings_wide",
                                                      "elhub"}
    for stem, kind in templates.TEMPLATE_KINDS.items():
        header, example = templates.TEMPLATES[stem]
        assert len(example) == len(header)
        if kind == "meter_readings_wide":
            assert header == ["tidspunkt", "707057500000000001"]
            continue
        cols = [c for c in columns_of(kind) if c.template or kind == "elhub"]
        assert header == [c.name_nb for c in cols]
        # a filled-in template is a valid file: every required column is there
        assert {c.column for c in cols} >= set(required_of(kind)), stem
    assert templates.TEMPLATES["elhub_707057500000000001"][0] == ["Fra", "Til", "KWH 60 Forbruk",
                                                                  "Kvalitet"]
    assert templates.TEMPLATES["hovedbok"][0] == ["år", "konto", "beløp", "valuta", "leverandør",
                                                  "beskrivelse", "kategori"]
    assert templates.TEMPLATES["kontomapping"][0] == ["konto", "kategori", "begrunnelse"]
    assert templates.TEMPLATES["opprinnelsesgarantier"][0] == ["år", "sertifikat", "mengde",
                                                               "enhet", "lokasjon", "leverandør"]


def _input_reference():
    spec = importlib.util.spec_from_file_location("input_reference",
                                                  ROOT / "tools" / "input_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_input_reference_is_the_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _input_reference().markdown() in readme, \
        "README.md is out of date: run python tools/input_reference.py"
    section = readme.split("## Input reference", 1)[1]
    for kind in KINDS:
        assert f"`{kind}`" in section
        for c in columns_of(kind):
            assert f"`{c.column}`" in section
            assert all(f"`{a}`" in section for a in c.aliases), (kind, c.column)


def test_messages_name_the_columns_of_the_table():
    assert meters._ELHUB_HEADER == "Fra;Til;KWH 60 Forbruk;Kvalitet"
    assert substances._EXPECTED_COLUMNS == "cas, name, list (optional), source"
    assert dispatch._NORWEGIAN["activity"] == "lokasjon, periode, aktivitet, mengde, enhet"
    assert dispatch._NORWEGIAN["products"] == "år, varenummer, antall"
