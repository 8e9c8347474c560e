"""The measures charts draw what the accounts say: wedges stack from BAU down to the
'with planned measures' value, ideas are never drawn, the cost curve's bars are the
measures' tonnes a year and costs per tonne (DESIGN §4 "Measures")."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import build, write

from klimaregnskap.calc import measures as m
from klimaregnskap.report.charts import chart_specs, mac_spec, wedge_spec
from klimaregnskap.summary import report_data

MEASURES = """id;navn;indikator;effekt;startår;full_effekt_år;status;energibærer;investering;levetid;årlig_kostnadsendring
E1;LED;energi;-10 %;2022;2023;vedtatt;elektrisitet;100 000;10;
E2;Gass;utslipp;-1 tCO2e;2021;2022;planlagt;;;;5 000
E3;Desfluran;utslipp;-2 tCO2e;2020;;gjennomført;;0;;-10 000
E4;Idé;utslipp;-5 tCO2e;2023;;idé;;1 000;1;
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    from conftest import BASE_CONFIG, OWN_ACTIVITY, OWN_FACTORS

    root = tmp_path_factory.mktemp("measures_charts")
    write(root / "klimaregnskap.toml", BASE_CONFIG)
    write(root / "factors" / "own.csv", OWN_FACTORS)
    write(root / "inputs" / "activity.csv", OWN_ACTIVITY)
    write(root / "inputs" / "tiltak.csv", MEASURES)
    return report_data(build(root, 2021), language="en")


def test_wedges_stack_from_bau_to_with_planned(data):
    spec = wedge_spec(data, "emissions")
    w = spec.frames["wedges"]
    ind = data.summary["indicators"]["emissions"]
    end = w[w["year"] == 2030]
    # the wedges span BAU (8.1 t) down to with planned (7.05 t) in 2030
    assert end["ymax"].max() == pytest.approx(ind["bau_target_year_value"])
    assert end["ymin"].min() == pytest.approx(ind["with_planned_measures_target_year_value"])
    labels = set(w["measure"].astype(str))
    assert not any("Idé" in x for x in labels), "ideas are not drawn"
    assert not any("Desfluran" in x for x in labels), "nothing new after the report year"
    # the decided LED (via its carrier) is solid, the planned gas measure lighter
    alphas = spec.params["alphas"]
    assert alphas[next(x for x in labels if x.startswith("LED"))] > alphas[
        next(x for x in labels if x.startswith("Gass"))]
    # the gap of -0.45 t is met: no band, the words say so
    assert spec.frames["gap"].empty
    assert "met" in spec.frames["annotation"]["text"].iloc[0]


def test_energy_gap_band_and_annotation(data):
    spec = wedge_spec(data, "energy")
    assert not spec.frames["gap"].empty
    assert "3,000" in spec.frames["annotation"]["text"].iloc[0]


def test_cost_curve_bars(data):
    spec = mac_spec(data)
    bars = spec.frames["bars"]
    # ideas are left out; sorted by cost per tonne; width = tCO2e a year
    assert list(bars["id"]) == ["E3", "E2", "E1"]
    assert (bars["xmax"] - bars["xmin"]).tolist() == pytest.approx([2.0, 1.0, 0.55])
    assert bars["cost"].tolist() == pytest.approx([-5_000, 5_000, 100_000 * 0.1232909 / 0.55],
                                                  rel=1e-6)
    names = {s.name for s in chart_specs(data)[0]}
    assert {"measures_emissions", "measures_climate_neutral", "measures_energy",
            "measures_cost_curve"} <= names


@given(f=st.floats(-1e6, 1e6, allow_nan=False), start=st.integers(2015, 2035),
       ramp_years=st.integers(0, 6), report=st.integers(2015, 2035))
def test_ramp_properties(f, start, ramp_years, report):
    """The ramp never exceeds the full effect, starts at 0 before start_year, reaches F at
    full_effect_year; nothing up to the report year is added beyond it."""
    years = np.arange(2010, 2046)
    e = m.ramp(f, start, start + ramp_years, years)
    assert np.all(np.abs(e) <= abs(f) + 1e-9)
    assert np.all(e[years < start] == 0)
    assert np.allclose(e[years >= start + ramp_years], f)
    b = m.beyond_report_year(e, years, report)
    assert np.all(b[years <= report] == 0)
    assert np.allclose(b[years > report] + e[years == report][0], e[years > report])
