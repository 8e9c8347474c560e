"""The command line as a person uses it: bad input refused cleanly, commands on the demo."""

from __future__ import annotations

import json
import shutil
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from klimaregnskap import ledger

from conftest import write

REPO = Path(__file__).resolve().parents[1]

GOOD = """site,period,activity,quantity,unit,note
a,2024-01,diesel,100,L,
a,2024-02,diesel,50,L,
b,2024,flight_domestic,2000,pkm,
"""
H = "site,period,activity,quantity,unit\n"


def snapshot(project: Path):
    con = ledger.connect(project)
    try:
        return (ledger.history(con, "activity"), ledger.imports(con).drop(columns=["loaded_at"]))
    finally:
        con.close()


def assert_clean_refusal(r, file: Path, row: int | None, column: str | None):
    out = r.output
    assert r.exit_code != 0
    assert "Traceback" not in out and "internal error" not in out
    assert "error:" in out and file.name in out
    if row is not None:
        assert f"row {row}" in out, out
    if column is not None:
        assert f"column '{column}'" in out, out


@pytest.fixture
def loaded(project, cli):
    """A project with one good activity file loaded."""
    good = write(project / "good.csv", GOOD)
    r = cli("load", good, "--project", project)
    assert r.exit_code == 0, r.output
    assert "3 rows of activity imported" in r.output
    return project


# ------------------------------------------------------------ bad input via `load`

BAD_FILES = {
    # name: (content, row, column, words in the message)
    "unknown_unit": (H + "a,2024-01,diesel,120,L\na,2024-03,diesel,5,gallonz\n", 3, "unit",
                     ["unknown unit", "gallonz"]),
    "unit_does_not_convert": (H + "a,2024-03,diesel,5,kg\n", 2, "unit",
                              ["'kg'", "does not convert", "L"]),
    "text_in_number": (H + "a,2024-03,diesel,fem,L\n", 2, "quantity", ["not a number", "fem"]),
    "unknown_activity": (H + "a,2024-03,diesl,5,L\n", 2, "activity",
                         ["unknown activity", "diesl", "diesel"]),
    "unknown_site": (H + "a,2024-03,diesel,5,L\nzz,2024-03,diesel,5,L\n", 3, "site",
                     ["unknown site", "zz", "a, b"]),
    "empty": ("", 1, None, ["no data rows"]),
    "header_only": (H, 1, None, ["no data rows"]),
    "duplicate_header": ("site,period,activity,quantity,unit,quantity\na,2024-03,diesel,5,L,6\n",
                         1, "quantity", ["duplicate column"]),
    "period_not_a_date": (H + "a,2024-03,diesel,5,L\na,31.02.2024,diesel,5,L\n", 3, "period",
                          ["not a period", "31.02.2024"]),
    "negative_quantity": (H + "a,2024-03,diesel,-5,L\n", 2, "quantity", ["negative", "-5"]),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_refused_and_changes_nothing(loaded, cli, name):
    content, row, column, words = BAD_FILES[name]
    before = snapshot(loaded)
    bad = write(loaded / "inputs" / f"{name}.csv", content) if content else loaded / "inputs" / f"{name}.csv"
    if not content:
        bad.write_bytes(b"")
    r = cli("load", bad, "--project", loaded)
    assert_clean_refusal(r, bad, row, column)
    for w in words:
        assert w in r.output, (w, r.output)
    assert "not imported" in r.output
    after = snapshot(loaded)
    pd.testing.assert_frame_equal(before[0], after[0])
    pd.testing.assert_frame_equal(before[1], after[1])


def test_bad_row_among_good_ones_supersedes_nothing(loaded, cli):
    """A file correcting a loaded row but holding one bad row is refused as a whole."""
    bad = write(loaded / "fix.csv", H + "a,2024-01,diesel,90,L\na,2024-02,diesel,x,L\n")
    before = snapshot(loaded)
    r = cli("load", bad, "--project", loaded)
    assert_clean_refusal(r, bad, 3, "quantity")
    con = ledger.connect(loaded)
    cur = ledger.current(con, "activity")
    con.close()
    assert sorted(cur["quantity"].astype(float)) == [50, 100, 2000]
    pd.testing.assert_frame_equal(before[0], snapshot(loaded)[0])


def test_xlsx_row_counts_metadata_rows(loaded, cli):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Aktivitetsdata Test HF"])
    ws.append(["Eksportert 2025-01-03"])
    ws.append(["lokasjon", "periode", "aktivitet", "mengde", "enhet"])
    ws.append(["a", "2024-05", "diesel", 10, "L"])
    ws.append(["a", "2024-06", "diesel", "ti", "L"])
    p = loaded / "aktivitet.xlsx"
    wb.save(p)
    before = snapshot(loaded)
    r = cli("load", p, "--project", loaded)
    assert_clean_refusal(r, p, 5, "mengde")
    pd.testing.assert_frame_equal(before[1], snapshot(loaded)[1])


def test_several_problems_are_listed_together(loaded, cli):
    bad = write(loaded / "many.csv", H + "zz,2024,diesel,1,L\na,2024,diesel,-1,L\na,2024,diesel,1,kg\n")
    r = cli("load", bad, "--project", loaded)
    assert_clean_refusal(r, bad, 2, "site")
    assert "3 problems" in r.output and "row 3" in r.output and "row 4" in r.output


def test_misspelt_config_key_names_file_and_key(loaded, cli):
    cfg = loaded / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("electricity_method", "electricty_method"),
                   encoding="utf-8")
    before = snapshot(loaded)
    good = write(loaded / "more.csv", H + "a,2024-04,diesel,5,L\n")
    for args in (("load", good), ("check",), ("status", "--year", "2024"), ("report", "--year", "2024")):
        r = cli(*args, "--project", loaded)
        assert r.exit_code != 0 and "Traceback" not in r.output
        assert "klimaregnskap.toml" in r.output
        assert "key 'accounting.electricty_method'" in r.output
        assert "did you mean 'accounting.electricity_method'" in r.output
    pd.testing.assert_frame_equal(before[1], snapshot(loaded)[1])


def test_missing_file_and_missing_project(project, cli, tmp_path):
    r = cli("load", project / "nope.csv", "--project", project)
    assert r.exit_code != 0 and "nope.csv" in r.output and "not found" in r.output
    r = cli("status", "--project", tmp_path / "elsewhere")
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "klimaregnskap init" in r.output


def test_load_twice_changes_nothing(loaded, cli):
    before = snapshot(loaded)
    r = cli("load", loaded / "good.csv", "--project", loaded)
    assert r.exit_code == 0 and "already loaded" in r.output
    pd.testing.assert_frame_equal(before[1], snapshot(loaded)[1])


def test_check_fails_on_a_bad_file_and_names_it(loaded, cli):
    write(loaded / "inputs" / "ok.csv", H + "a,2023,diesel,5,L\n")
    write(loaded / "inputs" / "broken.csv", H + "a,2023,diesel,5,gallonz\n")
    r = cli("check", "--project", loaded)
    assert_clean_refusal(r, loaded / "inputs" / "broken.csv", 2, "unit")
    assert "1 with errors" in r.output
    r = cli("check", "--project", loaded)  # the good file stays imported, the bad one refused
    assert r.exit_code != 0
    (loaded / "inputs" / "broken.csv").unlink()
    assert cli("check", "--project", loaded).exit_code == 0


@pytest.mark.parametrize("command", [("status",), ("report",)])
def test_lang_is_validated_before_any_work(loaded, cli, command):
    r = cli(*command, "--year", "2024", "--lang", "de", "--project", loaded)
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "unknown language 'de'" in r.output and "nb or en" in r.output
    assert not (loaded / "reports").exists()


def test_explain_unknown_site_and_indicator(loaded, cli):
    r = cli("explain", "emissions", "--year", "2024", "--site", "x", "--project", loaded)
    assert r.exit_code != 0 and "unknown site 'x'" in r.output and "a, b" in r.output
    r = cli("explain", "emisions", "--year", "2024", "--project", loaded)
    assert r.exit_code != 0 and "unknown indicator" in r.output and "Traceback" not in r.output


def test_factors_filters_and_unknown_activity(project, cli, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # no width to fit: one table row per factor row
    r = cli("factors", "--activity", "diesel", "--project", project, "--lang", "en")
    assert r.exit_code == 0
    assert re.search(r"diesel\s+│\s+2024\s+│\s+2\.66155\s+│\s+kgCO2e/L", r.output), r.output
    assert "10.056" in r.output and "kWh/L" in r.output
    r = cli("factors", "--activity", "diesl", "--project", project)
    assert r.exit_code != 0 and "did you mean diesel" in r.output


def test_init_refuses_existing_project(project, cli):
    r = cli("init", project)
    assert r.exit_code != 0 and "already exists" in r.output and "Traceback" not in r.output


# ------------------------------------------------------------ the demo trust

@pytest.fixture(scope="module")
def demo(demo_copy, demo_report):
    """A copy of the demo trust (its ledger loaded once per session), checked and reported.

    ``reports/2025`` starts as the session's English demo report, so the report
    command keeps its charts (the same content) and recomputes everything else.
    """
    from typer.testing import CliRunner

    from klimaregnskap.cli import app

    d = demo_copy
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, [str(a) for a in args] + ["--project", str(d)],
                             catch_exceptions=False)

    check = run("check")
    shutil.copytree(demo_report("en"), d / "reports" / "2025")
    report = run("report", "--year", "2025", "--lang", "en")
    return d, run, check, report


def test_demo_check_passes_and_prints_meters_and_sites(demo, monkeypatch):
    d, run, check, _ = demo
    assert check.exit_code == 0, check.output
    assert "0 med feil" in check.output  # the demo's language: nb
    # every year of the demo rests on complete data (tests/test_pipeline_completeness.py)
    assert "komplett: alle indikatorer for alle år bygger på komplette data" in check.output
    # the demo's language is nb: titles, carriers and roles in Norwegian, decimal commas
    assert "Datakvalitet per måler og år" in check.output and "Per lokasjon" in check.output
    assert "707057500012345671" in check.output and "Strøm," in check.output
    assert "hovedmåler" in check.output
    assert "│ 2021 │   99,59 │" in check.output
    assert "…" not in check.output, "no column cut when stdout is not a terminal"
    monkeypatch.delenv("COLUMNS", raising=False)  # a pipe: the table at its natural width
    again = run("check", "--lang", "en")
    assert again.exit_code == 0 and "0 newly imported" in again.output
    assert "complete: every indicator of every year rests on complete data" in again.output
    assert "Meter data quality per meter and year" in again.output
    assert "Electricity, main" in again.output and "│ 2021 │    99.59 │" in again.output


def test_demo_status_2024_prints_every_indicator_with_status(demo):
    _, run, _, _ = demo
    r = run("status", "--year", "2024", "--lang", "en")
    assert r.exit_code == 0, r.output
    for name in ("Greenhouse-gas emissions (scope 1 and 2)", "Climate neutrality (net zero)",
                 "Energy use (delivered energy)", "Share of recovered energy", "Food waste",
                 "Share of products free of harmful substances"):
        line = next((l for l in r.output.splitlines() if name in l), None)
        assert line is not None, name
        assert re.search(r"On track|Off track|Achieved", line), line
    assert "…" not in r.output
    nb = run("status", "--year", "2024")
    assert nb.exit_code == 0 and "Klimagassutslipp (scope 1 og 2)" in nb.output
    assert "I rute" in nb.output


#: internal codes that must not reach a person (issue 13, 9)
CODES = re.compile(r"\b(on_track|off_track|no_data|no_baseline|climate_neutral|energy_normalised|"
                   r"recovered_heat_share|food_waste|chemical_free_share)\b|\((emissions|energy)\)")


@pytest.mark.parametrize("columns", [80, 100])
def test_demo_status_fits_the_columns_without_a_terminal(demo, monkeypatch, columns):
    """Issue 13 (9): COLUMNS is honoured without a TTY, nothing is cut, no number is split,
    no internal code shows, nb numbers have a decimal comma, energy is in MWh."""
    _, run, _, _ = demo
    monkeypatch.setenv("COLUMNS", str(columns))
    r = run("status", "--year", "2025")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    assert "…" not in r.output and not CODES.search(r.output), CODES.search(r.output)
    assert lines[0] == "Demo HF: 2025 (basisår 2019)"
    assert "Klimagassutslipp (scope 1 og 2): I rute" in lines
    assert "Energibruk (levert energi): Ikke i rute" in lines
    # one record per indicator, broken only between figures
    text = r.output.replace("\n  ", "   ")
    assert "Verdi\u00a02025:\u00a01\u00a0182\u00a0tCO2e" in text
    assert "Verdi\u00a02025:\u00a035\u00a0682\u00a0MWh" in text
    assert "Endring:\u00a0+120,0\u00a0%\u00a0(+6,0\u00a0p.p.)" in text
    assert "kWh" not in r.output


def test_demo_status_in_english_is_a_table_when_it_fits(demo, monkeypatch):
    _, run, _, _ = demo
    monkeypatch.setenv("COLUMNS", "220")
    r = run("status", "--year", "2025", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert all(len(line) <= 220 for line in r.output.splitlines())
    row = next(l for l in r.output.splitlines() if "Energy use (delivered energy)" in l)
    assert "35,682\u00a0MWh" in row and "Off track" in row and "-6.0%" in row
    assert not CODES.search(r.output)


def test_help_and_version(cli):
    """Issue 13 (10): -h and --version."""
    from klimaregnskap import __version__

    r = cli("--version")
    assert r.exit_code == 0 and r.output == f"klimaregnskap {__version__}\n"
    r = cli("-h")
    assert r.exit_code == 0 and "Usage:" in r.output and "--version" in r.output
    r = cli("load", "-h")
    assert r.exit_code == 0 and "CSV, XLSX or XLS files to import" in r.output


def test_commands_find_the_project_looking_upward(loaded, cli, monkeypatch):
    """Issue 13 (10): run from a folder inside the project, the project is found."""
    sub = loaded / "inputs" / "deeper"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    r = cli("status", "--year", "2024", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "no project" not in r.output and "(baseline 2019)" in r.output


def test_report_of_a_year_without_data_names_the_years_with_data(loaded, cli):
    """Issue 13 (10): report --year 2030 is an error, not an empty report."""
    r = cli("report", "--year", "2030", "--project", loaded)
    assert r.exit_code == 1
    assert r.output == ("error: --year 2030: no data for 2030 in the ledger; the inputs have "
                        "data for 2024\n")
    assert not (loaded / "reports" / "2030").exists()


def test_check_prints_the_load_warnings(loaded, cli):
    """Issue 13: a further sheet laid out as data is named by check (sheet_not_read)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024"
    for row in [["site", "period", "activity", "quantity", "unit"], ["a", "2024-05", "diesel", 7, "L"]]:
        ws.append(row)
    ws2 = wb.create_sheet("2025")
    for row in [["site", "period", "activity", "quantity", "unit"], ["a", "2025-05", "diesel", 9, "L"]]:
        ws2.append(row)
    (loaded / "inputs").mkdir(exist_ok=True)
    wb.save(loaded / "inputs" / "to_ar.xlsx")
    r = cli("check", "--project", loaded, "--lang", "en")
    assert "warning: " in r.output
    assert "to_ar.xlsx: sheet '2025' looks like activity data and was not read" in r.output


def test_demo_report_writes_summary(demo):
    d, _, _, report = demo
    assert report.exit_code == 0, report.output
    s = json.loads((d / "reports" / "2025" / "summary.json").read_text(encoding="utf-8"))
    assert s["year"] == 2025 and set(s["sites"]) == {"sentral", "nordby", "fjordklinikk"}


@pytest.mark.parametrize("site", ["sentral", "nordby", "fjordklinikk"])
def test_demo_explain_site_adds_up_to_summary(demo, site):
    d, run, _, report = demo
    assert report.exit_code == 0
    s = json.loads((d / "reports" / "2025" / "summary.json").read_text(encoding="utf-8"))
    r = run("explain", "emissions", "--year", "2025", "--site", site, "--lang", "en")
    assert r.exit_code == 0, r.output
    head = re.match(r"Greenhouse-gas emissions \(scope 1 and 2\) 2025 at site (\S+): "
                    r"([\d ]+\.\d+) tCO2e", r.output)
    assert head and head.group(1) == site
    parts = [float(x.replace(" ", "")) for x in re.findall(r"= ([\d ]+\.\d+) tCO2e\s+\[", r.output)]
    assert parts, r.output
    expected = s["sites"][site]["emissions_tco2e"]
    assert float(head.group(2).replace(" ", "")) == pytest.approx(expected, abs=5e-4)
    # each part is rounded to 0.1 kg; the sum stays within that rounding
    assert sum(parts) == pytest.approx(expected, abs=5e-5 * len(parts) + 1e-9)


def test_demo_explain_total_matches_indicator(demo):
    d, run, _, _ = demo
    s = json.loads((d / "reports" / "2025" / "summary.json").read_text(encoding="utf-8"))
    r = run("explain", "emissions", "--year", "2025", "--lang", "en")
    head = re.match(r"Greenhouse-gas emissions \(scope 1 and 2\) 2025: ([\d ]+\.\d+) tCO2e",
                    r.output)
    assert float(head.group(1).replace(" ", "")) == pytest.approx(
        s["indicators"]["emissions"]["value"], abs=5e-4)


def test_demo_explain_in_the_projects_language_adds_up(demo):
    """The demo's language is nb: Norwegian words and numbers (12 345,678), the same figure."""
    d, run, _, _ = demo
    s = json.loads((d / "reports" / "2025" / "summary.json").read_text(encoding="utf-8"))
    r = run("explain", "emissions", "--year", "2025")
    assert r.exit_code == 0, r.output

    def nb_number(x: str) -> float:
        return float(x.replace("\u00a0", "").replace(",", "."))

    head = re.match(r"Klimagassutslipp \(scope 1 og 2\) 2025: ([\d\u00a0]+,\d+) tCO2e \(scope ",
                    r.output)
    assert head, r.output[:300]
    assert nb_number(head.group(1)) == pytest.approx(s["indicators"]["emissions"]["value"],
                                                     abs=5e-4)
    parts = [nb_number(x) for x in re.findall(r"= ([\d\u00a0]+,\d+) tCO2e\s+\[", r.output)]
    assert parts and sum(parts) == pytest.approx(nb_number(head.group(1)),
                                                 abs=5e-5 * len(parts) + 1e-9)
    assert " rad " in r.output and "faktor: " in r.output and "sum av delene: " in r.output
    # (a factor's source is data, quoted as its publisher wrote it, and may be English)
    for english in ("csv row ", "; factor: ", "sum of parts", "readings in the ledger",
                    "fallback from"):
        assert english not in r.output, english


def test_demo_factors_lists_2019_to_2025_with_sources(demo, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)  # no width to fit: one table row per factor row
    _, run, _, _ = demo
    r = run("factors")
    assert r.exit_code == 0
    rows = [l for l in r.output.splitlines() if l.startswith("│")]
    years = {int(m) for l in rows for m in re.findall(r"│\s+(20\d\d)\s+│", l)}
    assert set(range(2019, 2026)) <= years
    assert "…" not in r.output, "sources are printed in full when not on a terminal"
    for l in rows:
        cells = [c.strip() for c in l.strip("│").split("│")]
        assert cells[-1], f"row without a source: {l}"
    r = run("factors", "--activity", "electricity", "--year", "2023")
    assert r.exit_code == 0 and "NVE" in r.output
    years = {int(m) for m in re.findall(r"│\s+(20\d\d)\s+│", r.output)}
    assert years and max(years) <= 2023, "only the factors in force in 2023"


def test_subprocess_bad_file_no_traceback(loaded):
    """The real entry point, output to a pipe: clean message, exit code 1."""
    import subprocess
    import sys

    bad = write(loaded / "bad.csv", H + "a,2024-03,diesel,fem,L\n")
    r = subprocess.run([sys.executable, "-m", "klimaregnskap", "load", str(bad), "--project",
                        str(loaded)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert "bad.csv, row 2, column 'quantity': not a number; found 'fem'" in r.stderr


def test_factors_year_fallback_wraps_to_columns_and_csv(project, cli, monkeypatch):
    """Issue 12: per series the row in force, 'fallback' with its year, lines no
    wider than COLUMNS (numbers never cut), full rows in csv, nb names."""
    monkeypatch.setenv("COLUMNS", "100")
    r = cli("factors", "--year", "2024", "--project", project, "--lang", "en")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert max(len(l) for l in lines) <= 100
    i = lines.index(next(l for l in lines if l.startswith("electricity  2023  15 gCO2e/kWh")))
    assert "the 2023 row is in force" in lines[i + 1]
    assert any(l.startswith("flight_international  2024  0.1758 kgCO2e/pkm") for l in lines)
    r = cli("factors", "--year", "2024", "--project", project, "--lang", "nb")
    assert "Fyringsolje (fuel_oil)  2024  2.75541 kgCO2e/L" in r.output
    r = cli("factors", "--year", "2024", "--activity", "electricity", "--format", "csv",
            "--project", project)
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(r.output)))
    loc = next(x for x in rows if x["method"] == "location")
    assert (loc["year"], loc["fallback"], loc["from_year"]) == ("2023", "True", "2023")
    assert loc["source"].startswith("NVE") and len(loc["source"]) > 200


def test_status_rows_say_reached_and_choose_one_energy_unit():
    """Issue 13 (9, 12): a reached target reads "nådd"; energy of the table in one unit."""
    from types import SimpleNamespace

    from klimaregnskap.cli import status_rows

    view = {"indicators": {
        "energy": {"unit": "kWh", "value": 35_682_492.0, "baseline": 37_956_953.0,
                   "change_pct": -6.0, "target_value": 30_365_563.0, "target_year": 2030,
                   "path_value": 33_816_195.0, "status": "achieved",
                   "required_annual_change_pct": 1.5, "projected_target_year_value": None},
        "food_waste": {"unit": "kg", "value": 107_126.0, "baseline": 167_477.0,
                       "change_pct": -36.0, "status": "off_track",
                       "required_annual_change_pct": -4.8}}}
    config = SimpleNamespace(targets={})
    nb = status_rows(view, config, 2025, "nb")
    assert nb[0]["indicator"] == "Energibruk (levert energi)" and nb[0]["status"] == "Nådd"
    assert nb[0]["value"] == "35\u00a0682\u00a0MWh" and nb[0]["required"] == "nådd"
    assert nb[0]["target"] == "30\u00a0366\u00a0MWh (2030)" and nb[0]["projected"] == "–"
    assert nb[1]["required"] == "-4,8\u00a0%" and nb[1]["status"] == "Ikke i rute"
    en = status_rows(view, config, 2025, "en")
    assert en[0]["required"] == "reached" and en[0]["value"] == "35,682\u00a0MWh"
    assert en[1]["change"] == "-36.0%" and en[1]["value"] == "107,126\u00a0kg"
