"""Tests for ``init``: the project skeleton and its input templates."""

from __future__ import annotations

import shutil
import tomllib

import openpyxl
import pytest

from klimaregnskap import ledger
from klimaregnskap.config import load_config
from klimaregnskap.errors import KlimaError
from klimaregnskap.readers.columns import columns_of, fold
from klimaregnskap.templates import TEMPLATE_KINDS, TEMPLATES, create_project


@pytest.fixture
def created(tmp_path):
    d = tmp_path / "nytt"
    files = create_project(d, 'Nytt "Test" HF')
    return d, files


def test_creates_folders_config_and_both_template_formats(created):
    d, files = created
    for sub in ("inputs", "factors", "reports", "templates"):
        assert (d / sub).is_dir()
    for stem in TEMPLATES:
        assert (d / "templates" / f"{stem}.csv") in files
        assert (d / "templates" / f"{stem}.xlsx") in files
    assert not list((d / "inputs").iterdir()), "examples must not be imported by accident"


def test_config_template_is_valid_and_quotes_the_name(created):
    d, _ = created
    config = load_config(d)
    assert config.name == 'Nytt "Test" HF'
    assert config.site_ids == ["hovedbygg"]
    # every commented-out block is valid when uncommented
    text = (d / "klimaregnskap.toml").read_text(encoding="utf-8")
    uncommented = "\n".join(line[2:] if line.startswith("# [") or line.startswith("# ") and "=" in line
                            else line for line in text.splitlines())
    raw = tomllib.loads(uncommented)
    assert raw["targets"]["emissions"]["level"] == -40
    assert raw["baseline_adjustments"][0]["amount"] == "120 tCO2e"
    (d / "klimaregnskap.toml").write_text(uncommented, encoding="utf-8")
    assert load_config(d).baseline_adjustments[0].amount == 120


def test_templates_have_norwegian_headers_and_an_example_row(created):
    d, _ = created
    for stem, (header, example) in TEMPLATES.items():
        csv = (d / "templates" / f"{stem}.csv").read_text(encoding="utf-8-sig").splitlines()
        assert csv[0].split(";") == header and len(csv) == 2
        assert len(csv[1].split(";")) == len(header)
        # every header is one of the kind's columns (a wide file: a timestamp, then meter ids)
        kind = TEMPLATE_KINDS[stem]
        spellings = {fold(sp) for c in columns_of(kind) for sp in [c.name_nb, *c.spellings]}
        known = header[:1] if kind == "meter_readings_wide" else header
        assert all(fold(h) in spellings for h in known), header
        wb = openpyxl.load_workbook(d / "templates" / f"{stem}.xlsx")
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0] == header
        assert rows[1] == [None if v == "" else v for v in example]
        assert len(wb.worksheets) == 2, "instructions on a second sheet, ignored by readers"
    assert "lokasjon" in TEMPLATES["aktivitetsdata"][0]
    assert "liggedøgn" in TEMPLATES["drift"][0]


def test_csv_templates_open_in_excel_as_utf8(created):
    d, _ = created
    assert (d / "templates" / "drift.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_refuses_to_overwrite_an_existing_project(created):
    d, _ = created
    with pytest.raises(KlimaError, match="already exists"):
        create_project(d)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_created_project_passes_check_with_every_template(tmp_path, cli, suffix):
    d = tmp_path / "p"
    r = cli("init", d)
    assert r.exit_code == 0, r.output
    for stem in TEMPLATE_KINDS:
        shutil.copy(d / "templates" / f"{stem}.{suffix}", d / "inputs" / f"{stem}.{suffix}")
    r = cli("check", "--project", d)
    assert r.exit_code == 0, r.output
    # the created project's language is nb: check's summary is in Norwegian
    n = len(TEMPLATE_KINDS)
    assert f"inndata: {n} gyldige fil(er), {n} nylig importert, 0 med feil" in r.output
    con = ledger.connect(d)
    act = ledger.current(con, "activity")
    assert list(act["activity"]) == ["fuel_oil"] and float(act["quantity"].iloc[0]) == 1200
    assert len(ledger.current(con, "food_waste")) == 1
    # issue 14: the certificates template is read: 5000 MWh of gjenvinningskraft, trust-wide
    cert = ledger.current(con, "certificates")
    assert list(cert["certificate"]) == ["gjenvinningskraft"] and list(cert["site"]) == [""]
    assert float(cert["quantity_kwh"].iloc[0]) == 5_000_000
    # long form, wide form and Elhub each give the same meter's same hour: one reading stands
    readings = ledger.current(con, "meter_readings")
    assert len(readings) == 1 and set(readings["meter_id"]) == {"707057500000000001"}
    files = set(ledger.imports(con)["file"])
    for stem in ("maleravlesninger", "maleravlesninger_bred", "elhub_707057500000000001"):
        assert f"inputs/{stem}.{suffix}" in files
    con.close()




def test_readme_has_your_own_trust_in_ten_minutes_naming_every_template():
    """Issue 13, problem 13: the README's "ten minutes" section shows the folder layout,
    which file goes where (every template init writes), the Elhub file naming, where the
    activity codes are, and how to correct or remove data."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Your own trust in ten minutes")
    section = readme[start:readme.index("\n## ", start + 3)]
    for words in ("klimaregnskap init", "inputs/", "factors/", "templates/",
                  "must contain the meter's 18-digit målepunkt-ID", "klimaregnskap factors",
                  "factors/activities.csv", "Correct or remove data by editing `inputs/`"):
        assert words in section, words
    for stem in TEMPLATE_KINDS:
        assert f"`{stem}`" in section, stem
