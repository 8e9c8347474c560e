"""Issue 14 part 3 end to end: reporting categories, scope 3 categories, the footprint
indicator and the disclosures, hand-computed, through the real ledger.

The small project (sites a and b of tests/conftest.py, location method, report year 2021):

Own factors (kg CO2e per unit; rail's factor row says scope 3 category 4,
the activity table says 6: the factor row wins, DESIGN §4):
    electricity 0.1 /kWh (location), 0.4 /kWh (market); fuel_oil 2.5 /L;
    flight_domestic 0.2 /pkm; rail 0.01 /pkm (category 4); vehicle:diesel 2.6 /L;
    R-134a by the shipped GWP table, AR5 1300 kg CO2e/kg.

2019 (baseline):
    electricity 100 000 kWh x 0.1   = 10.0 t  scope 2  energy
    fuel_oil      1 000 L   x 2.5   =  2.5 t  scope 1  energy
    flights      10 000 pkm x 0.2   =  2.0 t  scope 3  staff_travel   cat 6
    total 14.5 t (location); market: 40.0 + 2.5 + 2.0 = 44.5 t
2021:
    electricity 200 000 kWh x 0.1   = 20.0 t  scope 2  energy         (market 80.0 t)
    fuel_oil        400 L   x 2.5   =  1.0 t  scope 1  energy
    flights       5 000 pkm x 0.2   =  1.0 t  scope 3  staff_travel   cat 6
    rail         20 000 pkm x 0.01  =  0.2 t  scope 3  staff_travel   cat 4 (factor row)
    vehicle:diesel 1 000 L  x 2.6   =  2.6 t  scope 1  patient_transport (the row's
                                               'Pasienttransport'; the table says own_vehicles)
    R-134a            1 kg  x 1300  =  1.3 t  scope 1  gases
    scope 1 = 1.0 + 2.6 + 1.3 = 4.9; scope 2 = 20.0; scope 3 = 1.2; total 26.1 t
    categories: energy 21.0, patient_transport 2.6, staff_travel 1.2, gases 1.3,
                own_vehicles 0, waste 0, purchases 0 -> 26.1 t
    scope 3 categories: {"4": 0.2, "6": 1.0}
Footprint (scopes 1+2+3, location): 2019 14.5, 2020 none, 2021 26.1;
    change (26.1 - 14.5) / 14.5 = +80 %;
    trend through (2019, 14.5) and (2021, 26.1): 5.8 t a year -> 2030: 26.1 + 9 x 5.8 = 78.3.
"""

from __future__ import annotations

import pandas as pd
import pytest

from klimaregnskap import pipeline
from klimaregnskap.report.charts import chart_specs
from klimaregnskap.summary import build_summary, report_data

from conftest import BASE_CONFIG, build, write

FACTORS = """activity,year,value,unit,scope,method,source,scope3_category
electricity,2019,100,gCO2e/kWh,2,location,test location,
electricity,2019,400,gCO2e/kWh,2,market,test market,
fuel_oil,2019,2.5,kgCO2e/L,1,,test fuel oil,
fuel_oil,2019,10,kWh/L,,,test fuel oil energy,
flight_domestic,2019,0.2,kgCO2e/pkm,3,,test flights,
rail,2019,0.01,kgCO2e/pkm,3,,test rail counted as upstream transport,4
vehicle:diesel,2019,2.6,kgCO2e/L,1,,test diesel,
"""

ACTIVITY = """site,period,activity,quantity,unit,category
a,2019,electricity,100000,kWh,
a,2019,fuel_oil,1000,L,
b,2019,flight_domestic,10000,pkm,
a,2021,electricity,200000,kWh,
a,2021,fuel_oil,400,L,
b,2021,flight_domestic,5000,pkm,
b,2021,rail,20000,pkm,
a,2021,vehicle:diesel,1000,L,Pasienttransport
a,2021,refrigerant:R-134a,1,kg,
"""

TARGET = """
[targets.footprint]
year = 2030
level = -50
"""


def _project(tmp_path, config=BASE_CONFIG):
    write(tmp_path / "klimaregnskap.toml", config)
    write(tmp_path / "factors" / "own.csv", FACTORS)
    write(tmp_path / "inputs" / "activity.csv", ACTIVITY)
    return tmp_path


@pytest.fixture
def accounts(tmp_path):
    return build(_project(tmp_path), 2021)


def test_every_line_has_its_categories(accounts):
    b = accounts.basis_lines
    b21 = b[b["year"] == 2021].set_index("activity")
    assert b21.loc["vehicle:diesel", "reporting_category"] == "patient_transport"
    assert b21.loc["rail", "reporting_category"] == "staff_travel"
    assert int(b21.loc["rail", "scope3_category"]) == 4        # the factor row's, not 6
    assert int(b21.loc["flight_domestic", "scope3_category"]) == 6
    assert pd.isna(b21.loc["electricity", "scope3_category"])  # scope 2: none
    assert b["reporting_category"].notna().all()
    # the auditor's lines carry them too
    c = accounts.calculation_lines
    assert {"reporting_category", "scope3_category"} <= set(c.columns)


def test_summary_category_keys_hand_computed(accounts):
    s = build_summary(accounts)
    cats = s["emissions_by_category"]
    assert list(cats) == ["energy", "patient_transport", "staff_travel", "own_vehicles", "gases",
                          "waste", "purchases"]
    expected = {"energy": 21.0, "patient_transport": 2.6, "staff_travel": 1.2,
                "own_vehicles": 0.0, "gases": 1.3, "waste": 0.0, "purchases": 0.0}
    for k, v in expected.items():
        assert cats[k] == pytest.approx(v, abs=1e-9), k
    assert s["emissions_by_scope3_category"] == pytest.approx({"4": 0.2, "6": 1.0})
    assert list(s["emissions_by_scope3_category"]) == ["4", "6"]
    # the categories add up to scopes 1+2+3 of the configured method
    scopes = s["emissions_by_scope"]["location"]
    assert sum(cats.values()) == pytest.approx(sum(scopes.values())) == pytest.approx(26.1)
    assert sum(s["emissions_by_scope3_category"].values()) == pytest.approx(scopes["3"])


def test_footprint_without_target(accounts):
    f = build_summary(accounts)["indicators"]["footprint"]
    assert f["unit"] == "tCO2e"
    assert f["value"] == pytest.approx(26.1)
    assert f["baseline"] == pytest.approx(14.5)
    assert f["change_pct"] == pytest.approx(80.0)
    assert f["projection_year"] == 2030
    assert f["projected_target_year_value"] == pytest.approx(78.3)
    for key in ("target_year", "target_value", "path_value", "required_annual_change_pct"):
        assert key not in f
    # no purchases rows at all: incomplete, with the reason for both years (DESIGN §4)
    assert f["complete"] is False and f["status"] == "incomplete"
    assert [r["code"] for r in f["incomplete_reasons"]] == ["no_purchases", "no_purchases"]


def test_footprint_no_target_status_when_purchases_exist(tmp_path, monkeypatch):
    # every year has purchases rows (the purchases kind is another part of issue 14)
    monkeypatch.setattr(pipeline, "years_with_purchases", lambda con: {2019, 2020, 2021})
    acc = build(_project(tmp_path), 2021)
    f = build_summary(acc)["indicators"]["footprint"]
    assert f["status"] == "no_target" and f["complete"] is True
    # no trajectory chart without a target; the emissions one stays
    names = {s.name for s in chart_specs(report_data(acc, language="en"))[0]}
    assert "trajectory_footprint" not in names and "trajectory_emissions" in names
    assert "emissions_by_sector_category" in names


def test_footprint_with_a_configured_target(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "years_with_purchases", lambda con: {2019, 2020, 2021})
    acc = build(_project(tmp_path, BASE_CONFIG + TARGET), 2021)
    f = build_summary(acc)["indicators"]["footprint"]
    # target 14.5 x (1 - 0.5) = 7.25 in 2030; path 2021 = 14.5 + (7.25 - 14.5) x 2/11
    assert f["target_year"] == 2030
    assert f["target_value"] == pytest.approx(7.25)
    assert f["path_value"] == pytest.approx(14.5 - 7.25 * 2 / 11)
    assert f["status"] == "off_track"                  # 26.1 above the path
    assert f["required_annual_change_pct"] == pytest.approx(((7.25 / 26.1) ** (1 / 9) - 1) * 100)
    assert f["projected_target_year_value"] == pytest.approx(78.3)
    names = {s.name for s in chart_specs(report_data(acc, language="en"))[0]}
    assert "trajectory_footprint" in names


def test_disclosure_rows_hand_computed(accounts):
    d = accounts.disclosures

    def value(framework, item, **kw):
        sel = d[(d["framework"] == framework) & (d["item"] == item)]
        for k, v in kw.items():
            sel = sel[sel[k] == v]
        assert len(sel) == 1, (framework, item, kw)
        return sel.iloc[0]

    assert value("ESRS", "gross_scope1")["value"] == pytest.approx(4.9)
    assert value("ESRS", "gross_scope2_location")["value"] == pytest.approx(20.0)
    r = value("ESRS", "gross_scope2_market")
    assert r["value"] == pytest.approx(80.0) and r["method"] == "market" and r["gwp"] == "AR5"
    assert value("ESRS", "scope3_category", scope3_category=4)["value"] == pytest.approx(0.2)
    assert value("ESRS", "scope3_category", scope3_category=6)["value"] == pytest.approx(1.0)
    # purchases are not covered, and say why; totals are given but say they lack them
    c1 = value("ESRS", "scope3_category", scope3_category=1)
    assert not c1["covered"] and c1["reason"] == "no_purchases" and pd.isna(c1["value"])
    c7 = value("ESRS", "scope3_category", scope3_category=7)
    assert not c7["covered"] and c7["reason"] == "no_data"
    t_loc = value("ESRS", "total_location")
    assert t_loc["value"] == pytest.approx(26.1) and t_loc["reason"] == "excludes_purchases"
    # market: 4.9 + 80.0 + 1.2
    assert value("ESRS", "total_market")["value"] == pytest.approx(86.1)
    g1 = value("GRI", "gross_scope1")
    assert g1["value"] == pytest.approx(4.9) and g1["reference"] == "305-1"
    assert value("GRI", "gross_scope3")["value"] == pytest.approx(1.2)
    # GRI 302-1: delivered energy 200 000 kWh + fuel oil 400 L x 10 kWh/L = 204 000 kWh
    assert value("GRI", "energy_total")["value"] == pytest.approx(204_000)
    assert value("GRI", "energy_carrier", category="fuel_oil")["value"] == pytest.approx(4_000)
    assert value("sector", "category", category="patient_transport")["value"] == pytest.approx(2.6)
    assert value("sector", "category", category="waste")["reason"] == "no_data"
    assert value("sector", "category_total")["value"] == pytest.approx(26.1)


def test_report_and_workbook_show_categories_and_disclosures(accounts, tmp_path):
    from klimaregnskap.report.document import build_blocks
    from klimaregnskap.report.xlsx import build_workbook

    for lang in ("nb", "en"):
        data = report_data(accounts, language=lang)
        blocks = build_blocks(data, [], [])
        anchors = {b.anchor for b in blocks}
        assert {"categories", "disclosures"} <= anchors
        words = " ".join(b.text for b in blocks)
        assert ("no purchases data" in words) if lang == "en" else ("ingen innkjøpsdata" in words)
        wb = build_workbook(data)
        sheet = "disclosures" if lang == "en" else "rapporteringskrav"
        assert sheet in wb.sheetnames
        rows = list(wb[sheet].iter_rows(values_only=True))
        assert any(r[2] == ("Gross scope 1" if lang == "en" else "Brutto scope 1")
                   and r[3] == pytest.approx(4.9) for r in rows[1:])


def test_explain_footprint_adds_up(accounts):
    from klimaregnskap.explain import explain_figure

    text = explain_figure(accounts, "footprint")
    assert text.startswith("Carbon footprint (scope 1, 2 and 3) 2021: 26.100 tCO2e (scopes 1, 2, 3,")
    assert "scope 1 / patient_transport: 2.600 tCO2e" in text
    assert "scope 3 / staff_travel: 1.200 tCO2e" in text
    assert text.rstrip().endswith("sum of parts: 26.100 tCO2e")
