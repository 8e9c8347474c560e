"""Tests for ``explain``: the parts of a figure add up to the figure reported."""

from __future__ import annotations

import re

import pytest

from conftest import build

from klimaregnskap.errors import KlimaError
from klimaregnskap.explain import explain_figure
from klimaregnskap.summary import build_summary

from conftest import write

ADJUSTMENT = """
[[baseline_adjustments]]
indicator = "emissions"
amount = "3000 kgCO2e"
year = 2021
reason = "clinic taken over"
"""


def accounts(project, year):
    return build(project, year)


def number(text: str) -> float:
    return float(text.replace(" ", ""))


def parts(text: str) -> list[float]:
    """Every line's emissions: '... = 1.2500 tCO2e   [...]'."""
    return [number(m) for m in re.findall(r"= ([\d ]+\.\d+) tCO2e\s+\[", text)]


def headline(text: str) -> float:
    return number(re.match(r"\S+ \d{4}(?: at site \S+)?: ([\d ]+\.\d+) tCO2e", text).group(1))


def test_emission_lines_show_quantity_factor_year_and_origin(worked):
    text = explain_figure(accounts(worked, 2020), "emissions")
    assert "a: fuel_oil 500.00 L x 2.5 kgCO2e/L (2019, fallback from 2020 to 2019) = 1.2500 tCO2e" in text
    assert "inputs/activity.csv row 5" in text and "factor: test fuel oil" in text
    assert "a: electricity 90.00 MWh x 100 gCO2e/kWh" in text and "row 6" in text
    assert "scope 3" not in text, "scope 3 is outside the target scopes"


@pytest.mark.parametrize("year, expected", [(2019, 12.5), (2020, 10.25), (2021, 8.1)])
def test_parts_add_up_to_the_indicator(worked, year, expected):
    acc = accounts(worked, year)
    text = explain_figure(acc, "emissions")
    assert headline(text) == pytest.approx(expected, abs=5e-4)
    assert sum(parts(text)) == pytest.approx(expected, abs=5e-4)
    assert acc.indicators["emissions"]["value"] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("site, expected", [("a", 5.5), ("b", 2.6)])
def test_site_parts_add_up_to_the_summary_site_figure(worked, site, expected):
    acc = accounts(worked, 2021)
    text = explain_figure(acc, "emissions", site=site)
    summ = build_summary(acc)["sites"][site]["emissions_tco2e"]
    assert summ == pytest.approx(expected, abs=1e-9)
    assert headline(text) == pytest.approx(summ, abs=5e-4)
    assert sum(parts(text)) == pytest.approx(summ, abs=5e-4)
    other = "b" if site == "a" else "a"
    assert f"    {other}:" not in text


def test_baseline_adjustment_is_a_part_of_restated_years(worked):
    cfg = (worked / "klimaregnskap.toml").read_text(encoding="utf-8")
    write(worked / "klimaregnskap.toml", cfg + ADJUSTMENT)
    acc = accounts(worked, 2020)
    text = explain_figure(acc, "emissions")
    assert acc.indicators["emissions"]["value"] == pytest.approx(13.25)
    assert headline(text) == pytest.approx(13.25, abs=5e-4)
    assert "baseline adjustment +3 tCO2e" in text and "clinic taken over" in text
    assert sum(parts(text)) + 3 == pytest.approx(13.25, abs=5e-4)
    # from 2021 on the clinic is in the data itself: no adjustment
    assert "baseline adjustment" not in explain_figure(accounts(worked, 2021), "emissions")


def test_energy_parts_add_up(worked):
    text = explain_figure(accounts(worked, 2021), "energy")
    assert "delivered energy 2021: 102 000.0 kWh" in text
    assert "electricity: 100 000.0 kWh" in text and "fuel_oil: 2 000.0 kWh" in text


def test_unknown_indicator(worked):
    with pytest.raises(KlimaError, match="unknown indicator 'emisions'"):
        explain_figure(accounts(worked, 2021), "emisions")
