"""The hand-worked project, end to end through the real ledger.

Own factors: electricity location 2019 100 g/kWh, 2021 50 g/kWh (2020 missing:
falls back to 2019), market 400 g/kWh (2019 only), european_mix from the
shipped library (280 g/kWh); fuel oil 2.5 kgCO2e/L and 10 kWh/L; flights
0.2 kgCO2e/pkm; R-134a GWP AR5 1300.

Location-based, by hand:
  2019: fuel oil 1000 L x 2.5 = 2.5 t (s1); electricity 100 000 kWh x 0.1 = 10 t (s2);
        flights 10 000 pkm x 0.2 kg = 2 t (s3)          -> scope 1+2 = 12.5 t
  2020: fuel oil 500 L = 1.25 t; electricity 90 MWh x 0.1 (2019 factor) = 9 t -> 10.25 t
  2021: fuel oil 0.2 m3 = 200 L = 0.5 t; R-134a 2 kg x 1300 = 2.6 t; electricity
        100 000 kWh x 0.05 = 5 t                          -> 8.1 t
Delivered energy: 2019 10 000 + 100 000 = 110 000 kWh; 2020 5 000 + 90 000 = 95 000;
2021 2 000 + 100 000 = 102 000 kWh.
"""

import math

import pytest

from conftest import build

from klimaregnskap.summary import build_summary


def _accounts(project, year=2021):
    return build(project, year)


def test_emission_series_by_hand(worked):
    acc = _accounts(worked)
    s = acc.series_of("emissions")
    assert s[2019] == pytest.approx(12.5, abs=1e-12)
    assert s[2020] == pytest.approx(10.25, abs=1e-12)
    assert s[2021] == pytest.approx(8.1, abs=1e-12)


def test_emissions_by_scope_every_method(worked):
    acc = _accounts(worked)
    summ = build_summary(acc)
    by = summ["emissions_by_scope"]
    assert set(by) >= {"location", "market", "european_mix"}
    assert by["location"] == pytest.approx({"1": 3.1, "2": 5.0, "3": 0.0})
    # market: only a 2019 series -> 100 000 kWh x 0.4 = 40 t (fallback)
    assert by["market"]["2"] == pytest.approx(40.0)
    # european_mix from the shipped library: 280 g/kWh
    assert by["european_mix"]["2"] == pytest.approx(28.0)


def test_scope3_outside_target(worked):
    acc = _accounts(worked, 2019)
    summ = build_summary(acc)
    assert summ["emissions_by_scope"]["location"] == pytest.approx({"1": 2.5, "2": 10.0, "3": 2.0})
    assert summ["indicators"]["emissions"]["value"] == pytest.approx(12.5)


def test_fallback_recorded(worked):
    acc = _accounts(worked)
    lines = acc.lines[(acc.lines["year"] == 2020) & (acc.lines["item"] == "electricity")
                      & (acc.lines["method"] == "location")]
    assert lines["fallback"].all() and (lines["factor_year"] == 2019).all()
    assert any(w.code == "factor_fallback" and "2020" in w.message for w in acc.warnings)


def test_energy_from_fuels_and_carriers(worked):
    acc = _accounts(worked)
    e = acc.series_of("energy")
    assert e[2019] == pytest.approx(110_000)
    assert e[2020] == pytest.approx(95_000)
    assert e[2021] == pytest.approx(102_000)
    summ = build_summary(acc)
    assert summ["energy_by_carrier_kwh"] == pytest.approx({"electricity": 100_000, "fuel_oil": 2_000})


def test_targets_by_hand(worked):
    acc = _accounts(worked)
    em = acc.indicators["emissions"]
    assert em["baseline"] == pytest.approx(12.5)
    assert em["target_value"] == pytest.approx(7.5)
    assert em["target_year"] == 2030
    assert em["path_value"] == pytest.approx(12.5 - 5.0 * 2 / 11)
    assert em["change_pct"] == pytest.approx((8.1 - 12.5) / 12.5 * 100)
    assert em["status"] == "on_track"
    # least squares over 2019..2021: slope -2.2 t/yr -> negative in 2030 -> kept at 0
    assert em["projected_target_year_value"] == 0.0
    assert em["required_annual_change_pct"] == pytest.approx(((7.5 / 8.1) ** (1 / 9) - 1) * 100)

    en = acc.indicators["energy"]
    assert en["target_value"] == pytest.approx(88_000)
    assert en["path_value"] == pytest.approx(106_000)
    assert en["status"] == "on_track"
    # slope: (-(110000-102333.3) + (102000-102333.3)) / 2 = -4000 kWh/yr
    assert en["projected_target_year_value"] == pytest.approx(102_333.333333 - 40_000, rel=1e-9)


def test_climate_neutral_by_hand(worked):
    acc = _accounts(worked)
    cn = acc.indicators["climate_neutral"]
    assert cn["target_year"] == 2045 and cn["target_value"] == 0
    assert cn["path_value"] == pytest.approx(12.5 - 5.0 * 2 / 11)  # follows the 2030 path
    assert cn["required_annual_change_pct"] is None
    assert cn["required_annual_change"] == pytest.approx(8.1 / 24)


def test_achieved_and_off_track(worked):
    # 2020 against its own path: 10.25 <= 12.5 - 5/11 -> on track; energy 95 000 <= 108 000
    acc = _accounts(worked, 2020)
    assert acc.indicators["emissions"]["status"] == "on_track"
    assert acc.indicators["energy"]["status"] == "on_track"


def test_site_figures(worked):
    acc = _accounts(worked)
    summ = build_summary(acc)
    a = summ["sites"]["a"]
    assert a["energy_kwh"] == pytest.approx(102_000)
    assert a["emissions_tco2e"] == pytest.approx(5.5)
    assert a["area_m2"] == 1000
    assert a["energy_kwh_per_m2"] == pytest.approx(102.0)
    b = summ["sites"]["b"]
    assert b["emissions_tco2e"] == pytest.approx(2.6)
    assert b["area_m2"] == 600
    # totals equal the sum of the parts
    assert sum(s["emissions_tco2e"] for s in summ["sites"].values()) == pytest.approx(
        summ["indicators"]["emissions"]["value"])


def test_baseline_adjustment_restates_history(worked):
    cfg = worked / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text() + """
[[baseline_adjustments]]
indicator = "emissions"
amount = "1500 kgCO2e"
year = 2021
reason = "Clinic taken over"
""")
    acc = _accounts(worked)
    s = acc.series_of("emissions")
    assert s[2019] == pytest.approx(14.0) and s[2020] == pytest.approx(11.75)
    assert s[2021] == pytest.approx(8.1)
    em = acc.indicators["emissions"]
    assert em["baseline"] == pytest.approx(14.0)
    assert em["baseline_unadjusted"] == pytest.approx(12.5)
    assert em["target_value"] == pytest.approx(14.0 * 0.6)


def test_adjustment_turns_off_track_into_on_track(project):
    # 2019: 10 t, 2021: 9.9 t of electricity at 100 g/kWh; the 2021 path is 10 - 4*2/11 = 9.27
    (project / "factors").mkdir()
    (project / "factors" / "f.csv").write_text(
        "activity,year,value,unit,scope,method,source\n"
        "electricity,2019,100,gCO2e/kWh,2,location,test\n")
    (project / "inputs" / "a.csv").write_text(
        "site,period,activity,quantity,unit\n"
        "a,2019,electricity,100000,kWh\n"
        "a,2021,electricity,99000,kWh\n")
    before = _accounts(project)
    assert before.indicators["emissions"]["status"] == "off_track"
    cfg = project / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text() + '\n[[baseline_adjustments]]\nindicator = "emissions"\n'
                   'amount = "2 tCO2e"\nyear = 2020\nreason = "Site B taken over"\n')
    (project / "klimaregnskap.duckdb").unlink()
    after = _accounts(project)
    em = after.indicators["emissions"]
    assert em["baseline"] == pytest.approx(12.0)
    assert em["status"] == "on_track"
    assert em["path_value"] == pytest.approx(12.0 - 4.8 * 2 / 11)


def test_no_data_year_is_not_zero(worked):
    acc = _accounts(worked, 2022)
    em = acc.indicators["emissions"]
    assert em["value"] is None and em["status"] == "no_data"
    assert math.isnan(acc.series_of("emissions")[2022])
