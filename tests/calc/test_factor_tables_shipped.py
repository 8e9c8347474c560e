"""The shipped side tables of the factor library (issue 12): the values found
in published sources, re-checked by hand against the text quoted in each row's
source, and the per-100 quotations of Norges Bank converted to NOK per unit."""

from __future__ import annotations

import pytest

from klimaregnskap.calc import factors as fl


@pytest.fixture(scope="module")
def lib():
    return fl.load_library()


def test_gas_properties_shipped_rows(lib):
    g = lib.tables["gas_properties"].set_index("gas")
    # SUPRANE label: specific gravity (20 °C/4 °C) 1.465, so 1.465 kg/L; Baxter MSDS: 240 ml bottle
    assert g.loc["desflurane", "density_kg_per_l"] == pytest.approx(1.465)
    assert g.loc["desflurane", "bottle_ml"] == 240
    assert "1.465" in g.loc["desflurane", "source"] and "240 ml" in g.loc["desflurane", "source"]
    # FORANE label: specific gravity 25°/25°C 1.496; Forane Gebrauchsinformation: 250 ml bottle
    assert g.loc["isoflurane", "density_kg_per_l"] == pytest.approx(1.496)
    assert g.loc["isoflurane", "bottle_ml"] == 250
    assert "1.496" in g.loc["isoflurane", "source"] and "250 ml" in g.loc["isoflurane", "source"]
    # one bottle of desflurane is 240 mL x 1.465 kg/L = 0.3516 kg of gas
    assert g.loc["desflurane", "bottle_ml"] / 1000 * g.loc["desflurane", "density_kg_per_l"] == \
        pytest.approx(0.3516)
    # sevoflurane was not found: no invented row, and the gap is said
    assert "sevoflurane" not in g.index
    assert "No sevoflurane row" in g.loc["isoflurane", "source"]


@pytest.mark.parametrize("year,currency,per_100,quoted", [
    (2021, "SEK", 100.19, "100,19"),  # Norges Bank EXR A.SEK.NOK.SP, per 100 SEK
    (2022, "SEK", 95.03, "95,03"),
    (2017, "DKK", 125.39, "125,39"),  # G.C. Rieber 2018 note 29, per 100 DKK
    (2018, "DKK", 128.75, "128,75"),
])
def test_exchange_rates_quoted_per_100_are_per_unit(lib, year, currency, per_100, quoted):
    x = lib.tables["exchange_rates"]
    row = x[(x["year"] == year) & (x["currency"] == currency)].iloc[0]
    assert row["nok_per_unit"] == pytest.approx(per_100 / 100)
    assert quoted in row["source"] and "per 100" in row["source"]


def test_exchange_rates_gbp_and_the_gap_note(lib):
    x = lib.tables["exchange_rates"].set_index(["year", "currency"])
    assert x.loc[(2017, "GBP"), "nok_per_unit"] == pytest.approx(10.64)
    assert x.loc[(2018, "GBP"), "nok_per_unit"] == pytest.approx(10.85)
    # the years and currencies still missing are named
    assert "GAP" in x.loc[(2019, "EUR"), "source"]
    assert "SEK 2015-2020 and 2023-2025" in x.loc[(2019, "EUR"), "source"]


def test_price_index_is_complete_2015_2025(lib):
    p = lib.tables["price_index"].set_index("year")
    assert sorted(p.index) == list(range(2015, 2026))
    assert p.loc[2015, "index"] == 100
    assert all("08184" in s and "KpiAar" in s for s in p["source"])
    # hand check against SSB's glossary: +1,8 % 2016-2017 and +2,7 % 2017-2018
    assert round((p.loc[2017, "index"] / p.loc[2016, "index"] - 1) * 100, 1) == 1.8
    assert round((p.loc[2018, "index"] / p.loc[2017, "index"] - 1) * 100, 1) == 2.7
    assert p.loc[2019, "index"] == pytest.approx(110.8)
    assert p.loc[2025, "index"] == pytest.approx(137.7)
    # a 2019 NOK amount in 2025 prices: x 137.7 / 110.8
    assert 1000 * p.loc[2025, "index"] / p.loc[2019, "index"] == pytest.approx(1242.78, abs=0.01)


def test_usd_is_complete_2015_2025_and_agrees_with_the_2_decimal_quotes(lib):
    x = lib.tables["exchange_rates"]
    usd = x[x["currency"] == "USD"].set_index("year")["nok_per_unit"]
    assert sorted(usd.index) == list(range(2015, 2026))
    # Landbruksdirektoratet's 2-decimal quotes of Norges Bank's averages
    for year, quoted in ((2017, 8.26), (2018, 8.13), (2019, 8.80)):
        assert round(usd.loc[year], 2) == quoted
    assert usd.loc[2025] == pytest.approx(10.3912)
