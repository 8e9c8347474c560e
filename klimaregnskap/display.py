"""Numbers as people read them, the same in the terminal and in the report.

Norwegian writes ``12 345,6`` (a no-break space between thousands, a decimal
comma), English ``12,345.6``. Energy is shown in one unit per table, chosen
by the table's largest value (:func:`energy_unit`): a trust's tens of GWh
read as ``35 682 MWh`` in ``status``, the report's tables and its charts.

This module imports nothing heavy: ``status`` uses it on its fast path.
"""

from __future__ import annotations

import math

#: Norwegian groups thousands with a space; a no-break space keeps a number on
#: one line (a terminal line break or a wrapped table cell never splits it).
NB_GROUP = "\u00a0"

#: kWh -> the unit a table of energies is shown in, by its largest value [kWh]:
#: from 100 GWh GWh, from 100 MWh MWh, else kWh (so the largest figure has three
#: to five digits: "35 682 MWh" for a trust, "960 MWh" for a sub-meter)
ENERGY_UNITS = ((1e8, 1e6, "GWh"), (1e5, 1e3, "MWh"))


def is_missing(x) -> bool:
    """True for None, NaN and non-numbers that cannot be formatted."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def energy_unit(largest_kwh) -> tuple[float, str]:
    """Divisor and unit for a table or chart of energies.

    Parameters
    ----------
    largest_kwh : float or None
        The largest absolute value the table shows [kWh].

    Returns
    -------
    tuple of (float, str)
        ``(1000.0, "MWh")`` from 100 MWh to 100 GWh (a hospital trust),
        ``(1e6, "GWh")`` above, ``(1.0, "kWh")`` below 100 MWh.
    """
    if not is_missing(largest_kwh):
        for at_least, divisor, unit in ENERGY_UNITS:
            if abs(float(largest_kwh)) >= at_least:
                return divisor, unit
    return 1.0, "kWh"


def fmt_num(x, lang: str, decimals: int = 1) -> str:
    """Format a number with the language's thousands and decimal separators.

    Parameters
    ----------
    x : float or None
        The number (any unit); None/NaN gives an en dash.
    lang : str
        ``'nb'`` (``12 345,6``, no-break space) or ``'en'`` (``12,345.6``).
    decimals : int
        Digits after the decimal sign.
    """
    if is_missing(x):
        return "–"
    value = float(x)
    if round(value, decimals) == 0:
        value = 0.0  # no "-0,0"
    s = f"{value:,.{decimals}f}"
    if lang == "nb":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", NB_GROUP)
    return s


def auto_decimals(x, unit: str | None = None) -> int:
    """Display precision: whole numbers for large values, one decimal else."""
    if is_missing(x):
        return 0
    if unit == "%":
        return 1
    a = abs(float(x))
    if a >= 1000:
        return 0
    if a >= 10:
        return 1
    return 2 if a > 0 else 0


def fmt_pct(x, lang: str, decimals: int = 1, sign: bool = False) -> str:
    """Percentage: ``18,0 %`` in nb (no-break space), ``18.0%`` in en; ``sign``: ``+18,0 %``."""
    if is_missing(x):
        return "–"
    sep = NB_GROUP if lang == "nb" else ""
    s = fmt_num(x, lang, decimals)
    if sign and round(float(x), decimals) > 0:
        s = "+" + s
    return f"{s}{sep}%"
