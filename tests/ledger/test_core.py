"""The ledger: one transaction per file, supersession with history, checks before COMMIT."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimaregnskap import ledger
from klimaregnskap.errors import InputError


def readings(meter, stamps, values, first_row=2):
    n = len(stamps)
    return pd.DataFrame({"row": np.arange(first_row, first_row + n), "meter_id": meter,
                         "ts_utc": pd.to_datetime(stamps, utc=True), "year": 2024,
                         "value": np.asarray(values, dtype="float64"), "quality": ""})


def registry(con, rows):
    df = pd.DataFrame(rows, columns=["meter_id", "kind", "rollover"]).assign(
        row=lambda d: np.arange(2, 2 + len(d)), site="a", carrier="electricity", role="main",
        unit="kWh", multiplier=1.0)
    ledger.store(con, "meter_registry", df, file="registry.csv", sha256="reg")


@pytest.fixture
def con(tmp_path):
    c = ledger.connect(tmp_path)
    registry(c, [("M", "interval", np.nan), ("R", "register", np.nan),
                 ("W", "register", 1000.0)])
    return c


def count(con, where="TRUE"):
    return con.execute(f"SELECT count(*) FROM readings WHERE {where}").fetchone()[0]


def test_store_same_hash_is_skipped(con):
    f = readings("M", ["2024-01-01 00:00", "2024-01-01 01:00"], [1, 2])
    r1 = ledger.store(con, "meter_readings", f, file="a.csv", sha256="h1")
    r2 = ledger.store(con, "meter_readings", f, file="b.csv", sha256="h1")
    assert (r1.rows, r1.skipped, r2.skipped) == (2, False, True)
    assert count(con) == 2


def test_supersede_only_overlapping_keys(con):
    ledger.store(con, "meter_readings",
                 readings("M", ["2024-01-01 00:00", "2024-01-01 01:00", "2024-01-01 02:00"],
                          [1, 1, 1]), file="a.csv", sha256="h1")
    rec = ledger.store(con, "meter_readings",
                       readings("M", ["2024-01-01 01:00", "2024-01-01 03:00"], [5, 5]),
                       file="b.csv", sha256="h2")
    assert rec.superseded_rows == 1
    cur = ledger.current(con, "meter_readings")
    assert sorted(cur["value"]) == [1, 1, 5, 5]
    hist = ledger.history(con, "meter_readings")
    assert len(hist) == 5 and hist["superseded_by"].notna().sum() == 1


def test_no_overlap_supersedes_nothing(con):
    ledger.store(con, "meter_readings", readings("M", ["2024-01-01 00:00"], [1]),
                 file="a.csv", sha256="h1")
    rec = ledger.store(con, "meter_readings", readings("M", ["2024-02-01 00:00"], [1]),
                       file="b.csv", sha256="h2")
    assert rec.superseded_rows == 0 and count(con, "superseded_by IS NULL") == 2


def test_store_chunks_refuses_repeat_across_chunks_and_rolls_back(con):
    c1 = readings("M", ["2024-01-01 00:00", "2024-01-01 01:00"], [1, 1])
    c2 = readings("M", ["2024-01-01 02:00", "2024-01-01 00:00"], [1, 1], first_row=4)
    with pytest.raises(InputError) as exc:
        ledger.store_chunks(con, "meter_readings", iter([c1, c2]), file="big.csv", sha256="h")
    assert exc.value.extra["rows"] == [2, 5] and exc.value.row == 5
    assert count(con) == 0
    assert ledger.imports(con)["kind"].tolist() == ["meter_registry"]


def test_store_chunks_error_in_generator_rolls_back(con):
    def chunks():
        yield readings("M", ["2024-01-01 00:00"], [1])
        raise InputError("bad row", file="big.csv", row=3)
    with pytest.raises(InputError):
        ledger.store_chunks(con, "meter_readings", chunks(), file="big.csv", sha256="h")
    assert count(con) == 0


def test_register_continuity_across_files(con):
    ledger.store(con, "meter_readings", readings("R", ["2024-01-01", "2024-02-01"], [10, 20]),
                 file="jan.csv", sha256="h1")
    with pytest.raises(InputError) as exc:
        ledger.store(con, "meter_readings", readings("R", ["2024-03-01"], [15]),
                     file="mar.csv", sha256="h2")
    assert (exc.value.file, exc.value.row, exc.value.found) == ("mar.csv", 2, 15.0)
    assert count(con) == 2
    # a correction that supersedes the February reading may go lower than it was; it
    # wins because its name sorts after jan.csv (DESIGN §3: the later path wins)
    rec = ledger.store(con, "meter_readings", readings("R", ["2024-02-01", "2024-03-01"],
                                                       [12, 15]), file="jan_fix.csv", sha256="h3")
    assert rec.superseded_rows == 1
    # a meter with rollover may wrap across files
    ledger.store(con, "meter_readings", readings("W", ["2024-01-01"], [990]),
                 file="w1.csv", sha256="h4")
    ledger.store(con, "meter_readings", readings("W", ["2024-02-01"], [5]),
                 file="w2.csv", sha256="h5")
    assert count(con, "meter_id = 'W'") == 2


def test_new_rows_that_lose_are_not_counted_as_superseded(con):
    # b.csv sorts later but its 01:00 reading is estimated: a.csv's measured one stands.
    # No row that stood before stops standing (superseded_rows 0); b's other row stands.
    ledger.store(con, "meter_readings",
                 readings("M", ["2024-01-01 00:00", "2024-01-01 01:00"], [1, 1]),
                 file="a.csv", sha256="h1")
    est = readings("M", ["2024-01-01 01:00", "2024-01-01 02:00"], [7, 7]).assign(
        quality=["estimated", ""])
    rec = ledger.store(con, "meter_readings", est, file="b.csv", sha256="h2")
    assert rec.superseded_rows == 0
    assert sorted(ledger.current(con, "meter_readings")["value"]) == [1, 1, 7]
    assert count(con, "superseded_by IS NOT NULL") == 1
