"""calc/indicators.py: baseline adjustments, areas and intensities, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimaregnskap.calc import indicators
from klimaregnskap.warning import year_ranges
from klimaregnskap.config import BaselineAdjustment

from .helpers import config_with_sites


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
    cfg = config_with_sites(tmp_path, [{"id": "a", "area_m2": {"2019": 1000}},
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
    cfg = config_with_sites(tmp_path, [{"id": "a", "area_m2": {"2019": 1000}},
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
