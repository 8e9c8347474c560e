"""The rules behind the export's columns (DESIGN §5 ``export``), worked by hand.

* ``electricity.method_lines``: method-dependent lines once per method, the
  others once with ``method`` empty;
* ``targets.year_statuses`` and ``completeness.apply_years``: each year's
  status as that year's own report year.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import completeness, electricity, targets
from klimaregnskap.config import Target
from klimaregnskap.warning import KlimaWarning

EMISSIONS = Target("emissions", "reduction", 2030, -40.0)
RECOVERED = Target("recovered_heat_share", "increase", 2030, None)

# one electricity line (per method its own factor), one fuel-oil line (method-less
# series, the same under every method), one district-heating line whose library
# has a location series only (the other methods fall back to it: still per method)
LINES = pd.DataFrame({
    "activity": ["electricity", "fuel_oil", "district_heating"] * 3,
    "factor_method": ["location", "", "location", "market", "", "", "european_mix", "", ""],
    "method": ["location"] * 3 + ["market"] * 3 + ["european_mix"] * 3,
    "scope": [2, 1, 2] * 3,
    "emissions_tco2e": [1.0, 3.0, 0.5, 4.0, 3.0, 0.7, 2.8, 3.0, 0.7],
})


def test_method_lines_once_or_per_method():
    out = electricity.method_lines(LINES, "market")
    # fuel oil once, method empty; electricity and district heating three times each
    assert sorted(out.loc[out["method"] == "", "activity"]) == ["fuel_oil"]
    assert (out["activity"] == "electricity").sum() == 3
    assert (out["activity"] == "district_heating").sum() == 3
    assert len(out) == 7


@pytest.mark.parametrize("method, total", [("location", 4.5), ("market", 7.7),
                                           ("european_mix", 6.5)])
def test_method_lines_add_up_to_each_method(method, total):
    # location: 1.0 + 3.0 + 0.5 = 4.5; market: 4.0 + 3.0 + 0.7; european_mix: 2.8 + 3.0 + 0.7
    out = electricity.method_lines(LINES, "location")
    mine = out[out["method"].isin(["", method])]
    assert mine["emissions_tco2e"].sum() == pytest.approx(total)


def test_certificate_lines_are_kept_per_method():
    cert = pd.DataFrame({"activity": ["certificate:gjenvinningskraft"] * 2,
                         "factor_method": ["", ""], "method": ["market", "european_mix"],
                         "scope": [2, 2], "emissions_tco2e": [-1.0, -0.5]})
    out = electricity.method_lines(pd.concat([LINES, cert], ignore_index=True), "location")
    c = out[out["activity"].str.startswith("certificate:")]
    assert list(c["method"]) == ["market", "european_mix"]


SERIES = pd.Series({2019: 1000.0, 2020: 900.0, 2021: 990.0, 2022: float("nan"), 2023: 550.0})


def test_year_statuses_by_hand():
    # path 1000 -> 600 in 2030: -400/11 per year; 2020: 963.6 (900 on track),
    # 2021: 927.3 (990 off track), 2022 no value, 2023: 600 reached (550 achieved)
    st_ = targets.year_statuses(SERIES, EMISSIONS, baseline_year=2019, years=range(2019, 2024))
    assert list(st_["status"]) == ["on_track", "on_track", "off_track", "no_data", "achieved"]
    assert st_["path_value"].iloc[1] == pytest.approx(1000 - 400 / 11)
    assert math.isnan(st_["value"].iloc[3])
    assert st_["year"].dtype == "int64"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=1, max_size=8),
       st.sampled_from([EMISSIONS, RECOVERED]))
def test_year_statuses_equal_evaluate_of_each_year(values, target):
    """Each row is what evaluate() gives with that year as the report year."""
    years = list(range(2019, 2019 + len(values)))
    s = pd.Series([float("nan") if v is None else v for v in values], index=years,
                  dtype="float64")
    rows = targets.year_statuses(s, target, baseline_year=2019, years=years)
    for r in rows.itertuples(index=False):
        ev = targets.evaluate(s, target, baseline_year=2019, report_year=r.year, unit="tCO2e")
        assert r.status == ev["status"]
        assert (ev["path_value"] is None and math.isnan(r.path_value)) or \
            r.path_value == ev["path_value"]


def test_apply_years_marks_the_year_and_the_baseline():
    st_ = pd.DataFrame({"year": [2019, 2020, 2021], "status": ["on_track"] * 3})
    gap = [KlimaWarning("no_products", year=2021)]
    out = completeness.apply_years(st_, {2019: [], 2020: [], 2021: gap}, 2019)
    assert list(out["complete"]) == [True, True, False]
    assert list(out["status"]) == ["on_track", "on_track", "incomplete"]
    # an incomplete baseline makes every year's status incomplete; complete stays per year
    out = completeness.apply_years(st_, {2019: gap, 2020: [], 2021: []}, 2019)
    assert list(out["complete"]) == [False, True, True]
    assert set(out["status"]) == {"incomplete"}


def test_line_categories_from_the_activity_table():
    from klimaregnskap.calc import accounting, factors as fl

    lib = fl.shipped_library()
    lines = pd.DataFrame({"activity": ["electricity", "waste:food", "rail", "vehicle:diesel",
                                       "no_such_activity"],
                          "scope": pd.array([2, 3, 3, 1, 3], dtype="Int64")})
    out = accounting.line_categories(lines, lib)
    # an activity neither the table nor a prefix places is kept apart as 'other'
    assert list(out["reporting_category"]) == ["energy", "waste", "staff_travel",
                                               "own_vehicles", "other"]
    # GHG Protocol: 5 waste generated in operations, 6 business travel; none on scopes 1-2
    assert out["scope3_category"].tolist() == [pd.NA, 5, 6, pd.NA, pd.NA]
