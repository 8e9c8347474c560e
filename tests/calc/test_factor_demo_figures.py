"""The demo's figures for the series issue 12 changed, worked by hand (one year each).

Quantities are the demo's inputs (``inputs/``); factors the shipped rows.
tCO2e = quantity x factor / 1000 (factor in kgCO2e per unit) or / 1e6 (gCO2e).
"""

from __future__ import annotations

import pytest

from conftest import build


@pytest.fixture(scope="module")
def lines(demo_copy):
    acc = build(demo_copy, 2025)
    return acc.lines


def _t(lines, activity, year, method="location"):
    d = lines[(lines["activity"] == activity) & (lines["year"] == year)
              & (lines["method"] == method)]
    return d["emissions_tco2e"].sum(), d


def test_vehicle_diesel_2019(lines):
    """34 482 L x 2.68697 kgCO2e/L (DESNZ 2019, 100 % mineral diesel) = 92.652 tCO2e
    (was 34 482 x 2.66 CO2 only = 91.722)."""
    t, d = _t(lines, "vehicle:diesel", 2019)
    assert t == pytest.approx(34482 * 2.68697 / 1000, abs=1e-6) == pytest.approx(92.65210, abs=1e-4)


def test_heating_oil_2019(lines):
    """23 000 L + 50 m3 = 73 000 L x 2.75821 kgCO2e/L (DESNZ 2019 gas oil) = 201.349 tCO2e
    (was 73 000 x 2.66 CO2 only = 194.18)."""
    t, _ = _t(lines, "fuel_oil", 2019)
    assert t == pytest.approx(73000 * 2.75821 / 1000, abs=1e-6) == pytest.approx(201.34933, abs=1e-4)


def test_stationary_diesel_and_petrol_2019(lines):
    """Diesel 7 740 L x 2.68697 = 20.797 t; petrol (vehicles) 8 618 L x 2.31495 = 19.950 t."""
    assert _t(lines, "diesel", 2019)[0] == pytest.approx(20.7971478, abs=1e-6)
    assert _t(lines, "vehicle:petrol", 2019)[0] == pytest.approx(19.9502391, abs=1e-6)


def test_international_flights_2019_and_2025(lines):
    """2019: 620 000 pkm x 0.18078 = 112.0836 t (was x 0.13845 economy = 85.839);
    2025: 460 000 pkm x 0.14253 = 65.5638 t (was x 0.10916 = 50.2136)."""
    assert _t(lines, "flight_international", 2019)[0] == pytest.approx(112.0836, abs=1e-6)
    assert _t(lines, "flight_international", 2025)[0] == pytest.approx(65.5638, abs=1e-6)


def test_market_electricity_2025(lines):
    """20 324 278.5 kWh x 403.8 gCO2e/kWh (NVE 2020 residual mix 402 g CO2 x 1.0045, the
    2020 row in force for 2025) = 8 206.944 t (was x 402 = 8 170.360)."""
    t, d = _t(lines, "electricity", 2025, "market")
    assert d["factor_year"].unique().tolist() == [2020] and d["fallback"].all()
    assert t == pytest.approx(20324278.5 * 403.8 / 1e6, abs=1e-3)
