from importlib import resources

import numpy as np
import pytest
from hypothesis import given, strategies as st

from klimaregnskap.errors import UnitError
from klimaregnskap.units import (conversion_factor, convert_values, dimensionality, is_compatible,
                                 parse_quantity, parse_unit, spellings, ureg)


def test_kg_plus_kgco2e_raises():
    with pytest.raises(Exception):
        ureg.Quantity(1, "kg") + ureg.Quantity(1, parse_unit("kgCO2e"))


def test_kg_does_not_convert_to_co2e():
    with pytest.raises(UnitError) as e:
        conversion_factor("kg", "kgCO2e")
    assert "'kg'" in str(e.value) and "'kgCO2e'" in str(e.value)


@pytest.mark.parametrize("unit,to,factor", [
    ("tCO2e", "kgCO2e", 1000.0), ("gCO2e", "kgCO2e", 0.001), ("kg CO2e", "tCO2e", 0.001),
    ("kgCO2-ekv", "kgCO2e", 1.0), ("MWh", "kWh", 1000.0), ("GWh", "kWh", 1e6), ("m3", "L", 1000.0),
    ("m³", "liter", 1000.0), ("l", "L", 1.0), ("tonn", "kg", 1000.0), ("tonne", "kg", 1000.0),
    ("t", "kg", 1000.0), ("g", "kg", 0.001), ("gCO2e/kWh", "kgCO2e/MWh", 1.0),
    ("tCO2e/tonne", "kgCO2e/kg", 1.0), ("pkm", "passenger*km", 1.0), ("Sm³", "Sm3", 1.0),
])
def test_spreadsheet_spellings(unit, to, factor):
    assert conversion_factor(unit, to) == pytest.approx(factor)


def test_litre_of_diesel_as_m3_or_litre_is_the_same():
    out = convert_values([1.0, 0.001], ["L", "m3"], "L")
    assert out.tolist() == pytest.approx([1.0, 1.0])


def test_sm3_is_not_a_geometric_volume():
    assert not is_compatible("m3", "Sm3")
    assert not is_compatible("Nm3", "Sm3")


def test_pkm_is_not_km():
    assert not is_compatible("km", "pkm")


def test_unknown_unit():
    with pytest.raises(UnitError) as e:
        parse_unit("bananas")
    assert e.value.reason == "unknown"
    with pytest.raises(UnitError):
        parse_unit("")


def test_co2e_is_its_own_dimension():
    assert dimensionality("kgCO2e") == "[co2e]"
    assert "[co2e]" in dimensionality("kgCO2e/kWh")


def test_convert_once_per_unit_vectorised():
    vals = np.arange(6, dtype=float)
    out = convert_values(vals, ["kWh", "MWh", "kWh", "GWh", "MWh", "kWh"], "kWh")
    assert out.tolist() == [0.0, 1000.0, 2.0, 3e6, 4000.0, 5.0]


def test_convert_incompatible_names_both():
    with pytest.raises(UnitError) as e:
        convert_values([1.0, 2.0], ["kWh", "kg"], "kWh")
    assert e.value.found == "kg" and e.value.expected == "kWh"


def test_temperature_offset():
    assert convert_values([0.0, 10.0], "degC", "K").tolist() == pytest.approx([273.15, 283.15])
    assert convert_values([32.0], "degF", "degC").tolist() == pytest.approx([0.0])


def test_parse_quantity():
    assert parse_quantity("120 tCO2e") == (120.0, "tCO2e")
    assert parse_quantity("-3,5 MWh") == (-3.5, "MWh")
    with pytest.raises(ValueError):
        parse_quantity("tCO2e")


units = st.sampled_from(["kWh", "MWh", "GWh", "Wh"])


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), units, units)
def test_round_trip(x, a, b):
    there = convert_values([x], a, b)
    back = convert_values(there, b, a)
    assert back[0] == pytest.approx(x, rel=1e-12, abs=1e-9)


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=20))
def test_sum_of_converted_equals_converted_sum(xs):
    assert convert_values(xs, "MWh", "kWh").sum() == pytest.approx(sum(xs) * 1000, rel=1e-9, abs=1e-6)


# ------------------------------------------------ spellings (vocabulary/units.txt)

@pytest.mark.parametrize("written,unit", [
    ("Kg", "kg"), ("KG", "kg"), ("kilo", "kg"), ("Kilo", "kg"), ("kWH", "kWh"),
    ("KWH", "kWh"), ("KWh", "kWh"), ("mwh", "MWh"), ("LITER", "L"), ("Liter", "L"),
    ("Tonn", "tonne"), ("TONNE", "tonne"), ("M3", "m**3"), ("SM3", "Sm3"), ("PKM", "pkm"),
    ("kgCO2e/KWH", "kgCO2e/kWh"), ("MWH/Tonn", "MWh/tonne"),
])
def test_listed_spellings_in_any_case(written, unit):
    """Issue 13 item 6: ``Kg``, ``KG`` and ``kilo`` were refused."""
    assert conversion_factor(written, unit) == 1.0


def test_spellings_are_the_table_of_units_txt():
    text = resources.files("klimaregnskap.vocabulary").joinpath("units.txt").read_text(
        encoding="utf-8")
    assert "#= kg kilo kilogram -> kg" in text
    table = spellings()
    assert table["kilo"] == "kg" and table["liter"] == "liter" and table["kwh"] == "kWh"
    # every spelling of DESIGN §3 "Units" is in the table
    for s in ("kWh", "MWh", "l", "L", "liter", "m3", "m³", "Sm3", "kg", "tonn", "tonne", "t",
              "km", "pkm", "kilo"):
        assert s.casefold() in table, s


def test_names_not_listed_stay_case_sensitive():
    assert conversion_factor("Mm", "mm") == pytest.approx(1e9)
    with pytest.raises(UnitError):
        parse_unit("KILOS")
