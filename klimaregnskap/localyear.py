"""The local calendar year of UTC instants, vectorised and without pandas.

An interval value belongs to the local calendar year of its start (DESIGN
§4): 2023-12-31T23:00:00Z is 00:00 on 1 January 2024 in Oslo, so 2024. The
fast load path uses this module, so it imports numpy and the standard
library only.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

__all__ = ["year_start_utc", "day_start_utc", "local_years"]


@lru_cache(maxsize=4096)
def year_start_utc(year: int, tz: str) -> np.datetime64:
    """Local midnight on 1 January of ``year`` as a naive UTC instant.

    Parameters
    ----------
    year : int
    tz : str
        IANA timezone, e.g. ``"Europe/Oslo"``.

    Returns
    -------
    numpy.datetime64 [us]
        E.g. 2023-12-31T23:00:00 for 2024 in Europe/Oslo.
    """
    local = dt.datetime(year, 1, 1, tzinfo=ZoneInfo(tz))
    utc = local.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return np.datetime64(utc, "us")


@lru_cache(maxsize=4096)
def day_start_utc(day: dt.date, tz: str) -> np.datetime64:
    """Local midnight at the start of ``day`` as a naive UTC instant.

    Parameters
    ----------
    day : datetime.date
    tz : str
        IANA timezone.

    Returns
    -------
    numpy.datetime64 [us]
        E.g. 2024-04-30T22:00:00 for 1 May 2024 in Europe/Oslo (summer time).
    """
    local = dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz))
    return np.datetime64(local.astimezone(dt.timezone.utc).replace(tzinfo=None), "us")


def local_years(utc: np.ndarray, tz: str) -> np.ndarray:
    """Calendar year in local time of each instant, by binary search.

    Parameters
    ----------
    utc : numpy.ndarray of datetime64
        Interval starts as naive UTC wall times (any resolution).
    tz : str
        IANA timezone.

    Returns
    -------
    numpy.ndarray of int16
        E.g. 2023-12-31T23:00:00 (UTC) in Europe/Oslo gives 2024.
    """
    t = np.asarray(utc).astype("datetime64[us]")
    if t.size == 0:
        return np.zeros(0, dtype="int16")
    # a local year starts at most a day away from the UTC one
    first, last = t.min(), t.max()
    lo = first.astype("datetime64[Y]").astype(int) + 1970 - 1
    hi = last.astype("datetime64[Y]").astype(int) + 1970 + 1
    # the usual file: one local year
    for y in range(lo, hi + 1):
        if year_start_utc(y, tz) <= first and last < year_start_utc(y + 1, tz):
            return np.full(t.size, y, dtype="int16")
    starts = np.array([year_start_utc(y, tz) for y in range(lo + 1, hi + 2)],
                      dtype="datetime64[us]")
    return (np.searchsorted(starts, t, side="right") + lo).astype("int16")
