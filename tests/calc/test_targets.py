"""Unit tests for klimaregnskap.targets: paths, statuses, projections, required change."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import targets
from klimaregnskap.config import DEFAULT_TARGETS, Target, parse_config

EMISSIONS = Target("emissions", "reduction", 2030, -40.0)
NEUTRAL = Target("climate_neutral", "net_zero", 2045, 0.0)
SHARE = Target("chemical_free_share", "level", 2030, 75.0)
RECOVERED = Target("recovered_heat_share", "increase", 2030, None)


def series(values: dict) -> pd.Series:
    return pd.Series(values, dtype="float64")


# ------------------------------------------------------------------- target value / path

def test_target_value_by_kind():
    assert targets.target_value(EMISSIONS, 1000.0) == pytest.approx(600.0)
    assert targets.target_value(NEUTRAL, 1000.0) == 0.0
    assert targets.target_value(SHARE, 40.0) == 75.0
    assert targets.target_value(RECOVERED, 5.0) is None
    assert targets.target_value(EMISSIONS, None) is None


def test_linear_path_by_hand():
    # 1100 in 2019 to 660 in 2030: -40 per year
    assert targets.linear_path(1100, 660, 2019, 2030, 2019) == 1100
    assert targets.linear_path(1100, 660, 2019, 2030, 2024) == pytest.approx(900.0)
    assert targets.linear_path(1100, 660, 2019, 2030, 2030) == pytest.approx(660.0)
    # after the target year the path stays at the target
    assert targets.linear_path(1100, 660, 2019, 2030, 2035) == pytest.approx(660.0)


def test_climate_neutral_path_follows_emissions_then_zero():
    # emissions: 1100 (2019) -> 660 (2030); then 660 -> 0 over 15 years (-44 per year)
    f = lambda y: targets.climate_neutral_path(1100, 660, 2019, 2030, 2045, y)  # noqa: E731
    assert f(2024) == pytest.approx(900.0)
    assert f(2030) == pytest.approx(660.0)
    assert f(2035) == pytest.approx(660.0 - 44.0 * 5)
    assert f(2045) == pytest.approx(0.0)
    assert f(2050) == pytest.approx(0.0)
    # path_series for the net-zero target, as the charts draw it
    ps = targets.path_series(NEUTRAL, 1100.0, 2019, {"target_year": 2030, "target_value": 660.0})
    assert ps.index[0] == 2019 and ps.index[-1] == 2045
    assert ps[2024] == pytest.approx(900.0) and ps[2040] == pytest.approx(220.0)


def test_path_of_increase_target_is_the_baseline():
    assert targets.path_value(RECOVERED, 5.0, None, 2019, 2025) == 5.0


# ------------------------------------------------------------------------------ status

@pytest.mark.parametrize("value,expected", [(590.0, "achieved"), (600.0, "achieved"),
                                            (899.0, "on_track"), (900.0, "on_track"),
                                            (900.5, "off_track")])
def test_status_lower_is_better(value, expected):
    assert targets.status(value, 900.0, 600.0, lower_better=True) == expected


@pytest.mark.parametrize("value,expected", [(80.0, "achieved"), (75.0, "achieved"),
                                            (60.0, "on_track"), (59.9, "off_track")])
def test_status_share(value, expected):
    assert targets.status(value, 60.0, 75.0, lower_better=False) == expected


def test_status_no_data():
    assert targets.status(float("nan"), 900.0, 600.0, True) == "no_data"
    assert targets.status(None, 900.0, 600.0, True) == "no_data"


# -------------------------------------------------------------------------- projection

def test_projection_by_hand_and_clipped_at_zero():
    # (2019, 10), (2020, 8), (2021, 9): mean x 2020, mean y 9, slope (-1*1 + 1*0 ... )
    # sxy = (-1)(1) + 0 + (1)(0) = -1, sxx = 2 -> slope -0.5; 2030: 9 - 0.5*10 = 4
    assert targets.project([2019, 2020, 2021], [10, 8, 9], 2030) == pytest.approx(4.0)
    # steep decline: the trend crosses zero before 2030 -> 0, never negative
    assert targets.project([2019, 2020, 2021], [10, 8, 6], 2030) == 0.0


def test_projection_share_capped_at_100():
    assert targets.project([2019, 2020, 2021], [50, 60, 70], 2030) == pytest.approx(160.0)
    assert targets.project([2019, 2020, 2021], [50, 60, 70], 2030, share=True) == 100.0


def test_projection_ignores_missing_years_and_single_point_is_flat():
    assert targets.project([2019, 2020, 2021], [10, float("nan"), 6], 2030) == 0.0
    assert targets.project([2019, 2020], [7, float("nan")], 2030) == 7.0
    assert targets.project([2019], [float("nan")], 2030) is None


# ----------------------------------------------------------------- required change

def test_required_annual_change_pct_by_hand():
    # 1000 -> 500 in 5 years: 0.5 ** (1/5) - 1 = -12.944... %
    r = targets.required_annual_change_pct(1000.0, 500.0, 2025, 2030)
    assert r == pytest.approx((0.5 ** 0.2 - 1) * 100)
    assert r == pytest.approx(-12.9449436, abs=1e-6)
    # a share that must grow: 60 -> 75 in 5 years
    assert targets.required_annual_change_pct(60.0, 75.0, 2025, 2030) == pytest.approx(
        ((75 / 60) ** 0.2 - 1) * 100)
    assert targets.required_annual_change_pct(1000.0, 500.0, 2030, 2030) is None
    assert targets.required_annual_change_pct(1000.0, 0.0, 2025, 2045) is None


def test_evaluate_zero_target_gives_yearly_reduction():
    s = series({2019: 1100.0, 2024: 800.0, 2025: 780.0})
    out = targets.evaluate(s, NEUTRAL, baseline_year=2019, report_year=2025, unit="tCO2e",
                           emissions={"target_year": 2030, "target_value": 660.0})
    assert out["target_value"] == 0.0 and out["target_year"] == 2045
    assert out["required_annual_change_pct"] is None
    assert out["required_annual_change"] == pytest.approx(780.0 / 20)
    # 2025 on the emissions path: 1100 - 440 * 6 / 11 = 860
    assert out["path_value"] == pytest.approx(860.0)
    assert out["status"] == "on_track"


def test_evaluate_all_fields_by_hand():
    s = series({2019: 1000.0, 2020: 950.0, 2021: 960.0})
    out = targets.evaluate(s, EMISSIONS, baseline_year=2019, report_year=2021, unit="tCO2e")
    assert out["value"] == 960.0 and out["baseline"] == 1000.0
    assert out["change_pct"] == pytest.approx(-4.0)
    assert out["target_value"] == pytest.approx(600.0)
    assert out["path_value"] == pytest.approx(1000 - 400 * 2 / 11)   # 927.27
    assert out["status"] == "off_track"
    # slope: sxy = (-1)(-3.33) + 0 + (1)(6.67) = 10... by hand: mean 970, dev 30, -20, -10
    # sxy = (-1)(30) + 0 + (1)(-10) = -40, sxx = 2, slope -20; 2030: 970 - 20 * 10 = 770
    assert out["projected_target_year_value"] == pytest.approx(770.0)
    assert out["required_annual_change_pct"] == pytest.approx(((600 / 960) ** (1 / 9) - 1) * 100)
    assert "baseline_unadjusted" not in out and "change_points" not in out


def test_evaluate_share_change_pct_is_relative_and_points_given():
    s = series({2019: 40.0, 2025: 50.0})
    out = targets.evaluate(s, SHARE, baseline_year=2019, report_year=2025, unit="%")
    assert out["change_pct"] == pytest.approx(25.0)       # relative, not 10 points
    assert out["change_points"] == pytest.approx(10.0)
    assert out["path_value"] == pytest.approx(40 + 35 * 6 / 11)
    assert out["status"] == "off_track"                    # 50 < 59.09
    s2 = series({2019: 40.0, 2025: 76.0})
    assert targets.evaluate(s2, SHARE, baseline_year=2019, report_year=2025,
                            unit="%")["status"] == "achieved"


def test_evaluate_no_value_and_no_baseline():
    out = targets.evaluate(series({2019: 100.0}), EMISSIONS, baseline_year=2019,
                           report_year=2021, unit="tCO2e")
    assert out["value"] is None and out["status"] == "no_data" and out["change_pct"] is None
    out = targets.evaluate(series({2021: 100.0}), EMISSIONS, baseline_year=2019,
                           report_year=2021, unit="tCO2e")
    assert out["baseline"] is None and out["status"] == "no_baseline"


def test_evaluate_reports_unadjusted_baseline_only_when_different():
    s = series({2019: 1200.0, 2021: 900.0})
    out = targets.evaluate(s, EMISSIONS, baseline_year=2019, report_year=2021, unit="tCO2e",
                           baseline_unadjusted=1000.0)
    assert out["baseline"] == 1200.0 and out["baseline_unadjusted"] == 1000.0
    out = targets.evaluate(s, EMISSIONS, baseline_year=2019, report_year=2021, unit="tCO2e",
                           baseline_unadjusted=1200.0)
    assert "baseline_unadjusted" not in out


# ---------------------------------------------------------------- overrides from config

def test_target_overrides_from_config(tmp_path):
    raw = {"organisation": {"name": "X"},
           "targets": {"emissions": {"year": 2028, "level": -50},
                       "food_waste": {"level": "-30 %"}}}
    cfg = parse_config(raw, tmp_path / "klimaregnskap.toml")
    em = cfg.targets["emissions"]
    assert (em.kind, em.year, em.level) == ("reduction", 2028, -50.0)
    assert cfg.targets["food_waste"].level == -30.0 and cfg.targets["food_waste"].year == 2030
    assert cfg.targets["energy"].level == DEFAULT_TARGETS["energy"][2]
    s = series({2019: 1000.0, 2023: 800.0})
    out = targets.evaluate(s, em, baseline_year=2019, report_year=2023, unit="tCO2e")
    assert out["target_year"] == 2028 and out["target_value"] == pytest.approx(500.0)
    assert out["path_value"] == pytest.approx(1000 - 500 * 4 / 9)
    # the climate-neutral path follows the overridden emissions target to 2028
    v = targets.path_value(cfg.targets["climate_neutral"], 1000.0, 0.0, 2019, 2028,
                           {"target_year": 2028, "target_value": 500.0})
    assert v == pytest.approx(500.0)


# -------------------------------------------------------------------- invariants

@settings(max_examples=60, deadline=None)
@given(base=st.floats(1.0, 1e7), level=st.floats(-100.0, 0.0),
       by=st.integers(2000, 2025), span=st.integers(1, 30))
def test_path_is_monotone_between_baseline_and_target(base, level, by, span):
    t = Target("x", "reduction", by + span, level)
    goal = targets.target_value(t, base)
    ps = targets.path_series(t, base, by)
    diffs = ps.diff().dropna()
    assert (diffs <= 1e-9 * base).all()
    assert ps.iloc[0] == pytest.approx(base) and ps.iloc[-1] == pytest.approx(goal, abs=1e-6 * base)
    assert ((ps >= goal - 1e-6 * base) & (ps <= base + 1e-6 * base)).all()


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.floats(0.0, 100.0), min_size=1, max_size=10),
       at=st.integers(2019, 2060))
def test_projection_of_share_stays_in_range(values, at):
    years = list(range(2019, 2019 + len(values)))
    v = targets.project(years, values, at, share=True)
    assert 0.0 <= v <= 100.0


@settings(max_examples=60, deadline=None)
@given(value=st.floats(1.0, 1e6), goal=st.floats(1.0, 1e6), n=st.integers(1, 25))
def test_required_change_compounds_to_the_target(value, goal, n):
    r = targets.required_annual_change_pct(value, goal, 2025, 2025 + n)
    assert value * (1 + r / 100) ** n == pytest.approx(goal, rel=1e-9)
    # a goal within float resolution of the value (1e6 -> 999999.9999999999) gives
    # (goal / value) ** (1 / n) == 1.0 exactly, so r == 0.0 without a sign
    assert (math.copysign(1, r) == math.copysign(1, goal - value) or goal == value
            or (r == 0.0 and math.isclose(goal, value, rel_tol=1e-12)))


def test_untargeted_indicator_fields_by_hand():
    """Footprint without a target (DESIGN §5): 2019 100, 2020 90, 2021 80 t;
    change -20 %; trend -10 t a year -> 2030: 80 - 9 x 10 = -10, kept at 0."""
    s = pd.Series([100.0, 90.0, 80.0], index=[2019, 2020, 2021])
    f = targets.evaluate_untargeted(s, baseline_year=2019, report_year=2021, unit="tCO2e",
                                    projection_year=2030, baseline_unadjusted=110.0)
    assert f == {"unit": "tCO2e", "value": 80.0, "baseline": 100.0,
                 "baseline_unadjusted": 110.0, "change_pct": pytest.approx(-20.0),
                 "status": "no_target", "projection_year": 2030,
                 "projected_target_year_value": 0.0}
    # 2028: 80 - 7 x 10 = 10
    assert targets.evaluate_untargeted(s, baseline_year=2019, report_year=2021, unit="tCO2e",
                                       projection_year=2028)["projected_target_year_value"] \
        == pytest.approx(10.0)
    years = targets.untargeted_year_statuses(pd.Series([100.0, float("nan")], index=[2019, 2020]),
                                             [2019, 2020])
    assert years["status"].tolist() == ["no_target", "no_data"]
    assert years["path_value"].isna().all()
