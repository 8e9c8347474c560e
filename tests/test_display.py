"""Numbers as people read them (klimaregnskap/display.py): one format for terminal and report."""

from __future__ import annotations

import pytest

from klimaregnskap.display import energy_unit, fmt_num, fmt_pct

NBSP = "\u00a0"


@pytest.mark.parametrize("largest,expected", [
    (None, (1.0, "kWh")), (99_999.0, (1.0, "kWh")), (100_000.0, (1e3, "MWh")),
    # the demo trust: 35 682 492 kWh is 35 682 MWh, as in status, tables and charts
    (35_682_492.0, (1e3, "MWh")), (99_999_999.0, (1e3, "MWh")), (1e8, (1e6, "GWh")),
    (-2e5, (1e3, "MWh")),
])
def test_energy_unit_by_the_largest_value(largest, expected):
    assert energy_unit(largest) == expected


def test_numbers_in_nb_and_en():
    assert fmt_num(35_682.492, "nb", 0) == f"35{NBSP}682"
    assert fmt_num(35_682.492, "en", 0) == "35,682"
    assert fmt_num(-31.66, "nb", 1) == "-31,7" and fmt_num(-0.01, "nb", 1) == "0,0"
    assert fmt_pct(120.0, "nb", 1, sign=True) == f"+120,0{NBSP}%"
    assert fmt_pct(-6.0, "en", 1, sign=True) == "-6.0%"
    assert fmt_pct(0.01, "en", 1, sign=True) == "0.0%"
