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


def test_price_index_states_its_gap(lib):
    p = lib.tables["price_index"].set_index("year")
    assert p.loc[2015, "index"] == 100
    assert "GAP 2016-2025" in p.loc[2015, "source"]
