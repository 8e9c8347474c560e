"""The purchases and account-mapping readers (DESIGN §3 "Purchases", "Account mapping"):
Norwegian headers, credits, currencies, account patterns, and every bad input refused
with file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from klimaregnskap.calc import factors as fl
from klimaregnskap.errors import InputError
from klimaregnskap.importing import ActivityUnits
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input
from klimaregnskap.readers.purchases import parse_pattern

_UNITS = ActivityUnits(fl.shipped_library(), Path("."))
CTX = ReaderContext(sites={"a"}, activity_units={}, spend=_UNITS.spend_tables)

LEDGER = "år;konto;beløp;valuta;leverandør;beskrivelse;kategori\n"
MAPPING = "konto;kategori;begrunnelse\n"


def write(tmp_path: Path, text: str, name: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, CTX)
    return info.value


def test_general_ledger_with_credit_currency_and_own_category(tmp_path):
    p = write(tmp_path, LEDGER
              + "2024;4650;125 000,00;;Medisinsk AS;Hansker;\n"
              + "2024;4650;-5 000,50;kr;Medisinsk AS;Kreditnota;\n"
              + "2023;6540;1 200,00;USD;Dell;PC;IT-utstyr\n"
              + "2023;6541;300,00;EUR;X;Y;it_services\n", "hovedbok.csv")
    r = read_input(p, CTX)
    assert r.kind == "purchases" and r.rows == 4
    f = r.frame
    assert list(f["row"]) == [2, 3, 4, 5]
    assert list(f["amount"]) == [125000.0, -5000.5, 1200.0, 300.0]
    assert list(f["currency"]) == ["NOK", "NOK", "USD", "EUR"]
    # the Norwegian name and the code without its prefix both name a spend category
    assert list(f["category"]) == ["", "", "spend:it_equipment", "spend:it_services"]
    assert list(f["account"]) == [4650, 4650, 6540, 6541]


def test_account_mapping_exact_range_prefix(tmp_path):
    p = write(tmp_path, MAPPING
              + "4650;spend:medical_consumables;\n"
              + "4600 - 4699;Legemidler;\n"
              + "46*;cleaning;\n"
              + "5000-5999;exclude;Lønn og sosiale kostnader\n", "kontomapping.csv")
    r = read_input(p, CTX)
    assert r.kind == "account_mapping"
    f = r.frame
    assert list(f["pattern"]) == ["4650", "4600-4699", "46*", "5000-5999"]
    assert list(f["match"]) == ["exact", "range", "prefix", "range"]
    assert list(f["category"]) == ["spend:medical_consumables", "spend:pharmaceuticals",
                                   "spend:cleaning", "exclude"]
    assert list(f["reason"])[-1] == "Lønn og sosiale kostnader"


def test_parse_pattern():
    assert parse_pattern("4650") == ("exact", 4650, 4650, "")
    assert parse_pattern("4650.0") == ("exact", 4650, 4650, "")
    assert parse_pattern("4600–4699") == ("range", 4600, 4699, "")
    assert parse_pattern("46*") == ("prefix", -1, -1, "46")
    assert parse_pattern("4699-4600") is None
    assert parse_pattern("46x") is None


def test_unknown_spend_category_is_refused_with_did_you_mean(tmp_path):
    e = refused(write(tmp_path, LEDGER + "2024;4650;100;;;;\n"
                      + "2024;4651;100;;;;spend:medical_consumable\n", "h.csv"))
    assert e.row == 3 and e.column == "kategori" and e.found == "spend:medical_consumable"
    assert "did you mean 'spend:medical_consumables'" in e.message


def test_unknown_currency_is_refused(tmp_path):
    e = refused(write(tmp_path, LEDGER + "2024;4650;100;CHF;;;\n", "h.csv"))
    assert (e.row, e.column, e.found) == (2, "valuta", "CHF")
    assert "exchange-rate table" in e.message


def test_year_before_the_price_index_is_refused(tmp_path):
    # price_index.csv starts in 2015
    e = refused(write(tmp_path, LEDGER + "2014;4650;100;;;;\n", "h.csv"))
    assert (e.row, e.column, e.found) == (2, "år", 2014)
    assert "price index" in e.message


def test_year_before_the_currency_s_first_rate_is_refused(tmp_path):
    # EUR rates start in 2017
    e = refused(write(tmp_path, LEDGER + "2016;4650;100;EUR;;;\n", "h.csv"))
    assert (e.row, e.column) == (2, "år") and "EUR" in e.message


def test_bad_amount_is_refused(tmp_path):
    e = refused(write(tmp_path, LEDGER + "2024;4650;12 kr;;;;\n", "h.csv"))
    assert (e.row, e.column) == (2, "beløp")


def test_disagreeing_duplicate_pattern_is_refused(tmp_path):
    e = refused(write(tmp_path, MAPPING + "4650;spend:cleaning;\n4600-4699;spend:cleaning;\n"
                      + "4650;spend:pharmaceuticals;\n", "m.csv"))
    assert (e.row, e.column) == (4, "konto")
    assert "row 2" in e.message and "mapped twice" in e.message


def test_an_agreeing_duplicate_is_accepted(tmp_path):
    r = read_input(write(tmp_path, MAPPING + "4650;spend:cleaning;\n4650;Renhold;\n", "m.csv"),
                   CTX)
    assert r.rows == 2


def test_overlapping_ranges_without_nesting_name_both_rows(tmp_path):
    e = refused(write(tmp_path, MAPPING + "4600-4699;spend:cleaning;\n"
                      + "4650-4659;spend:pharmaceuticals;\n"
                      + "4680-4720;spend:it_services;\n", "m.csv"))
    assert e.row == 2 and e.column == "konto"
    assert "4600-4699 (row 2)" in e.message and "4680-4720 (row 4)" in e.message


def test_exclude_needs_a_reason(tmp_path):
    e = refused(write(tmp_path, MAPPING + "5000-5999;exclude;\n", "m.csv"))
    assert e.row == 2 and "reason" in e.message


def test_unknown_mapping_category_and_bad_pattern(tmp_path):
    e = refused(write(tmp_path, MAPPING + "4650;medisin;\n47x;spend:cleaning;\n", "m.csv"))
    text = str(e)
    assert "unknown spend category" in text and "not an account, range or prefix" in text
