"""The demo trust's measures (inputs/tiltak.csv) in summary.json, the report and the workbook,
against a hand computation by DESIGN §4 "Measures" (report year 2025)."""

from __future__ import annotations

import json

import openpyxl
import pytest

#: inputs/tiltak.csv, as written
HEAT_PUMPS_KWH = -2_400_000.0      # T02 decided 2026-2027, district heating
LED_KWH = -850_000.0               # T03 implemented 2023-2025: all in the 2025 figures
MONITORING_PCT = -5.0              # T04 planned 2026-2027, % of the energy baseline
RESERVE_KWH = -72_000.0            # T05 planned 2027, diesel
FOOD_KG = -18_000.0                # T06 decided 2025-2027: one third already in 2025
SUBSTITUTION_PP = 5.0              # T07 planned 2026-2028, percentage points
DESFLURANE_T = -151.3              # T01 implemented 2020-2022: all in the actual values
#: the demo's diesel: 2.66155 kgCO2e/L (2025, the last published year) / 10.056 kWh/L
DIESEL_T_PER_KWH = 2.66155 / 10.056 / 1000


@pytest.fixture(scope="module")
def summary(demo_report):
    return json.loads((demo_report("nb") / "summary.json").read_text(encoding="utf-8"))


def test_energy_by_hand(summary):
    """BAU = 2025's value; decided adds the heat pumps; planned adds -5 % of the 2019
    baseline and the reserve power; the LED lighting is already in 2025 (not counted twice)."""
    e = summary["indicators"]["energy"]
    v, base, goal = e["value"], e["baseline"], e["target_value"]
    decided = v + HEAT_PUMPS_KWH
    planned = decided + MONITORING_PCT / 100 * base + RESERVE_KWH
    assert e["bau_target_year_value"] == pytest.approx(v)
    assert e["with_decided_measures_target_year_value"] == pytest.approx(decided)
    assert e["with_planned_measures_target_year_value"] == pytest.approx(planned)
    assert e["gap_after_measures"] == pytest.approx(planned - goal)
    # the energy target still has a gap after the measures (the demo's story)
    assert e["gap_after_measures"] > 0
    # the same kWh apply to the weather-normalised energy
    n = summary["indicators"]["energy_normalised"]
    assert n["with_planned_measures_target_year_value"] == pytest.approx(
        n["value"] + HEAT_PUMPS_KWH + MONITORING_PCT / 100 * base + RESERVE_KWH)


def test_emissions_food_waste_and_share_by_hand(summary):
    ind = summary["indicators"]
    em = ind["emissions"]
    # desflurane and LED are in the actual values; the heat pumps' district heating has
    # a 0 factor; the reserve power's diesel: -72 000 kWh x 2.66155 / 10.056 kg/kWh
    reserve_t = RESERVE_KWH * DIESEL_T_PER_KWH
    assert em["with_decided_measures_target_year_value"] == pytest.approx(em["value"])
    assert em["with_planned_measures_target_year_value"] == pytest.approx(em["value"] + reserve_t)
    assert em["gap_after_measures"] == pytest.approx(em["value"] + reserve_t - em["target_value"])
    cn = ind["climate_neutral"]
    assert cn["gap_after_measures"] == pytest.approx(cn["value"] + reserve_t)
    fw = ind["food_waste"]
    # the ramp 2025-2027: -6 000 kg in 2025 (in the actual value), -12 000 kg more after
    assert fw["with_decided_measures_target_year_value"] == pytest.approx(
        fw["value"] + FOOD_KG * 2 / 3)
    share = ind["chemical_free_share"]
    assert share["with_planned_measures_target_year_value"] == pytest.approx(
        share["value"] + SUBSTITUTION_PP)
    assert share["gap_after_measures"] == pytest.approx(
        share["target_value"] - share["value"] - SUBSTITUTION_PP)
    assert "bau_target_year_value" not in ind["recovered_heat_share"]


def test_measures_list(summary):
    by_id = {m["id"]: m for m in summary["measures"]}
    assert len(by_id) == 8
    assert {m["status"] for m in by_id.values()} == {"idea", "planned", "decided", "implemented"}
    assert by_id["T01"]["effect_target_year"] == pytest.approx(DESFLURANE_T)
    # annual cost change -180 000 NOK / 151.3 t
    assert by_id["T01"]["cost_per_tco2e"] == pytest.approx(-180_000 / 151.3)
    # reserve power: (400 000 x annuity(4 %, 15) + 60 000) / (72 000 kWh x diesel t/kWh)
    a = 0.04 / (1 - 1.04 ** -15)
    assert by_id["T05"]["cost_per_tco2e"] == pytest.approx(
        (400_000 * a + 60_000) / (72_000 * DIESEL_T_PER_KWH))
    assert by_id["T04"]["effect_target_year"] == pytest.approx(
        MONITORING_PCT / 100 * summary["indicators"]["energy"]["baseline"])
    assert by_id["T08"]["status"] == "idea"


@pytest.mark.parametrize("lang, words", [
    ("nb", ("Tiltak", "Gap etter tiltak", "Med vedtatte tiltak når vi", "gapet er",
            "Tiltakskostnadskurve")),
    ("en", ("Measures", "Gap after measures", "With decided measures we reach", "the gap is")),
])
def test_report_section_charts_and_sheet(demo_report, lang, words):
    out = demo_report(lang)
    html = (out / "report.html").read_text(encoding="utf-8")
    for w in words:
        assert w in html
    # the wedge charts and the cost curve are embedded
    for name in ("measures_emissions", "measures_energy", "measures_cost_curve"):
        assert f'data-chart="{name}"' in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "charts/measures_energy.png" in md and "charts/measures_cost_curve.png" in md
    wb = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    sheet = "tiltak" if lang == "nb" else "measures"
    assert sheet in wb.sheetnames
    rows = list(wb[sheet].iter_rows(values_only=True))
    assert len(rows) == 1 + 8 and rows[1][0] == "T01"
    # issue 13: indicators and carriers by name in the workbook's language, never as codes
    names = {r[2] for r in rows[1:]} | {r[7] for r in rows[1:] if r[7]}
    assert not names & {"emissions", "energy", "district_heating", "electricity"}
    if lang == "nb":
        assert names & {"Klimagassutslipp (scope 1 og 2)", "Energibruk (levert energi)"}
