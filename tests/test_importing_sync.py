"""The ledger follows inputs/ (DESIGN §3): importing.sync_inputs and `load` on real projects.

Each test edits, removes and restores files in a hand-made project's
``inputs/`` and checks the current rows, the history and what the commands
say. Figures are worked out by hand in the docstrings.
"""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimaregnskap import importing, ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.config import load_config
from klimaregnskap.pipeline import build_accounts

from conftest import BASE_CONFIG, build, write

H = "site,period,activity,quantity,unit\n"
REGISTRY = "meter_id,site,carrier,kind,role,unit\nM1,a,electricity,interval,main,kWh\n"


@lru_cache(maxsize=1)
def shipped_library():
    """The shipped factor library, read once (the projects here have no factors/ of their own)."""
    return fl.load_library(None)


def sync(project: Path):
    con = ledger.connect(project)
    try:
        return importing.sync_inputs(con, load_config(project), shipped_library())
    finally:
        con.close()


def current(project: Path, kind: str = "activity") -> pd.DataFrame:
    con = ledger.connect(project)
    try:
        return ledger.current(con, kind)
    finally:
        con.close()


def diesel(project: Path) -> float:
    cur = current(project)
    return float(cur.loc[cur["activity"] == "diesel", "quantity"].sum())


def n_imports(project: Path) -> int:
    con = ledger.connect(project)
    try:
        return len(ledger.imports(con))
    finally:
        con.close()


# ------------------------------------------------------------ remove, edit, restore

def test_removed_file_is_withdrawn_and_restored_without_import(project):
    """main 2,079 L + B 500 L; B removed: 2,079 L; B back: 2,579 L, and no new import."""
    inputs = project / "inputs"
    write(inputs / "diesel_2025.csv", H + "a,2025,diesel,2079,L\n")
    b = write(inputs / "diesel_leverandor_B_2025.csv", H + "a,2025,diesel,500,L\n")
    out = sync(project)
    assert not out.errors and out.added == ["inputs/diesel_2025.csv",
                                            "inputs/diesel_leverandor_B_2025.csv"]
    assert diesel(project) == 2579.0
    text = b.read_text()
    b.unlink()
    out = sync(project)
    assert out.removed == ["inputs/diesel_leverandor_B_2025.csv"] and not out.added
    assert diesel(project) == 2079.0
    # the withdrawn row stays in the history
    con = ledger.connect(project)
    hist = ledger.history(con, "activity")
    con.close()
    assert hist.loc[hist["file"] == "inputs/diesel_leverandor_B_2025.csv",
                    "superseded_by"].tolist() == [0]
    write(b, text)
    out = sync(project)
    assert out.added == ["inputs/diesel_leverandor_B_2025.csv"]
    assert all(r.skipped for r in out.records) and n_imports(project) == 2
    assert diesel(project) == 2579.0


def test_edited_file_copied_back_is_current_again(project):
    """User report (a): 2,079 L edited to 2,000 L, then the original copied back: 2,079 L."""
    f = write(project / "inputs" / "diesel_2025.csv", H + "a,2025,diesel,2079,L\n")
    original = f.read_bytes()
    sync(project)
    write(f, H + "a,2025,diesel,2000,L\n")
    out = sync(project)
    assert out.changed == ["inputs/diesel_2025.csv"] and diesel(project) == 2000.0
    f.write_bytes(original)
    out = sync(project)
    assert out.changed == ["inputs/diesel_2025.csv"]
    assert out.records[0].restored and n_imports(project) == 2
    assert diesel(project) == 2079.0
    # nothing changed: nothing to say
    out = sync(project)
    assert (out.added, out.changed, out.removed) == ([], [], [])


def test_supplement_adds_and_warns_only_when_quantities_differ(project):
    """User report (c): the second supplier's 500 L adds to the main file's 2,079 L."""
    write(project / "inputs" / "diesel_2025.csv", H + "a,2025,diesel,2079,L\n")
    b = write(project / "inputs" / "diesel_leverandor_B_2025.csv", H + "a,2025,diesel,500,L\n")
    acc = build(project, 2025)
    assert acc.activity.loc[acc.activity["activity"] == "diesel", "quantity"].sum() == 2579.0
    rep = [w for w in acc.warnings if w.code == "repeated_key"]
    assert len(rep) == 1
    w = rep[0]
    assert (w.file, w.row, w.get("other_file"), w.get("other_row")) == (
        "inputs/diesel_leverandor_B_2025.csv", 2, "inputs/diesel_2025.csv", 2)
    assert w.message == ("a, 2025, diesel: inputs/diesel_leverandor_B_2025.csv row 2 (500) and "
                         "inputs/diesel_2025.csv row 2 (2079) give different quantities; both "
                         "are counted (is one a corrected copy of the other?)")
    # the same quantity in both files (not the same bytes: those would count once):
    # both count, 4,158 L, and no warning
    write(b, "site,period,activity,quantity,unit,note\na,2025,diesel,2079,L,leverandør B\n")
    acc = build(project, 2025)
    assert acc.activity.loc[acc.activity["activity"] == "diesel", "quantity"].sum() == 4158.0
    assert not [w for w in acc.warnings if w.code == "repeated_key"]


def test_corrected_copy_beside_its_original_counts_both_and_warns(project, cli, undrawn_charts):
    """diesel 2,079 L and a corrected copy with 2,097 L: 4,176 L, and check names both."""
    write(project / "inputs" / "diesel_2025.csv",
          H + "a,2025,diesel,2079,L\na,2025,fuel_oil,10,L\n")
    write(project / "inputs" / "diesel_2025_korrigert.csv",
          H + "a,2025,diesel,2097,L\na,2025,fuel_oil,10,L\n")
    acc = build(project, 2025)
    act = acc.activity
    assert act.loc[act["activity"] == "diesel", "quantity"].sum() == 4176.0
    assert act.loc[act["activity"] == "fuel_oil", "quantity"].sum() == 20.0
    r = cli("check", "--project", project)
    assert ("warning: a, 2025, diesel: inputs/diesel_2025_korrigert.csv row 2 (2097) and "
            "inputs/diesel_2025.csv row 2 (2079) give different quantities") in r.output
    r = cli("report", "--year", "2025", "--project", project, "--lang", "en")
    assert r.exit_code == 0, r.output
    summary = json.loads((project / "reports" / "2025" / "summary.json").read_text())
    assert [w["code"] for w in summary["data_quality"]["warnings"]].count("repeated_key") == 1


def test_conflicting_operations_are_an_error_naming_both_files(project, cli):
    write(project / "inputs" / "drift.csv", "year,site,patient_days\n2024,a,1000\n2024,b,50\n")
    write(project / "inputs" / "drift_a.csv", "year,site,patient_days\n2024,a,1200\n")
    out = sync(project)
    assert len(out.errors) == 1
    err = out.errors[0][1]
    assert (err.file, err.row, err.column) == ("inputs/drift_a.csv", 2, "patient_days")
    assert "inputs/drift.csv row 2" in err.message
    for command in ("status", "report"):
        r = cli(command, "--project", project, "--year", "2024")
        assert r.exit_code == 1 and "Traceback" not in r.output
        assert "drift_a.csv, row 2, column 'patient_days'" in r.output
        assert "drift.csv row 2" in r.output
    # agreeing duplicates count once
    write(project / "inputs" / "drift_a.csv", "year,site,patient_days\n2024,a,1000\n")
    assert not sync(project).errors
    assert current(project, "operations")["patient_days"].sum() == 1050.0


def test_readings_later_path_and_measured_over_estimated(project, cli):
    """Two exports for M1's first two hours of 2024 (local): the measured and later ones stand."""
    inputs = project / "inputs"
    write(inputs / "registry.csv", REGISTRY)
    head = "meter_id,timestamp,value,quality\n"
    write(inputs / "m1_20240110.csv", head + "M1,2024-01-01 00:00,5,measured\n"
                                             "M1,2024-01-01 01:00,5,estimated\n")
    write(inputs / "m1_20240201.csv", head + "M1,2024-01-01 00:00,7,estimated\n"
                                             "M1,2024-01-01 01:00,6,measured\n")
    assert not sync(project).errors
    cur = current(project, "meter_readings").sort_values("ts_utc")
    assert cur["value"].tolist() == [5.0, 6.0]
    assert cur["file"].tolist() == ["inputs/m1_20240110.csv", "inputs/m1_20240201.csv"]
    # both measured now: the later export (20240201) stands for both hours
    write(inputs / "m1_20240201.csv", head + "M1,2024-01-01 00:00,7,measured\n"
                                             "M1,2024-01-01 01:00,6,measured\n")
    sync(project)
    assert sorted(current(project, "meter_readings")["value"]) == [6.0, 7.0]
    acc = build(project, 2024)
    assert [(w.meter_id, w.file, w.get("other_file"), w.get("count"))
            for w in acc.warnings if w.code == "readings_replaced"] == [
        ("M1", "inputs/m1_20240201.csv", "inputs/m1_20240110.csv", 2)]
    # check names both files
    r = cli("check", "--project", project, "--year", "2024")
    assert ("warning: meter M1: 2 reading(s) of inputs/m1_20240110.csv differ from "
            "inputs/m1_20240201.csv, whose values stand") in r.output


def test_identical_files_count_once_with_a_warning(project):
    write(project / "inputs" / "diesel_2025.csv", H + "a,2025,diesel,2079,L\n")
    shutil.copy(project / "inputs" / "diesel_2025.csv", project / "inputs" / "kopi.csv")
    acc = build(project, 2025)
    assert acc.activity["quantity"].sum() == 2079.0
    assert [(w.file, w.get("other_file")) for w in acc.warnings if w.code == "identical_files"] == [
        ("inputs/kopi.csv", "inputs/diesel_2025.csv")]


# ------------------------------------------------------------ non-data files and errors

def test_non_data_files_are_skipped_and_listed(project, cli):
    inputs = project / "inputs"
    write(inputs / "diesel_2025.csv", H + "a,2025,diesel,10,L\n")
    write(inputs / "notater.txt", "site,period,activity,quantity,unit\nzz,2025,x,1,L\n")
    (inputs / "faktura.pdf").write_bytes(b"%PDF-1.4 not data")
    (inputs / "~$aktivitet.xlsx").write_bytes(b"lock")
    (inputs / ".DS_Store").write_bytes(b"\x00")
    r = cli("check", "--project", project)
    assert r.exit_code == 0, r.output
    for name in ("notater.txt", "faktura.pdf", "~$aktivitet.xlsx", ".DS_Store"):
        assert f"skipped: inputs/{name}: not a data file" in r.output
    assert "new: inputs/diesel_2025.csv" in r.output
    r = cli("status", "--project", project, "--year", "2025")
    assert r.exit_code == 0, r.output


def test_status_and_report_stop_while_a_file_has_an_error_check_lists_all(project, cli):
    inputs = project / "inputs"
    write(inputs / "diesel_2025.csv", H + "a,2025,diesel,10,L\n")
    assert cli("check", "--project", project).exit_code == 0
    write(inputs / "bad1.csv", H + "a,2025,diesel,ti,L\n")
    write(inputs / "bad2.csv", H + "zz,2025,diesel,1,L\n")
    r = cli("check", "--project", project)
    assert r.exit_code == 1
    assert "bad1.csv, row 2, column 'quantity'" in r.output
    assert "bad2.csv, row 2, column 'site'" in r.output
    for args in (("status",), ("report", "--lang", "en")):
        r = cli(*args, "--project", project, "--year", "2025")
        assert r.exit_code == 1 and "Traceback" not in r.output
        assert "bad1.csv, row 2, column 'quantity'" in r.output
    assert not (project / "reports" / "2025").exists()


def test_check_tells_new_changed_removed(project, cli):
    inputs = project / "inputs"
    write(inputs / "a.csv", H + "a,2025,diesel,10,L\n")
    write(inputs / "b.csv", H + "a,2025,diesel,20,L\n")
    cli("check", "--project", project)
    write(inputs / "a.csv", H + "a,2025,diesel,11,L\n")
    (inputs / "b.csv").unlink()
    write(inputs / "c.csv", H + "a,2025,fuel_oil,5,L\n")
    r = cli("check", "--project", project)
    assert r.exit_code == 0, r.output
    assert "new: inputs/c.csv" in r.output
    assert "changed: inputs/a.csv: its rows replace those of its earlier content" in r.output
    assert "removed: inputs/b.csv: its rows are withdrawn" in r.output


def test_check_summary_and_sync_story_in_both_languages(project, cli):
    """check's summary lines and the sync story in the project's language (nb here), and in en
    with --lang; exact lines. The base project has two sites and the shipped library."""
    cfg = (project / "klimaregnskap.toml").read_text(encoding="utf-8")
    write(project / "klimaregnskap.toml", cfg.replace('language = "en"', 'language = "nb"'))
    inputs = project / "inputs"
    write(inputs / "a.csv", H + "a,2025,diesel,10,L\n")
    write(inputs / "b.csv", H + "a,2025,diesel,20,L\n")
    write(inputs / "LESMEG.txt", "notater\n")
    r = cli("check", "--project", project)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("Test HF: konfigurasjonen er i orden (2 lokasjoner), "
                               "faktorbiblioteket er i orden (") and lines[0].endswith(" rader)")
    assert lines[1] == "inndata: 2 gyldige fil(er), 2 nylig importert, 0 med feil, 1 hoppet over"
    assert "ny: inputs/a.csv" in lines and "ny: inputs/b.csv" in lines
    assert ("hoppet over: inputs/LESMEG.txt: ikke en datafil (CSV, XLSX eller XLS), ikke lest"
            in lines)
    write(inputs / "a.csv", H + "a,2025,diesel,11,L\n")
    (inputs / "b.csv").unlink()
    write(inputs / "c.csv", H + "a,2025,fuel_oil,5,L\n")
    r = cli("check", "--project", project)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[1] == "inndata: 2 gyldige fil(er), 2 nylig importert, 0 med feil, 1 hoppet over"
    assert "ny: inputs/c.csv" in lines
    assert "endret: inputs/a.csv: radene erstatter radene fra det tidligere innholdet" in lines
    assert ("fjernet: inputs/b.csv: radene er trukket tilbake (beholdt i hovedbokens historikk)"
            in lines)
    for english in ("configuration OK", "file(s) valid", "new: ", "changed: ", "removed: ",
                    "skipped: ", "complete: "):
        assert english not in r.output, english
    write(inputs / "bad.csv", H + "a,2025,diesel,ti,L\n")
    r = cli("check", "--project", project)
    assert r.exit_code == 1
    assert "1 fil(er) ble ikke importert; rett dem og kjør igjen." in r.output
    r = cli("check", "--project", project, "--lang", "en")
    assert r.exit_code == 1
    lines = r.output.splitlines()
    assert lines[0].startswith("Test HF: configuration OK (2 sites), factor library OK (")
    assert lines[1] == "inputs: 2 file(s) valid, 0 newly imported, 1 with errors, 1 skipped"
    assert "skipped: inputs/LESMEG.txt: not a data file (CSV, XLSX or XLS), not read" in lines
    assert "1 file(s) not imported; fix them and run again." in r.output


# ------------------------------------------------------------ load copies into inputs/

def test_load_copies_into_inputs_and_replaces_by_name(project, cli, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    f = write(outside / "diesel_2025.csv", H + "a,2025,diesel,2079,L\n")
    r = cli("load", f, "--project", project)
    assert r.exit_code == 0, r.output
    assert "copied to inputs/diesel_2025.csv" in r.output and "replacing" not in r.output
    assert (project / "inputs" / "diesel_2025.csv").read_bytes() == f.read_bytes()
    write(f, H + "a,2025,diesel,2000,L\n")
    r = cli("load", f, "--project", project)
    assert r.exit_code == 0, r.output
    assert "replacing the file of that name" in r.output
    assert diesel(project) == 2000.0
    assert not [p for p in (project / "inputs").iterdir() if p.name.startswith(".")]
    # the next sync finds inputs/ as load left it: nothing to do
    out = sync(project)
    assert (out.added, out.changed, out.removed, out.errors) == ([], [], [], [])


def test_load_of_a_file_inside_inputs_imports_it_where_it_is(project, cli):
    f = write(project / "inputs" / "sub" / "diesel_2025.csv", H + "a,2025,diesel,7,L\n")
    r = cli("load", f, "--project", project)
    assert r.exit_code == 0 and "copied" not in r.output, r.output
    assert sorted(p.name for p in (project / "inputs").rglob("*")) == ["diesel_2025.csv", "sub"]
    assert set(current(project)["file"]) == {"inputs/sub/diesel_2025.csv"}
    r = cli("load", f, "--project", project)
    assert "already loaded, nothing changed" in r.output


def test_refused_load_leaves_no_copy(project, cli, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    bad = write(outside / "bad.csv", H + "a,2025,diesel,fem,L\n")
    r = cli("load", bad, "--project", project)
    assert r.exit_code == 1 and "bad.csv, row 2, column 'quantity'" in r.output
    assert sorted(p.name for p in (project / "inputs").iterdir()) == []
    note = write(outside / "notat.txt", "hei\n")
    r = cli("load", note, "--project", project)
    assert r.exit_code == 1 and "not a data file" in r.output
    assert sorted(p.name for p in (project / "inputs").iterdir()) == []


# ------------------------------------------------------------ changes since the previous report

def test_summary_changes_since_the_previous_report(project, cli, undrawn_charts):
    inputs = project / "inputs"
    write(inputs / "a.csv", H + "a,2025,diesel,10,L\n")
    write(inputs / "b.csv", H + "a,2025,diesel,20,L\n")

    def report():
        r = cli("report", "--year", "2025", "--project", project, "--lang", "en")
        assert r.exit_code == 0, r.output
        return json.loads((project / "reports" / "2025" / "summary.json").read_text())

    first = report()
    assert first["changes"] == {"since": None, "added": [], "changed": [], "removed": []}
    assert "This is the project's first report" in (
        project / "reports" / "2025" / "report.md").read_text()
    write(inputs / "a.csv", H + "a,2025,diesel,30,L\n")
    (inputs / "b.csv").unlink()
    write(inputs / "sub" / "c.csv", H + "a,2025,fuel_oil,5,L\n")
    second = report()
    assert second["changes"] == {"since": first["generated_at"], "added": ["sub/c.csv"],
                                 "changed": ["a.csv"], "removed": ["b.csv"]}
    md = (project / "reports" / "2025" / "report.md").read_text()
    assert "| a.csv | changed | Activity data | 1 | 1 |" in md
    assert "| b.csv | removed | Activity data | 1 |  |" in md
    third = report()
    assert third["changes"] == {"since": second["generated_at"], "added": [], "changed": [],
                                "removed": []}


# ------------------------------------------------------------ hypothesis: order never shows

ACTIVITY = [H + "a,2025,diesel,100,L\n", H + "a,2025,diesel,150,L\nb,2025,fuel_oil,3,L\n",
            H + "a,2025,diesel,100,L\na,2025-02,diesel,7,L\n"]
READINGS = ["meter_id,timestamp,value,quality\n"
            + "".join(f"M1,2025-01-01 {h:02d}:00,{v},{q}\n" for h, v, q in rows)
            for rows in ([(0, 1, "measured"), (1, 2, "measured")],
                         [(1, 5, "estimated"), (2, 5, "measured")],
                         [(0, 3, "measured"), (2, 4, "measured"), (3, 4, "estimated")])]
FILES = {"act1.csv": ACTIVITY, "act2.csv": ACTIVITY, "r_a.csv": READINGS, "r_b.csv": READINGS,
         "R_c.csv": READINGS, "registry_kopi.csv": [REGISTRY]}
STEP = st.tuples(st.sampled_from(sorted(FILES)), st.one_of(st.none(), st.integers(0, 2)))


def _apply(project: Path, name: str, variant) -> None:
    path = project / "inputs" / name
    if variant is None:
        path.unlink(missing_ok=True)
    else:
        contents = FILES[name]
        write(path, contents[variant % len(contents)])


def _rows(project: Path) -> dict:
    """The current rows of every kind, without import ids, in a fixed order.

    Only the kinds of the current imports are read: a row is current only
    through a current import, so every other kind has none (and two ledgers
    with different kinds of current imports differ here already).
    """
    con = ledger.connect(project)
    try:
        out = {}
        for kind in sorted(set(ledger.current_imports(con)["kind"])):
            cur = ledger.current(con, kind).drop(columns=["import_id"])
            out[kind] = sorted(map(tuple, cur.astype(str).to_numpy()))
        return out
    finally:
        con.close()


def _figures(project: Path) -> dict:
    con = ledger.connect(project)
    try:
        acc = build_accounts(con, load_config(project), shipped_library(), 2025)
        return {k: v.get("value") for k, v in acc.indicators.items()}
    finally:
        con.close()


def _history(tmp_path_factory, steps) -> tuple[Path, Path]:
    """A project taken through ``steps`` (synced after each) and a fresh one of its final inputs."""
    proj = tmp_path_factory.mktemp("hist")
    write(proj / "klimaregnskap.toml", BASE_CONFIG)
    write(proj / "inputs" / "registry.csv", REGISTRY)
    config = load_config(proj)
    con = ledger.connect(proj)
    try:
        assert not importing.sync_inputs(con, config, shipped_library()).errors
        for name, variant in steps:
            _apply(proj, name, variant)
            assert not importing.sync_inputs(con, config, shipped_library()).errors
    finally:
        con.close()
    fresh = tmp_path_factory.mktemp("fresh")
    write(fresh / "klimaregnskap.toml", BASE_CONFIG)
    shutil.copytree(proj / "inputs", fresh / "inputs")
    assert not sync(fresh).errors
    return proj, fresh


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_any_history_of_inputs_gives_the_ledger_of_the_final_inputs(tmp_path_factory, steps):
    """Add / change / remove / restore in any order: the same current rows as a fresh ledger."""
    proj, fresh = _history(tmp_path_factory, steps)
    assert _rows(proj) == _rows(fresh)


def test_a_history_of_inputs_gives_the_figures_of_the_final_inputs(tmp_path_factory):
    """One history with every rule at work gives the fresh ledger's figures, to the bit."""
    steps = [("r_a.csv", 0), ("R_c.csv", 2), ("act1.csv", 0), ("r_b.csv", 1), ("act2.csv", 1),
             ("r_a.csv", None), ("act1.csv", 1), ("registry_kopi.csv", 0), ("r_a.csv", 0),
             ("act1.csv", 0), ("R_c.csv", None)]
    proj, fresh = _history(tmp_path_factory, steps)
    assert _rows(proj) == _rows(fresh)
    assert _figures(proj) == _figures(fresh)


def test_status_on_an_older_ledger_moves_it_aside_and_rebuilds_from_inputs(project, cli):
    write(project / "inputs" / "diesel_2025.csv", H + "a,2025,diesel,2079,L\n")
    old = duckdb.connect(str(project / "klimaregnskap.duckdb"))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.close()
    r = cli("status", "--project", project, "--year", "2025")
    assert r.exit_code == 0, r.output
    assert "kept as klimaregnskap.duckdb.v1.bak" in r.output
    assert (project / "klimaregnskap.duckdb.v1.bak").exists()
    assert diesel(project) == 2079.0


@pytest.mark.parametrize("command", ["status", "report", "measures", "export"])
def test_a_file_with_an_error_is_named_in_the_projects_language(project, cli, command):
    """Issue 13 (mixed languages): status, report, measures and export, like check, say in
    the project's language that a file was not imported (nb here), and exit 1."""
    cfg = (project / "klimaregnskap.toml").read_text(encoding="utf-8")
    write(project / "klimaregnskap.toml", cfg.replace('language = "en"', 'language = "nb"'))
    write(project / "inputs" / "a.csv", H + "a,2025,diesel,ti,L\n")
    r = cli(command, "--project", project)
    assert r.exit_code == 1
    assert "1 fil(er) ble ikke importert; rett dem og kjør igjen." in r.output
    assert "file(s) not imported" not in r.output
