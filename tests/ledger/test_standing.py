"""Which rows stand (DESIGN §3 "The ledger follows inputs/"), on a real DuckDB ledger.

Rows are stored with :func:`ledger.store` (one file each) and files are
withdrawn with :func:`ledger.withdraw`; the current rows must follow the
current file set by the rules of ``ledger/standing.py``, whatever the order.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from klimaregnskap import ledger
from klimaregnskap.errors import InputError


def readings(meter, stamps, values, quality=None, first_row=2):
    n = len(stamps)
    return pd.DataFrame({"row": np.arange(first_row, first_row + n), "meter_id": meter,
                         "ts_utc": pd.to_datetime(stamps, utc=True), "year": 2024,
                         "value": np.asarray(values, dtype="float64"),
                         "quality": quality if quality is not None else ""})


def operations(rows):
    return pd.DataFrame(rows, columns=["site", "year", "patient_days"]).assign(
        row=lambda d: np.arange(2, 2 + len(d)), meals_served=np.nan, fte=np.nan)


def activity(rows):
    return pd.DataFrame(rows, columns=["site", "period", "activity", "quantity"]).assign(
        row=lambda d: np.arange(2, 2 + len(d)), year=2025, month=None, unit="L", note=None)


@pytest.fixture
def con(tmp_path):
    c = ledger.connect(tmp_path)
    reg = pd.DataFrame({"row": [2], "meter_id": ["M"], "site": "a", "carrier": "electricity",
                        "kind": "interval", "role": "main", "unit": "kWh", "multiplier": 1.0,
                        "rollover": np.nan})
    ledger.store(c, "meter_registry", reg, file="inputs/registry.csv", sha256="reg")
    return c


def standing(con, kind="meter_readings"):
    cur = ledger.current(con, kind)
    cols = [c for c in cur.columns if c not in ("import_id",)]
    return sorted(map(tuple, cur[cols].astype(str).to_numpy()))


T = ["2024-01-01 00:00", "2024-01-01 01:00"]


def test_later_path_wins_whatever_the_order(tmp_path):
    """b.csv sorts after A.csv (lower-cased: 'a.csv' < 'b.csv'): its 5 stands at 01:00."""
    results = []
    for order in (("A.csv", "b.csv"), ("b.csv", "A.csv")):
        folder = tmp_path / "-".join(order)
        folder.mkdir()
        c = ledger.connect(folder)
        files = {"A.csv": readings("M", T, [1, 1]), "b.csv": readings("M", T[1:], [5])}
        for name in order:
            ledger.store(c, "meter_readings", files[name], file=name, sha256=name)
        results.append(standing(c))
        assert sorted(ledger.current(c, "meter_readings")["value"]) == [1.0, 5.0]
        assert ledger.overridden(c) == [("M", "b.csv", "A.csv", 1)]
    assert results[0] == results[1]


def test_measured_beats_estimated_before_the_path(con):
    """z.csv sorts later but is estimated: the measured 7 of a.csv stands."""
    ledger.store(con, "meter_readings", readings("M", T, [7, 7], quality="measured"),
                 file="inputs/a.csv", sha256="a")
    ledger.store(con, "meter_readings", readings("M", T, [9, 9], quality="estimated"),
                 file="inputs/z.csv", sha256="z")
    assert sorted(ledger.current(con, "meter_readings")["value"]) == [7.0, 7.0]
    # a reading without quality is measured: now the later path decides
    ledger.store(con, "meter_readings", readings("M", T, [8, 8]), file="inputs/zz.csv",
                 sha256="zz")
    assert sorted(ledger.current(con, "meter_readings")["value"]) == [8.0, 8.0]


def test_withdrawing_the_winner_brings_back_the_other_and_keeps_history(con):
    ledger.store(con, "meter_readings", readings("M", T, [1, 1]), file="inputs/a.csv", sha256="a")
    rec = ledger.store(con, "meter_readings", readings("M", T, [3, 3]), file="inputs/b.csv",
                       sha256="b")
    assert rec.superseded_rows == 2
    assert ledger.withdraw(con, ["inputs/b.csv"]) == 2
    assert sorted(ledger.current(con, "meter_readings")["value"]) == [1.0, 1.0]
    hist = ledger.history(con, "meter_readings")
    assert len(hist) == 4
    assert hist.loc[hist["file"] == "inputs/b.csv", "superseded_by"].tolist() == [0, 0]
    # restoring needs no import: the content is in the ledger
    rec = ledger.make_current(con, "inputs/b.csv", "b")
    assert rec.restored and rec.skipped
    assert sorted(ledger.current(con, "meter_readings")["value"]) == [3.0, 3.0]
    assert len(ledger.imports(con)) == 3


def test_identical_content_under_two_names_counts_once(con):
    f = readings("M", T, [2, 2])
    ledger.store(con, "meter_readings", f, file="inputs/a.csv", sha256="same")
    rec = ledger.store(con, "meter_readings", f, file="inputs/copy.csv", sha256="same")
    assert rec.skipped and rec.restored
    assert sorted(ledger.current(con, "meter_readings")["value"]) == [2.0, 2.0]
    assert ledger.identical_files(con) == [("inputs/copy.csv", "inputs/a.csv")]
    # the rows stand under the later name; removing it leaves them under the other
    assert set(ledger.current(con, "meter_readings")["file"]) == {"inputs/copy.csv"}
    ledger.withdraw(con, ["inputs/copy.csv"])
    assert set(ledger.current(con, "meter_readings")["file"]) == {"inputs/a.csv"}
    assert ledger.identical_files(con) == []


def test_activity_adds_up_also_equal_rows(con):
    ledger.store(con, "activity", activity([("a", "2025", "diesel", 2079.0)]),
                 file="inputs/diesel_2025.csv", sha256="main")
    ledger.store(con, "activity", activity([("a", "2025", "diesel", 500.0)]),
                 file="inputs/diesel_leverandor_B_2025.csv", sha256="B")
    assert ledger.current(con, "activity")["quantity"].sum() == 2579.0
    assert ledger.repeated_additive_keys(con) == {"activity": [
        ("a", "2025", "diesel", "inputs/diesel_leverandor_B_2025.csv", 2, 500.0,
         "inputs/diesel_2025.csv", 2, 2079.0)]}
    ledger.store(con, "activity", activity([("a", "2025", "diesel", 2079.0)]),
                 file="inputs/diesel_leverandor_B_2025.csv", sha256="B2")
    # equal rows both count, and are not warned about
    assert ledger.current(con, "activity")["quantity"].sum() == 4158.0
    assert ledger.repeated_additive_keys(con) == {}


def test_operations_one_value_per_key(con):
    ledger.store(con, "operations", operations([("a", 2024, 1000.0), ("b", 2024, 50.0)]),
                 file="inputs/drift.csv", sha256="d1")
    # agreeing duplicates count once: the later path's row stands
    ledger.store(con, "operations", operations([("b", 2024, 50.0)]),
                 file="inputs/drift_b.csv", sha256="d2")
    cur = ledger.current(con, "operations")
    assert sorted(zip(cur["site"], cur["patient_days"], cur["file"])) == [
        ("a", 1000.0, "inputs/drift.csv"), ("b", 50.0, "inputs/drift_b.csv")]
    with pytest.raises(InputError) as exc:
        ledger.store(con, "operations", operations([("a", 2024, 999.0)]),
                     file="inputs/drift_a.csv", sha256="d3")
    e = exc.value
    assert (e.file, e.row, e.column, e.found) == ("inputs/drift_a.csv", 2, "patient_days", 999.0)
    assert "inputs/drift.csv row 2" in e.message and "1000" in e.expected
    # nothing of the refused file was imported or made current
    assert len(ledger.current(con, "operations")) == 2
    assert "d3" not in set(ledger.imports(con)["sha256"])


def test_an_older_ledger_is_moved_aside_and_rebuilt(tmp_path, capsys):
    old = duckdb.connect(str(tmp_path / ledger.LEDGER_NAME))
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("CREATE TABLE imports (import_id INTEGER)")
    old.close()
    c = ledger.connect(tmp_path)
    assert ledger.current_files(c) == {}
    assert (tmp_path / "klimaregnskap.duckdb.v1.bak").exists()
    assert "klimaregnskap.duckdb.v1.bak" in capsys.readouterr().err
    c.close()
    # the new ledger is kept as it is
    ledger.connect(tmp_path).close()
    assert not (tmp_path / "klimaregnskap.duckdb.v2.bak").exists()


def test_content_moving_between_names_meets_its_new_neighbour(con):
    """Found by the sync property: X under c.csv and a.csv; c.csv then changes to Y.

    X (now only a.csv) and Y both change standing in one step and overlap at
    01:00; a.csv's measured 2 beats Y's estimated 5 there.
    """
    x = readings("M", T, [1, 2], quality="measured")
    y = readings("M", ["2024-01-01 01:00", "2024-01-01 02:00"], [5, 5],
                 quality=["estimated", "measured"])
    ledger.store(con, "meter_readings", x, file="inputs/c.csv", sha256="x")
    ledger.store(con, "meter_readings", x, file="inputs/a.csv", sha256="x")
    ledger.store(con, "meter_readings", y, file="inputs/c.csv", sha256="y")
    cur = ledger.current(con, "meter_readings").sort_values("ts_utc")
    assert cur["value"].tolist() == [1.0, 2.0, 5.0]
    assert cur["file"].tolist() == ["inputs/a.csv", "inputs/a.csv", "inputs/c.csv"]
