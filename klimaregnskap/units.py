"""The package's one pint registry and vectorised unit conversion.

CO2e is a base dimension of its own (``[co2e]``), defined with the other
domain units in ``vocabulary/units.txt``. Conversion of numeric
columns happens once per distinct unit, never once per row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pint

from klimaregnskap.errors import UnitError

def _registry() -> pint.UnitRegistry:
    # pint parses its default definitions (~0.2 s) on every start unless it may
    # keep the parsed form in the user's cache folder (keyed by the files'
    # content, so never stale); without a writable cache it parses as usual
    try:
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    except Exception:  # noqa: BLE001 - any cache trouble: parse instead
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


ureg = _registry()
ureg.load_definitions(str(resources.files("klimaregnskap.vocabulary") / "units.txt"))

# CO2-equivalent spellings of published factor tables (``kg CO2-eq``,
# ``tCO2ekv``) and unit symbols, rewritten before pint parses a unit string.
# Unit words (kWh, liter, tonn, kilo, ...) are not here: they are the
# spellings table of ``vocabulary/units.txt`` (:func:`spellings`).
_REPLACEMENTS = [
    (re.compile(r"CO2[- ]?(e|eq|ekv)\.?", re.IGNORECASE), "CO2e"),
    (re.compile(r"\b(k?g|t|kt|Mt)\s+CO2e\b"), r"\1CO2e"),
    (re.compile(r"\b(k?g|t|kt|Mt)_?co2e\b", re.IGNORECASE), lambda m: m.group(1) + "CO2e"),
    (re.compile(r"°C|℃"), "degC"),
]
_SUPERSCRIPTS = [(re.compile(r"³"), "**3"), (re.compile(r"²"), "**2")]
# a word of a unit string: a letter, then letters, digits (m3, m³) or ``_``;
# ``-km`` keeps person-km in one word
_WORD = re.compile(r"[^\W\d_]\w*(?:-km\b)?")
_SPELLING_LINE = re.compile(r"^#=\s*(?P<spellings>.+?)\s*->\s*(?P<unit>\S+)\s*$")


@lru_cache(maxsize=1)
def spellings() -> dict[str, str]:
    """The spellings table of ``vocabulary/units.txt``: spelling (case-folded) -> unit.

    Returns
    -------
    dict of str to str
        E.g. ``{"kwh": "kWh", "kilo": "kg", "tonn": "tonne", "m³": "m**3"}``.

    Raises
    ------
    ValueError
        A spelling listed twice, or a unit the registry does not know.
    """
    out: dict[str, str] = {}
    text = resources.files("klimaregnskap.vocabulary").joinpath("units.txt").read_text(
        encoding="utf-8")
    for line in text.splitlines():
        m = _SPELLING_LINE.match(line)
        if not m:
            continue
        unit = m.group("unit")
        ureg.parse_units(unit)      # a typo in the table fails here, at once
        for spelling in m.group("spellings").split():
            key = spelling.casefold()
            if key in out:
                raise ValueError(f"units.txt: spelling {spelling!r} listed twice")
            out[key] = unit
    return out


def normalise_unit(text: str) -> str:
    """Rewrite a unit as people write it into a name the registry parses.

    Each word of the unit that is a spelling of ``vocabulary/units.txt`` is
    matched in any case and replaced by its unit (``KWH`` -> ``kWh``,
    ``kilo`` -> ``kg``, ``Liter`` -> ``liter``); other words stay as written.

    Parameters
    ----------
    text : str
        A unit such as ``"m³"``, ``"kg CO2e/kWh"``, ``"tonn"`` or ``"L"``.

    Returns
    -------
    str
        The same unit in registry syntax, e.g. ``"m**3"``, ``"kgCO2e/kWh"``.
    """
    s = str(text).strip()
    for pattern, repl in _REPLACEMENTS:
        s = pattern.sub(repl, s)
    table = spellings()
    s = _WORD.sub(lambda m: table.get(m.group(0).casefold(), m.group(0)), s)
    for pattern, repl in _SUPERSCRIPTS:
        s = pattern.sub(repl, s)
    return s


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit string into a pint unit.

    Parameters
    ----------
    text : str
        The unit as written by a user or a factor table.

    Returns
    -------
    pint.Unit

    Raises
    ------
    UnitError
        If the unit is empty or unknown.
    """
    if text is None or str(text).strip() == "" or str(text).lower() == "nan":
        raise UnitError(str(text), None, reason="unknown")
    try:
        unit = ureg.parse_units(normalise_unit(text))
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, ValueError, AssertionError, KeyError) as exc:
        raise UnitError(str(text), None, reason="unknown") from exc
    except Exception as exc:  # pint raises assorted tokenizer errors on junk input
        raise UnitError(str(text), None, reason="unknown") from exc
    return unit


def is_known_unit(text: str) -> bool:
    """Whether ``text`` parses as a unit."""
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplicative factor that turns a number in ``from_unit`` into ``to_unit``.

    Parameters
    ----------
    from_unit, to_unit : str
        Units as written (see :func:`normalise_unit`).

    Returns
    -------
    float
        ``x [to_unit] = factor * x [from_unit]``.

    Raises
    ------
    UnitError
        If either unit is unknown or they have different dimensions (so
        ``kg`` never converts to ``kgCO2e``). Offset units (°C) are refused
        here; use :func:`convert_values`.
    """
    src = parse_unit(from_unit)
    dst = parse_unit(to_unit)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(str(from_unit), str(to_unit))
    return float(ureg.Quantity(1.0, src).to(dst).magnitude)


def dimensionality(unit: str) -> str:
    """The dimensionality of a unit as a string, e.g. ``'[co2e] / [mass]'``."""
    return str(parse_unit(unit).dimensionality)


def is_compatible(from_unit: str, to_unit: str) -> bool:
    """Whether ``from_unit`` converts to ``to_unit`` (same dimensionality)."""
    try:
        return parse_unit(from_unit).dimensionality == parse_unit(to_unit).dimensionality
    except UnitError:
        return False


def convert_values(values, units, to_unit: str) -> np.ndarray:
    """Convert a numeric column from its unit(s) to ``to_unit``, vectorised.

    The work is done once per distinct unit, never once per row.

    Parameters
    ----------
    values : array-like of float
        Magnitudes, one per row, in the unit of the same row of ``units``.
    units : str or array-like of str
        One unit for all rows, or one unit per row.
    to_unit : str
        The unit wanted.

    Returns
    -------
    numpy.ndarray of float
        Magnitudes in ``to_unit``.

    Raises
    ------
    UnitError
        Naming the first unit that is unknown or does not convert.
    """
    arr = np.asarray(values, dtype="float64")
    if isinstance(units, str):
        return _convert_one(arr, units, to_unit)
    u = pd.Series(np.asarray(units, dtype=object)).astype(str).to_numpy()
    out = np.empty_like(arr)
    codes, uniques = pd.factorize(u)
    for i, unit in enumerate(uniques):
        mask = codes == i
        out[mask] = _convert_one(arr[mask], unit, to_unit)
    return out


def _convert_one(arr: np.ndarray, from_unit: str, to_unit: str) -> np.ndarray:
    src = parse_unit(from_unit)
    dst = parse_unit(to_unit)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(str(from_unit), str(to_unit))
    if _is_offset(src) or _is_offset(dst):
        return np.asarray(ureg.Quantity(arr, src).to(dst).magnitude, dtype="float64")
    return arr * conversion_factor(from_unit, to_unit)


def _is_offset(unit: pint.Unit) -> bool:
    return any(not ureg._units[name].is_multiplicative for name in unit._units
               if name in ureg._units)


def quantity(value: float, unit: str) -> pint.Quantity:
    """A single pint quantity (for configuration values, never per row)."""
    return ureg.Quantity(float(value), parse_unit(unit))


def parse_quantity(text: str) -> tuple[float, str]:
    """Split ``"120 tCO2e"`` or ``"-3,5 MWh"`` into magnitude and unit.

    Parameters
    ----------
    text : str
        A number followed by a unit.

    Returns
    -------
    tuple of (float, str)

    Raises
    ------
    UnitError
        If the unit is unknown; ``ValueError`` if there is no number.
    """
    m = re.match(r"^\s*([-+]?\d[\d\s]*(?:[.,]\d+)?(?:[eE][-+]?\d+)?)\s*(.+?)\s*$", str(text))
    if not m:
        raise ValueError(f"not a quantity with a unit: {text!r}")
    number = float(m.group(1).replace(" ", "").replace(",", "."))
    unit = m.group(2)
    parse_unit(unit)
    return number, unit
