"""vocabulary/indicators.csv drives the config defaults, the pipeline, explain and the report."""

from __future__ import annotations

from klimaregnskap.config import ADJUSTABLE_INDICATORS, DEFAULT_TARGETS, INDICATOR_UNITS
from klimaregnskap.explain import EXPLAINABLE
from klimaregnskap.report.i18n import TEXTS
from klimaregnskap.vocabulary import INDICATOR_NAMES, indicators


def test_the_table_is_the_one_list():
    names = list(indicators())
    assert names == list(INDICATOR_NAMES) == list(DEFAULT_TARGETS) == list(INDICATOR_UNITS)
    assert set(EXPLAINABLE) <= set(names)
    assert ADJUSTABLE_INDICATORS == ("emissions", "energy", "food_waste")
    for name in names:
        assert TEXTS["ind_" + name]["nb"] == indicators()[name].name_nb
        assert TEXTS["ind_" + name]["en"] == indicators()[name].name_en


def test_shipped_targets_are_design_section_1():
    t = {k: (v.target_kind, v.target_year, v.target_level) for k, v in indicators().items()}
    assert t["emissions"] == ("reduction", 2030, -40.0)
    assert t["climate_neutral"] == ("net_zero", 2045, 0.0)
    assert t["energy"] == t["energy_normalised"] == ("reduction", 2030, -20.0)
    assert t["food_waste"] == ("reduction", 2030, -50.0)
    assert t["chemical_free_share"] == ("level", 2030, 75.0)
    assert t["recovered_heat_share"] == ("increase", 2030, None)


def test_restatement_follows_the_table():
    i = indicators()
    assert i["climate_neutral"].restated_with == "emissions"
    assert i["energy_normalised"].restated_with == "energy"
    assert i["recovered_heat_share"].restated_with is None  # shares are never restated
    assert all(v.is_share == (v.unit == "%") for v in i.values())
