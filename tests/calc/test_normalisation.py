"""calc/normalisation.py: weather-normalised energy by hand (DESIGN §4)."""

from __future__ import annotations

import pandas as pd
import pytest

from klimaregnskap.calc import normalisation

from .helpers import config_with_sites, daily_temperatures


# ------------------------------------------------------------------ weather normalisation

def test_weather_normalised_by_hand(tmp_path):
    cfg = config_with_sites(tmp_path, [{"id": "a", "hdd_normal": 4000, "heating_share": 0.4},
                             {"id": "b"}])
    # 2021: 200 days at 2 °C (15 degree days each) = 3000; 160 days at 20 °C and
    # 5 days at exactly 17 °C give none -> HDD_actual = 3000 over 365 days
    temps = daily_temperatures("a", 2021, [2.0] * 200 + [20.0] * 160 + [17.0] * 5)
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
    cfg = config_with_sites(tmp_path, [{"id": "a", "hdd_normal": 3000}])
    temps = daily_temperatures("a", 2024, [7.0] * 300)  # 300 of 366 days, 10 degree days each
    energy = pd.DataFrame({"year": [2024], "site": ["a"], "energy_kwh": [1000.0]})
    r = normalisation.weather_normalised(energy, temps, cfg.sites).iloc[0]
    assert r["expected_days"] == 366 and r["temperature_days"] == 300
    # missing days are not filled: HDD_actual is the sum over the days present
    assert r["hdd_actual"] == pytest.approx(3000.0)
    assert r["energy_normalised_kwh"] == pytest.approx(1000.0)
