"""DESIGN §4 "Measures", rule by rule, with the arithmetic written out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimaregnskap.calc import factors as fl
from klimaregnskap.calc import measures as m
from klimaregnskap.config import Target

#: electricity location 2019 100 g/kWh and 2021 50 g/kWh (none after: 2021 is
#: the last published year); fuel oil 2.5 kgCO2e/L with 10 kWh/L
FACTORS = """activity,year,value,unit,scope,method,source
electricity,2019,100,gCO2e/kWh,2,location,test
electricity,2021,50,gCO2e/kWh,2,location,test
fuel_oil,2019,2.5,kgCO2e/L,1,,test
fuel_oil,2019,10,kWh/L,,,test
"""


@pytest.fixture
def lib(tmp_path):
    (tmp_path / "factors").mkdir()
    (tmp_path / "factors" / "own.csv").write_text(FACTORS, encoding="utf-8")
    return fl.load_library(tmp_path)


def test_ramp_crossing_the_report_year():
    """F = -300 from 2024 to 2026: 2023 0; 2024 -300 x 1/3 = -100; 2025 -300 x 2/3 = -200;
    2026 on -300. With the report year 2025, -200 is already in the actual values:
    what falls after it is -300 - (-200) = -100 from 2026."""
    years = np.arange(2023, 2031)
    e = m.ramp(-300.0, 2024, 2026, years)
    assert e == pytest.approx([0, -100, -200, -300, -300, -300, -300, -300])
    beyond = m.beyond_report_year(m.ramp(-300.0, 2024, 2026, np.arange(2025, 2031)),
                                  np.arange(2025, 2031), 2025)
    assert beyond == pytest.approx([0, -100, -100, -100, -100, -100])


def test_no_ramp_gives_the_full_effect_in_the_start_year():
    assert m.ramp(-50.0, 2027, 2027, [2026, 2027, 2030]) == pytest.approx([0, -50, -50])


def test_implemented_measure_is_not_counted_twice():
    """Implemented in 2020-2021 (full effect -2 t from 2021): the report year 2021
    already holds all of it, so nothing is added after it."""
    years = np.arange(2021, 2031)
    beyond = m.beyond_report_year(m.ramp(-2.0, 2020, 2021, years), years, 2021)
    assert np.all(beyond == 0)


def test_percent_effect():
    """-5 % of a 40 000 kWh baseline = -2 000 kWh; +4 % of a share = +4 percentage points."""
    assert m.percent_effect(-5.0, 40_000.0, share=False) == pytest.approx(-2_000.0)
    assert m.percent_effect(4.0, 55.0, share=True) == pytest.approx(4.0)
    assert np.isnan(m.percent_effect(-5.0, None, share=False))


def test_idea_never_counted_and_planned_only_in_the_planned_scenario():
    years = [2025, 2026]
    b = m.bau(100.0, years)
    beyond = pd.DataFrame({"status": ["implemented", "decided", "planned", "idea"],
                           2025: [0.0, 0.0, 0.0, 0.0], 2026: [-1.0, -2.0, -4.0, -50.0]})
    assert m.with_measures(b, beyond, m.COUNTED["decided"]) == pytest.approx([100, 97])
    assert m.with_measures(b, beyond, m.COUNTED["planned"]) == pytest.approx([100, 93])


def test_gap_after_measures():
    # a reduction: with planned 91 000 - target 88 000 = 3 000 still to go
    assert m.gap_after_measures(91_000.0, 88_000.0, lower_is_better=True) == pytest.approx(3_000)
    # a share: target 75 - with planned 73.1 = 1.9 points short
    assert m.gap_after_measures(73.1, 75.0, lower_is_better=False) == pytest.approx(1.9)
    assert m.gap_after_measures(73.1, None, lower_is_better=False) is None


def test_carrier_factor_falls_back_to_the_last_published_year(lib):
    """Electricity 2030 has no factor: the last published year, 2021 (50 g/kWh), is used;
    2020 falls back to 2019 (100 g). Fuel oil per kWh: 2.5 kg/L / 10 kWh/L = 0.25 kg/kWh."""
    f = m.carrier_factors(lib, "electricity", [2019, 2020, 2030], method="location", gwp="AR5")
    assert f["tco2e_per_kwh"].tolist() == pytest.approx([100e-6, 100e-6, 50e-6])
    assert f["factor_year"].tolist() == [2019, 2019, 2021]
    assert f["fallback"].tolist() == [False, True, True]
    fo = m.carrier_factors(lib, "fuel_oil", [2030], method="location", gwp="AR5")
    assert fo["tco2e_per_kwh"].iloc[0] == pytest.approx(0.25e-3)
    # -100 000 kWh of electricity in 2030 = -100 000 x 50 g = -5 t
    assert m.carrier_effect([-100_000.0], f["tco2e_per_kwh"].iloc[[2]]) == pytest.approx([-5.0])
    # -10 000 kWh of fuel oil = -1 000 L x 2.5 kg = -2.5 t
    assert m.carrier_effect([-10_000.0], fo["tco2e_per_kwh"]) == pytest.approx([-2.5])


def test_annuity_and_cost_per_tonne():
    """r = 4 %, n = 10: 1.04^10 = 1.4802443; 1 - 1/1.4802443 = 0.3244358;
    0.04 / 0.3244358 = 0.1232909. (1 000 000 x 0.1232909 - 50 000) / 20 t = 3 664.55 NOK/t."""
    assert m.annuity_factor(4.0, 10) == pytest.approx(0.1232909, abs=1e-7)
    assert m.annuity_factor(0.0, 8) == pytest.approx(1 / 8)
    assert m.cost_per_tco2e(1_000_000.0, -50_000.0, 10, 4.0, 20.0) == pytest.approx(3664.55,
                                                                                    abs=0.01)
    # a saving is negative; no cost or no CO2e: None
    assert m.cost_per_tco2e(0.0, -10_000.0, None, 4.0, 5.0) == pytest.approx(-2_000.0)
    assert m.cost_per_tco2e(np.nan, np.nan, np.nan, 4.0, 5.0) is None
    assert m.cost_per_tco2e(100.0, 0.0, 5, 4.0, None) is None
    assert m.cost_per_tco2e(100.0, 0.0, 5, 4.0, 0.0) is None


def _register(rows):
    cols = ["id", "name", "indicator", "effect", "effect_unit", "start_year",
            "full_effect_year", "status", "site", "carrier", "investment_nok",
            "annual_cost_change_nok", "lifetime_years", "owner", "note", "row"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)


def test_evaluate_by_hand(lib):
    """Report year 2021; energy 102 000 kWh (baseline 110 000, target 88 000 in 2030);
    emissions 8.1 t (baseline 12.5, target 7.5 in 2030).

    E1 energy -10 % decided 2022-2023, electricity: -11 000 kWh; emissions
       -11 000 x 50 g = -0.55 t (2030: 2021's factor).
    E2 emissions -1 t planned 2021-2022: -0.5 t already in 2021, -0.5 t after.
    E3 emissions -2 t implemented 2020: all in the actual values.
    E4 emissions -5 t idea: listed, never counted.

    energy:    BAU 102 000; decided 91 000; planned 91 000; gap 3 000 kWh.
    emissions: BAU 8.1; decided 8.1 - 0.55 = 7.55; planned 7.05; gap -0.45 t.
    Cost E1: 100 000 x 0.1232909 / 0.55 t = 22 416.53 NOK/t.
    """
    reg = _register([
        ("E1", "LED", "energy", -10.0, "%", 2022, 2023, "decided", "", "electricity",
         100_000.0, np.nan, 10.0, "", "", 2),
        ("E2", "Gas", "emissions", -1.0, "tCO2e", 2021, 2022, "planned", "", "", np.nan,
         np.nan, np.nan, "", "", 3),
        ("E3", "Desflurane", "emissions", -2.0, "tCO2e", 2020, 2020, "implemented", "", "",
         0.0, -10_000.0, np.nan, "", "", 4),
        ("E4", "Idea", "emissions", -5.0, "tCO2e", 2023, 2023, "idea", "", "", np.nan, np.nan,
         np.nan, "", "", 5),
    ])
    inds = {"energy": {"value": 102_000.0, "baseline": 110_000.0, "target_value": 88_000.0},
            "emissions": {"value": 8.1, "baseline": 12.5, "target_value": 7.5},
            "climate_neutral": {"value": 8.1, "baseline": 12.5, "target_value": 0.0}}
    targets = {"energy": Target("energy", "reduction", 2030, -20),
               "emissions": Target("emissions", "reduction", 2030, -40),
               "climate_neutral": Target("climate_neutral", "net_zero", 2045, 0)}
    res = m.evaluate(reg, inds, targets, report_year=2021,
                     units={"energy": "kWh", "emissions": "tCO2e", "climate_neutral": "tCO2e"},
                     shares=set(), lib=lib, method="location", gwp="AR5", target_scopes=[1, 2],
                     discount_rate_pct=4.0)
    f = res.fields
    assert f["energy"]["bau_target_year_value"] == pytest.approx(102_000)
    assert f["energy"]["with_decided_measures_target_year_value"] == pytest.approx(91_000)
    assert f["energy"]["with_planned_measures_target_year_value"] == pytest.approx(91_000)
    assert f["energy"]["gap_after_measures"] == pytest.approx(3_000)
    assert f["emissions"]["with_decided_measures_target_year_value"] == pytest.approx(7.55)
    assert f["emissions"]["with_planned_measures_target_year_value"] == pytest.approx(7.05)
    assert f["emissions"]["gap_after_measures"] == pytest.approx(-0.45)
    # climate_neutral follows emissions, to 2045 (electricity still 2021's factor)
    assert f["climate_neutral"]["with_planned_measures_target_year_value"] == pytest.approx(7.05)
    assert f["climate_neutral"]["gap_after_measures"] == pytest.approx(7.05)
    t = res.table.set_index("id")
    assert t.loc["E1", "effect_target_year"] == pytest.approx(-11_000)
    assert t.loc["E1", "tco2e_per_year"] == pytest.approx(0.55)
    assert t.loc["E1", "cost_per_tco2e"] == pytest.approx(100_000 * 0.1232909 / 0.55, rel=1e-6)
    assert t.loc["E2", "effect_target_year"] == pytest.approx(-1.0)
    assert t.loc["E3", "cost_per_tco2e"] == pytest.approx(-5_000)
    assert t.loc["E4", "effect_target_year"] == pytest.approx(-5.0)
    assert t.loc["E4", "status"] == "idea"
    # the idea is in the effects (for listing) but no scenario counts it
    s = res.scenarios[(res.scenarios["indicator"] == "emissions")].set_index("year")
    assert s.loc[2021, "with_planned"] == pytest.approx(8.1)
    assert s.loc[2022, "with_planned"] == pytest.approx(8.1 - 0.55 / 2 - 0.5)


def test_measure_on_an_absent_indicator_is_listed_with_a_warning(lib):
    reg = _register([("F1", "Food", "food_waste", -5.0, "kg", 2025, 2025, "decided", "", "",
                      np.nan, np.nan, np.nan, "", "", 2)])
    res = m.evaluate(reg, {}, {}, report_year=2024, units={"food_waste": "kg"}, shares=set(),
                     lib=lib, method="location", gwp="AR5", target_scopes=[1, 2],
                     discount_rate_pct=4.0)
    assert len(res.table) == 1 and res.fields == {}
    assert [w.code for w in res.warnings] == ["measure_indicator_absent"]
