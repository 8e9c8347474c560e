"""The project's vocabulary as data: tables a reviewer reads without reading Python.

* ``units.txt`` — the pint unit definitions and spellings (DESIGN §3);
* ``indicators.csv`` — every indicator, in report order: its unit, the kind of
  target and the shipped default target (DESIGN §1), which indicator's
  baseline adjustments restate it (DESIGN §4), and its names in nb and en;
* ``statuses.csv`` — every status of a target, with its names in nb and en;
* ``warnings.csv`` — every warning code with its nb and en texts
  (:mod:`klimaregnskap.warning` renders them);
* ``columns.csv`` — input columns and their Norwegian aliases (readers);
* ``categories.csv`` — the reporting categories of DESIGN §4, with their names
  in nb and en (the factor library's ``activities.csv`` gives each activity one);
* ``spend_overlaps.csv`` — spend categories that look like something counted
  from physical data, and the reporting categories of that data (the
  purchases double-counting warning, DESIGN §4).

This module reads the tables (standard library only: the fast load path and
``status`` import it) and checks them when read, so a broken table fails at
once and loudly rather than in the middle of a report.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Indicator", "indicators", "indicator", "INDICATOR_NAMES", "table_text",
           "status_names", "reporting_categories", "spend_overlaps"]


def table_text(name: str) -> str:
    """The text of one vocabulary file shipped with the package."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(table_text(name).splitlines()))


@dataclass(frozen=True)
class Indicator:
    """One row of ``indicators.csv``.

    Attributes
    ----------
    name : str
        The code used in ``summary.json`` and the config (``emissions``).
    unit : str
        The indicator's unit (``tCO2e``, ``kWh``, ``kg``, ``%``).
    target_kind : str
        ``reduction`` (level: percent change from the baseline), ``net_zero``
        (level in the indicator's unit), ``level`` (a share in percent) or
        ``increase`` (direction only: it must grow).
    target_year : int or None
        The shipped target year; None when nothing is shipped (``footprint``:
        a target only when the project configures one, DESIGN §2).
    target_level : float or None
        The shipped level (see ``target_kind``); None for a direction and
        where no target is shipped.
    restated_with : str or None
        The indicator whose ``[[baseline_adjustments]]`` restate this one
        (DESIGN §4); None for shares, which are never restated.
    explainable : bool
        ``klimaregnskap explain`` can break it down.
    completeness : str
        The rule deciding whether a year's figure is complete (DESIGN §4):
        ``delivered_meters``, ``all_meters``, ``electricity_meters``,
        ``food_waste_months``, ``product_rows`` or
        ``purchases_and_emissions`` (:mod:`klimaregnskap.calc.completeness`).
    name_nb, name_en : str
        Display names.
    """

    name: str
    unit: str
    target_kind: str
    target_year: int | None
    target_level: float | None
    restated_with: str | None
    explainable: bool
    completeness: str
    name_nb: str
    name_en: str

    @property
    def is_share(self) -> bool:
        """A share in percent (capped at 100 %, change also in points)."""
        return self.unit == "%"

    @property
    def lower_is_better(self) -> bool:
        """Reductions and net-zero paths; shares and directions must grow."""
        return self.target_kind in ("reduction", "net_zero")

    def display_name(self, lang: str) -> str:
        """The indicator's name in ``lang`` (``nb`` or ``en``)."""
        return self.name_nb if lang == "nb" else self.name_en


_KINDS = ("reduction", "net_zero", "level", "increase")


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """Every indicator of ``indicators.csv``, in report order.

    Raises
    ------
    ValueError
        A row with an unknown target kind, a missing level where the kind
        needs one, or a ``restated_with`` that names no indicator.
    """
    out: dict[str, Indicator] = {}
    for r in _rows("indicators.csv"):
        kind = r["target_kind"]
        level = float(r["target_level"]) if r["target_level"].strip() else None
        year = int(r["target_year"]) if r["target_year"].strip() else None
        # an empty year: no shipped target (the kind says what a configured one means)
        shipped = year is not None
        if kind not in _KINDS or (shipped and (level is None) != (kind == "increase")) \
                or (not shipped and level is not None):
            raise ValueError(f"indicators.csv: bad target for {r['indicator']}: {kind} {level}")
        out[r["indicator"]] = Indicator(
            name=r["indicator"], unit=r["unit"], target_kind=kind,
            target_year=year, target_level=level,
            restated_with=r["restated_with"].strip() or None,
            explainable=r["explainable"].strip() == "yes",
            completeness=r["completeness"].strip(),
            name_nb=r["name_nb"], name_en=r["name_en"])
    for ind in out.values():
        if ind.restated_with is not None and ind.restated_with not in out:
            raise ValueError(f"indicators.csv: {ind.name} restated with unknown "
                             f"{ind.restated_with}")
    return out


def indicator(name: str) -> Indicator:
    """One indicator by its code (KeyError for an unknown one)."""
    return indicators()[name]


#: Indicator codes in report order.
INDICATOR_NAMES: tuple[str, ...] = tuple(indicators())


@lru_cache(maxsize=1)
def status_names() -> dict[str, dict[str, str]]:
    """Each status code of ``statuses.csv`` with its name per language: ``{code: {lang: name}}``."""
    return {r["status"]: {"nb": r["name_nb"], "en": r["name_en"]} for r in _rows("statuses.csv")}


@lru_cache(maxsize=1)
def reporting_categories() -> dict[str, dict[str, str]]:
    """The reporting categories of DESIGN §4 (``categories.csv``), in table order.

    Returns
    -------
    dict of str to dict
        ``{"energy": {"nb": "Energi", "en": "Energy"}, ...}``.
    """
    out: dict[str, dict[str, str]] = {}
    for r in _rows("categories.csv"):
        if r["category"] in out:
            raise ValueError(f"categories.csv: category {r['category']!r} twice")
        out[r["category"]] = {"nb": r["name_nb"], "en": r["name_en"]}
    return out


@lru_cache(maxsize=1)
def spend_overlaps() -> dict[str, tuple[str, ...]]:
    """Spend category -> the reporting categories of physical data it may double count.

    From ``spend_overlaps.csv`` (``spend_category, counted_as`` with
    categories separated by ``|``, ``description_en``): when a year has
    spend in such a category and emission lines of one of those reporting
    categories, the purchases are warned about (DESIGN §4).

    Raises
    ------
    ValueError
        A row whose ``counted_as`` names a category ``categories.csv`` does not have.
    """
    known = set(reporting_categories())
    out: dict[str, tuple[str, ...]] = {}
    for r in _rows("spend_overlaps.csv"):
        cats = tuple(c.strip() for c in r["counted_as"].split("|") if c.strip())
        bad = [c for c in cats if c not in known]
        if bad or not r["spend_category"].startswith("spend:"):
            raise ValueError(f"spend_overlaps.csv: bad row {r}")
        out[r["spend_category"]] = cats
    return out
