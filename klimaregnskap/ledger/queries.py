"""Read-side SQL over the ledger: what the pipeline asks of the current rows.

Aggregation happens in the database so that hundreds of millions of
readings never reach pandas (DESIGN §8); what comes back is per meter and
year. The rules applied to these results live in :mod:`klimaregnskap.calc`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from klimaregnskap.ledger.core import current

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["registry", "interval_sums", "register_readings", "interval_year_stats",
           "first_steps_median", "reading_spans", "window_coverage", "readings_of",
           "last_data_year"]


def registry(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current meter registry, one row per meter id (``meter_registry`` columns)."""
    return current(con, "meter_registry")


def interval_sums(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Sum of current interval readings per meter and local year, in the meter's unit.

    The sum is exact over the readings rounded to 1e-9 of the meter's unit
    (meter exports carry three decimals or fewer), so it does not depend on
    the order DuckDB's threads add in.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, value_sum, readings, estimated`` (``value_sum`` in
        the meter's registry unit, before the multiplier).
    """
    return con.execute("""
        SELECT r.meter_id, r.year,
               -- an exact sum (int128 decimals, then one rounding to DOUBLE): a parallel
               -- DOUBLE sum depends on thread timing in its last bits, and the accounts
               -- must be the same figures on every run
               sum(r.value::DECIMAL(38, 9))::DOUBLE AS value_sum, count(*) AS readings,
               count(*) FILTER (WHERE r.quality = 'estimated') AS estimated
        FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
        WHERE r.superseded_by IS NULL AND m.kind = 'interval'
        GROUP BY r.meter_id, r.year ORDER BY r.meter_id, r.year""").df()


def register_readings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Current readings of register meters in time order.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, ts_utc`` (naive UTC), ``value`` (counter, meter unit),
        ``row, file, quality``.
    """
    return con.execute("""
        SELECT r.meter_id, r.ts_utc, r.value, r.row, i.file, r.quality
        FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
        JOIN current_imports i ON i.import_id = r.import_id
        WHERE r.superseded_by IS NULL AND m.kind = 'register'
        ORDER BY r.meter_id, r.ts_utc""").df()


def interval_year_stats(con: duckdb.DuckDBPyConnection, spike_factor: float,
                        years: list[int] | None = None) -> pd.DataFrame:
    """Counts, estimated readings, largest value and spikes per interval meter and year.

    A spike is a reading above median + ``spike_factor`` x IQR of the meter's
    own values; the quantiles come from a reservoir sample (8192 per meter)
    so time and memory stay bounded whatever the number of readings.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    spike_factor : float
        Multiple of the interquartile range [-].
    years : list of int, optional
        Only these years.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, readings, estimated, max_value, spikes``.
    """
    year_filter = ""
    if years is not None:
        year_filter = " AND r.year IN (" + ", ".join(str(int(y)) for y in years) + ")"
    return con.execute(f"""
        WITH iv AS (
            SELECT meter_id FROM meters WHERE superseded_by IS NULL AND kind = 'interval'),
        qs AS (
            SELECT r.meter_id, reservoir_quantile(r.value, [0.25, 0.5, 0.75], 8192) AS q
            FROM readings r JOIN iv USING (meter_id)
            WHERE r.superseded_by IS NULL GROUP BY r.meter_id),
        lim AS (
            SELECT meter_id, CASE WHEN q[3] > q[1] THEN q[2] + {float(spike_factor)} * (q[3] - q[1])
                                  END AS spike_above
            FROM qs)
        SELECT r.meter_id, r.year, count(*) AS readings,
               count(*) FILTER (WHERE r.quality = 'estimated') AS estimated,
               max(r.value) AS max_value,
               count(*) FILTER (WHERE r.value > l.spike_above) AS spikes
        FROM readings r JOIN lim l USING (meter_id)
        WHERE r.superseded_by IS NULL{year_filter}
        GROUP BY r.meter_id, r.year""").df()


def first_steps_median(con: duckdb.DuckDBPyConnection, probe_days: int) -> pd.DataFrame:
    """Median step [s] between the readings of each interval meter's first ``probe_days`` days.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, median_s``.
    """
    return con.execute(f"""
        WITH first AS (
            SELECT r.meter_id, min(r.ts_utc) AS t0
            FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
            WHERE r.superseded_by IS NULL AND m.kind = 'interval' GROUP BY r.meter_id),
        d AS (
            SELECT r.meter_id,
                   epoch(r.ts_utc) - epoch(lag(r.ts_utc) OVER (PARTITION BY r.meter_id
                                                               ORDER BY r.ts_utc)) AS dsec
            FROM readings r JOIN first f ON f.meter_id = r.meter_id
            WHERE r.superseded_by IS NULL
              AND r.ts_utc < f.t0 + INTERVAL {int(probe_days)} DAY)
        SELECT meter_id, median(dsec) AS median_s FROM d GROUP BY meter_id""").df()


def reading_spans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """First and last current reading of every meter.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, first_ts, last_ts`` (naive UTC).
    """
    return con.execute("""
        SELECT meter_id, min(ts_utc) AS first_ts, max(ts_utc) AS last_ts FROM readings
        WHERE superseded_by IS NULL GROUP BY meter_id ORDER BY meter_id""").df()


def window_coverage(con: duckdb.DuckDBPyConnection, todo: pd.DataFrame) -> pd.DataFrame:
    """Time covered by the readings of fixed-step interval meters inside their windows.

    An interval counts when its start lies in the window ``[w0, w1)``, for
    its elapsed time up to ``w1``; a gap is the elapsed time between the end
    of one present interval (or ``w0``) and the start of the next (or
    ``w1``). The rules are :func:`klimaregnskap.calc.quality.meter_windows`
    and DESIGN §4; this is their aggregation in the database.

    Set-based first (DESIGN §8: tens of millions of readings): one hash
    aggregate gives every window its readings, estimated readings and
    covered time, and finds the *complete* windows, those whose readings
    are exactly the step grid ``w0, w0 + step, ...`` below ``w1`` (as many
    readings as grid points, every one on the grid; a meter has one current
    reading per timestamp, the ledger's key). A complete window has no gap,
    so only the other windows' readings are put in time order to measure
    their gaps. The figures are those of the ordered rule for every window.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    todo : pandas.DataFrame
        ``meter_id, year, step`` (the meter's interval [s]), ``w0, w1`` (the
        window, naive UTC).

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, in_window`` (readings whose start lies in the
        window), ``estimated_in_window``, ``covered_s`` [s],
        ``longest_gap_s`` [s] and ``gaps`` (runs of missing time), for the
        windows holding at least one reading.
    """
    con.register("_window_todo", todo)
    try:
        return con.execute("""
            WITH t AS (
                SELECT meter_id, year, step, w0, w1, epoch(w1) AS e1,
                       epoch_us(w0) AS u0, step * 1000000 AS step_us,
                       -- grid points w0 + k * step below w1
                       (epoch_us(w1) - epoch_us(w0) + step * 1000000 - 1)
                           // (step * 1000000) AS slots
                FROM _window_todo),
            agg AS MATERIALIZED (
                SELECT t.meter_id, t.year, count(*) AS in_window,
                       count(*) FILTER (WHERE r.quality = 'estimated') AS estimated_in_window,
                       sum(least(epoch(r.ts_utc) + t.step, t.e1) - epoch(r.ts_utc)) AS covered,
                       count(*) = any_value(t.slots)
                           AND count(*) FILTER (WHERE (epoch_us(r.ts_utc) - t.u0) % t.step_us
                                                <> 0) = 0 AS complete
                FROM readings r JOIN t
                  ON t.meter_id = r.meter_id AND r.ts_utc >= t.w0 AND r.ts_utc < t.w1
                WHERE r.superseded_by IS NULL
                GROUP BY t.meter_id, t.year),
            -- the ordered rule, only where a window is not the full grid
            partial AS (
                SELECT t.* FROM _window_todo t JOIN agg a USING (meter_id, year)
                WHERE NOT a.complete),
            g AS (
                SELECT r.meter_id, t.year,
                       epoch(r.ts_utc) - coalesce(epoch(lag(r.ts_utc) OVER w) + t.step,
                                                  epoch(t.w0)) AS gap_before,
                       CASE WHEN lead(r.ts_utc) OVER w IS NULL
                            THEN epoch(t.w1) - (epoch(r.ts_utc) + t.step) ELSE 0 END AS gap_after
                FROM readings r JOIN partial t
                  ON t.meter_id = r.meter_id AND r.ts_utc >= t.w0 AND r.ts_utc < t.w1
                WHERE r.superseded_by IS NULL
                WINDOW w AS (PARTITION BY r.meter_id, t.year ORDER BY r.ts_utc)),
            gaps AS (
                SELECT meter_id, year,
                       greatest(max(gap_before), max(gap_after), 0) AS longest_gap_s,
                       count(*) FILTER (WHERE gap_before > 0)
                       + count(*) FILTER (WHERE gap_after > 0) AS gaps
                FROM g GROUP BY meter_id, year)
            SELECT a.meter_id, a.year, a.in_window, a.estimated_in_window,
                   a.covered::DOUBLE AS covered_s,
                   coalesce(s.longest_gap_s, 0)::DOUBLE AS longest_gap_s,
                   coalesce(s.gaps, 0)::DOUBLE AS gaps
            FROM agg a LEFT JOIN gaps s USING (meter_id, year)""").df()
    finally:
        con.unregister("_window_todo")


def readings_of(con: duckdb.DuckDBPyConnection, meter_ids: list[str],
                years: list[int] | None = None) -> pd.DataFrame:
    """Current readings of a few meters: ``meter_id, year, ts_utc, value, quality``."""
    year_filter = ""
    if years is not None:
        year_filter = " AND year IN (" + ", ".join(str(int(y)) for y in years) + ")"
    return con.execute(f"""SELECT meter_id, year, ts_utc, value, quality FROM readings
                           WHERE superseded_by IS NULL AND meter_id IN (SELECT unnest(?))
                           {year_filter}""", [list(meter_ids)]).df()


def last_data_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The latest year of any current activity, food waste, operations, product or reading row."""
    years = []
    for table in ("activity", "food_waste", "operations", "products", "readings"):
        r = con.execute(f"SELECT max(year) FROM {table} WHERE superseded_by IS NULL").fetchone()
        if r and r[0] is not None:
            years.append(int(r[0]))
    return max(years) if years else None


def data_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The years with data: of any current activity, food waste, operations or
    product row, and of meter readings.

    A register meter's reading at the first instant of a year closes the year
    before (the demo's district-heating counters read at 1 January 00:00), so
    a register meter gives a year only with two readings in it or more.
    """
    years: set[int] = set()
    for table in ("activity", "food_waste", "operations", "products"):
        rows = con.execute(f"SELECT DISTINCT year FROM {table} "
                           "WHERE superseded_by IS NULL AND year IS NOT NULL").fetchall()
        years.update(int(r[0]) for r in rows)
    # interval meters (and readings of an unregistered meter) give their years as they are,
    # in one scan without grouping by meter; only the register meters, read monthly or
    # daily, are grouped to count their readings
    rows = con.execute("""
        WITH reg AS (
            SELECT DISTINCT meter_id FROM meters
            WHERE superseded_by IS NULL AND kind = 'register')
        SELECT DISTINCT r.year FROM readings r ANTI JOIN reg USING (meter_id)
        WHERE r.superseded_by IS NULL AND r.year IS NOT NULL
        UNION
        SELECT r.year FROM readings r SEMI JOIN reg USING (meter_id)
        WHERE r.superseded_by IS NULL AND r.year IS NOT NULL
        GROUP BY r.year, r.meter_id HAVING count(DISTINCT r.ts_utc) > 1
    """).fetchall()
    years.update(int(r[0]) for r in rows)
    return sorted(years)
