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

from klimaregnskap.calc.registers import counter_steps, split_over_years
from klimaregnskap.errors import InputError
from klimaregnskap.localyear import year_start_utc
from klimaregnskap.units import convert_values, is_compatible

RECOVERED_CARRIERS = ("recovered_heat", "recovered_power")


def register_years(readings: pd.DataFrame, meters: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Apportion register-meter consumption to local calendar years (DESIGN §3).

    The counter rule (steps, rollover, decreasing readings) and the split at
    local New Year are those of :mod:`klimaregnskap.calc.registers`; this
    function applies them to the ledger's register readings, once per build:
    the year parts give both the consumption and the coverage of each
    register meter-year.

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
        and ``covered_s`` the seconds of that year spanned by readings [s].

    Raises
    ------
    InputError
        A decreasing reading on a meter without ``rollover``.
    """
    cols = ["meter_id", "year", "value_sum", "covered_s"]
    if readings.empty:
        return pd.DataFrame(columns=cols)
    r = readings.sort_values(["meter_id", "ts_utc"]).reset_index(drop=True)
    codes = pd.factorize(r["meter_id"], sort=True)[0]
    rollover = r["meter_id"].map(meters.set_index("meter_id")["rollover"]).to_numpy(dtype="float64")
    steps, decreasing = counter_steps(codes, r["value"].to_numpy(dtype="float64"), rollover)
    if decreasing.any():
        i = int(np.flatnonzero(decreasing)[0])
        raise InputError("register reading decreases and the meter has no rollover",
                         file=r["file"][i] if "file" in r else None,
                         row=int(r["row"][i]) if "row" in r else None, column="value",
                         found=f"{r['value'][i - 1]} then {r['value'][i]}",
                         expected="a counter that never decreases, or a rollover value "
                                  "in the meter registry")
    ok = np.flatnonzero(~np.isnan(steps))
    if ok.size == 0:
        return pd.DataFrame(columns=cols)
    t = r["ts_utc"].to_numpy(dtype="datetime64[us]")
    t0, t1 = t[ok - 1], t[ok]
    first = int(t0.min().astype("datetime64[Y]").astype(int)) + 1970 - 1
    last = int(t1.max().astype("datetime64[Y]").astype(int)) + 1970 + 1
    starts = {y: year_start_utc(y, tz) for y in range(first, last + 2)}
    idx, year, part, covered = split_over_years(t0, t1, steps[ok], starts)
    if idx.size == 0:
        return pd.DataFrame(columns=cols)
    res = pd.DataFrame({"meter_id": r["meter_id"].to_numpy()[ok][idx], "year": year,
                        "value_sum": part, "covered_s": covered})
    return res.groupby(["meter_id", "year"], as_index=False)[["value_sum", "covered_s"]].sum()[cols]


def meter_year_energy(meters: pd.DataFrame, interval_sums: pd.DataFrame,
                      register_years: pd.DataFrame, activity_energy_content=None) -> pd.DataFrame:
    """Consumption per meter and local year.

    Parameters
    ----------
    meters : pandas.DataFrame
        The current registry (``meter_id, site, carrier, kind, role, unit,
        multiplier``).
    interval_sums : pandas.DataFrame
        ``meter_id, year, value_sum, readings, estimated`` of interval meters
        [meter unit] (:func:`klimaregnskap.ledger.interval_sums`).
    register_years : pandas.DataFrame
        ``meter_id, year, value_sum`` of register meters [meter unit]
        (:func:`register_years`).
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
    cols = ["meter_id", "site", "carrier", "kind", "role", "year", "quantity", "quantity_unit",
            "energy_kwh", "readings", "estimated"]
    if meters.empty:
        return pd.DataFrame(columns=cols)
    parts = []
    iv = interval_sums
    if not iv.empty:
        parts.append(iv[["meter_id", "year", "value_sum", "readings", "estimated"]])
    reg = register_years
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
