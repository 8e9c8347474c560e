"""Register meters: counter steps, rollover and the split of consumption over years.

A register meter reports its cumulative counter. DESIGN §3:

* consumption between two readings is the difference of the counter; a
  decreasing reading is an error unless the meter has a ``rollover`` value,
  in which case the counter wrapped and the step is ``value - previous +
  rollover``;
* that consumption is spread evenly over the time between the two readings,
  so a year boundary between them splits it in proportion to time.

This module is the one home of both rules. It imports numpy only, because the
fast load path (no pandas) checks registers with :func:`counter_steps` too.
"""

from __future__ import annotations

import numpy as np

__all__ = ["counter_steps", "split_over_years"]


def counter_steps(meter_codes: np.ndarray, values: np.ndarray,
                  rollover: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Consumption between consecutive readings of register meters.

    Parameters
    ----------
    meter_codes : numpy.ndarray of int
        One code per reading identifying its meter; readings sorted by meter,
        then by time.
    values : numpy.ndarray of float
        Counter readings [meter unit].
    rollover : numpy.ndarray of float
        The meter's ``rollover`` of each reading [meter unit]: the value at
        which its counter wraps to zero; NaN for a meter without one.

    Returns
    -------
    steps : numpy.ndarray of float
        ``steps[i]`` is the consumption [meter unit] from reading ``i - 1`` to
        reading ``i`` of the same meter (a wrap adds the rollover); NaN at the
        first reading of each meter and where the counter decreases without a
        rollover.
    decreasing : numpy.ndarray of bool
        True at each reading lower than the one before it on a meter without
        ``rollover``: an input error (DESIGN §3).

    Examples
    --------
    >>> import numpy as np
    >>> s, bad = counter_steps(np.array([0, 0, 0]), np.array([99990., 5., 20.]),
    ...                        np.array([100000.] * 3))
    >>> s.tolist(), bad.tolist()
    ([nan, 15.0, 15.0], [False, False, False])
    """
    codes = np.asarray(meter_codes)
    v = np.asarray(values, dtype="float64")
    roll = np.asarray(rollover, dtype="float64")
    n = v.size
    steps = np.full(n, np.nan)
    decreasing = np.zeros(n, dtype=bool)
    if n < 2:
        return steps, decreasing
    same = codes[1:] == codes[:-1]
    delta = v[1:] - v[:-1]
    wrapped = same & (delta < 0)
    no_roll = np.isnan(roll[1:])
    decreasing[1:] = wrapped & no_roll
    step = np.where(wrapped, delta + roll[1:], delta)
    steps[1:] = np.where(same & ~decreasing[1:], step, np.nan)
    return steps, decreasing


def split_over_years(t0: np.ndarray, t1: np.ndarray, amount: np.ndarray,
                     year_starts: dict[int, np.datetime64]) -> tuple[np.ndarray, np.ndarray,
                                                                     np.ndarray, np.ndarray]:
    """Spread each step evenly over its time span and cut it at local New Year.

    Parameters
    ----------
    t0, t1 : numpy.ndarray of datetime64
        Start and end of each step (naive UTC), ``t0 < t1``.
    amount : numpy.ndarray of float
        Consumption of each step [meter unit].
    year_starts : dict of int to numpy.datetime64
        Local midnight on 1 January of every year the steps touch and of the
        year after the last, as naive UTC (:func:`klimaregnskap.localyear.year_start_utc`).

    Returns
    -------
    index : numpy.ndarray of int
        Position of the step each part comes from.
    year : numpy.ndarray of int
        Local calendar year of the part.
    part : numpy.ndarray of float
        ``amount x overlap / duration`` [meter unit].
    covered_s : numpy.ndarray of float
        The part's overlap with its year [s].

    Examples
    --------
    A step of 10 units from 2023-12-31T23:00 to 2024-01-01T01:00 (UTC) in a UTC
    project gives 5 to 2023 and 5 to 2024.
    """
    a0 = np.asarray(t0, dtype="datetime64[us]")
    a1 = np.asarray(t1, dtype="datetime64[us]")
    amt = np.asarray(amount, dtype="float64")
    dur = (a1 - a0) / np.timedelta64(1, "s")
    years = sorted(year_starts)
    idx, yrs, parts, covered = [], [], [], []
    for y in years[:-1]:
        lo = np.datetime64(year_starts[y], "us")
        hi = np.datetime64(year_starts[y + 1], "us")
        overlap = (np.minimum(a1, hi) - np.maximum(a0, lo)) / np.timedelta64(1, "s")
        hit = np.flatnonzero(overlap > 0)
        if hit.size == 0:
            continue
        share = np.divide(overlap[hit], dur[hit], out=np.zeros(hit.size), where=dur[hit] > 0)
        idx.append(hit)
        yrs.append(np.full(hit.size, y, dtype="int64"))
        parts.append(amt[hit] * share)
        covered.append(overlap[hit])
    if not idx:
        empty = np.zeros(0)
        return empty.astype("int64"), empty.astype("int64"), empty, empty
    return (np.concatenate(idx), np.concatenate(yrs), np.concatenate(parts),
            np.concatenate(covered))
