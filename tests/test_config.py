"""Tests for klimaregnskap.toml: defaults, overrides, area by year, adjustments and errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from klimaregnskap.config import CONFIG_NAME, DEFAULT_TARGETS, load_config
from klimaregnskap.errors import ConfigError

from conftest import BASE_CONFIG

MINIMAL = """
[organisation]
name = "Mini HF"

[[sites]]
id = "a"
name = "Site A"
area_m2 = { 2019 = 1000, 2023 = 1500 }
"""


def cfg(tmp_path: Path, text: str, extra: str = ""):
    (tmp_path / CONFIG_NAME).write_text(textwrap.dedent(text) + textwrap.dedent(extra),
                                        encoding="utf-8")
    return load_config(tmp_path)


def refused(tmp_path: Path, text: str, extra: str = "") -> ConfigError:
    with pytest.raises(ConfigError) as info:
        cfg(tmp_path, text, extra)
    err = info.value
    assert str(tmp_path / CONFIG_NAME) in str(err), "the message names the file"
    return err


# ------------------------------------------------------------ valid configs

def test_base_config_reads_into_dataclasses(tmp_path):
    c = cfg(tmp_path, BASE_CONFIG)
    assert c.name == "Test HF" and c.baseline_year == 2019 and c.language == "en"
    assert c.site_ids == ["a", "b"]
    assert c.site("a").hdd_normal == 4000 and c.site("a").heating_share == 0.5
    assert c.accounting.electricity_method == "location"
    assert c.accounting.gwp == "AR5" and c.accounting.target_scopes == (1, 2)
    assert c.project_dir == tmp_path


def test_defaults_when_keys_are_left_out(tmp_path):
    c = cfg(tmp_path, MINIMAL)
    assert (c.baseline_year, c.timezone, c.language) == (2019, "Europe/Oslo", "nb")
    assert c.accounting.gwp == "AR5" and c.accounting.target_scopes == (1, 2)
    # not given: None, and the normalisation rule applies its one default
    assert c.site("a").heating_share is None and c.site("a").hdd_normal is None
    assert c.baseline_adjustments == ()


def test_default_targets_are_the_shared_goals(tmp_path):
    t = cfg(tmp_path, MINIMAL).targets
    assert (t["emissions"].year, t["emissions"].level) == (2030, -40.0)
    assert (t["climate_neutral"].year, t["climate_neutral"].level) == (2045, 0.0)
    assert (t["energy"].year, t["energy"].level) == (2030, -20.0)
    assert (t["food_waste"].year, t["food_waste"].level) == (2030, -50.0)
    assert (t["chemical_free_share"].year, t["chemical_free_share"].level) == (2030, 75.0)
    assert t["chemical_free_share"].kind == "level" and t["emissions"].kind == "reduction"
    # footprint has a target only when one is configured (DESIGN §2)
    assert set(t) == set(DEFAULT_TARGETS) - {"footprint"}


def test_target_override_year_and_level(tmp_path):
    t = cfg(tmp_path, MINIMAL, """
        [targets.emissions]
        year = 2035
        level = -55

        [targets.chemical_free_share]
        level = "80 %"
        """).targets
    assert (t["emissions"].year, t["emissions"].level, t["emissions"].kind) == (2035, -55.0, "reduction")
    assert (t["chemical_free_share"].year, t["chemical_free_share"].level) == (2030, 80.0)
    # untouched targets keep their defaults
    assert (t["food_waste"].year, t["food_waste"].level) == (2030, -50.0)


def test_energy_override_carries_to_normalised_energy(tmp_path):
    t = cfg(tmp_path, MINIMAL, "[targets.energy]\nyear = 2032\nlevel = -25\n").targets
    assert (t["energy_normalised"].year, t["energy_normalised"].level) == (2032, -25.0)


def test_area_by_year_holds_until_the_next(tmp_path):
    a = cfg(tmp_path, MINIMAL).site("a")
    assert a.area_for(2018) is None
    assert [a.area_for(y) for y in (2019, 2022, 2023, 2030)] == [1000, 1000, 1500, 1500]


def test_area_as_plain_number_holds_for_every_year(tmp_path):
    c = cfg(tmp_path, MINIMAL.replace("{ 2019 = 1000, 2023 = 1500 }", "2500"))
    assert c.site("a").area_for(2019) == 2500 and c.site("a").area_for(2040) == 2500


@pytest.mark.parametrize("indicator, amount, expected", [
    ("emissions", "120 tCO2e", 120.0),
    ("emissions", "120000 kgCO2e", 120.0),
    ("emissions", "-5 tCO2e", -5.0),
    ("energy", "1.5 GWh", 1_500_000.0),
    ("energy", "800 MWh", 800_000.0),
    ("food_waste", "2 tonn", 2000.0),
    ("food_waste", "350 kg", 350.0),
])
def test_baseline_adjustment_amount_converts_to_indicator_unit(tmp_path, indicator, amount, expected):
    c = cfg(tmp_path, MINIMAL, f"""
        [[baseline_adjustments]]
        indicator = "{indicator}"
        amount = "{amount}"
        year = 2023
        reason = "Clinic taken over"
        """)
    (adj,) = c.baseline_adjustments
    assert adj.indicator == indicator and adj.year == 2023 and adj.reason == "Clinic taken over"
    assert adj.amount == pytest.approx(expected, rel=1e-12)
    assert adj.amount_as_written == amount


# ------------------------------------------------------------ errors name file and key

def test_misspelt_top_level_key(tmp_path):
    err = refused(tmp_path, MINIMAL, "[acounting]\ngwp = 'AR6'\n")
    assert err.column == "acounting" and "did you mean 'accounting'" in err.message


def test_misspelt_organisation_key(tmp_path):
    err = refused(tmp_path, MINIMAL.replace('name = "Mini HF"', 'name = "Mini HF"\nbaseline_yaer = 2019'))
    assert err.column == "organisation.baseline_yaer"
    assert "baseline_year" in err.message


def test_misspelt_site_key_names_the_site_entry(tmp_path):
    err = refused(tmp_path, MINIMAL.replace("area_m2", "area_m3"))
    assert err.column == "sites[1].area_m3"


def test_misspelt_accounting_key(tmp_path):
    err = refused(tmp_path, MINIMAL, "[accounting]\nelectricity_methd = 'market'\n")
    assert err.column == "accounting.electricity_methd"


def test_unknown_target_indicator_and_key(tmp_path):
    err = refused(tmp_path, MINIMAL, "[targets.emision]\nyear = 2030\n")
    assert err.column == "targets.emision" and "targets.emissions" in err.message
    err = refused(tmp_path, MINIMAL, "[targets.emissions]\nyaer = 2030\n")
    assert err.column == "targets.emissions.yaer"


def test_unknown_adjustment_key(tmp_path):
    err = refused(tmp_path, MINIMAL, """
        [[baseline_adjustments]]
        indicator = "emissions"
        amount = "1 tCO2e"
        year = 2023
        reson = "typo"
        """)
    assert err.column == "baseline_adjustments[1].reson"


@pytest.mark.parametrize("old, new, key", [
    ('name = "Mini HF"', 'name = "Mini HF"\nbaseline_year = "2019"', "organisation.baseline_year"),
    ('name = "Mini HF"', 'name = "Mini HF"\nbaseline_year = true', "organisation.baseline_year"),
    ('name = "Mini HF"', "name = 42", "organisation.name"),
    ('name = "Site A"', 'name = "Site A"\nheating_share = "half"', "sites[1].heating_share"),
    ('name = "Site A"', 'name = "Site A"\nheating_share = 1.5', "sites[1].heating_share"),
    ('name = "Site A"', 'name = "Site A"\nhdd_normal = -1', "sites[1].hdd_normal"),
    ("{ 2019 = 1000, 2023 = 1500 }", '"big"', "sites[1].area_m2"),
    ("{ 2019 = 1000, 2023 = 1500 }", "{ 2019 = -5 }", "sites[1].area_m2.2019"),
    ("{ 2019 = 1000, 2023 = 1500 }", "{ first = 5 }", "sites[1].area_m2.first"),
    ('name = "Mini HF"', 'name = "Mini HF"\nlanguage = "de"', "organisation.language"),
    ('name = "Mini HF"', 'name = "Mini HF"\ntimezone = "Mars/Olympus"', "organisation.timezone"),
])
def test_wrong_types_and_values_name_the_key(tmp_path, old, new, key):
    err = refused(tmp_path, MINIMAL.replace(old, new))
    assert err.column == key


@pytest.mark.parametrize("extra, key", [
    ("[accounting]\ngwp = 'AR4'\n", "accounting.gwp"),
    ("[accounting]\ntarget_scopes = [1, 4]\n", "accounting.target_scopes"),
    ("[accounting]\ntarget_scopes = 1\n", "accounting.target_scopes"),
    ("[accounting]\nelectricity_method = 280\n", "accounting.electricity_method"),
    ("[targets.emissions]\nyear = '2030'\n", "targets.emissions.year"),
    ("[targets.emissions]\nlevel = 'a lot'\n", "targets.emissions.level"),
])
def test_wrong_accounting_and_target_values(tmp_path, extra, key):
    assert refused(tmp_path, MINIMAL, extra).column == key


def test_duplicate_and_missing_site_ids(tmp_path):
    two = MINIMAL + '\n[[sites]]\nid = "a"\nname = "Again"\n'
    err = refused(tmp_path, two)
    assert err.column == "sites[2].id" and err.found == "a"
    err = refused(tmp_path, MINIMAL.replace('id = "a"\n', ""))
    assert err.column == "sites[1].id"


@pytest.mark.parametrize("body, key, needle", [
    ('indicator = "emissions"\namount = "120 kWh"\nyear = 2023', "amount", "tCO2e"),
    ('indicator = "energy"\namount = "5 tCO2e"\nyear = 2023', "amount", "kWh"),
    ('indicator = "food_waste"\namount = "5 kgCO2e"\nyear = 2023', "amount", "kg"),
    ('indicator = "emissions"\namount = 120\nyear = 2023', "amount", "unit"),
    ('indicator = "emissions"\namount = "120 bananas"\nyear = 2023', "amount", "tCO2e"),
    ('indicator = "emissions"\namount = "120 tCO2e"\nyear = 2019', "year", "after 2019"),
    ('indicator = "emissions"\namount = "120 tCO2e"\nyear = 2015', "year", "after 2019"),
    ('indicator = "emissions"\namount = "120 tCO2e"', "year", "year"),
    ('indicator = "patients"\namount = "120 tCO2e"\nyear = 2023', "indicator", "emissions"),
])
def test_bad_baseline_adjustments(tmp_path, body, key, needle):
    err = refused(tmp_path, MINIMAL, "\n[[baseline_adjustments]]\n" + body + "\n")
    assert err.column == f"baseline_adjustments[1].{key}"
    assert needle in str(err)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="no project configuration"):
        load_config(tmp_path)
    err = refused(tmp_path, MINIMAL + "\n[accounting\n")
    assert "TOML" in err.message


def test_footprint_target_only_when_configured_with_year_and_level(tmp_path):
    """DESIGN §2: footprint (scope 1+2+3) has a target only when one is configured;
    its level is a percent change from the baseline, like a reduction."""
    assert "footprint" not in cfg(tmp_path, MINIMAL).targets
    t = cfg(tmp_path, MINIMAL, """
        [targets.footprint]
        year = 2035
        level = -30
        """).targets["footprint"]
    assert (t.kind, t.year, t.level) == ("reduction", 2035, -30.0)
    err = refused(tmp_path, MINIMAL, """
        [targets.footprint]
        level = -30
        """)
    assert err.column == "targets.footprint.year"
