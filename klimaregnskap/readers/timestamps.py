"""Timestamps in meter files: parsing, local time, daylight saving, years.

Every timestamp is the **start** of its interval. Aware stamps (ISO 8601 with
``Z`` or an offset) are converted to UTC; naive stamps are local time in the
project's timezone. In naive local time the repeated hour of the last Sunday
of October appears twice per meter: the first occurrence in file order is
summer time (DST), the second winter time. The missing spring hour does not
exist in local time, so a stamp inside it is an error.

All parsing is vectorised: a column is classified by format with vectorised
string matching and each format is parsed with one ``pd.to_datetime`` call.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from klimaregnskap.errors import InputError
from klimaregnskap.localyear import local_years, year_start_utc

EXPECTED_TIMESTAMP = ("a timestamp such as 2024-01-01T00:00:00Z, 2024-01-01 00:00, "
                      "2024-01-01T01:00+01:00, 01.01.2024 00:00, 01.01.2024 "
                      "or an Excel date cell")

# Formats recognised in text cells, tried in this order. Each entry is
# (name, full-match regex, pandas format, whether the result is UTC-aware,
# the format as told to a user).
_ISO_AWARE = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)"
_ISO_NAIVE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FORMATS = [
    ("iso_aware", _ISO_AWARE, "ISO8601", True, "ISO 8601 with offset, e.g. 2024-01-01T00:00:00Z"),
    ("iso_naive", _ISO_NAIVE, "ISO8601", False, "ISO 8601, e.g. 2024-01-01 00:00 or 2024-01-01"),
    ("nb_hms", r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}:\d{2}", "%d.%m.%Y %H:%M:%S", False,
     "dd.mm.yyyy HH:MM:SS"),
    ("nb_hm", r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}", "%d.%m.%Y %H:%M", False,
     "dd.mm.yyyy HH:MM"),
    ("nb_date", r"\d{1,2}\.\d{1,2}\.\d{4}", "%d.%m.%Y", False, "dd.mm.yyyy"),
    # monthly exports: the start of the month, local time
    ("iso_month", r"\d{4}-\d{1,2}", "%Y-%m", False, "yyyy-mm (a month)"),
    ("nb_month", r"\d{1,2}\.\d{4}", "%m.%Y", False, "mm.yyyy (a month)"),
]

# Excel's day zero (serial 1 is 1900-01-01; 1899-12-30 absorbs Excel's
# fictitious 29 February 1900 for every date after it).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_NAT = np.datetime64("NaT", "ns")


def parse_timestamps(values: pd.Series, tz: str, *, file: str | Path | None = None,
                     rows: np.ndarray | None = None, column: str | None = None,
                     groups: np.ndarray | pd.Series | None = None,
                     check_duplicates: bool | None = None, seen: dict | None = None
                     ) -> pd.Series:
    """Parse a column of interval-start timestamps to UTC, vectorised.

    Parameters
    ----------
    values : pandas.Series
        The cells as read: text (CSV), or python ``datetime`` / numbers
        (XLSX date cells and Excel serial day numbers), possibly mixed.
    tz : str
        IANA timezone of naive stamps, e.g. ``"Europe/Oslo"``.
    file : str or Path, optional
        The file, for error messages.
    rows : numpy.ndarray of int, optional
        Spreadsheet row number (1-based, header counted) of each value;
        default ``2, 3, ...``.
    column : str, optional
        The column header, for error messages.
    groups : array-like, optional
        The meter id of each value. The daylight-saving rule (first
        occurrence of the repeated October hour is summer time, the second
        winter time) is applied per group, in file order. Default: the whole
        column is one group (a wide file, one timestamp per row).
    check_duplicates : bool, optional
        Refuse a repeated (group, instant). Default: True.
    seen : dict, optional
        Occurrences of the repeated October hour in earlier chunks of the
        same file (see :func:`localise_naive`).

    Returns
    -------
    pandas.Series of datetime64[ns, UTC]
        Same index as ``values``.

    Raises
    ------
    InputError
        Naming file, row, column, the value and the expected format, for an
        empty, unreadable or impossible timestamp (31.02.2024), a local time
        that does not exist (the spring hour), or a repeated timestamp (both
        rows named).
    """
    n = len(values)
    rows = np.arange(2, n + 2, dtype="int64") if rows is None else np.asarray(rows, dtype="int64")
    vals = pd.Series(values).reset_index(drop=True)
    where = dict(file=file, column=column)

    utc_ns = np.full(n, _NAT)        # aware values, as UTC wall time
    naive_ns = np.full(n, _NAT)      # naive values, local wall time
    is_aware = np.zeros(n, dtype=bool)

    if n == 0:
        return pd.Series(pd.DatetimeIndex([], tz="UTC").astype("datetime64[ns, UTC]"),
                         index=values.index)

    if isinstance(vals.dtype, pd.DatetimeTZDtype):
        utc_ns[:] = vals.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")
        is_aware[:] = True
        _check_not_missing(vals.isna().to_numpy(), vals, rows, where)
    elif pd.api.types.is_datetime64_dtype(vals.dtype):
        naive_ns[:] = vals.to_numpy("datetime64[ns]")
        _check_not_missing(vals.isna().to_numpy(), vals, rows, where)
    else:
        inferred = pd.api.types.infer_dtype(vals, skipna=True)
        if inferred == "string":
            kinds = np.full(n, "str", dtype=object)
            kinds[vals.isna().to_numpy()] = "missing"
        else:
            kinds = vals.map(_cell_kind).to_numpy(dtype=object)
        text_mask = kinds == "str"
        if text_mask.any():
            text = vals[text_mask].astype(str).str.strip()
            blank = (text == "").to_numpy()
            if blank.any():
                kinds[np.flatnonzero(text_mask)[blank]] = "missing"
                text_mask = kinds == "str"
                text = text[~blank]
        _check_not_missing(kinds == "missing", vals, rows, where)
        bad = np.flatnonzero(kinds == "other")
        if bad.size:
            i = bad[0]
            raise InputError("not a timestamp", row=int(rows[i]), found=vals.iloc[i],
                             expected=EXPECTED_TIMESTAMP, **where)
        if text_mask.any():
            pos = np.flatnonzero(text_mask)
            t_ns, t_aware = _parse_text(text.reset_index(drop=True), rows[pos], where)
            utc_ns[pos[t_aware]] = t_ns[t_aware]
            naive_ns[pos[~t_aware]] = t_ns[~t_aware]
            is_aware[pos] = t_aware
        dt_mask = kinds == "datetime"
        if dt_mask.any():
            pos = np.flatnonzero(dt_mask)
            parsed = pd.Series([pd.Timestamp(v) for v in vals.iloc[pos]], dtype=object)
            tzinfo = np.array([p.tzinfo is not None for p in parsed], dtype=bool)
            for flag in (False, True):
                sel = tzinfo == flag
                if not sel.any():
                    continue
                if flag:
                    conv = pd.to_datetime(parsed[sel], utc=True).dt.tz_localize(None)
                    utc_ns[pos[sel]] = conv.to_numpy("datetime64[ns]")
                    is_aware[pos[sel]] = True
                else:
                    naive_ns[pos[sel]] = pd.to_datetime(parsed[sel]).to_numpy("datetime64[ns]")
        num_mask = kinds == "number"
        if num_mask.any():
            pos = np.flatnonzero(num_mask)
            serial = vals.iloc[pos].astype("float64").to_numpy()
            out = (serial < 1) | (serial > _EXCEL_MAX_SERIAL) | ~np.isfinite(serial)
            if out.any():
                i = pos[np.flatnonzero(out)[0]]
                raise InputError("number is not an Excel date", row=int(rows[i]),
                                 found=vals.iloc[i], expected=EXPECTED_TIMESTAMP, **where)
            stamps = (_EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")).round("s")
            naive_ns[pos] = stamps.to_numpy("datetime64[ns]")

    if groups is None:
        group_arr = np.zeros(n, dtype="int64")
    else:
        group_arr = pd.Series(groups).reset_index(drop=True).to_numpy()

    naive_pos = np.flatnonzero(~is_aware)
    if naive_pos.size:
        utc_ns[naive_pos] = localise_naive(naive_ns[naive_pos], tz, groups=group_arr[naive_pos],
                                           rows=rows[naive_pos], values=vals.iloc[naive_pos],
                                           seen=seen, **where)

    result = pd.Series(pd.DatetimeIndex(utc_ns).tz_localize("UTC"), index=values.index)
    if check_duplicates is None or check_duplicates:
        check_duplicate_instants(group_arr, utc_ns, rows, file=file, column=column,
                                 values=vals, group_label="meter" if groups is not None else None)
    return result


def _cell_kind(v) -> str:
    if v is None or v is pd.NaT:
        return "missing"
    if isinstance(v, str):
        return "str"
    if isinstance(v, (bool, np.bool_)):
        return "other"
    if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp, np.datetime64)):
        return "datetime"
    if isinstance(v, (int, float, np.integer, np.floating)):
        return "missing" if isinstance(v, (float, np.floating)) and np.isnan(v) else "number"
    return "other"


def _check_not_missing(missing: np.ndarray, vals: pd.Series, rows: np.ndarray, where: dict) -> None:
    idx = np.flatnonzero(missing)
    if idx.size:
        i = idx[0]
        raise InputError("empty timestamp", row=int(rows[i]), found="",
                         expected=EXPECTED_TIMESTAMP, **where)


def _parse_text(text: pd.Series, rows: np.ndarray, where: dict) -> tuple[np.ndarray, np.ndarray]:
    """Parse stripped text stamps; return (datetime64[ns] wall times, aware mask).

    Aware results are UTC wall times; naive results are local wall times.
    """
    n = len(text)
    out = np.full(n, _NAT)
    aware = np.zeros(n, dtype=bool)
    # Fast path: the usual machine export, every stamp ISO 8601 ending in Z.
    if text.str.endswith("Z").all():
        parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
        if not parsed.isna().any():
            return (parsed.dt.tz_localize(None).to_numpy("datetime64[ns]"),
                    np.ones(n, dtype=bool))
    remaining = np.ones(n, dtype=bool)
    for name, pattern, fmt, is_aware, label in _FORMATS:
        if not remaining.any():
            break
        sub = text[remaining]
        match = sub.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        if not match.any():
            continue
        pos = np.flatnonzero(remaining)[match]
        cells = sub[match]
        if is_aware:
            parsed = pd.to_datetime(cells, utc=True, format=fmt, errors="coerce")
            ns = parsed.dt.tz_localize(None).to_numpy("datetime64[ns]")
        else:
            parsed = pd.to_datetime(cells, format=fmt, errors="coerce")
            ns = parsed.to_numpy("datetime64[ns]")
        bad = np.flatnonzero(pd.isna(ns))
        if bad.size:
            i = bad[0]
            raise InputError("impossible date or time", row=int(rows[pos[i]]),
                             found=cells.iloc[i], expected=f"a real date and time ({label})",
                             **where)
        out[pos] = ns
        aware[pos] = is_aware
        remaining[pos] = False
    if remaining.any():
        i = np.flatnonzero(remaining)[0]
        raise InputError("not a timestamp", row=int(rows[i]), found=text.iloc[i],
                         expected=EXPECTED_TIMESTAMP, **where)
    return out, aware


def localise_naive(naive: np.ndarray, tz: str, *, groups: np.ndarray | None = None,
                   rows: np.ndarray | None = None, values: pd.Series | None = None,
                   file: str | Path | None = None, column: str | None = None,
                   seen: dict | None = None) -> np.ndarray:
    """Turn naive local wall times into UTC with the October rule.

    Parameters
    ----------
    naive : numpy.ndarray of datetime64[ns]
        Local wall times, in file order.
    tz : str
        IANA timezone.
    groups : numpy.ndarray, optional
        Meter id per value; occurrences of the repeated autumn hour are
        counted per group (first = summer time, later = winter time).
    rows : numpy.ndarray of int, optional
        Spreadsheet rows, for errors.
    values : pandas.Series, optional
        The cells as written, for errors.
    file, column : optional
        For errors.
    seen : dict, optional
        ``(group, wall time [ns]) -> occurrences`` of the repeated autumn
        hour met in earlier parts of the same file (a file read in chunks);
        updated in place, so an occurrence in a later chunk counts on.

    Returns
    -------
    numpy.ndarray of datetime64[ns]
        UTC wall times.

    Raises
    ------
    InputError
        For a local time that does not exist (spring gap).
    """
    n = len(naive)
    rows = np.arange(2, n + 2) if rows is None else np.asarray(rows)
    idx = pd.DatetimeIndex(naive)
    local = idx.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    problem = np.flatnonzero(local.isna() & ~idx.isna())
    out = np.array(local.tz_convert("UTC").tz_localize(None).to_numpy("datetime64[ns]"))
    if problem.size == 0:
        return out
    sub = idx[problem]
    probe = sub.tz_localize(tz, ambiguous=np.ones(problem.size, dtype=bool), nonexistent="NaT")
    gap = np.flatnonzero(probe.isna())
    if gap.size:
        i = problem[gap[0]]
        found = values.iloc[i] if values is not None else str(idx[i])
        raise InputError(f"{idx[i]:%Y-%m-%d %H:%M} does not exist in local time ({tz}): "
                         "the clocks jump forward in spring, so the hour is skipped",
                         file=file, row=int(rows[i]), column=column, found=found,
                         expected="a local time that exists, or a UTC/offset timestamp")
    g = np.zeros(n, dtype="int64") if groups is None else np.asarray(groups)
    occ = pd.DataFrame({"g": g[problem], "t": naive[problem]}).groupby(
        ["g", "t"], sort=False).cumcount().to_numpy()
    if seen is not None:
        # few values (one hour per meter and year): a loop is fine here
        keys = list(zip(g[problem].tolist(), naive[problem].astype("int64").tolist()))
        earlier = np.array([seen.get(k, 0) for k in keys], dtype="int64")
        occ = occ + earlier
        for k in keys:
            seen[k] = seen.get(k, 0) + 1
    # First occurrence is summer time; later ones winter time (a third one then
    # collides with the second and is reported as a repeated timestamp).
    resolved = sub.tz_localize(tz, ambiguous=occ == 0, nonexistent="raise")
    out[problem] = resolved.tz_convert("UTC").tz_localize(None).to_numpy("datetime64[ns]")
    return out


def check_duplicate_instants(groups: np.ndarray, utc_ns: np.ndarray, rows: np.ndarray, *,
                             file: str | Path | None = None, column: str | None = None,
                             values: pd.Series | None = None,
                             group_label: str | None = "meter") -> None:
    """Refuse a repeated (group, instant), naming both rows.

    Parameters
    ----------
    groups : numpy.ndarray
        Meter id per value (or one constant group).
    utc_ns : numpy.ndarray of datetime64[ns]
        Instants.
    rows : numpy.ndarray of int
        Spreadsheet rows.
    """
    frame = pd.DataFrame({"g": np.asarray(groups), "t": np.asarray(utc_ns)})
    dup = frame.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    later = np.flatnonzero(frame.duplicated(keep="first").to_numpy())[0]
    key_g, key_t = frame.iloc[later]["g"], frame.iloc[later]["t"]
    same = np.flatnonzero((frame["g"] == key_g).to_numpy() & (frame["t"] == key_t).to_numpy()
                          & (np.arange(len(frame)) < later))
    earlier = same[-1]
    found = values.iloc[later] if values is not None else str(key_t)
    who = f" for {group_label} {key_g}" if group_label else ""
    raise InputError(
        f"repeated timestamp{who}: rows {int(rows[earlier])} and {int(rows[later])} give the "
        "same interval (only the repeated October hour of naive local time may appear twice)",
        file=file, row=int(rows[later]), column=column, found=found,
        expected="each timestamp once per meter",
        extra={"rows": [int(rows[earlier]), int(rows[later])]})


def local_year(ts_utc: pd.Series, tz: str) -> pd.Series:
    """Calendar year in local time of each interval start.

    Parameters
    ----------
    ts_utc : pandas.Series of datetime64[ns, UTC]
        Interval starts.
    tz : str
        IANA timezone.

    Returns
    -------
    pandas.Series of int16
        E.g. 2023-12-31T23:00:00Z in Europe/Oslo gives 2024.
    """
    wall = ts_utc.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
    return pd.Series(local_years(wall, tz), index=ts_utc.index, dtype="int16")


def year_bounds_utc(year: int, tz: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """UTC instants of local midnight on 1 January of ``year`` and ``year + 1``."""
    return (pd.Timestamp(year_start_utc(year, tz), tz="UTC"),
            pd.Timestamp(year_start_utc(year + 1, tz), tz="UTC"))


def expected_intervals(year: int, tz: str, interval_minutes: int = 60) -> int:
    """Number of intervals in a local calendar year.

    Parameters
    ----------
    year : int
    tz : str
        IANA timezone (the spring and autumn shifts cancel over a year).
    interval_minutes : int
        Interval length in minutes (60 for hourly, 15 for quarter-hourly).

    Returns
    -------
    int
        E.g. 8784 hours for 2024, 8760 for 2023, 35136 quarter-hours for 2024.
    """
    start, end = year_bounds_utc(year, tz)
    return int((end - start) / pd.Timedelta(minutes=interval_minutes))


def infer_interval_minutes(ts_utc: pd.Series) -> int | None:
    """The usual interval length of one meter's series, in minutes.

    Parameters
    ----------
    ts_utc : pandas.Series of datetime64[ns, UTC]
        One meter's interval starts.

    Returns
    -------
    int or None
        The most common positive step between sorted starts (15, 60,
        1440, ...), or None with fewer than two readings.
    """
    t = np.sort(pd.Series(ts_utc).dropna().to_numpy("datetime64[ns]"))
    if t.size < 2:
        return None
    steps = np.diff(t).astype("timedelta64[m]").astype("int64")
    steps = steps[steps > 0]
    if steps.size == 0:
        return None
    values, counts = np.unique(steps, return_counts=True)
    return int(values[np.argmax(counts)])
