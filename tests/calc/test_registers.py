"""calc/registers.py: counter steps, rollover and the split over years (DESIGN §3), by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc.registers import counter_steps, split_over_years
from klimaregnskap.localyear import year_start_utc

NAN = float("nan")


def test_steps_per_meter_with_and_without_rollover():
    # meter 0 wraps at 100000: 99990 -> 5 is 15 units; meter 1 has no rollover and decreases
    codes = np.array([0, 0, 0, 1, 1, 1])
    values = np.array([99_990.0, 5.0, 20.0, 10.0, 30.0, 25.0])
    roll = np.array([100_000.0] * 3 + [NAN] * 3)
    steps, bad = counter_steps(codes, values, roll)
    assert np.isnan(steps[0]) and np.isnan(steps[3])  # first reading of each meter
    assert steps[1] == 15.0 and steps[2] == 15.0 and steps[4] == 20.0
    assert bad.tolist() == [False, False, False, False, False, True]
    assert np.isnan(steps[5])  # a decreasing step is an error, never a consumption


def test_a_new_meter_never_steps_from_the_last_one():
    steps, bad = counter_steps(np.array([0, 1]), np.array([500.0, 10.0]), np.array([NAN, NAN]))
    assert np.isnan(steps).all() and not bad.any()


def test_split_at_local_new_year_in_proportion_to_time():
    # 2023-12-31 21:00 UTC to 2024-01-01 01:00 UTC: in Oslo, 22:00-02:00 local, so
    # 2 of the 4 hours fall in 2023 (until 23:00 UTC = local midnight)
    tz = "Europe/Oslo"
    starts = {y: year_start_utc(y, tz) for y in (2023, 2024, 2025)}
    idx, year, part, covered = split_over_years(
        np.array(["2023-12-31T21:00"], dtype="datetime64[us]"),
        np.array(["2024-01-01T01:00"], dtype="datetime64[us]"), np.array([100.0]), starts)
    assert idx.tolist() == [0, 0] and year.tolist() == [2023, 2024]
    assert part.tolist() == [50.0, 50.0] and covered.tolist() == [7200.0, 7200.0]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4 * 365 * 24), st.integers(1, 3 * 365 * 24),
                          st.floats(0, 1e6)), min_size=1, max_size=20))
def test_parts_add_up_to_each_step(steps):
    """Whatever the spans, the parts of a step add up to the step (nothing lost at New Year)."""
    t0 = np.datetime64("2020-01-01T00:00", "us") + np.array([a for a, _, _ in steps]) * np.timedelta64(1, "h")
    t1 = t0 + np.array([d for _, d, _ in steps]) * np.timedelta64(1, "h")
    amount = np.array([v for _, _, v in steps])
    starts = {y: year_start_utc(y, "Europe/Oslo") for y in range(2019, 2030)}
    idx, _year, part, covered = split_over_years(t0, t1, amount, starts)
    total = np.bincount(idx, weights=part, minlength=len(steps))
    assert total == pytest.approx(amount, rel=1e-9, abs=1e-6)
    seconds = np.bincount(idx, weights=covered, minlength=len(steps))
    assert seconds == pytest.approx((t1 - t0) / np.timedelta64(1, "s"))
