"""Warnings as typed values: a code from the vocabulary plus the fields it names.

A warning is never parsed back out of a sentence. It holds a code of
``vocabulary/warnings.csv`` and the values that made it (meter, site, year,
file, row, coverage, ...); its text is made where it is shown, in the
language of that place, from the code's template (the manner of eemeter's
``EEMeterWarning(qualified_name, description, data)``).

Templates are :meth:`str.format` strings with two additions:

* ``[...]`` is an optional part, left out when a field inside it is missing
  (None or NaN);
* a field whose value is a :class:`Phrase` is itself translated from the
  table's ``~phrase`` rows.

In Norwegian, decimal numbers take a decimal comma.
"""

from __future__ import annotations

import csv
import math
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

from klimaregnskap.vocabulary import table_text

__all__ = ["KlimaWarning", "Phrase", "YearList", "year_ranges", "templates", "LANGUAGES"]

LANGUAGES = ("en", "nb")


class Phrase(str):
    """A field value that is a phrase of the vocabulary (``~code`` rows), translated on show."""


def year_ranges(years, dash: str = "-") -> str:
    """2019, 2020, 2021, 2023 -> '2019-2021, 2023' (duplicates and order ignored)."""
    parts, start, prev = [], None, None
    for y in sorted({int(y) for y in years}):
        if start is not None and y == prev + 1:
            prev = y
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}{dash}{prev}")
        start = prev = y
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}{dash}{prev}")
    return ", ".join(parts)


class YearList(tuple):
    """A field value that is a list of years, shown as ranges (``2019-2021, 2023``)."""

    def __format__(self, spec: str) -> str:
        return year_ranges(self)


@dataclass(frozen=True)
class Template:
    """The texts of one code (a row of ``warnings.csv``)."""

    code: str
    fields: tuple[str, ...]
    text: Mapping[str, str]
    label: Mapping[str, str]


@lru_cache(maxsize=1)
def templates() -> dict[str, Template]:
    """Every warning code and phrase of ``vocabulary/warnings.csv``.

    Raises
    ------
    ValueError
        A template naming a field its row does not list, or a missing text.
    """
    out: dict[str, Template] = {}
    for r in csv.DictReader(table_text("warnings.csv").splitlines()):
        t = Template(r["code"], tuple(r["fields"].split()),
                     {"en": r["text_en"], "nb": r["text_nb"]},
                     {"en": r["label_en"], "nb": r["label_nb"]})
        if not t.code.startswith("~") and not all(t.label.values()):
            raise ValueError(f"warnings.csv: no label for {t.code}")
        for lang, text in t.text.items():
            if not text.strip():
                raise ValueError(f"warnings.csv: no {lang} text for {t.code}")
            named = {f[1] for f in string.Formatter().parse(text.replace("[", "").replace("]", ""))
                     if f[1]}
            if not named <= set(t.fields):
                raise ValueError(f"warnings.csv: {t.code} ({lang}) names {sorted(named - set(t.fields))}"
                                 " that its fields column does not list")
        out[t.code] = t
    return out


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec):
        if isinstance(value, Phrase):
            return templates()["~" + value].text[self.lang]
        text = super().format_field(value, format_spec)
        if self.lang == "nb" and isinstance(value, float):
            # 1,234.5 -> 1 234,5
            text = text.replace(",", "\u00a0").replace(".", ",")
        return text


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class KlimaWarning:
    """One warning: a code of ``vocabulary/warnings.csv`` and the fields it names.

    Parameters
    ----------
    code : str
        The warning's code (stable: tools act on it).
    meter_id, site : str, optional
        The meter and site it concerns (site as its id).
    year : int, optional
        The accounting year it concerns.
    file : str, optional
        Input file (relative to the project), and ``row`` the spreadsheet row.
    row : int, optional
    values : dict
        The other fields its text names, with their units in their names
        (``coverage_pct``, ``longest_gap_hours``).
    """

    code: str
    meter_id: str | None = None
    site: str | None = None
    year: int | None = None
    file: str | None = None
    row: int | None = None
    values: Mapping = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in templates():
            raise KeyError(f"warning code {self.code!r} is not in vocabulary/warnings.csv")

    def get(self, name: str, default=None):
        """A field by name: the named attributes first, then ``values``."""
        if name in ("meter_id", "site", "year", "file", "row"):
            v = getattr(self, name)
            return default if v is None else v
        return self.values.get(name, default)

    def fields(self) -> dict:
        """Every field that is set, as a plain dict (for JSON and tests)."""
        out = {k: getattr(self, k) for k in ("meter_id", "site", "year", "file", "row")
               if getattr(self, k) is not None}
        out.update(self.values)
        return out

    def text(self, lang: str = "en", *, site_names: Mapping[str, str] | None = None,
             indicator_names: Callable[[str], str] | None = None) -> str:
        """The warning in ``lang``.

        Parameters
        ----------
        lang : str
            ``en`` or ``nb``.
        site_names : mapping, optional
            Site id -> display name; without it, sites show as their ids.
        indicator_names : callable, optional
            Indicator code -> display name; without it, codes are shown.
        """
        tmpl = templates()[self.code].text[lang]
        fields = self.fields()
        if site_names and self.site is not None:
            fields["site"] = site_names.get(self.site, self.site)
        if indicator_names and "indicator" in fields:
            fields["indicator"] = indicator_names(fields["indicator"])
        fmt = _Formatter(lang)

        def optional(m: re.Match) -> str:
            names = [f[1] for f in fmt.parse(m.group(1)) if f[1]]
            if any(_missing(fields.get(n)) for n in names):
                return ""
            return m.group(1)

        return fmt.vformat(_OPTIONAL.sub(optional, tmpl), (), fields)

    def label(self, lang: str = "en") -> str:
        """A short name of the warning's kind in ``lang`` (a table column in the report)."""
        return templates()[self.code].label[lang]

    @property
    def message(self) -> str:
        """The English text with ids, as ``summary.json`` gives it."""
        return self.text("en")

    def as_json(self) -> dict:
        """``{"code", "message"}`` of ``summary.json`` (DESIGN §5)."""
        return {"code": self.code, "message": self.message}
