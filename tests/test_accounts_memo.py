"""The test suite's kept builds (tests/accounts_memo.py): a kept build is the build."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import accounts_memo
from conftest import build
from klimaregnskap import pipeline

pytestmark = pytest.mark.skipif(
    os.environ.get(accounts_memo.MODE_ENV, "memo") != "memo",
    reason=f"{accounts_memo.MODE_ENV} is not 'memo': builds are not kept")


def test_the_same_inputs_are_answered_from_memory_with_a_copy(worked):
    first = build(worked)
    before = dict(accounts_memo.counts)
    second = build(worked)
    assert accounts_memo.counts["kept"] == before["kept"] + 1
    assert accounts_memo.counts["built"] == before["built"]
    pd.testing.assert_frame_equal(first.target_lines, second.target_lines)
    assert first.indicators == second.indicators
    # a copy: what one caller changes, the next one does not see
    second.indicators["emissions"]["value"] = -1.0
    second.target_lines.loc[:, "emissions_tco2e"] = 0.0
    third = build(worked)
    assert third.indicators == first.indicators
    pd.testing.assert_frame_equal(third.target_lines, first.target_lines)


def test_the_same_files_in_another_folder_get_that_projects_config(worked, tmp_path_factory):
    first = build(worked)
    other = tmp_path_factory.mktemp("other")
    for name in ("klimaregnskap.toml", "inputs", "factors"):
        src = worked / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, other / name)
    before = dict(accounts_memo.counts)
    second = build(other)
    assert accounts_memo.counts["kept"] == before["kept"] + 1
    assert second.config.project_dir == other and first.config.project_dir == worked
    assert second.indicators == first.indicators


def test_a_changed_input_or_a_patched_rule_is_built_anew(worked, monkeypatch):
    first = build(worked)
    before = dict(accounts_memo.counts)
    with open(worked / "inputs" / "activity.csv", "a", encoding="utf-8") as f:
        f.write("a,2021,fuel_oil,100,L,one more fill\n")
    changed = build(worked)
    assert accounts_memo.counts["built"] == before["built"] + 1
    # 2021 fuel oil: 0.2 m3 = 200 L, and 100 L more, x 2.5 kgCO2e/L
    assert changed.indicators["emissions"]["value"] == pytest.approx(
        first.indicators["emissions"]["value"] + 100 * 2.5 / 1000)
    monkeypatch.setattr(pipeline, "years_with_purchases", lambda con: {2019, 2020, 2021})
    patched = build(worked)
    assert accounts_memo.counts["built"] == before["built"] + 2
    assert patched.indicators["footprint"]["complete"] is True
    assert changed.indicators["footprint"]["complete"] is False
