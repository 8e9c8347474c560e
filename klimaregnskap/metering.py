"""Meter consumption per meter and year, from the ledger's current readings.

Interval meters: each value is the consumption of the interval that starts at
its timestamp, and belongs to the local calendar year of that start.

Register meters: consumption between two readings is the difference of the
counter (plus ``rollover`` when the counter wrapped), spread evenly over the
time between the readings, so a year boundary between two readings splits it
in proportion to time (DESIGN §3).

Both are multiplied by the meter's ``multiplier`` and converted from the
meter's unit once per unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap import ledger
from klimaregnskap.errors import InputError
from klimaregnskap.units import convert_values, is_compatible

RECOVERED_CARRIERS = ("recovered_heat", "recovered_power")


def year_starts_utc(years, tz: str) -> pd.Series:
    """UTC instants of local midnight on 1 January of each year.

    Parameters
    ----------
    years : iterable of int
    tz : str
        IANA time zone of the project.

    Returns
    -------
    pandas.Series of datetime64[ns] (naive UTC), indexed by year.
    """
    years = sorted(set(int(y) for y in years))
    stamps = [pd.Timestamp(year=y, month=1, day=1, tz=tz).tz_convert("UTC").tz_localize(None)
              for y in years]
    return pd.Series(stamps, index=years, dtype="datetime64[ns]")


def registry(con) -> pd.DataFrame:
    """The current meter registry (one row per meter id)."""
    return ledger.current(con, "meter_registry")


def interval_sums(con) -> pd.DataFrame:
    """Sum of current interval readings per meter and local year, in the meter's unit.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, value_sum, readings, estimated`` (value_sum in the
        meter's registry unit, before the multiplier).
    """
    return con.execute("""
        SELECT r.meter_id, r.year, sum(r.value) AS value_sum, count(*) AS readings,
               count(*) FILTER (WHERE r.quality = 'estimated') AS estimated
        FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
        WHERE r.superseded_by IS NULL AND m.kind = 'interval'
        GROUP BY r.meter_id, r.year ORDER BY r.meter_id, r.year""").df()


def register_readings(con) -> pd.DataFrame:
    """Current readings of register meters: meter_id, ts_utc (naive UTC), value, row, file."""
    return con.execute("""
        SELECT r.meter_id, r.ts_utc, r.value, r.row, i.file, r.quality
        FROM readings r JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
        JOIN imports i ON i.import_id = r.import_id
        WHERE r.superseded_by IS NULL AND m.kind = 'register'
        ORDER BY r.meter_id, r.ts_utc""").df()


def register_consumption(readings: pd.DataFrame, meters: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Apportion register-meter consumption to local calendar years.

    Parameters
    ----------
    readings : pandas.DataFrame
        ``meter_id, ts_utc`` (naive UTC), ``value`` (counter in the meter's
        unit), optional ``row, file`` for error messages.
    meters : pandas.DataFrame
        Registry with ``meter_id, rollover``.
    tz : str
        Project time zone (years are local calendar years).

    Returns
    -------
    pandas.DataFrame
        ``meter_id, year, value_sum, covered_s`` where ``value_sum`` is the
        consumption [meter unit, before multiplier] apportioned to the year
        and ``covered_s`` the seconds of that year spanned by readings.

    Raises
    ------
    InputError
        A decreasing reading on a meter without ``rollover``.
    """
    cols = ["meter_id", "year", "value_sum", "covered_s"]
    if readings.empty:
        return pd.DataFrame(columns=cols)
    r = readings.sort_values(["meter_id", "ts_utc"]).reset_index(drop=True)
    roll = meters.set_index("meter_id")["rollover"]
    same = r["meter_id"].eq(r["meter_id"].shift())
    t0 = r["ts_utc"].shift()[same]
    t1 = r["ts_utc"][same]
    delta = (r["value"] - r["value"].shift())[same]
    mid = r["meter_id"][same]
    rollover = mid.map(roll).astype("float64")
    wrapped = delta < 0
    bad = wrapped & rollover.isna()
    if bad.any():
        i = bad[bad].index[0]
        raise InputError("register reading decreases and the meter has no rollover",
                         file=r.get("file", pd.Series([None] * len(r)))[i],
                         row=int(r["row"][i]) if "row" in r else None, column="value",
                         found=f"{r['value'][i - 1]} then {r['value'][i]}",
                         expected="a counter that never decreases, or a rollover value "
                                  "in the meter registry")
    delta = delta.where(~wrapped, delta + rollover)
    intervals = pd.DataFrame({"meter_id": mid.to_numpy(), "t0": t0.to_numpy(),
                              "t1": t1.to_numpy(), "amount": delta.to_numpy()})
    if intervals.empty:
        return pd.DataFrame(columns=cols)
    years = range(int(intervals["t0"].min().year) - 1, int(intervals["t1"].max().year) + 2)
    starts = year_starts_utc(years, tz)
    out = []
    dur = (intervals["t1"] - intervals["t0"]).dt.total_seconds().to_numpy()
    for y in list(starts.index)[:-1]:
        lo = starts[y]
        hi = starts[y + 1]
        a = np.maximum(intervals["t0"].to_numpy(), np.datetime64(lo))
        b = np.minimum(intervals["t1"].to_numpy(), np.datetime64(hi))
        overlap = (b - a) / np.timedelta64(1, "s")
        overlap = np.where(overlap > 0, overlap, 0.0)
        if not overlap.any():
            continue
        share = np.divide(overlap, dur, out=np.zeros_like(overlap), where=dur > 0)
        part = pd.DataFrame({"meter_id": intervals["meter_id"], "year": y,
                             "value_sum": intervals["amount"].to_numpy() * share,
                             "covered_s": overlap})
        out.append(part[overlap > 0])
    if not out:
        return pd.DataFrame(columns=cols)
    res = pd.concat(out).groupby(["meter_id", "year"], as_index=False)[["value_sum", "covered_s"]].sum()
    return res[cols]


def meter_year_energy(con, tz: str, activity_energy_content=None) -> pd.DataFrame:
    """Consumption per meter and local year.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The ledger.
    tz : str
        Project time zone.
    activity_energy_content : callable, optional
        ``f(carrier, years) -> (values, unit)`` giving energy content [e.g.
        kWh/Sm3] for fuel meters whose unit is an amount, not energy.

    Returns
    -------
    pandas.DataFrame
        ``meter_id, site, carrier, kind, role, year, quantity, quantity_unit,
        energy_kwh, readings, estimated`` where ``quantity`` is in the meter's
        unit after the multiplier and ``energy_kwh`` is delivered (or
        recovered) energy [kWh].
    """
    meters = registry(con)
    cols = ["meter_id", "site", "carrier", "kind", "role", "year", "quantity", "quantity_unit",
            "energy_kwh", "readings", "estimated"]
    if meters.empty:
        return pd.DataFrame(columns=cols)
    parts = []
    iv = interval_sums(con)
    if not iv.empty:
        parts.append(iv[["meter_id", "year", "value_sum", "readings", "estimated"]])
    reg = register_consumption(register_readings(con), meters, tz)
    if not reg.empty:
        reg = reg.assign(readings=np.nan, estimated=np.nan)
        parts.append(reg[["meter_id", "year", "value_sum", "readings", "estimated"]])
    if not parts:
        return pd.DataFrame(columns=cols)
    df = pd.concat(parts, ignore_index=True).merge(
        meters[["meter_id", "site", "carrier", "kind", "role", "unit", "multiplier"]],
        on="meter_id", how="inner")
    df["quantity"] = df["value_sum"] * df["multiplier"].fillna(1.0)
    df["quantity_unit"] = df["unit"]
    df["energy_kwh"] = np.nan
    energy_units = df["unit"].map(lambda u: is_compatible(u, "kWh"))
    if energy_units.any():
        df.loc[energy_units, "energy_kwh"] = convert_values(
            df.loc[energy_units, "quantity"], df.loc[energy_units, "unit"], "kWh")
    if (~energy_units).any() and activity_energy_content is not None:
        # one conversion per (fuel, meter unit): meters of one fuel may count in L or m3
        for (carrier, meter_unit), idx in df[~energy_units].groupby(["carrier", "unit"]).groups.items():
            sub = df.loc[idx]
            values, unit = activity_energy_content(carrier, sub["year"].to_numpy())
            # quantity [meter unit] x content [kWh per amount] -> kWh
            df.loc[idx, "energy_kwh"] = convert_values(
                sub["quantity"].to_numpy() * values, f"({meter_unit})*({unit})", "kWh")
    df["year"] = df["year"].astype("int64")
    return df[cols].sort_values(["site", "meter_id", "year"]).reset_index(drop=True)
