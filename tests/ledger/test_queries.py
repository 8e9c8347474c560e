"""Read-side SQL: the window coverage of fixed-step meters, set-based and ordered agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimaregnskap import ledger

H = 3600
W0 = pd.Timestamp("2023-12-31 23:00")   # local year 2024 in Europe/Oslo, naive UTC

# The rule as it was written first (DESIGN §4): every reading in time order, a gap
# before each and after the last. window_coverage must give the same figures.
ORDERED = """
    WITH g AS (
        SELECT r.meter_id, t.year, r.quality,
               least(epoch(r.ts_utc) + t.step, epoch(t.w1)) - epoch(r.ts_utc) AS covered,
               epoch(r.ts_utc) - coalesce(epoch(lag(r.ts_utc) OVER w) + t.step,
                                          epoch(t.w0)) AS gap_before,
               CASE WHEN lead(r.ts_utc) OVER w IS NULL
                    THEN epoch(t.w1) - (epoch(r.ts_utc) + t.step) ELSE 0 END AS gap_after
        FROM readings r JOIN _todo t
          ON t.meter_id = r.meter_id AND r.ts_utc >= t.w0 AND r.ts_utc < t.w1
        WHERE r.superseded_by IS NULL
        WINDOW w AS (PARTITION BY r.meter_id, t.year ORDER BY r.ts_utc))
    SELECT meter_id, year, count(*) AS in_window,
           count(*) FILTER (WHERE quality = 'estimated') AS estimated_in_window,
           sum(covered)::DOUBLE AS covered_s,
           greatest(max(gap_before), max(gap_after), 0)::DOUBLE AS longest_gap_s,
           (count(*) FILTER (WHERE gap_before > 0)
            + count(*) FILTER (WHERE gap_after > 0))::DOUBLE AS gaps
    FROM g GROUP BY meter_id, year"""


def put(con, meter: str, offsets_s, *, estimated=()):
    """Current readings of ``meter`` at W0 + offsets [s] (a stand-in import, current)."""
    n = con.execute("SELECT count(*) FROM imports").fetchone()[0] + 1
    con.execute("INSERT INTO imports VALUES (?, ?, ?, 'meter_readings', ?, now()::TIMESTAMP)",
                [n, f"inputs/{meter}.csv", f"sha{n}", len(offsets_s)])
    con.execute("INSERT INTO current_files VALUES (?, ?)", [f"inputs/{meter}.csv", f"sha{n}"])
    frame = pd.DataFrame({
        "meter_id": meter,
        "ts_utc": W0 + pd.to_timedelta(np.asarray(offsets_s, dtype="int64"), unit="s"),
        "quality": ["estimated" if k in estimated else "measured"
                    for k in range(len(offsets_s))]})
    con.register("_put", frame)
    con.execute("""INSERT INTO readings SELECT ?, row_number() OVER () + 1, meter_id,
                   ts_utc, 2024, 1.0, quality, NULL FROM _put""", [n])
    con.unregister("_put")


def todo(meter: str, step: int, window_s: int) -> pd.DataFrame:
    return pd.DataFrame({"meter_id": [meter], "year": [2024], "step": [step],
                         "w0": [W0], "w1": [W0 + pd.Timedelta(seconds=window_s)]})


def ordered(con, t: pd.DataFrame) -> pd.DataFrame:
    con.register("_todo", t)
    try:
        return con.execute(ORDERED).df()
    finally:
        con.unregister("_todo")


def by_meter(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["meter_id", "year"]).reset_index(drop=True)


@pytest.fixture
def con(tmp_path):
    return ledger.connect(tmp_path)


def test_full_grid_has_no_gap(con):
    # 24 hourly readings fill a 24 h window: covered 24 x 3600 = 86,400 s, no gap
    put(con, "A", [k * H for k in range(24)], estimated={3})
    got = ledger.window_coverage(con, todo("A", H, 24 * H)).iloc[0]
    assert (got["in_window"], got["estimated_in_window"]) == (24, 1)
    assert (got["covered_s"], got["longest_gap_s"], got["gaps"]) == (86_400.0, 0.0, 0.0)


def test_gaps_inside_and_at_both_ends(con):
    # readings at hours 2, 3, 7 of a 10 h window: gaps 0-2 (7200 s), 4-7 (10,800 s)
    # and 8-10 (7200 s): three gaps, the longest 10,800 s; covered 3 x 3600 = 10,800 s
    put(con, "B", [2 * H, 3 * H, 7 * H])
    got = ledger.window_coverage(con, todo("B", H, 10 * H)).iloc[0]
    assert got["in_window"] == 3
    assert (got["covered_s"], got["longest_gap_s"], got["gaps"]) == (10_800.0, 10_800.0, 3.0)


def test_last_interval_cut_by_the_window_end(con):
    # a 2.5 h window holds 3 grid points (0, 1, 2 h): all present, the last counts
    # 1800 s up to w1; covered 3600 + 3600 + 1800 = 9000 s, no gap
    put(con, "C", [0, H, 2 * H])
    got = ledger.window_coverage(con, todo("C", H, 2 * H + 1800)).iloc[0]
    assert (got["covered_s"], got["longest_gap_s"], got["gaps"]) == (9000.0, 0.0, 0.0)


def test_off_grid_readings_as_many_as_the_grid(con):
    # 4 readings in a 4 h window, but half an hour late each: as many as the grid
    # points, yet not the grid. Gap before the first 1800 s; last covered to w1:
    # 3 x 3600 + 1800 = 12,600 s; one gap
    put(con, "D", [1800 + k * H for k in range(4)])
    got = ledger.window_coverage(con, todo("D", H, 4 * H)).iloc[0]
    assert (got["covered_s"], got["longest_gap_s"], got["gaps"]) == (12_600.0, 1800.0, 1.0)


def test_window_without_readings_is_left_out(con):
    put(con, "E", [30 * H])
    assert ledger.window_coverage(con, todo("E", H, 24 * H)).empty


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meters=st.lists(
    st.tuples(st.sampled_from([900, 3600]),                     # step [s]
              st.sets(st.integers(0, 40)),                      # grid slots present
              st.sets(st.integers(0, 40 * 3600), max_size=4),   # stray stamps [s]
              st.integers(1, 40 * 3600)),                       # window [s]
    min_size=1, max_size=4))
def test_same_figures_as_the_ordered_rule(tmp_path_factory, meters):
    con = ledger.connect(tmp_path_factory.mktemp("cov"))
    todos = []
    for k, (step, slots, strays, window_s) in enumerate(meters):
        stamps = sorted({s * step for s in slots} | set(strays))
        if stamps:
            put(con, f"M{k}", stamps, estimated={0})
        todos.append(todo(f"M{k}", step, window_s))
    t = pd.concat(todos, ignore_index=True)
    pd.testing.assert_frame_equal(by_meter(ledger.window_coverage(con, t)),
                                  by_meter(ordered(con, t)), check_exact=True)
    con.close()


def test_data_years_interval_register_and_unregistered(con):
    # interval meter I reads in local year 2024 (stored year 2024); register meter R
    # has one reading in 2025 (it closes 2024: no year) and two in 2026 (a year);
    # meter X is in no registry and counts as an interval meter: 2027
    con.execute("INSERT INTO imports VALUES (1, 'inputs/reg.csv', 'reg', 'meter_registry', 2, "
                "now()::TIMESTAMP)")
    con.execute("INSERT INTO current_files VALUES ('inputs/reg.csv', 'reg')")
    con.execute("""INSERT INTO meters (import_id, "row", meter_id, site, carrier, kind, role,
                   unit, multiplier) VALUES (1, 2, 'I', 'a', 'electricity', 'interval', 'main',
                   'kWh', 1), (1, 3, 'R', 'a', 'district_heating', 'register', 'main', 'kWh', 1)""")
    put(con, "I", [0, H])
    put(con, "R", [0])
    con.execute("UPDATE readings SET year = 2025 WHERE meter_id = 'R'")
    put(con, "Q", [2 * H, 3 * H])
    con.execute("UPDATE readings SET meter_id = 'R', year = 2026 WHERE meter_id = 'Q'")
    put(con, "X", [5 * H])
    con.execute("UPDATE readings SET year = 2027 WHERE meter_id = 'X'")
    assert ledger.data_years(con) == [2024, 2026, 2027]
