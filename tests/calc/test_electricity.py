"""calc/electricity.py: the one place that applies the configured electricity method."""

from __future__ import annotations

import pandas as pd
import pytest

from klimaregnskap.calc import electricity
from klimaregnskap.config import parse_config
from klimaregnskap.errors import ConfigError

LINES = pd.DataFrame({
    "year": [2021] * 6,
    "method": ["location", "market", "european_mix", "location", "market", "european_mix"],
    "scope": [2, 2, 2, 1, 1, 1],
    "emissions_tco2e": [1.0, 4.0, 2.8, 3.0, 3.0, 3.0],
})


def test_basis_lines_are_each_row_once_under_the_method():
    b = electricity.basis_lines(LINES, "european_mix")
    assert b["emissions_tco2e"].sum() == pytest.approx(5.8)
    assert set(b["method"]) == {"european_mix"}


@pytest.mark.parametrize("scopes, total", [([1, 2], 7.0), ([1], 3.0), ([2], 4.0), ([3], 0.0)])
def test_target_lines_are_the_target_scopes_of_the_method(scopes, total):
    assert electricity.target_lines(LINES, "market", scopes)["emissions_tco2e"].sum() == total


def test_an_unknown_method_names_the_key_and_the_choices(tmp_path):
    with pytest.raises(ConfigError) as e:
        electricity.check_method("residual", ["location", "market"], tmp_path / "k.toml")
    text = str(e.value)
    assert "accounting.electricity_method" in text and "residual" in text
    assert "location, market" in text


# ------------------------------------------------------------------ lines

def test_target_lines_and_emissions_by_scope(tmp_path):
    cfg = parse_config({"organisation": {"name": "T"},
                        "accounting": {"electricity_method": "market", "target_scopes": [1, 2]}},
                       tmp_path / "klimaregnskap.toml")
    lines = pd.DataFrame({"year": [2021] * 5, "method": ["location", "market", "market",
                                                          "market", "location"],
                          "scope": [2, 2, 1, 3, 1], "emissions_tco2e": [1.0, 4.0, 2.0, 8.0, 2.0]})
    acc = cfg.accounting
    tl = electricity.target_lines(lines, acc.electricity_method, acc.target_scopes)
    assert tl["emissions_tco2e"].sum() == pytest.approx(6.0)
    # the basis of every other figure: the method's lines of every scope
    assert electricity.basis_lines(lines, "market")["emissions_tco2e"].sum() == pytest.approx(14.0)
