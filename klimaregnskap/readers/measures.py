"""Measures (tiltak): what a trust does to close its gaps (DESIGN §3 "Measures").

Columns ``id, name, indicator, effect, start_year`` (``id, navn, indikator,
effekt, startår``), optional ``unit`` (``enhet``), ``full_effect_year``
(``full_effekt_år``), ``status`` (``idé, planlagt, vedtatt, gjennomført``),
``site`` (``lokasjon``), ``carrier`` (``energibærer``), ``investment``
(``investering``, NOK), ``annual_cost_change`` (``årlig_kostnadsendring``,
NOK a year), ``lifetime_years`` (``levetid``), ``owner`` (``ansvarlig``),
``note``. The column names are those of ``vocabulary/columns.csv``.

``effect`` is the yearly change in the indicator at full effect: a number in
``unit``, a number with its unit written in the cell (``-350 MWh``), or a
percent of the indicator's baseline (``-5 %``; percentage points for a share).
It is converted here, once, to the indicator's unit; a ``%`` effect stays in
``%`` (the pipeline knows the baseline).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.readers.columns import aliases_of, fold, required_of
from klimaregnskap.readers.meters import ENERGY_CARRIERS, RECOVERED_CARRIERS, _carrier_lookup
from klimaregnskap.readers.tables import (Table, begin_reading, column_strings, did_you_mean,
                                          is_missing,
                                          map_sites, parse_int_column, parse_number_column,
                                          require_filled)
from klimaregnskap.units import conversion_factor, is_compatible, is_known_unit
from klimaregnskap.vocabulary import indicators as indicator_table

__all__ = ["read_measures", "STATUSES", "SCHEMA", "PERCENT", "ENERGY_INDICATORS"]

REQUIRED = set(required_of("measures"))
COLUMNS = aliases_of("measures")

#: the statuses of a measure, in the order they progress (DESIGN §3)
STATUSES = ("idea", "planned", "decided", "implemented")
_STATUS_WORDS = {
    "idea": "idea", "ide": "idea", "idé": "idea", "planned": "planned", "planlagt": "planned",
    "decided": "decided", "vedtatt": "decided", "besluttet": "decided",
    "implemented": "implemented", "gjennomført": "implemented", "gjennomfort": "implemented",
    "gjennomfoert": "implemented", "innført": "implemented", "innfort": "implemented",
}
#: Norwegian names people write for an indicator, besides its code
_INDICATOR_WORDS = {
    "utslipp": "emissions", "direkte_utslipp": "emissions", "klimagassutslipp": "emissions",
    "klimanøytral": "climate_neutral", "klimanoytral": "climate_neutral",
    "klimanøytralitet": "climate_neutral", "klimanoytralitet": "climate_neutral",
    "energi": "energy", "energibruk": "energy",
    "energi_klimakorrigert": "energy_normalised", "matsvinn": "food_waste",
    "fotavtrykk": "footprint", "kjemikaliefri": "chemical_free_share",
    "kjemikaliefri_andel": "chemical_free_share", "gjenvunnet_energi": "recovered_heat_share",
}
#: the marker of an effect given as a percent of the indicator's baseline
PERCENT = "%"
_PERCENT_WORDS = {"%", "prosent", "percent", "pct"}
#: indicators whose measures may name a carrier (their effect is energy)
ENERGY_INDICATORS = ("energy", "energy_normalised")

_EFFECT = re.compile(r"^\s*(?P<num>[-+\u2212]?\s*\d[\d\s\u00a0\u202f.,']*)\s*(?P<unit>\S.*?)?\s*$")

SCHEMA = pa.DataFrameSchema({
    "row": pa.Column("int64"),
    "id": pa.Column(str),
    "name": pa.Column(str),
    "indicator": pa.Column(str),
    "effect": pa.Column("float64"),
    "effect_unit": pa.Column(str),
    "start_year": pa.Column("int64"),
    "full_effect_year": pa.Column("int64"),
    "status": pa.Column(str, pa.Check.isin(STATUSES)),
    "site": pa.Column(str),
    "carrier": pa.Column(str),
    "investment_nok": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "annual_cost_change_nok": pa.Column("float64", nullable=True),
    "lifetime_years": pa.Column("float64", pa.Check.gt(0), nullable=True),
    "owner": pa.Column(str),
    "note": pa.Column(str),
}, strict=True, ordered=True)


def _texts(table: Table, cols: dict, name: str) -> pd.Series:
    n = len(table.frame)
    return column_strings(table, cols[name]) if name in cols else pd.Series([""] * n, dtype=object)


def _split_effect(table: Table, column: str) -> tuple[Table, pd.Series]:
    """The effect column as numbers only (same header) and the unit written in each cell."""
    text = column_strings(table, column)
    numbers, units = [], []
    for i, cell in enumerate(text):
        m = _EFFECT.match(cell) if cell else None
        if m is None:
            numbers.append(cell)
            units.append("")
            continue
        num = m.group("num").replace("\u2212", "-").replace(" ", "").strip()
        numbers.append(num[1:] if num.startswith("+") else num)
        units.append((m.group("unit") or "").strip())
    frame = table.frame.copy()
    raw = table.frame[column]
    # an XLSX number cell stays a number; text cells lose their unit
    frame[column] = [v if isinstance(v, (int, float)) and not isinstance(v, bool) else num
                     for v, num in zip(raw, numbers)]
    return replace(table, frame=frame), pd.Series(units, dtype=object)


def read_measures(table: Table, ctx) -> pd.DataFrame:
    """Read and validate a measures file (DESIGN §3 "Measures").

    Parameters
    ----------
    table : Table
    ctx : ReaderContext
        Uses ``sites`` and ``activity_units`` (the factor library's
        activities: the fuels a carrier may name).

    Returns
    -------
    pandas.DataFrame
        ``row, id, name, indicator, effect, effect_unit, start_year,
        full_effect_year, status, site, carrier, investment_nok,
        annual_cost_change_nok, lifetime_years, owner, note``. ``effect`` is
        in ``effect_unit``: the indicator's unit, or ``%`` of the indicator's
        baseline (percentage points for a share); ``investment_nok`` [NOK],
        ``annual_cost_change_nok`` [NOK/year], ``lifetime_years`` [year] are
        NaN when not given; ``status`` is the English code; ``site`` and
        ``carrier`` are '' when not given.

    Raises
    ------
    InputError
        Every problem found (up to 10), naming file, row, column, found and
        expected: an unknown indicator, status, site or carrier; an effect
        without a unit or in a unit that does not convert to the
        indicator's; ``full_effect_year`` before ``start_year``; an
        investment without a lifetime; a carrier on a measure that is not
        an energy measure; the same id twice.
    """
    cols, problems = begin_reading(table, COLUMNS, REQUIRED)
    n = len(table.frame)
    units_of = {k: v.unit for k, v in indicator_table().items()}
    shares = {k for k, v in indicator_table().items() if v.is_share}

    ids = _texts(table, cols, "id")
    with problems.check():
        require_filled(table, cols["id"], "the measure's id")
    with problems.check():
        require_filled(table, cols["name"], "the measure's name")
    # the same id twice in one file
    seen: dict[str, int] = {}
    for i, v in enumerate(ids):
        if not v:
            continue
        if v in seen:
            problems.add(table.error(f"measure id '{v}' is already given in row "
                                     f"{table.row_of(seen[v])}", i, cols["id"], v,
                                     "each measure's id once"))
        else:
            seen[v] = i

    # indicator
    ind_text = _texts(table, cols, "indicator")
    words = {fold(k): k for k in units_of}
    words.update({fold(k): v for k, v in _INDICATOR_WORDS.items() if v in units_of})
    indicator = ind_text.map(lambda s: words.get(fold(s)))
    for i in np.flatnonzero(indicator.isna().to_numpy()):
        problems.add(table.error("unknown indicator" + did_you_mean(ind_text.iloc[i], sorted(words)),
                                 int(i), cols["indicator"], ind_text.iloc[i],
                                 "one of " + ", ".join(units_of)))

    # effect and its unit
    effect = None
    written_units = pd.Series([""] * n, dtype=object)
    with problems.check():
        require_filled(table, cols["effect"], "the yearly change at full effect, such as "
                                              "-350 MWh or -5 %")
        numeric, written_units = _split_effect(table, cols["effect"])
        effect = parse_number_column(numeric, cols["effect"],
                                     expected="a number, a number with a unit (-350 MWh) "
                                              "or a percent (-5 %)")
    unit_col = _texts(table, cols, "unit")
    effect_unit = np.full(n, "", dtype=object)
    factor = np.full(n, np.nan)
    for i in range(n):
        ind = indicator.iloc[i]
        w, u = written_units.iloc[i], unit_col.iloc[i]
        col = cols["effect"] if w else cols.get("unit", "unit")
        unit = w or u
        if w and u and fold(w) != fold(u):
            problems.add(table.error("the effect is written with one unit and the unit column "
                                     "gives another", i, cols.get("unit"), f"{w} / {u}",
                                     "one unit, in effect or in unit"))
            continue
        if not unit:
            problems.add(table.error("effect without a unit", i, cols.get("unit", "unit"), "",
                                     "a unit (in the unit column or written in effect, as "
                                     "-350 MWh), or % of the baseline"))
            continue
        if not isinstance(ind, str):
            continue
        if unit.lower() in _PERCENT_WORDS:
            effect_unit[i], factor[i] = PERCENT, 1.0
            continue
        target = units_of[ind]
        if ind in shares:
            problems.add(table.error(f"unit '{unit}' does not fit {ind}, a share", i, col, unit,
                                     "% (percentage points of the share)"))
            continue
        if not is_known_unit(unit):
            problems.add(table.error("unknown unit", i, col, unit,
                                     f"a unit that converts to {target}, or %"))
            continue
        if not is_compatible(unit, target):
            problems.add(table.error(f"unit '{unit}' does not convert to {target}, the unit of "
                                     f"{ind}", i, col, unit,
                                     f"a unit that converts to {target}, or % of the baseline"))
            continue
        effect_unit[i], factor[i] = target, conversion_factor(unit, target)

    # years
    start = full = None
    with problems.check():
        start = parse_int_column(table, cols["start_year"], low=1900, high=2200,
                                 what="a year such as 2025")
    if "full_effect_year" in cols:
        filled = ~is_missing(table.frame[cols["full_effect_year"]])
        with problems.check():
            sub = replace(table, frame=table.frame[filled].reset_index(drop=True),
                          rows=table.rows[filled])
            given = parse_int_column(sub, cols["full_effect_year"], low=1900, high=2200,
                                     what="a year such as 2027, or empty")
            if start is not None:
                full = start.copy()
                full[filled] = given
                for i in np.flatnonzero(full < start):
                    problems.add(table.error("full_effect_year is before start_year", int(i),
                                             cols["full_effect_year"], int(full[i]),
                                             f"{int(start[i])} or later (empty: the start year)"))
    elif start is not None:
        full = start.copy()

    # status
    st_text = _texts(table, cols, "status")
    status = st_text.map(lambda s: "planned" if not s else _STATUS_WORDS.get(s.strip().lower(),
                                                                             _STATUS_WORDS.get(fold(s))))
    for i in np.flatnonzero(status.isna().to_numpy()):
        problems.add(table.error("unknown status", int(i), cols["status"], st_text.iloc[i],
                                 "idé, planlagt, vedtatt or gjennomført (idea, planned, "
                                 "decided, implemented)"))

    # site
    site = np.full(n, "", dtype=object)
    if "site" in cols:
        filled = ~is_missing(table.frame[cols["site"]])
        if filled.any():
            with problems.check():
                sub = replace(table, frame=table.frame[filled].reset_index(drop=True),
                              rows=table.rows[filled])
                site[filled] = map_sites(sub, cols["site"], ctx.sites)

    # carrier
    carrier = np.full(n, "", dtype=object)
    car_text = _texts(table, cols, "carrier")
    lookup = {k: v for k, v in _carrier_lookup(ctx).items() if v not in RECOVERED_CARRIERS}
    for i, c in enumerate(car_text):
        if not c:
            continue
        hit = lookup.get(fold(c))
        if hit is None:
            problems.add(table.error("unknown carrier", i, cols["carrier"], c,
                                     "a carrier: " + ", ".join(x for x in ENERGY_CARRIERS
                                                               if x not in RECOVERED_CARRIERS)
                                     + ", or a fuel of the factor library"))
        elif isinstance(indicator.iloc[i], str) and indicator.iloc[i] not in ENERGY_INDICATORS:
            problems.add(table.error(f"a carrier is for energy measures; this measure changes "
                                     f"{indicator.iloc[i]}", i, cols["carrier"], c,
                                     "an empty carrier, or indicator energy"))
        else:
            carrier[i] = hit

    # money and lifetime
    money: dict[str, np.ndarray] = {}
    for name in ("investment", "annual_cost_change", "lifetime_years"):
        money[name] = np.full(n, np.nan)
        if name in cols:
            with problems.check():
                money[name] = parse_number_column(table, cols[name], allow_empty=True)
    for i in np.flatnonzero(money["investment"] < 0):
        problems.add(table.error("negative investment", int(i), cols["investment"],
                                 money["investment"][i], "an amount in NOK, 0 or more"))
    if "lifetime_years" in cols:
        for i in np.flatnonzero(money["lifetime_years"] <= 0):
            problems.add(table.error("lifetime must be positive", int(i), cols["lifetime_years"],
                                     money["lifetime_years"][i], "a number of years above 0"))
    need_life = (money["investment"] > 0) & np.isnan(money["lifetime_years"])
    for i in np.flatnonzero(need_life):
        problems.add(table.error("an investment without a lifetime", int(i),
                                 cols.get("lifetime_years", "lifetime_years (levetid)"), "",
                                 "the measure's lifetime in years (levetid), to spread the "
                                 "investment over (annuity)"))
    problems.raise_if_any()

    out = pd.DataFrame({
        "row": table.rows.astype("int64"),
        "id": ids.astype(str).to_numpy(),
        "name": _texts(table, cols, "name").astype(str).to_numpy(),
        "indicator": indicator.astype(str).to_numpy(),
        "effect": (effect * factor).astype("float64"),
        "effect_unit": effect_unit.astype(str),
        "start_year": start.astype("int64"),
        "full_effect_year": full.astype("int64"),
        "status": status.astype(str).to_numpy(),
        "site": site.astype(str),
        "carrier": carrier.astype(str),
        "investment_nok": money["investment"].astype("float64"),
        "annual_cost_change_nok": money["annual_cost_change"].astype("float64"),
        "lifetime_years": money["lifetime_years"].astype("float64"),
        "owner": _texts(table, cols, "owner").astype(str).to_numpy(),
        "note": _texts(table, cols, "note").astype(str).to_numpy(),
    })
    return SCHEMA.validate(out)
