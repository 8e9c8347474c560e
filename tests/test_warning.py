"""Typed warnings: every code of vocabulary/warnings.csv in both languages."""

from __future__ import annotations

import math
import re

import pytest

from klimaregnskap.calc.food_waste import MonthList
from klimaregnskap.warning import KlimaWarning, Phrase, YearList, templates, year_ranges

#: A value for every field name a template may use (units as the names say).
SAMPLE = {
    "meter_id": "707057500012345671", "site": "nordby", "year": 2024, "previous_year": 2023,
    "coverage_pct": 99.587, "longest_gap_hours": 36.0, "estimated": 24, "estimated_pct": 0.274,
    "spikes": 2, "max_value": 1234.5, "months": MonthList([3, 4]), "activity": "diesel",
    "method": "location", "factor_year": 2019, "why": Phrase("nearest_earlier_year"),
    "days": 361, "expected_days": 365, "missing_days": 4, "min_share_pct": 95.0,
    "years": YearList([2019, 2020, 2023]), "indicator": "energy", "file": "inputs/malere.csv",
    "row": 7, "count": 3, "threshold_pct": 99.0, "readings": 5, "member": "demo",
    "measure": "T3",
    "sheet": "2025", "kind": Phrase("kind_activity"),
    "quantity": 2079.0, "other_file": "inputs/diesel_leverandor_B_2025.csv",
    "other_row": 2, "other_quantity": 500.0, "key": "nordby, 2025, diesel",
    "category": "spend:cleaning", "net_nok": -1200.5, "spend_nok": 350000.0,
    "counted_as": "waste",
}
NAMED = ("meter_id", "site", "year", "file", "row")
CODES = sorted(c for c in templates() if not c.startswith("~"))
# English words that must never reach a Norwegian text
ENGLISH = re.compile(r"\b(the|and|of|no|not|missing|readings?|coverage|gaps?|"
                     r"factor|used|registered|days)\b")


def sample(code: str) -> KlimaWarning:
    fields = templates()[code].fields
    named = {k: SAMPLE[k] for k in fields if k in NAMED}
    return KlimaWarning(code, **named, values={k: SAMPLE[k] for k in fields if k not in NAMED})


@pytest.mark.parametrize("code", CODES)
def test_every_code_renders_in_both_languages(code):
    w = sample(code)
    en, nb = w.text("en"), w.text("nb")
    for text in (en, nb):
        assert text and "{" not in text and "[" not in text and code not in text
    assert en != nb
    assert not ENGLISH.search(nb.replace(SAMPLE["activity"], "")), nb
    assert w.label("en") and w.label("nb") and w.label("en") != w.label("nb")
    assert w.as_json() == {"code": code, "message": en}


@pytest.mark.parametrize("code", CODES)
def test_every_field_a_template_names_is_listed(code):
    t = templates()[code]
    for lang in ("en", "nb"):
        named = set(re.findall(r"\{(\w+)", t.text[lang]))
        assert named <= set(t.fields), (code, lang)


def test_exact_english_messages_as_summary_json_has_them():
    w = KlimaWarning("incomplete_coverage", meter_id="M", site="s", year=2021,
                     values={"coverage_pct": 99.587, "longest_gap_hours": 36.0})
    assert w.message == "meter M (s) 2021: coverage 99.59 %, longest gap 36 h; gaps are not filled"
    # a register meter has no gap length: the optional part is left out
    w = KlimaWarning("incomplete_coverage", meter_id="R", site="s", year=2021,
                     values={"coverage_pct": 50.0, "longest_gap_hours": math.nan})
    assert w.message == "meter R (s) 2021: coverage 50.00 %; gaps are not filled"
    w = KlimaWarning("factor_fallback", year=2020, values={
        "activity": "waste:residual", "method": None, "factor_year": 2019,
        "why": Phrase("nearest_earlier_year")})
    assert w.message == ("no 2020 factor for waste:residual: the 2019 factor is used "
                         "(the nearest earlier year)")


def test_norwegian_numbers_take_a_decimal_comma_and_site_names():
    w = KlimaWarning("estimated_readings", meter_id="M", site="s", year=2022,
                     values={"estimated": 72, "estimated_pct": 0.8219})
    assert w.text("nb", site_names={"s": "Sentralsykehuset"}) == (
        "Måler M (Sentralsykehuset) 2022: 72 estimerte avlesninger (0,82 %)")


def test_unknown_code_is_refused():
    with pytest.raises(KeyError, match="not in vocabulary"):
        KlimaWarning("no_such_code")


def test_year_ranges():
    assert year_ranges([2019, 2020, 2021, 2023, 2025, 2026]) == "2019-2021, 2023, 2025-2026"
    assert year_ranges([2021, 2019, 2020, 2020], dash="–") == "2019–2021"
    assert format(YearList([2024])) == "2024"
