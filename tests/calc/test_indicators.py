"""Unit tests for klimaregnskap.indicators (hand-computed small cases)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import electricity, energy, food_waste, indicators, normalisation
from klimaregnskap.warning import year_ranges
from klimaregnskap.config import BaselineAdjustment, parse_config


def _config(tmp_path, sites):
    return parse_config({"organisation": {"name": "T"}, "sites": sites},
                        tmp_path / "klimaregnskap.toml")


def _temps(site, year, values):
    dates = pd.date_range(f"{year}-01-01", periods=len(values), freq="D")
    return pd.DataFrame({"date": dates, "year": year, "site": site,
                         "mean_temperature_degc": np.asarray(values, dtype="float64")})


# ------------------------------------------------------------------ recovered share

def test_recovered_share_by_hand():
    # 300 000 kWh delivered, 100 000 recovered -> 100 / 400 = 25 %
    assert energy.recovered_share_pct(300_000.0, 100_000.0) == pytest.approx(25.0)
    assert energy.recovered_share_pct(300_000.0, np.nan) == 0.0
    assert np.isnan(energy.recovered_share_pct(np.nan, 5.0))
    assert np.isnan(energy.recovered_share_pct(0.0, 0.0))
    v = energy.recovered_share_pct([100.0, 0.0], [100.0, 50.0])
    assert list(v) == [50.0, 100.0]


@settings(max_examples=50, deadline=None)
@given(d=st.floats(0, 1e9), r=st.floats(0, 1e9))
def test_recovered_share_is_a_share(d, r):
    v = energy.recovered_share_pct(d, r)
    assert np.isnan(v) or 0.0 <= v <= 100.0


# ------------------------------------------------------------------ weather normalisation

def test_weather_normalised_by_hand(tmp_path):
    cfg = _config(tmp_path, [{"id": "a", "hdd_normal": 4000, "heating_share": 0.4},
                             {"id": "b"}])
    # 2021: 200 days at 2 °C (15 degree days each) = 3000; 160 days at 20 °C and
    # 5 days at exactly 17 °C give none -> HDD_actual = 3000 over 365 days
    temps = _temps("a", 2021, [2.0] * 200 + [20.0] * 160 + [17.0] * 5)
    energy = pd.DataFrame({"year": [2021, 2021], "site": ["a", "b"],
                           "energy_kwh": [100_000.0, 50_000.0]})
    n = normalisation.weather_normalised(energy, temps, cfg.sites).set_index("site")
    # E (1 - a) + E a HDDn / HDDa = 60 000 + 40 000 x 4000 / 3000 = 113 333.33
    assert n.loc["a", "hdd_actual"] == pytest.approx(3000.0)
    assert n.loc["a", "energy_normalised_kwh"] == pytest.approx(60_000 + 40_000 * 4 / 3)
    assert bool(n.loc["a", "normalised"]) and n.loc["a", "temperature_days"] == 365
    assert n.loc["a", "expected_days"] == 365
    # site b has no hdd_normal (and no temperatures): measured energy, flagged
    assert n.loc["b", "energy_normalised_kwh"] == 50_000.0 and not bool(n.loc["b", "normalised"])


def test_weather_normalised_leap_year_and_missing_days(tmp_path):
    cfg = _config(tmp_path, [{"id": "a", "hdd_normal": 3000}])
    temps = _temps("a", 2024, [7.0] * 300)  # 300 of 366 days, 10 degree days each
    energy = pd.DataFrame({"year": [2024], "site": ["a"], "energy_kwh": [1000.0]})
    r = normalisation.weather_normalised(energy, temps, cfg.sites).iloc[0]
    assert r["expected_days"] == 366 and r["temperature_days"] == 300
    # missing days are not filled: HDD_actual is the sum over the days present
    assert r["hdd_actual"] == pytest.approx(3000.0)
    assert r["energy_normalised_kwh"] == pytest.approx(1000.0)


# ------------------------------------------------------------------ adjustments

def test_apply_adjustments_restates_years_before():
    s = pd.Series({2019: 10.0, 2020: 11.0, 2021: 12.0, 2022: np.nan})
    adj = (BaselineAdjustment("emissions", 2.0, "2 tCO2e", 2021, "taken over"),
           BaselineAdjustment("emissions", -0.5, "-500 kgCO2e", 2020, "closed"),
           BaselineAdjustment("energy", 99.0, "99 kWh", 2021, "other indicator"))
    out = indicators.apply_adjustments(s, "emissions", adj)
    assert out[2019] == pytest.approx(11.5) and out[2020] == pytest.approx(13.0)
    assert out[2021] == 12.0 and np.isnan(out[2022])
    assert s[2019] == 10.0  # the input is not changed


# ------------------------------------------------------------------ area and intensities

def test_area_problems(tmp_path):
    cfg = _config(tmp_path, [{"id": "a", "area_m2": {"2019": 1000}},
                             {"id": "b", "area_m2": {"2021": 500, "2024": 600}},
                             {"id": "c"}])
    probs = indicators.area_problems(cfg, range(2019, 2026))
    assert len(probs) == 2
    assert "'b'" in probs[0] and "2019-2020" in probs[0] and "area_m2" in probs[0]
    assert "klimaregnskap.toml" in probs[0]
    assert "'c'" in probs[1] and "2019-2025" in probs[1]
    assert indicators.area_problems(cfg, [2021, 2022])[0].count("'c'") == 1
    assert year_ranges([2019, 2020, 2021, 2023, 2025, 2026]) == "2019-2021, 2023, 2025-2026"


def test_trust_intensities_by_hand(tmp_path):
    cfg = _config(tmp_path, [{"id": "a", "area_m2": {"2019": 1000}},
                             {"id": "b", "area_m2": {"2020": 500}}])
    ops = pd.DataFrame({"year": [2019, 2020, 2020], "site": ["a", "a", "b"],
                        "patient_days": [100.0, 150.0, 50.0],
                        "meals_served": [300.0, 400.0, np.nan]})
    e = pd.Series({2019: 200_000.0, 2020: 300_000.0})
    em = pd.Series({2019: 10.0, 2020: 12.0})
    fw = pd.Series({2019: 50.0, 2020: 60.0})
    t = indicators.trust_intensities([2019, 2020], e, em, fw, ops, cfg).set_index("year")
    # 2019: site b has no area yet -> no trust kWh/m2 (a partial sum would mislead)
    assert np.isnan(t.loc[2019, "energy_kwh_per_m2"])
    assert t.loc[2020, "area_m2"] == 1500 and t.loc[2020, "energy_kwh_per_m2"] == pytest.approx(200.0)
    assert t.loc[2019, "emissions_kgco2e_per_patient_day"] == pytest.approx(100.0)
    assert t.loc[2020, "emissions_kgco2e_per_patient_day"] == pytest.approx(60.0)
    assert t.loc[2020, "food_waste_kg_per_patient_day"] == pytest.approx(0.3)
    assert t.loc[2019, "food_waste_g_per_meal_served"] == pytest.approx(50_000 / 300)
    assert t.loc[2020, "food_waste_g_per_meal_served"] == pytest.approx(60_000 / 400)


# ------------------------------------------------------------------ food waste gaps

def test_food_waste_warnings_site_and_month():
    food = pd.DataFrame({
        "year": [2020, 2020, 2020, 2021, 2021],
        "month": [1, 2, 1, 1, 3],
        "site": ["a", "a", "b", "a", "a"],
        "quantity_kg": [1.0, 1.0, 1.0, 1.0, 1.0]})
    w = food_waste.food_waste_warnings(food, 2021)
    codes = {(x.code, x.site, x.year) for x in w}
    assert codes == {("missing_food_waste_site", "b", 2021),
                     ("missing_food_waste_month", "a", 2021)}
    month = next(x for x in w if x.code == "missing_food_waste_month")
    assert month.get("months") == (2,) and month.get("previous_year") == 2020
    assert "month(s) 2, registered in 2020" in month.message
    # a later year is not judged before its report
    assert food_waste.food_waste_warnings(food, 2020) == []


# ------------------------------------------------------------------ lines

def test_target_lines_and_emissions_by_scope(tmp_path):
    cfg = parse_config({"organisation": {"name": "T"},
                        "accounting": {"electricity_method": "market", "target_scopes": [1, 2]}},
                       tmp_path / "klimaregnskap.toml")
    lines = pd.DataFrame({"year": [2021] * 5, "method": ["location", "market", "market",
                                                          "market", "location"],
                          "scope": [2, 2, 1, 3, 1], "emissions_tco2e": [1.0, 4.0, 2.0, 8.0, 2.0]})
    acc = cfg.accounting
    tl = electricity.target_lines(lines, acc.electricity_method, acc.target_scopes)
    assert tl["emissions_tco2e"].sum() == pytest.approx(6.0)
    # the basis of every other figure: the method's lines of every scope
    assert electricity.basis_lines(lines, "market")["emissions_tco2e"].sum() == pytest.approx(14.0)
