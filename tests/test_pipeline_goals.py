"""The five goals end to end, hand-computed, through the real ledger (issue 5).

The small project (sites a and b of tests/conftest.py, report year 2021):

Energy (activity rows, electricity; own factor 100 g/kWh location, 400 g/kWh market):
    a: 2019 300 000, 2020 270 000, 2021 240 000 kWh
    b: 2019 100 000, 2020  95 000, 2021  90 000 kWh
    delivered: 2019 400 000, 2020 365 000, 2021 330 000 kWh
    a sub-meter at a (electricity, 5 000 kWh in 2021) is never added.
Recovered heat (meter R1 at a): 2019 20 000, 2021 60 000 kWh (2020: none)
    share 2019 = 20 000 / 420 000 = 4.7619 %; 2021 = 60 000 / 390 000 = 15.3846 %
    site a 2021 = 60 000 / 300 000 = 20 %, site b 0 %.
Food waste (g, kg and tonnes; three categories; two sites):
    2019: a 500 kg + 250 000 g + 0.25 t, b 200 kg          -> 1 200 kg
    2020: a 450 kg + 300 kg (Jan, Feb), b 150 kg             ->   900 kg
    2021: a 400 kg + 150 000 g (Jan) + 0.1 t (Mar), b none   ->   650 kg
Operations 2021: a 1 200 patient-days / 3 600 meals, b 300 / 900.
Temperatures at a (hdd_normal 4000, heating share 0.5):
    2019: 200 days at 2 °C -> HDD 3000 (365 days)
    2020: 200 days at 1 °C -> HDD 3200 (only 340 of 366 days: under 95 %)
    2021: 200 days at 7 °C -> HDD 2000 (365 days)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import factors as fl
from klimaregnskap import importing, ledger
from klimaregnskap.pipeline import build_accounts
from klimaregnskap.config import load_config
from klimaregnskap.summary import build_summary

from conftest import BASE_CONFIG, write

REPO = Path(__file__).resolve().parents[1]

FACTORS = """activity,year,value,unit,scope,method,source
electricity,2019,100,gCO2e/kWh,2,location,test location
electricity,2019,400,gCO2e/kWh,2,market,test market
electricity,2019,10,gCO2e/kWh,2,residual_test,a method only this project has
"""

ACTIVITY = """site,period,activity,quantity,unit
a,2019,electricity,300000,kWh
b,2019,electricity,100000,kWh
a,2020,electricity,270,MWh
b,2020,electricity,95000,kWh
a,2021,electricity,240000,kWh
b,2021,electricity,90000,kWh
"""

METERS = """meter_id,site,carrier,kind,role,unit
R1,a,recovered_heat,interval,main,kWh
S1,a,electricity,interval,sub,kWh
"""

READINGS = """meter_id,timestamp,value
R1,2019-06-01 00:00,20000
R1,2021-06-01 00:00,60000
S1,2021-06-01 00:00,5000
"""

FOOD = """dato;lokasjon;kategori;mengde;enhet
15.01.2019;a;produksjon;500;kg
15.01.2019;a;tallerken;250000;g
10.02.2019;a;servering;0,25;tonn
05.03.2019;b;plate;200;kg
10.01.2020;a;production;450;kg
10.02.2020;a;serving;300;kg
10.03.2020;b;plate;150;kg
15.01.2021;a;production;400;kg
20.01.2021;a;plate;150000;g
05.03.2021;a;serving;0,1;t
"""

OPERATIONS = """år;lokasjon;liggedøgn;måltider
2019;a;1000;3000
2019;b;500;1000
2020;a;1100;3300
2020;b;400;1200
2021;a;1200;3600
2021;b;300;900
"""

PRODUCTS = """year,product_id,quantity,description,spend,contains_listed_substance,cas_numbers
2019,P1,10,Hansker nitril,1000,nei,
2019,P1,5,Hansker nitril,500,nei,
2019,P2,1,Slange PVC,300,ja,
2019,P3,2,Rengjøring,200,nei,"7732-18-5;117-81-7"
2019,P4,1,Papir,500,nei,7732-18-5
2021,P1,10,Hansker nitril,1000,nei,
2021,P1,10,Hansker nitril,1000,nei,
2021,P2,1,Slange PVC,300,ja,
2021,P4,1,Papir,500,nei,7732-18-5
2021,P5,3,Desinfeksjon,200,nei,64-17-5
"""


def _temperatures() -> str:
    rows = ["date,site,mean_temperature"]

    def year(y, cold_days, cold, total_days):
        for i, d in enumerate(pd.date_range(f"{y}-01-01", periods=total_days, freq="D")):
            rows.append(f"{d.date()},a,{cold if i < cold_days else 20.0}")

    year(2019, 200, 2.0, 365)
    year(2020, 200, 1.0, 340)
    year(2021, 200, 7.0, 365)
    return "\n".join(rows) + "\n"


def make_project(root: Path, extra_config: str = "") -> Path:
    write(root / "klimaregnskap.toml", BASE_CONFIG + extra_config)
    write(root / "factors" / "own.csv", FACTORS)
    write(root / "inputs" / "activity.csv", ACTIVITY)
    write(root / "inputs" / "meters.csv", METERS)
    write(root / "inputs" / "readings.csv", READINGS)
    write(root / "inputs" / "food.csv", FOOD)
    write(root / "inputs" / "operations.csv", OPERATIONS)
    write(root / "inputs" / "products.csv", PRODUCTS)
    (root / "inputs" / "temperatures.csv").write_text(_temperatures(), encoding="utf-8")
    return root


def accounts_for(root: Path, year: int = 2021):
    cfg = load_config(root)
    lib = fl.load_library(root)
    con = ledger.connect(root)
    try:
        outcome = importing.load_files(con, importing.input_files(root), cfg, lib)
        assert not outcome.errors, outcome.errors
        acc = build_accounts(con, cfg, lib, year)
    finally:
        con.close()
    return acc, build_summary(acc)


@pytest.fixture(scope="module")
def goals(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("goals"))
    return accounts_for(root)


# ----------------------------------------------------------------------------- food waste

def test_food_waste_indicator_exact_fields(goals):
    acc, summ = goals
    fw = summ["indicators"]["food_waste"]
    assert fw["unit"] == "kg"
    assert fw["value"] == pytest.approx(650.0)
    assert fw["baseline"] == pytest.approx(1200.0)
    assert fw["change_pct"] == pytest.approx((650 - 1200) / 1200 * 100)
    assert fw["target_year"] == 2030
    assert fw["target_value"] == pytest.approx(600.0)
    assert fw["path_value"] == pytest.approx(1200 - 600 * 2 / 11)
    # 650 kg is under the path, but both sites registered food waste in 2020 and 2021
    # misses months: a registered January and March 2021 only, b nothing (DESIGN §4)
    assert fw["status"] == "incomplete" and fw["complete"] is False
    assert [(r["code"], r["message"][:1]) for r in fw["incomplete_reasons"]] == [
        ("food_waste_month_missing", "a"), ("food_waste_month_missing", "b")]
    assert "month(s) 2, 4–12" in fw["incomplete_reasons"][0]["message"]
    assert "month(s) 1–12" in fw["incomplete_reasons"][1]["message"]
    # least squares over 1200, 900, 650: slope -275 kg/yr -> 2030 below 0 -> 0
    assert fw["projected_target_year_value"] == 0.0
    assert fw["required_annual_change_pct"] == pytest.approx(((600 / 650) ** (1 / 9) - 1) * 100)
    s = acc.series_of("food_waste")
    assert list(s.loc[2019:2021]) == pytest.approx([1200.0, 900.0, 650.0])


def test_food_waste_by_site_category_and_intensities(goals):
    acc, summ = goals
    f = acc.food
    by = f[f["year"] == 2019].groupby(["site", "category"])["quantity_kg"].sum()
    assert by[("a", "production")] == pytest.approx(500.0)
    assert by[("a", "plate")] == pytest.approx(250.0)
    assert by[("a", "serving")] == pytest.approx(250.0)
    assert by[("b", "plate")] == pytest.approx(200.0)
    fw = summ["indicators"]["food_waste"]
    assert fw["kg_per_patient_day"] == pytest.approx(650 / 1500)
    assert fw["g_per_meal_served"] == pytest.approx(650_000 / 4500)
    a = summ["sites"]["a"]
    assert a["food_waste_kg"] == pytest.approx(650.0)
    assert a["food_waste_kg_per_patient_day"] == pytest.approx(650 / 1200)
    st = acc.site_table.set_index(["year", "site"])
    assert st.loc[(2021, "a"), "food_waste_g_per_meal_served"] == pytest.approx(650_000 / 3600)
    # site b registered in 2020 but not in 2021: no figure, not a zero
    assert np.isnan(st.loc[(2021, "b"), "food_waste_kg"])


def test_food_waste_gap_is_a_warning(goals):
    acc, summ = goals
    codes = {(w.code, w.site, w.year) for w in acc.warnings}
    assert ("missing_food_waste_site", "b", 2021) in codes
    # site a: February registered in 2020, not in 2021
    assert ("missing_food_waste_month", "a", 2021) in codes
    msgs = [w["message"] for w in summ["data_quality"]["warnings"]
            if w["code"] == "missing_food_waste_site"]
    assert any("b" in m and "2021" in m for m in msgs)


# ----------------------------------------------------------------------------- products

def test_chemical_free_share(goals):
    acc, summ = goals
    c = summ["indicators"]["chemical_free_share"]
    # 2019: P1 (two lines, once), P4 free of 4 products -> 50 %; 2021: P1, P4, P5 of 4 -> 75 %
    assert c["unit"] == "%"
    assert c["baseline"] == pytest.approx(50.0) and c["value"] == pytest.approx(75.0)
    assert c["change_pct"] == pytest.approx(50.0)      # relative change
    assert c["change_points"] == pytest.approx(25.0)
    assert c["target_value"] == 75.0 and c["target_year"] == 2030
    assert c["status"] == "achieved"
    # spend: 2019 free 1500 + 500 of 2500 = 80 %; 2021 free 2000 + 500 + 200 of 3000 = 90 %
    assert c["spend_weighted_baseline"] == pytest.approx(80.0)
    assert c["spend_weighted_value"] == pytest.approx(90.0)
    assert c["projected_target_year_value"] == 100.0   # trend +12.5 pt/yr, capped at 100 %


def test_products_not_free_with_reason(goals):
    acc, _ = goals
    nf = acc.products_not_free.set_index(["year", "product_id"])
    assert set(nf.index) == {(2019, "P2"), (2019, "P3"), (2021, "P2")}
    assert nf.loc[(2019, "P2"), "reason"] == "flagged"
    assert nf.loc[(2019, "P3"), "reason"].startswith("listed: 117-81-7")


# ----------------------------------------------------------------------------- recovered

def test_recovered_heat_share(goals):
    acc, summ = goals
    r = summ["indicators"]["recovered_heat_share"]
    assert r["unit"] == "%"
    assert r["value"] == pytest.approx(60_000 / 390_000 * 100)
    assert r["baseline"] == pytest.approx(20_000 / 420_000 * 100)
    assert r["direction"] == "increase"
    # R1 gives one reading a year: its coverage in 2019 and 2021 is far below 99 %
    assert r["status"] == "incomplete" and r["complete"] is False
    assert {(x["code"], "R1" in x["message"]) for x in r["incomplete_reasons"]} == {
        ("meter_coverage", True)}
    assert [int(x["message"].split(")")[1][:5]) for x in r["incomplete_reasons"]] == [2021, 2019]
    assert r["change_points"] == pytest.approx((60 / 390 - 20 / 420) * 100)
    s = acc.series_of("recovered_heat_share")
    assert s[2020] == 0.0  # delivered energy but nothing recovered that year
    # trend over 4.7619, 0, 15.3846: slope = (15.3846 - 4.7619) / 2
    assert r["trend_points_per_year"] == pytest.approx((60 / 390 - 20 / 420) * 100 / 2)
    assert summ["recovered_energy_kwh"]["recovered_heat"] == pytest.approx(60_000.0)
    st = acc.site_table.set_index(["year", "site"])
    assert st.loc[(2021, "a"), "recovered_heat_share_pct"] == pytest.approx(20.0)
    assert st.loc[(2021, "b"), "recovered_heat_share_pct"] == 0.0
    assert st.loc[(2019, "a"), "recovered_heat_share_pct"] == pytest.approx(20 / 320 * 100)


# ----------------------------------------------------------------------------- energy

def test_energy_excludes_sub_meters_and_recovered(goals):
    acc, summ = goals
    assert list(acc.series_of("energy").loc[2019:2021]) == pytest.approx([400_000, 365_000, 330_000])
    assert summ["energy_by_carrier_kwh"] == pytest.approx({"electricity": 330_000.0})
    assert summ["sites"]["a"]["energy_kwh"] == pytest.approx(240_000.0)


def test_intensities_per_site_and_trust(goals):
    acc, summ = goals
    ind = summ["indicators"]
    assert ind["energy"]["kwh_per_m2"] == pytest.approx(330_000 / 1600)
    assert ind["emissions"]["kgco2e_per_patient_day"] == pytest.approx(33_000 / 1500)
    a, b = summ["sites"]["a"], summ["sites"]["b"]
    assert a["energy_kwh_per_m2"] == pytest.approx(240.0)
    assert b["area_m2"] == 600 and b["energy_kwh_per_m2"] == pytest.approx(150.0)
    assert a["emissions_kgco2e_per_patient_day"] == pytest.approx(20.0)
    assert b["emissions_kgco2e_per_patient_day"] == pytest.approx(30.0)
    t = acc.intensities.set_index("year")
    assert t.loc[2019, "energy_kwh_per_m2"] == pytest.approx(400_000 / 1500)
    assert t.loc[2020, "emissions_kgco2e_per_patient_day"] == pytest.approx(36_500 / 1500)
    assert t.loc[2020, "food_waste_kg_per_patient_day"] == pytest.approx(900 / 1500)
    st = acc.site_table.set_index(["year", "site"])
    assert st.loc[(2019, "b"), "energy_kwh_per_m2"] == pytest.approx(200.0)   # 500 m2 in 2019


def test_weather_normalised_energy_by_hand(goals):
    acc, summ = goals
    n = acc.normalised.set_index(["year", "site"])
    # a 2021: 240 000 x 0.5 + 240 000 x 0.5 x 4000 / 2000 = 360 000
    assert n.loc[(2021, "a"), "hdd_actual"] == pytest.approx(2000.0)
    assert n.loc[(2021, "a"), "energy_normalised_kwh"] == pytest.approx(360_000.0)
    # a 2019: 150 000 + 150 000 x 4000 / 3000 = 350 000; 2020: 135 000 + 135 000 x 4000 / 3200
    assert n.loc[(2019, "a"), "energy_normalised_kwh"] == pytest.approx(350_000.0)
    assert n.loc[(2020, "a"), "energy_normalised_kwh"] == pytest.approx(303_750.0)
    # b has no hdd_normal: measured energy
    assert n.loc[(2021, "b"), "energy_normalised_kwh"] == pytest.approx(90_000.0)
    e = summ["indicators"]["energy_normalised"]
    assert e["unit"] == "kWh"
    assert e["value"] == pytest.approx(450_000.0) and e["baseline"] == pytest.approx(450_000.0)
    assert e["change_pct"] == pytest.approx(0.0)
    assert e["target_value"] == pytest.approx(360_000.0)
    assert e["path_value"] == pytest.approx(450_000 - 90_000 * 2 / 11)
    assert e["status"] == "off_track"
    assert e["required_annual_change_pct"] == pytest.approx((0.8 ** (1 / 9) - 1) * 100)
    assert set(e) >= set(summ["indicators"]["energy"]) - {"kwh_per_m2"}
    # the energy indicator stays on measured energy
    en = summ["indicators"]["energy"]
    assert en["value"] == pytest.approx(330_000.0) and en["status"] == "on_track"
    assert summ["sites"]["a"]["energy_normalised_kwh"] == pytest.approx(360_000.0)


def test_missing_temperature_days_flagged(goals):
    acc, summ = goals
    w = [x for x in acc.warnings if x.code.startswith("temperature_")]
    assert [(x.code, x.site, x.year, x.get("missing_days")) for x in w] == [
        ("temperature_year_incomplete", "a", 2020, 26)]
    assert "340 of 366" in w[0].message
    assert any(x["code"] == "temperature_year_incomplete" for x in summ["data_quality"]["warnings"])


def test_no_normalised_indicator_without_temperatures(project):
    write(project / "factors" / "own.csv", FACTORS)
    write(project / "inputs" / "activity.csv", ACTIVITY)
    acc, summ = accounts_for(project)
    assert "energy_normalised" not in summ["indicators"]
    assert not [w for w in acc.warnings if w.code.startswith("temperature_")]


# ----------------------------------------------------------------------------- emissions

def test_emissions_by_scope_every_method_and_site_basis(goals):
    acc, summ = goals
    by = summ["emissions_by_scope"]
    assert set(by) == {"location", "market", "european_mix", "residual_test"}
    assert by["location"] == pytest.approx({"1": 0.0, "2": 33.0, "3": 0.0})
    assert by["market"]["2"] == pytest.approx(132.0)
    assert by["residual_test"]["2"] == pytest.approx(3.3)
    assert summ["indicators"]["emissions"]["value"] == pytest.approx(33.0)
    assert sum(s["emissions_tco2e"] for s in summ["sites"].values()) == pytest.approx(33.0)


def test_site_figures_follow_the_configured_method(tmp_path):
    root = make_project(tmp_path)
    cfg = root / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text().replace('electricity_method = "location"',
                                           'electricity_method = "market"'))
    acc, summ = accounts_for(root)
    assert summ["indicators"]["emissions"]["value"] == pytest.approx(132.0)
    assert summ["sites"]["a"]["emissions_tco2e"] == pytest.approx(96.0)
    assert summ["sites"]["b"]["emissions_tco2e"] == pytest.approx(36.0)


# ----------------------------------------------------------------------------- adjustments

def test_baseline_adjustment_in_summary(tmp_path):
    root = make_project(tmp_path, '\n[[baseline_adjustments]]\nindicator = "energy"\n'
                                  'amount = "50 MWh"\nyear = 2021\n'
                                  'reason = "Site C taken over from Nabo HF"\n')
    acc, summ = accounts_for(root)
    en = summ["indicators"]["energy"]
    assert en["baseline"] == pytest.approx(450_000.0)
    assert en["baseline_unadjusted"] == pytest.approx(400_000.0)
    assert en["target_value"] == pytest.approx(360_000.0)
    assert en["path_value"] == pytest.approx(450_000 - 90_000 * 2 / 11)
    assert en["change_pct"] == pytest.approx((330_000 - 450_000) / 450_000 * 100)
    # 2020 restated too, 2021 not
    s = acc.series_of("energy")
    assert s[2020] == pytest.approx(415_000.0) and s[2021] == pytest.approx(330_000.0)
    assert acc.series_of("energy", adjusted=False)[2019] == pytest.approx(400_000.0)
    # the weather-normalised series compares like with like as well
    assert summ["indicators"]["energy_normalised"]["baseline"] == pytest.approx(500_000.0)
    assert summ["indicators"]["energy_normalised"]["baseline_unadjusted"] == pytest.approx(450_000.0)
    adj = summ["baseline_adjustments"]
    assert adj == [{"indicator": "energy", "amount": pytest.approx(50_000.0), "unit": "kWh",
                    "amount_as_written": "50 MWh", "year": 2021,
                    "reason": "Site C taken over from Nabo HF"}]
    # intensities stay on measured values
    assert acc.intensities.set_index("year").loc[2019, "energy_kwh_per_m2"] == pytest.approx(
        400_000 / 1500)
    assert "baseline_unadjusted" not in summ["indicators"]["emissions"]


def test_adjustment_changes_status_in_summary(tmp_path):
    # food waste 2019 1200 -> 2021 650 kg is on track; a negative adjustment of 600 kg
    # (a kitchen closed in 2021) restates 2019 to 600: path 600 - 300 x 2/11 = 545.45 -> off track
    root = make_project(tmp_path, '\n[[baseline_adjustments]]\nindicator = "food_waste"\n'
                                  'amount = "-0.6 t"\nyear = 2021\nreason = "Kitchen closed"\n')
    # without the 2020 registrations, 2021 is not judged against 2020: complete (DESIGN §4)
    write(root / "inputs" / "food.csv", "\n".join(l for l in FOOD.splitlines()
                                                  if ".2020;" not in l) + "\n")
    _, summ = accounts_for(root)
    fw = summ["indicators"]["food_waste"]
    assert fw["baseline"] == pytest.approx(600.0) and fw["baseline_unadjusted"] == pytest.approx(1200.0)
    assert fw["path_value"] == pytest.approx(600 - 300 * 2 / 11)
    assert fw["complete"] is True and fw["status"] == "off_track"


# ----------------------------------------------------------------------------- area

def test_area_missing_is_reported(tmp_path):
    root = make_project(tmp_path)
    cfg = root / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text().replace("area_m2 = { 2019 = 500, 2021 = 600 }",
                                           "area_m2 = { 2021 = 600 }"))
    acc, summ = accounts_for(root)
    from klimaregnskap.calc.indicators import area_problems
    probs = area_problems(acc.config, acc.years)
    assert len(probs) == 1 and "'b'" in probs[0] and "2019-2020" in probs[0]
    assert [w.site for w in acc.warnings if w.code == "area_missing"] == ["b"]
    t = acc.intensities.set_index("year")
    assert np.isnan(t.loc[2020, "energy_kwh_per_m2"])
    assert t.loc[2021, "energy_kwh_per_m2"] == pytest.approx(330_000 / 1600)


# ----------------------------------------------------------------------------- invariants

@settings(max_examples=25, deadline=None)
@given(site_values=st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(2019, 2021),
                                      st.sampled_from([1, 2, 3]), st.floats(0, 1e4)),
                            min_size=1, max_size=30))
def test_site_and_scope_totals_add_up(site_values):
    from klimaregnskap.pipeline import sum_by
    lines = pd.DataFrame(site_values, columns=["site", "year", "scope", "emissions_tco2e"])
    lines["method"] = "location"
    by_scope = sum_by(lines, ["year", "method", "scope"], "emissions_tco2e")
    by_site = lines.groupby(["year", "site"])["emissions_tco2e"].sum()
    total = lines.groupby("year")["emissions_tco2e"].sum()
    for y, v in total.items():
        assert by_scope.loc[by_scope["year"] == y, "emissions_tco2e"].sum() == pytest.approx(v)
        assert by_site.loc[y].sum() == pytest.approx(v)


# ----------------------------------------------------------------------------- the demo

@pytest.fixture(scope="module")
def demo(demo_copy):
    return demo_copy


def test_demo_status_shows_all_five_goals(demo, cli):
    res = cli("status", "--year", "2025", "--project", demo, "--lang", "en")
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # the goals by their names (vocabulary/indicators.csv), not their codes (issue 13, 9)
    for name in ("Greenhouse-gas emissions (scope 1 and 2)", "Climate neutrality (net zero)",
                 "Energy use (delivered energy)", "Share of recovered energy", "Food waste",
                 "Share of products free of harmful substances"):
        assert name in text, name
    cfg = load_config(demo)
    lib = fl.load_library(demo)
    con = ledger.connect(demo)
    try:
        acc = build_accounts(con, cfg, lib, 2025)
    finally:
        con.close()
    for name in ("emissions", "climate_neutral", "energy", "energy_normalised",
                 "recovered_heat_share", "food_waste", "chemical_free_share"):
        assert acc.indicators[name]["status"] in ("on_track", "off_track", "achieved"), name
    # the demo's sums: sites add up to the trust, every year has food waste and products
    st_ = acc.site_table
    s25 = st_[st_["year"] == 2025]
    assert s25["emissions_tco2e"].sum() == pytest.approx(acc.indicators["emissions"]["value"])
    assert s25["energy_kwh"].sum() == pytest.approx(acc.indicators["energy"]["value"])
    assert acc.series_of("food_waste").notna().all()
    assert acc.series_of("chemical_free_share").notna().all()


def test_product_with_invalid_cas_is_refused(project):
    # 117-81-8: the check digit of DEHP is 7
    bad = write(project / "inputs" / "products.csv",
                "year,product_id,quantity,cas_numbers\n"
                "2021,P1,1,64-17-5\n"
                '2021,P2,1,"7732-18-5;117-81-8"\n')
    cfg = load_config(project)
    lib = fl.load_library(project)
    con = ledger.connect(project)
    try:
        outcome = importing.load_files(con, [bad], cfg, lib)
        assert ledger.current(con, "products").empty
    finally:
        con.close()
    assert len(outcome.errors) == 1
    msg = str(outcome.errors[0][1])
    assert "products.csv" in msg and "row 3" in msg and "117-81-8" in msg and "cas_numbers" in msg
