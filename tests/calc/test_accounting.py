"""Unit tests for klimaregnskap.accounting: emission lines and energy lines by hand.

Own factors (replacing the shipped series): fuel oil 2.5 kgCO2e/L and 10 kWh/L,
electricity 100 g/kWh (location, 2019 and 50 g/kWh 2021), 400 g/kWh (market),
vehicle diesel 2.7 kgCO2e/L.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import accounting
from klimaregnskap.calc import factors as fl
from klimaregnskap.errors import UnitError

from conftest import write

FACTORS = """activity,year,value,unit,scope,method,source
electricity,2019,100,gCO2e/kWh,2,location,t
electricity,2021,50,gCO2e/kWh,2,location,t
electricity,2019,400,gCO2e/kWh,2,market,t
fuel_oil,2019,2.5,kgCO2e/L,1,,t
fuel_oil,2019,10,kWh/L,,,t
vehicle:diesel,2019,2.7,kgCO2e/L,1,,t
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    root = tmp_path_factory.mktemp("acc")
    write(root / "factors" / "own.csv", FACTORS)
    return fl.load_library(root)


def activity(rows):
    df = pd.DataFrame(rows, columns=["year", "site", "activity", "quantity", "unit"])
    df["file"] = "a.csv"
    df["row"] = range(2, 2 + len(df))
    return df


def empty_meters():
    return pd.DataFrame(columns=["meter_id", "site", "carrier", "kind", "role", "year",
                                 "quantity", "quantity_unit", "energy_kwh"])


def lines_for(lib, rows, methods=("location", "market")):
    items = accounting.emission_items(activity(rows), empty_meters())
    return accounting.emission_lines(items, lib, methods=list(methods), gwp="AR5")


def test_category_of():
    assert accounting.category_of("refrigerant:R-134a") == "refrigerants"
    assert accounting.category_of("anaesthetic:desflurane") == "anaesthetic_gases"
    assert accounting.category_of("nitrous_oxide") == "anaesthetic_gases"
    assert accounting.category_of("vehicle:diesel") == "vehicles"
    assert accounting.category_of("fuel_oil") == "stationary_combustion"
    assert accounting.category_of("waste:residual") == "waste"
    assert accounting.category_of("flight_domestic") == "travel"
    assert accounting.category_of("electricity") == "electricity"


def test_emission_lines_by_hand(lib):
    l = lines_for(lib, [(2021, "a", "fuel_oil", 0.2, "m3"),          # 200 L x 2.5 = 0.5 t
                        (2021, "a", "fuel_oil", 1000, "kWh"),         # 100 L x 2.5 = 0.25 t
                        (2021, "a", "electricity", 2, "MWh"),         # 2000 x 0.05 = 0.1 t
                        (2020, "a", "electricity", 1000, "kWh"),      # 2019 factor: 0.1 t
                        (2021, "b", "vehicle:diesel", 100, "L")])     # 0.27 t
    loc = l[l["method"] == "location"].reset_index(drop=True)
    assert list(loc["emissions_tco2e"]) == pytest.approx([0.5, 0.25, 0.1, 0.1, 0.27])
    assert list(loc["scope"].astype(int)) == [1, 1, 2, 2, 1]
    # only electricity has a 2021 factor; the others use their 2019 one (nearest earlier)
    assert list(loc["fallback"].astype(bool)) == [True, True, False, True, True]
    assert loc.loc[3, "factor_year"] == 2019
    mk = l[l["method"] == "market"].reset_index(drop=True)
    # market electricity 400 g/kWh (2019 only); other activities are method-independent
    assert list(mk["emissions_tco2e"]) == pytest.approx([0.5, 0.25, 0.8, 0.4, 0.27])
    assert set(l.columns) == set(accounting.LINE_COLUMNS + accounting.CATEGORY_SOURCE_COLUMNS)
    assert list(l["file"].unique()) == ["a.csv"] and loc.loc[2, "row"] == 4


def test_unit_that_does_not_combine_is_an_error(lib):
    with pytest.raises(UnitError):
        lines_for(lib, [(2021, "a", "fuel_oil", 5, "kg")])


def test_fuel_energy_lines(lib):
    e = accounting.fuel_energy_lines(activity([(2021, "a", "fuel_oil", 0.2, "m3"),
                                               (2021, "a", "fuel_oil", 500, "kWh"),
                                               (2021, "a", "vehicle:diesel", 100, "L"),
                                               (2021, "b", "electricity", 3, "MWh")]), lib)
    by = e.groupby("carrier")["energy_kwh"].sum()
    assert by["fuel_oil"] == pytest.approx(2000 + 500)
    assert by["electricity"] == pytest.approx(3000)
    assert "vehicle:diesel" not in by   # vehicle fuel: scope 1, not building energy
    assert not e["recovered"].astype(bool).any() and (e["role"] == "main").all()


def test_meter_items_main_only_and_no_recovered():
    meters = pd.DataFrame({
        "meter_id": ["M1", "S1", "R1"], "site": ["a", "a", "a"],
        "carrier": ["electricity", "electricity", "recovered_heat"],
        "kind": "interval", "role": ["main", "sub", "main"], "year": 2021,
        "quantity": [10.0, 4.0, 7.0], "quantity_unit": "MWh",
        "energy_kwh": [10_000.0, 4_000.0, 7_000.0], "readings": 1, "estimated": 0})
    items = accounting.emission_items(activity([(2021, "a", "recovered_heat", 5, "kWh")]), meters)
    assert list(items["item"]) == ["M1"]
    assert items.loc[0, "quantity"] == 10_000.0 and items.loc[0, "quantity_unit"] == "kWh"
    e = accounting.meter_energy_lines(meters)
    assert list(e["recovered"]) == [False, False, True]
    assert list(e["role"]) == ["main", "sub", "main"]


@settings(max_examples=30, deadline=None)
@given(q=st.floats(0.0, 1e6), year=st.sampled_from([2019, 2020, 2021, 2025]))
def test_emissions_do_not_depend_on_the_unit_written(lib, q, year):
    l = lines_for(lib, [(year, "a", "electricity", q, "MWh"),
                        (year, "a", "electricity", q * 1000, "kWh"),
                        (year, "a", "fuel_oil", q, "L"), (year, "a", "fuel_oil", q / 1000, "m3")],
                  methods=("location",))
    v = l["emissions_tco2e"].to_numpy()
    assert v[0] == pytest.approx(v[1], rel=1e-9, abs=1e-12)
    assert v[2] == pytest.approx(v[3], rel=1e-9, abs=1e-12)
    assert np.all(v >= 0)


def test_anaesthetic_gas_in_litres_and_bottles_becomes_kilograms():
    """DESIGN §3: liquid volume x density, a bottle = its standard volume (shipped table:
    desflurane 1.465 kg/L, 240 mL bottle). 6 bottles = 6 x 0.240 L x 1.465 = 2.1096 kg;
    0.5 L = 0.7325 kg; kilograms pass through unchanged."""
    from pathlib import Path

    lib = fl.load_library(Path(__file__).resolve().parents[2])
    rows = [(2024, "a", "anaesthetic:desflurane", 6, "flaske"),
            (2024, "a", "anaesthetic:desflurane", 500, "ml"),
            (2024, "a", "anaesthetic:desflurane", 3, "kg")]
    items = accounting.emission_items(activity(rows), empty_meters(), lib)
    assert list(items["quantity"]) == pytest.approx([2.1096, 0.7325, 3.0])
    assert list(items["quantity_unit"]) == ["kg", "kg", "kg"]
    assert items["converted_from"].iloc[0] == "6 flaske x 240 mL x 1.465 kg/L"
    assert items["converted_from"].iloc[2] == ""
