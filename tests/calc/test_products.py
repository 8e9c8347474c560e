"""Tests for klimaregnskap.calc.products: the share of products free of listed substances."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import products_frame
from klimaregnskap.calc.products import NOT_FREE_COLUMNS, PER_YEAR_COLUMNS, product_shares
from klimaregnskap.readers.substances import load_listed_substances


LISTED = pd.DataFrame({
    "cas": ["117-81-7", "80-05-7", "556-67-2"],
    "name": ["DEHP", "BPA", "D4"],
    "list": ["REACH Candidate List", "REACH Candidate List | Prioritetslisten",
             "Prioritetslisten"],
    "source": ["s1", "s2", "s3"],
    "origin": ["shipped"] * 3,
})


# ------------------------------------------------------------------ shares

def test_duplicate_product_lines_count_once():
    p = products_frame([
        (2024, "A", "Hansker", 10.0, False, ""),
        (2024, "A", "Hansker", 20.0, False, ""),
        (2024, "A", "Hansker", 30.0, False, ""),
        (2024, "B", "Slange", 40.0, False, "117-81-7"),
    ])
    per_year, not_free = product_shares(p, LISTED)
    assert list(per_year.columns) == PER_YEAR_COLUMNS
    row = per_year.iloc[0]
    assert row["products"] == 2 and row["free_products"] == 1
    assert row["free_share_pct"] == pytest.approx(50.0)
    assert row["spend_total"] == pytest.approx(100.0)
    assert row["spend_free"] == pytest.approx(60.0)
    assert row["spend_weighted_free_share_pct"] == pytest.approx(60.0)
    assert not_free["product_id"].tolist() == ["B"]


def test_flag_on_one_line_only_makes_product_not_free():
    p = products_frame([
        (2024, "A", "Kateter", 1.0, False, ""),
        (2024, "A", "Kateter", 1.0, True, ""),
        (2024, "A", "Kateter", 1.0, None, ""),
        (2024, "B", "Sprøyte", 1.0, None, ""),
    ])
    per_year, not_free = product_shares(p, LISTED)
    assert per_year["free_products"].tolist() == [1]
    assert per_year["free_share_pct"].tolist() == [50.0]
    assert not_free.to_dict("records") == [
        {"year": 2024, "product_id": "A", "description": "Kateter", "reason": "flagged"}]


def test_listed_cas_in_the_middle_of_a_list():
    p = products_frame([
        (2024, "A", "Pose", 5.0, None, "7732-18-5;80-05-7;64-17-5"),
        (2024, "B", "Pose 2", 5.0, None, "7732-18-5;64-17-5"),
    ])
    per_year, not_free = product_shares(p, LISTED)
    assert per_year["free_products"].tolist() == [1]
    assert not_free["product_id"].tolist() == ["A"]
    assert not_free["reason"].tolist() == [
        "listed: 80-05-7 BPA (REACH Candidate List | Prioritetslisten)"]


def test_cas_numbers_across_lines_and_both_reasons():
    # listed CAS on one line, flag on another, second listed CAS on a third line;
    # a pipe separator and a leading zero are accepted too
    p = products_frame([
        (2024, "A", "", 1.0, None, "556-67-2"),
        (2024, "A", "Slange PVC", 1.0, True, ""),
        (2024, "A", "", 1.0, None, "64-17-5|0117-81-7"),
    ])
    _, not_free = product_shares(p, LISTED)
    assert not_free["description"].tolist() == ["Slange PVC"]
    reason = not_free["reason"].iloc[0]
    assert reason.startswith("flagged; ")
    items = reason.split("; ")
    assert sorted(items[1:]) == ["listed: 117-81-7 DEHP (REACH Candidate List)",
                                 "listed: 556-67-2 D4 (Prioritetslisten)"]


def test_years_are_separate_and_spend_weighting_skips_missing_spend():
    p = products_frame([
        # 2023: A free 300, B not free 100, C free with no spend at all
        (2023, "A", "a", 100.0, False, ""),
        (2023, "A", "a", 200.0, None, ""),
        (2023, "B", "b", 100.0, True, ""),
        (2023, "C", "c", np.nan, False, ""),
        # 2024: A listed, D free; no spend anywhere
        (2024, "A", "a", np.nan, None, "117-81-7"),
        (2024, "D", "d", np.nan, None, ""),
    ])
    per_year, not_free = product_shares(p, LISTED)
    y23, y24 = per_year.iloc[0], per_year.iloc[1]
    assert per_year["year"].tolist() == [2023, 2024]
    assert (y23["products"], y23["free_products"]) == (3, 2)
    assert y23["free_share_pct"] == pytest.approx(200 / 3)
    assert y23["spend_total"] == pytest.approx(400.0)
    assert y23["spend_free"] == pytest.approx(300.0)
    assert y23["spend_weighted_free_share_pct"] == pytest.approx(75.0)
    assert (y24["products"], y24["free_products"]) == (2, 1)
    assert y24["free_share_pct"] == pytest.approx(50.0)
    assert math.isnan(y24["spend_total"]) and math.isnan(y24["spend_weighted_free_share_pct"])
    assert not_free[["year", "product_id"]].values.tolist() == [[2023, "B"], [2024, "A"]]


def test_project_listed_duplicate_of_shipped_counts_once():
    listed = pd.concat([LISTED, LISTED.iloc[[0]].assign(list="Egen liste", origin="x.csv")],
                       ignore_index=True)
    p = products_frame([(2024, "A", "a", 1.0, None, "117-81-7")])
    per_year, not_free = product_shares(p, listed)
    assert per_year["products"].tolist() == [1]
    assert not_free["reason"].tolist() == [
        "listed: 117-81-7 DEHP (REACH Candidate List | Egen liste)"]


def test_empty_products():
    p = products_frame([])
    per_year, not_free = product_shares(p, LISTED)
    assert len(per_year) == 0 and list(per_year.columns) == PER_YEAR_COLUMNS
    assert len(not_free) == 0 and list(not_free.columns) == NOT_FREE_COLUMNS


def test_with_shipped_list_dehp_reason_names_the_candidate_list():
    p = products_frame([(2024, "A", "PVC-slange", 1.0, False, "117-81-7")])
    _, not_free = product_shares(p, load_listed_substances(None))
    reason = not_free["reason"].iloc[0]
    assert reason.startswith("listed: 117-81-7 ")
    assert "DEHP" in reason and "REACH Candidate List" in reason


line = st.tuples(st.sampled_from([2023, 2024]), st.sampled_from(list("ABCDE")),
                 st.sampled_from([np.nan, 0.0, 10.0, 25.5]),
                 st.sampled_from([None, True, False]),
                 st.sampled_from(["", "117-81-7", "64-17-5", "7732-18-5;80-05-7"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(line, min_size=1, max_size=25))
def test_invariants(rows):
    p = products_frame([(y, pid, pid.lower(), s, f, c) for y, pid, s, f, c in rows])
    per_year, not_free = product_shares(p, LISTED)
    distinct = p.groupby("year")["product_id"].nunique()
    assert per_year.set_index("year")["products"].to_dict() == distinct.to_dict()
    assert ((per_year["free_products"] >= 0)
            & (per_year["free_products"] <= per_year["products"])).all()
    assert per_year["free_share_pct"].between(0, 100).all()
    sw = per_year["spend_weighted_free_share_pct"].dropna()
    assert sw.between(0, 100).all()
    nf_count = not_free.groupby("year").size().reindex(per_year["year"], fill_value=0)
    assert (nf_count.to_numpy() == (per_year["products"] - per_year["free_products"])
            .to_numpy()).all()
    # order lines do not matter
    per_year2, _ = product_shares(p.iloc[::-1].reset_index(drop=True), LISTED)
    pd.testing.assert_frame_equal(per_year, per_year2)
