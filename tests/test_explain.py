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
    """The figure of the first line: '<indicator name> 2021[ at site a]: 8.100 tCO2e (...'."""
    return number(re.match(r".+? \d{4}(?: at site \S+)?: ([\d ]+\.\d+) tCO2e", text).group(1))


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


# ------------------------------------------------------------ in Norwegian (issue 13, point 11)

NB = "\u00a0"  # the no-break space that groups thousands in nb (klimaregnskap.display.NB_GROUP)


def _norwegian(project):
    cfg = (project / "klimaregnskap.toml").read_text(encoding="utf-8")
    write(project / "klimaregnskap.toml", cfg.replace('language = "en"', 'language = "nb"'))
    return project


def test_explain_speaks_the_projects_language_nb(worked):
    """2020: fuel oil 500 L x 2.5 kgCO2e/L = 1.25 t (2019 factor); electricity 90 MWh x 100 g/kWh
    = 9 t; 1.25 + 9 = 10.25 tCO2e, written the Norwegian way (decimal comma)."""
    acc = accounts(_norwegian(worked), 2020)
    text = explain_figure(acc, "emissions")  # no lang: the project's (nb)
    assert text.splitlines()[0] == ("Klimagassutslipp (scope 1 og 2) 2020: 10,250 tCO2e (scope 1, 2, "
                                    "metode for strøm 'location', GWP AR5)")
    assert ("a: fuel_oil 500,00 L x 2,5 kgCO2e/L (2019, faktor for 2019 brukt for 2020) = "
            "1,2500 tCO2e   [inputs/activity.csv rad 5; faktor: test fuel oil]") in text
    assert "  sum av delene: 10,250 tCO2e" in text
    for english in ("row ", "factor:", "fallback", "sum of parts", "scopes", "electricity method"):
        assert english not in text, english
    # the same accounts in English when asked
    en = explain_figure(acc, "emissions", lang="en")
    assert en.startswith("Greenhouse-gas emissions (scope 1 and 2) 2020: 10.250 tCO2e (scopes 1, 2,")
    assert "fallback from 2020 to 2019" in en and "sum of parts: 10.250 tCO2e" in en


def test_explain_energy_in_nb_names_carriers_and_keeps_codes(worked):
    """2021: electricity 100 000 kWh + fuel oil 0.2 m3 = 200 L x 10 kWh/L = 2 000 kWh (row 7)."""
    text = explain_figure(accounts(_norwegian(worked), 2021), "energy", site="a")
    assert text.splitlines()[0].startswith(f"levert energi 2021 på lokasjon a: 102{NB}000,0 kWh "
                                           "(hovedmålere og brensel i bygg;")
    assert f"  Strøm (electricity): 100{NB}000,0 kWh" in text
    assert f"    a: 2{NB}000,0 kWh [inputs/activity.csv rad 7]" in text
    assert "gjenvunnet energi 2021 på lokasjon a: 0,0 kWh" in text


def test_explain_command_lang_option(worked, cli):
    """--lang overrides the project's language; the default is the project's."""
    _norwegian(worked)
    nb = cli("explain", "food_waste", "--year", "2021", "--project", worked)
    assert nb.exit_code == 0, nb.output
    assert nb.output.startswith("matsvinn 2021: 0,00 kg")
    en = cli("explain", "food_waste", "--year", "2021", "--project", worked, "--lang", "en")
    assert en.exit_code == 0 and en.output.startswith("food waste 2021: 0.00 kg")
    bad = cli("explain", "food_waste", "--year", "2021", "--project", worked, "--lang", "de")
    assert bad.exit_code != 0 and "unknown language 'de'" in bad.output
