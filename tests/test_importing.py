"""Loading files into the ledger: idempotence, corrections, all-or-nothing, refusals.

Everything goes through ``importing.load_files`` and the project's real
DuckDB ledger; a refused file must leave the ledger exactly as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimaregnskap.pipeline import meter_stage
from klimaregnskap.calc import factors as fl
from klimaregnskap import importing, ledger
from klimaregnskap.config import load_config
from klimaregnskap.errors import InputError

from conftest import BASE_CONFIG, write

TZ = "Europe/Oslo"
EL = "707057500000000001"
REGISTRY = f"""meter_id,site,carrier,kind,role,unit,rollover
{EL},a,electricity,interval,main,kWh,
M2,a,electricity,interval,main,kWh,
REG,b,district_heating,register,main,kWh,
"""


def load(project: Path, *paths: Path):
    config = load_config(project)
    con = ledger.connect(project)
    return con, importing.load_files(con, list(paths), config, fl.load_library(project))


def hourly_csv(path: Path, meter: str, start: str, hours: int, value=1.0) -> Path:
    ts = pd.date_range(pd.Timestamp(start, tz="UTC"), periods=hours, freq="h")
    vals = np.broadcast_to(np.asarray(value, dtype="float64"), (hours,))
    pd.DataFrame({"meter_id": meter, "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "value": vals}).to_csv(path, index=False)
    return path


@pytest.fixture
def base(project: Path):
    """A project with the registry and 2024 hourly data for M2 (1 kWh each) loaded."""
    reg = write(project / "inputs" / "registry.csv", REGISTRY)
    data = hourly_csv(project / "inputs" / "m2_2024.csv", "M2", "2023-12-31T23:00:00", 8784)
    con, out = load(project, reg, data)
    assert not out.errors, out.errors
    return project, con


def year_kwh(con, meter="M2", year=2024) -> float:
    df = meter_stage(con, TZ).meter_years
    return float(df[(df["meter_id"] == meter) & (df["year"] == year)]["energy_kwh"].sum())


def snapshot(con) -> tuple:
    return (ledger.history(con, "meter_readings").to_dict("list"),
            ledger.imports(con)[["import_id", "file", "rows"]].to_dict("list"))


# ------------------------------------------------------------ idempotence

def test_loading_twice_changes_nothing(base):
    project, con = base
    before, kwh = snapshot(con), year_kwh(con)
    assert kwh == 8784.0
    _, out = load(project, project / "inputs" / "m2_2024.csv", project / "inputs" / "registry.csv")
    con = ledger.connect(project)
    assert all(r.skipped for r in out.records) and not out.errors
    assert snapshot(con) == before and year_kwh(con) == kwh


def test_correction_of_24_hours_moves_year_by_2400_and_keeps_history(base):
    project, con = base
    corr = hourly_csv(project / "inputs" / "m2_correction.csv", "M2", "2024-03-04T23:00:00", 24,
                      101.0)
    _, out = load(project, corr)
    assert not out.errors
    assert out.records[0].superseded_rows == 24
    assert year_kwh(con) == 8784.0 + 2400.0
    hist = ledger.history(con, "meter_readings")
    replaced = hist[hist["superseded_by"].notna()]
    assert len(replaced) == 24 and set(replaced["value"]) == {1.0}
    assert set(replaced["file"]) == {"inputs/m2_2024.csv"}
    assert len(hist) == 8784 + 24
    # loading the correction again is a no-op
    _, out = load(project, corr)
    assert out.records[0].skipped and year_kwh(con) == 8784.0 + 2400.0


def test_new_version_of_same_file_replaces_it_whole(base):
    project, con = base
    hourly_csv(project / "inputs" / "m2_2024.csv", "M2", "2023-12-31T23:00:00", 48, 2.0)
    _, out = load(project, project / "inputs" / "m2_2024.csv")
    assert not out.errors
    assert year_kwh(con) == 96.0


# --------------------------------------------------------------- refusals

def refused(project: Path, con, path: Path) -> InputError:
    before, kwh = snapshot(con), year_kwh(con)
    _, out = load(project, path)
    assert len(out.errors) == 1, out
    assert not out.records
    err = out.errors[0][1]
    assert isinstance(err, InputError)
    assert snapshot(con) == before and year_kwh(con) == kwh
    return err


BAD_LONG = {
    "unregistered": ("meter_id,timestamp,value\nM2,2025-01-01 00:00,1\nNOPE,2025-01-01 01:00,1\n",
                     3, "meter_id"),
    "impossible_date": ("meter_id,timestamp,value\nM2,30.01.2024 00:00,1\nM2,31.02.2024 00:00,1\n",
                        3, "timestamp"),
    "duplicate": ("meter_id,timestamp,value\nM2,2025-01-01 00:00,1\nM2,2025-01-01 01:00,1\n"
                  "M2,2025-01-01 00:00,1\n", 4, "timestamp"),
    "register_decreasing": ("meter_id,timestamp,value\nREG,2025-01-01,100\nREG,2025-02-01,90\n",
                            3, "value"),
    "kg_for_electricity": ("meter_id,timestamp,value,unit\nM2,2025-01-01 00:00,1,kWh\n"
                           "M2,2025-01-01 01:00,1,kg\n", 3, "unit"),
    "negative": ("meter_id,timestamp,value\nM2,2025-01-01 00:00,1\nM2,2025-01-01 01:00,-1\n",
                 3, "value"),
}


@pytest.mark.parametrize("case", sorted(BAD_LONG))
def test_bad_long_files_refused_with_row_and_column(base, case):
    project, con = base
    text, row, column = BAD_LONG[case]
    err = refused(project, con, write(project / "inputs" / f"{case}.csv", text))
    assert (err.row, err.column) == (row, column), str(err)
    assert err.file and f"{case}.csv" in str(err.file)


def test_duplicate_names_both_rows(base):
    project, con = base
    err = refused(project, con, write(project / "inputs" / "dup.csv", BAD_LONG["duplicate"][0]))
    assert err.extra["rows"] == [2, 4]


def test_wide_file_with_unknown_column_refused(base):
    project, con = base
    err = refused(project, con, write(project / "inputs" / "wide.csv",
                                      "tidspunkt;M2;M9\n01.01.2025 00:00;1;2\n"))
    assert (err.row, err.column) == (1, "M9")


def test_a_registry_later_in_the_same_load_is_seen_by_the_files_it_registers(project):
    # The load reads the registry from the ledger once and again only after a file
    # changed it: the wide file, refused while only M2 is registered, is tried
    # again after the second registry file and must see M9 then.
    reg1 = write(project / "inputs" / "registry_1.csv",
                 "meter_id,site,carrier,kind,role,unit\nM2,a,electricity,interval,main,kWh\n")
    wide = write(project / "inputs" / "wide_m9.csv",
                 "tidspunkt;M9\n01.01.2025 00:00;1\n01.01.2025 01:00;2\n")
    reg2 = write(project / "inputs" / "registry_2.csv",
                 "meter_id,site,carrier,kind,role,unit\nM9,b,electricity,interval,main,kWh\n")
    con, out = load(project, reg1, wide, reg2)
    assert not out.errors, out.errors
    readings = ledger.current(con, "meter_readings")
    assert sorted(readings["value"]) == [1.0, 2.0]
    assert set(readings["meter_id"]) == {"M9"}


def test_elhub_without_registered_id_refused(base):
    project, con = base
    err = refused(project, con, write(project / "inputs" / "elhub_707057500000000999.csv",
                                      "Fra;Til;KWH 60 Forbruk;Kvalitet\n"
                                      "01.02.2025 00:00;01.02.2025 01:00;6,9;Avlest\n"))
    assert "no registered meter id" in err.message


def test_binary_file_renamed_csv_refused(base):
    project, con = base
    p = project / "inputs" / "photo.csv"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    refused(project, con, p)


def test_xlsx_entity_bomb_refused_quickly(base):
    project, con = base
    p = project / "inputs" / "bomb.xlsx"
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{"&lol{}; ".format(i - 1 if i > 1 else "") * 10}">'
                     for i in range(1, 10))
           + ']><worksheet>&lol9;</worksheet>')
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", lol)
    tracemalloc.start()
    err = refused(project, con, p)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10_000_000     # refused before any expansion [bytes]
    assert "unsafe" in err.message


def test_register_decreasing_across_two_files_refused(base):
    project, con = base
    first = write(project / "inputs" / "reg_jan.csv",
                  "meter_id,timestamp,value\nREG,2025-01-01,100\nREG,2025-02-01,150\n")
    _, out = load(project, first)
    assert not out.errors
    err = refused(project, con, write(project / "inputs" / "reg_mar.csv",
                                      "meter_id,timestamp,value\nREG,2025-03-01,140\n"
                                      "REG,2025-04-01,200\n"))
    assert (err.row, err.column, err.found) == (2, "value", 140.0)
    assert "reg_jan.csv" in err.message
    # a reading placed before existing ones must not exceed the next one either
    err = refused(project, con, write(project / "inputs" / "reg_dec.csv",
                                      "meter_id,timestamp,value\nREG,2024-12-01,120\n"))
    assert (err.row, err.found) == (2, 120.0)


# ------------------------------------------------------ streamed big files

def test_streamed_file_in_chunks_one_transaction(base, monkeypatch):
    project, con = base
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1000)
    monkeypatch.setenv("KLIMAREGNSKAP_CHUNK_BYTES", "1")
    big = hourly_csv(project / "inputs" / "el_2025.csv", EL, "2024-12-31T23:00:00", 8760, 0.5)
    _, out = load(project, big)
    assert not out.errors and out.records[0].rows == 8760
    assert year_kwh(con, EL, 2025) == 4380.0


def test_streamed_repeat_across_chunks_refused(base, monkeypatch):
    project, con = base
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1000)
    monkeypatch.setenv("KLIMAREGNSKAP_CHUNK_BYTES", "1")
    p = hourly_csv(project / "inputs" / "el_2025.csv", EL, "2024-12-31T23:00:00", 5000)
    with open(p, "a") as fh:
        fh.write(f"{EL},2024-12-31T23:00:00Z,5\n")
    err = refused(project, con, p)
    assert err.extra["rows"] == [2, 5002]


# ------------------------------------------------------------- SIGKILL

KILL_CONFIG = BASE_CONFIG


def test_sigkill_mid_load_leaves_all_or_nothing(tmp_path):
    proj = tmp_path / "p"
    write(proj / "klimaregnskap.toml", KILL_CONFIG)
    reg = write(proj / "registry.csv", "meter_id,site,carrier,kind,role,unit\n"
                + "".join(f"K{i},a,electricity,interval,main,kWh\n" for i in range(20)))
    rows = 20 * 8784
    ts = pd.date_range(pd.Timestamp("2023-12-31T23:00", tz="UTC"), periods=8784, freq="h")
    stamps = np.tile(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(dtype=object), 20)
    big = proj / "big.csv"
    pd.DataFrame({"meter_id": np.repeat([f"K{i}" for i in range(20)], 8784), "timestamp": stamps,
                  "value": 1.0}).to_csv(big, index=False)
    env = dict(os.environ, KLIMAREGNSKAP_CHUNK_BYTES="1000000")
    subprocess.run([sys.executable, "-m", "klimaregnskap", "load", str(reg), "--project", str(proj)],
                   check=True, capture_output=True, env=env)
    seen = set()
    # kill at many moments: during start-up, reading, inserting, committing
    for delay in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.8, 1.2, 2.0, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "klimaregnskap", "load", str(big),
                                 "--project", str(proj)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        con = duckdb.connect(str(proj / "klimaregnskap.duckdb"))
        n = con.execute("SELECT count(*) FROM readings").fetchone()[0]
        logged = con.execute("SELECT count(*) FROM imports WHERE kind = 'meter_readings'").fetchone()[0]
        con.close()
        assert n in (0, rows), n
        assert logged == (1 if n else 0)
        seen.add(n)
        if n:
            break
    assert seen   # at least one attempt observed


# ------------------------------------------------------------ hypothesis

@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=2, max_size=30),
       split=st.integers(1, 29))
def test_twice_changes_nothing_and_total_is_sum_of_parts(tmp_path_factory, values, split):
    proj = tmp_path_factory.mktemp("h")
    write(proj / "klimaregnskap.toml", BASE_CONFIG)
    reg = write(proj / "registry.csv", REGISTRY)
    split = min(split, len(values) - 1)
    a = hourly_csv(proj / "a.csv", "M2", "2024-05-01T00:00", split, values[:split])
    ts = pd.Timestamp("2024-05-01T00:00") + pd.Timedelta(hours=split)
    b = hourly_csv(proj / "b.csv", "M2", str(ts), len(values) - split, values[split:])
    con, out = load(proj, reg, a, b)
    assert not out.errors
    total = year_kwh(con)
    assert total == pytest.approx(sum(values), rel=1e-9, abs=1e-9)
    before = snapshot(con)
    _, out = load(proj, b, a)
    assert all(r.skipped for r in out.records)
    assert snapshot(con) == before and year_kwh(con) == total


# ------------------------------------------------------------ load copies into inputs/

def _load_outside(project: Path, monkeypatch, change: bool):
    """``load`` of a registry from outside inputs/; ``change`` rewrites it once it was read."""
    outside = write(project.parent / f"outside_{change}" / "registry.csv", REGISTRY)
    hashed: list[Path] = []
    real_hash, real_load = importing.file_sha256, importing.load_files

    def counting_hash(p):
        hashed.append(Path(p))
        return real_hash(p)

    def load_then_change(*a, **k):
        out = real_load(*a, **k)
        if change:
            outside.write_text(REGISTRY.replace("M2,a", "M3,a"), encoding="utf-8")
        return out

    monkeypatch.setattr(importing, "file_sha256", counting_hash)
    monkeypatch.setattr(importing, "load_files", load_then_change)
    con = ledger.connect(project)
    out, copied = importing.load_into_inputs(con, [outside], load_config(project))
    return out, copied, hashed


def test_load_copy_of_unchanged_file_is_not_hashed_again(project, monkeypatch):
    out, copied, hashed = _load_outside(project, monkeypatch, change=False)
    assert not out.errors and [c.target for c in copied] == ["inputs/registry.csv"]
    # the source was hashed once when read; its copy is not (same inode, size, mtime)
    assert all(".klimaregnskap-load" not in p.name for p in hashed)
    assert (project / "inputs" / "registry.csv").read_text(encoding="utf-8") == REGISTRY


def test_load_of_a_file_changed_while_loaded_is_refused(project, monkeypatch):
    out, copied, _hashed = _load_outside(project, monkeypatch, change=True)
    assert copied == [] and "changed while it was loaded" in str(out.errors[0][1])
    assert not (project / "inputs" / "registry.csv").exists()
