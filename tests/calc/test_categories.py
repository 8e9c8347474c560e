"""Reporting categories and GHG Protocol scope 3 categories of emission lines (DESIGN §4),
and the disclosure table over hand-made sums.

Precedence, worked by hand with the shipped activity table:

* reporting category: the row's own ``category`` > the activity table > the
  activity's prefix (``spend:`` purchases, ``certificate:`` energy, gases) or
  scope 2 (energy) > ``other``; a spend line is always ``purchases``;
* scope 3 category (scope 3 lines only): the factor row's ``scope3_category``
  > the activity table's > 1 for a spend line.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import accounting, disclosures, factors as fl
from klimaregnskap.calc.accounting import REPORTING_CATEGORIES

LIB = fl.shipped_library()


def test_row_category_wins_over_the_table_and_spend_is_always_purchases():
    lines = pd.DataFrame({
        "activity": ["vehicle:diesel", "vehicle:diesel", "spend:pharmaceuticals", "taxi"],
        "scope": pd.array([1, 1, 3, 3], dtype="Int64"),
        # an ambulance is an own vehicle counted as patient transport (DESIGN §3)
        "row_category": ["patient_transport", "", "energy", "patient_transport"],
        "factor_scope3_category": pd.array([pd.NA] * 4, dtype="Int64")})
    out = accounting.line_categories(lines, LIB)
    assert list(out["reporting_category"]) == ["patient_transport", "own_vehicles", "purchases",
                                               "patient_transport"]
    # spend: the table's 1; taxi (staff travel in the table): 6, whatever the row says
    assert out["scope3_category"].tolist() == [pd.NA, pd.NA, 1, 6]


def test_factor_row_scope3_category_wins_over_the_activity_table():
    lines = pd.DataFrame({
        "activity": ["rail", "rail", "spend:medical_equipment", "spend:own_new_thing"],
        "scope": pd.array([3, 3, 3, 3], dtype="Int64"),
        "factor_scope3_category": pd.array([4, pd.NA, pd.NA, pd.NA], dtype="Int64")})
    out = accounting.line_categories(lines, LIB)
    # 4 from the factor row; the table's 6; the table's 2 (capital goods);
    # a spend activity the table lacks: 1 (purchased goods and services)
    assert out["scope3_category"].tolist() == [4, 6, 2, 1]
    assert list(out["reporting_category"]) == ["staff_travel", "staff_travel", "purchases",
                                               "purchases"]


def test_resolve_carries_the_factor_rows_scope3_category():
    f = LIB.factors.copy()
    f["scope3_category"] = f["scope3_category"].astype("Int64")
    f.loc[f["activity"] == "rail", "scope3_category"] = 4
    lib = dataclasses.replace(LIB, factors=f, _series=None)
    got = fl.resolve(lib, pd.DataFrame({"activity": ["rail", "flight_domestic"],
                                        "year": [2024, 2024]}))
    assert got["factor_scope3_category"].tolist() == [4, pd.NA]
    gas = fl.resolve(lib, pd.DataFrame({"activity": ["refrigerant:R-134a"], "year": [2024]}))
    assert gas["factor_scope3_category"].isna().all()


def test_unknown_activities_are_placed_by_prefix_or_scope():
    lines = pd.DataFrame({
        "activity": ["certificate:gjenvinningskraft", "gas:NF3", "steam", "mystery", "waste:glass"],
        "scope": pd.array([2, 1, 2, 1, 3], dtype="Int64")})
    out = accounting.line_categories(lines, LIB)
    assert list(out["reporting_category"]) == ["energy", "gases", "energy", "other", "waste"]


ACTIVITIES = ["electricity", "fuel_oil", "vehicle:diesel", "taxi", "waste:food",
              "refrigerant:R-32", "spend:cleaning", "certificate:renewable", "mystery"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTIVITIES), st.sampled_from([1, 2, 3]),
                          st.sampled_from(["", *REPORTING_CATEGORIES]),
                          st.floats(-50, 1000, allow_nan=False)), min_size=1, max_size=30))
def test_category_totals_add_up_to_scope_totals(rows):
    """Every line has exactly one reporting category, so the categories add up to the scopes,
    and the scope 3 categories to scope 3 (every scope 3 line of these activities has one
    except the unknown 'mystery')."""
    lines = pd.DataFrame(rows, columns=["activity", "scope", "row_category", "emissions_tco2e"])
    lines["scope"] = lines["scope"].astype("Int64")
    out = accounting.line_categories(lines, LIB)
    assert out["reporting_category"].notna().all()
    assert set(out["reporting_category"]) <= set(REPORTING_CATEGORIES) | {"other"}
    by_cat = out.groupby("reporting_category")["emissions_tco2e"].sum().sum()
    by_scope = out.groupby("scope")["emissions_tco2e"].sum().sum()
    assert by_cat == pytest.approx(by_scope, abs=1e-6)
    s3 = out[out["scope"] == 3]
    assert out.loc[out["scope"] != 3, "scope3_category"].isna().all()
    known = s3[s3["activity"].isin(["taxi", "waste:food", "spend:cleaning"])]
    assert known["scope3_category"].notna().all()


def _by_scope(values: dict) -> pd.DataFrame:
    return pd.DataFrame([{"year": 2025, "method": m, "scope": sc, "emissions_tco2e": v}
                         for (m, sc), v in values.items()])


def test_disclosure_rows_by_hand():
    """Scope 1 10 t; scope 2 location 5 t, market 20 t; scope 3 cat 1 30 t, cat 6 2 t."""
    by_scope = _by_scope({("location", 1): 10.0, ("location", 2): 5.0, ("location", 3): 32.0,
                          ("market", 1): 10.0, ("market", 2): 20.0, ("market", 3): 32.0})
    s3 = pd.DataFrame({"year": [2025, 2025], "scope3_category": [1, 6],
                       "emissions_tco2e": [30.0, 2.0]})
    rc = pd.DataFrame({"year": [2025] * 4, "reporting_category": ["energy", "energy", "purchases",
                                                                  "staff_travel"],
                       "scope": [1, 2, 3, 3], "emissions_tco2e": [10.0, 5.0, 30.0, 2.0]})
    energy = pd.DataFrame({"year": [2025, 2025, 2024], "carrier": ["electricity", "fuel_oil",
                                                                   "electricity"],
                           "energy_kwh": [1000.0, 200.0, 999.0]})
    d = disclosures.disclosure_rows(year=2025, by_scope=by_scope, by_scope3_category=s3,
                                    by_reporting_category=rc, delivered_by_carrier=energy,
                                    categories=REPORTING_CATEGORIES,
                                    methods=["location", "market"], method="location",
                                    gwp="AR6", has_purchases=True)
    pick = lambda fw, item: d[(d["framework"] == fw) & (d["item"] == item)]  # noqa: E731
    assert pick("ESRS", "gross_scope1")["value"].item() == 10.0
    assert pick("GRI", "gross_scope1")["reference"].item() == "305-1"
    assert pick("ESRS", "gross_scope2_market")["value"].item() == 20.0
    assert pick("ESRS", "total_location")["value"].item() == 47.0     # 10 + 5 + 32
    assert pick("ESRS", "total_market")["value"].item() == 62.0       # 10 + 20 + 32
    assert (d["gwp"].replace("", "AR6") == "AR6").all()
    cat = pick("ESRS", "scope3_category")
    assert len(cat) == 15
    assert cat.loc[cat["scope3_category"] == 1, "value"].item() == 30.0
    assert cat.loc[cat["scope3_category"] == 2, "reason"].item() == "no_data"
    assert not pick("ESRS", "intensity_per_net_revenue")["covered"].item()
    assert pick("GRI", "energy_total")["value"].item() == 1200.0      # 2025 only
    assert pick("sector", "category_total")["value"].item() == 47.0
    sector = pick("sector", "category").set_index("category")
    assert sector.loc["energy", "value"] == 15.0 and sector.loc["purchases", "value"] == 30.0
    assert sector.loc["waste", "reason"] == "no_data"
    # with purchases: nothing says it lacks them
    assert not (d["reason"] == "excludes_purchases").any()
    assert not (d["reason"] == "no_purchases").any()
