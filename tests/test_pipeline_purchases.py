"""Purchases through the whole pipeline on a small hand-made project (DESIGN §4, §5).

The project is the hand-worked one of conftest (``worked``) plus a general ledger
and an account mapping for 2021:

=====  =======  ===========  ========  ==========================================
konto  beløp    valuta       kategori  how it counts
=====  =======  ===========  ========  ==========================================
4650   10 000   NOK                    4600-4699 -> medical consumables
4650   -2 000   NOK                    credit note: nets to 8 000 NOK
6540    1 000   USD                    65* -> IT equipment; 1 000 x 8.5991 (USD 2021)
5000   50 000   NOK                    5000-5999 -> exclude (wages)
7100      500   NOK          renhold   own category: cleaning
=====  =======  ===========  ========  ==========================================

Shipped tables: CPI 2021 = 116.1, 2022 = 122.8; USD 2022 = 9.6245; EPA 2022 USD factors
medical consumables 0.14, IT equipment 0.058, cleaning 0.214 kgCO2e/USD.
Per NOK in 2021: factor x 122.8/116.1 / 9.6245.

* medical:  8 000 x 0.14  x 122.8/116.1/9.6245 = 123.09 kg
* IT:       8 599.1 x 0.058 x 122.8/116.1/9.6245 = 54.81 kg
* cleaning: 500 x 0.214 x 122.8/116.1/9.6245 = 11.76 kg

spend_nok = 8 000 + 8 599.1 + 500 = 17 099.1; excluded_nok = 50 000.
"""

from __future__ import annotations

import pytest

from conftest import build, write
from klimaregnskap import importing, ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.config import load_config
from klimaregnskap.summary import build_summary

ADJ = 122.8 / 116.1 / 9.6245
MEDICAL = 8000 * 0.14 * ADJ / 1000
IT = 1000 * 8.5991 * 0.058 * ADJ / 1000
CLEANING = 500 * 0.214 * ADJ / 1000

LEDGER = """år;konto;beløp;valuta;leverandør;beskrivelse;kategori
2021;4650;10 000;;Medisinsk AS;Hansker;
2021;4650;-2 000;;Medisinsk AS;Kreditnota;
2021;6540;1 000;USD;Dell;PC;
2021;5000;50 000;;;Lønn;
2021;7100;500;;Vask AS;Renhold;renhold
"""
MAPPING = """konto;kategori;begrunnelse
4600-4699;spend:medical_consumables;
65*;spend:it_equipment;
5000-5999;exclude;lønn er ikke innkjøp
"""


@pytest.fixture
def bought(worked):
    write(worked / "inputs" / "hovedbok.csv", LEDGER)
    write(worked / "inputs" / "kontomapping.csv", MAPPING)
    return worked


def test_purchases_summary_by_hand(bought):
    acc = build(bought, 2021)
    p = build_summary(acc)["purchases"]
    assert p["spend_nok"] == pytest.approx(17099.1)
    assert p["excluded_nok"] == pytest.approx(50000.0)
    assert p["emissions_tco2e"] == pytest.approx(MEDICAL + IT + CLEANING, rel=1e-12)
    assert MEDICAL + IT + CLEANING == pytest.approx(0.18966, abs=1e-5)


def test_spend_lines_are_scope3_and_outside_the_target(bought):
    without = build(bought, 2021)
    s = build_summary(without)
    spend = without.calculation_lines[without.calculation_lines["source"] == "purchases"]
    assert sorted(spend["activity"]) == ["spend:cleaning", "spend:it_equipment",
                                         "spend:medical_consumables"]
    assert (spend["scope"] == 3).all() and not spend["in_target"].any()
    # the hand-worked project's own scope 3 (flights 2019 only) is absent in 2021
    for method in ("location", "market"):
        assert s["emissions_by_scope"][method]["3"] == pytest.approx(MEDICAL + IT + CLEANING)
    ml = without.method_lines
    sp = ml[ml["activity"].str.startswith("spend:")]
    assert set(sp["method"]) == {""} and set(sp["reporting_category"]) == {"purchases"}
    assert set(sp.loc[sp["activity"] == "spend:it_equipment", "scope3_category"]) == {2}


def test_excluded_spend_listed_with_reason(bought):
    acc = build(bought, 2021)
    ex = acc.purchases_excluded
    assert ex[["year", "pattern", "reason", "net_nok"]].values.tolist() == [
        [2021, "5000-5999", "lønn er ikke innkjøp", 50000.0]]


def test_unmapped_account_file_is_not_imported(worked):
    write(worked / "inputs" / "hovedbok.csv", LEDGER + "2021;8150;1 234,50;;;Renter;\n")
    write(worked / "inputs" / "kontomapping.csv", MAPPING)
    cfg = load_config(worked)
    con = ledger.connect(worked)
    out = importing.sync_inputs(con, cfg, fl.load_library(worked))
    assert len(out.errors) == 1
    path, err = out.errors[0]
    assert path.name == "hovedbok.csv" and err.row == 7 and err.found == "8150"
    # the column as the file writes it (issue 13), not the ledger's name for it
    assert err.column == "konto"
    assert "8150 (total 1,234.50 NOK in 1 row(s))" in err.message
    assert ledger.current(con, "purchases").empty
    assert ledger.history(con, "purchases").empty
    # the mapping file itself is fine and stands
    assert len(ledger.current(con, "account_mapping")) == 3


@pytest.mark.parametrize("line,column", [
    ("2021;4650;100;CHF;;;", "valuta"),                  # a currency without rates
    ("2014;4650;100;;;;", "år"),                         # before the price index
    ("2021;4650;100;;;;spend:medisin", "kategori"),     # unknown spend category
    ("2021;4650;ti;;;;", "beløp"),                      # not a number
])
def test_bad_purchases_are_refused_and_nothing_imported(worked, line, column):
    write(worked / "inputs" / "hovedbok.csv", LEDGER + line + "\n")
    write(worked / "inputs" / "kontomapping.csv", MAPPING)
    con = ledger.connect(worked)
    out = importing.sync_inputs(con, load_config(worked), fl.load_library(worked))
    assert [(p.name, e.row, e.column) for p, e in out.errors] == [("hovedbok.csv", 7, column)]
    assert ledger.history(con, "purchases").empty


def test_purchase_files_add_up_and_mappings_have_one_value(worked):
    write(worked / "inputs" / "kontomapping.csv", MAPPING)
    write(worked / "inputs" / "hovedbok_a.csv", LEDGER)
    write(worked / "inputs" / "hovedbok_b.csv",
          "år;konto;beløp\n2021;4650;1 000\n")
    acc = build(worked, 2021)
    assert build_summary(acc)["purchases"]["spend_nok"] == pytest.approx(18099.1)
    # a second mapping file that maps 65* differently is refused, naming both files
    write(worked / "inputs" / "kontomapping_2.csv",
          "konto;kategori;begrunnelse\n65*;spend:furniture;\n")
    con = ledger.connect(worked)
    out = importing.sync_inputs(con, load_config(worked), fl.load_library(worked))
    assert len(out.errors) == 1
    assert "kontomapping" in str(out.errors[0][1]) and "different values" in str(out.errors[0][1])


def test_report_shows_purchases_share_top_categories_and_exclusions(bought):
    """The report's purchases section: spend, share of the footprint, the top spend
    categories by emissions, and the excluded spend with its reason (nb)."""
    from klimaregnskap.report.document import build_blocks, purchase_blocks
    from klimaregnskap.summary import report_data

    acc = build(bought, 2021)
    data = report_data(acc, language="nb", generated_at="2026-01-01T00:00:00+00:00")
    blocks = purchase_blocks(data)
    assert blocks[0].text == "Innkjøp"
    intro = blocks[1].text
    assert "17\xa0099 kr" in intro and "0,2 t CO2e" in intro
    top = blocks[3]
    # ordered by emissions: medical 123.1 kg, IT 54.8 kg, cleaning 11.8 kg
    assert [r[0] for r in top.rows] == ["Medisinsk forbruksmateriell", "IT-utstyr", "Renhold"]
    assert top.rows[0][1] == "8\xa0000"
    excl = blocks[-1]
    assert excl.rows == [["5000-5999", "lønn er ikke innkjøp", "50\xa0000"]]
    assert any(b.anchor == "purchases" for b in build_blocks(data, [], []))


def test_export_spend_lines_in_nok_with_the_adjusted_factor(bought):
    """DESIGN §5: a spend line's quantity is its NOK at the purchase year's rate, unit NOK,
    and its factor per NOK after price and currency adjustment; the lines add up to
    summary.json's purchases emissions."""
    from klimaregnskap.export import export_tables as tables

    acc = build(bought, 2021)
    lines = tables(acc, [2021])["emission_lines"].to_pandas()
    sp = lines[lines["activity"].str.startswith("spend:")].set_index("activity")
    it = sp.loc["spend:it_equipment"]
    assert it["unit"] == "NOK" and it["quantity"] == pytest.approx(8599.1)
    assert it["factor_unit"] == "kgCO2e/NOK" and it["factor"] == pytest.approx(0.058 * ADJ)
    assert it["method"] == "" and it["category"] == "purchases" and it["scope3_category"] == 2
    assert it["source_file"] == "inputs/hovedbok.csv"
    assert sp["emissions_kgco2e"].sum() == pytest.approx(
        1000 * build_summary(acc)["purchases"]["emissions_tco2e"])


def test_district_heating_bills_as_spend_warn_of_double_counting(worked):
    """The hand-worked project counts electricity and fuel oil (reporting category energy)
    in 2021; spend mapped to spend:district_heating that year is warned about, once."""
    write(worked / "inputs" / "hovedbok.csv", "år;konto;beløp\n2021;6341;20 000\n2021;6341;5 000\n")
    write(worked / "inputs" / "kontomapping.csv", "konto;kategori\n6341;spend:district_heating\n")
    acc = build(worked, 2021)
    w = [x for x in acc.warnings if x.code == "purchases_double_counting"]
    assert [(x.year, x.get("category"), x.get("counted_as"), x.get("spend_nok")) for x in w] == [
        (2021, "spend:district_heating", "energy", 25000.0)]
    assert "25\xa0000 kr" in w[0].text("nb")
