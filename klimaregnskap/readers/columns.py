"""Column names every reader accepts: the English name and its Norwegian aliases.

The names are data: ``klimaregnskap/vocabulary/columns.csv`` has one row per
(kind of file, column) with ``required``, the Norwegian name (``name_nb``,
used by ``init``'s templates), the other accepted spellings (``aliases``,
separated by ``|``), ``unit`` and ``description_en``. Every reader takes its
columns from it through :func:`aliases_of` and :func:`required_of`. It is read
with the ``csv`` module, so the fast load path can use this module without
pandas.

Matching is case-insensitive and ignores surrounding blanks; spaces and
hyphens count as underscores, and ``æ ø å`` also match ``ae o aa`` (so
``liggedøgn`` matches ``liggedogn`` and ``år`` matches ``aar``). A spelling
ending in ``*`` is a prefix (Elhub's ``KWH 60 Forbruk`` matches ``kwh*``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ColumnSpec", "COLUMN_TABLE", "KINDS", "COLUMN_ALIASES", "TIMESTAMP_HEADERS",
           "ALL_KNOWN_COLUMNS", "DETECTED_KINDS", "fold", "matches", "columns_of",
           "aliases_of", "required_of", "canonical_name", "quality_word"]

#: the table of columns (see the module docstring)
COLUMN_TABLE = Path(__file__).resolve().parents[1] / "vocabulary" / "columns.csv"

#: the kinds of input file recognised by their columns (the kind with the
#: most of its required columns present); Elhub exports and wide meter
#: readings are recognised by their own shape and read as ``meter_readings``.
DETECTED_KINDS = ("meter_registry", "meter_readings", "activity", "food_waste",
                  "temperatures", "operations", "products", "measures", "purchases",
                  "account_mapping", "certificates")


@dataclass(frozen=True)
class ColumnSpec:
    """One row of ``columns.csv``: a column of one kind of file.

    Attributes
    ----------
    kind : str
        The kind of file (``activity``, ``meter_registry``, ``factors``, ...).
    folder : str
        ``inputs`` (users' data) or ``factors`` (the factor library).
    column : str
        The canonical (English) name.
    required : bool
    name_nb : str
        The Norwegian name, as ``init``'s templates write it ('' for none).
    aliases : tuple of str
        Other accepted spellings (Norwegian ones among them).
    template : bool
        Whether ``init``'s template of the kind has the column.
    unit : str
        Unit of the values ('' when not a quantity).
    description : str
        What the column holds, in English.
    """

    kind: str
    folder: str
    column: str
    required: bool
    name_nb: str
    aliases: tuple[str, ...]
    template: bool
    unit: str
    description: str

    @property
    def spellings(self) -> list[str]:
        """Every accepted spelling, the canonical name first."""
        return list(dict.fromkeys([self.column, *self.aliases]))


def _load(path: Path) -> tuple[ColumnSpec, ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(ColumnSpec(kind=r["kind"], folder=r["folder"], column=r["column"],
                                required=r["required"] == "yes", name_nb=r["name_nb"],
                                aliases=tuple(a.strip() for a in r["aliases"].split("|")
                                              if a.strip()),
                                template=r["template"] == "yes", unit=r["unit"],
                                description=r["description_en"])
                     for r in csv.DictReader(fh))


_SPECS = _load(COLUMN_TABLE)
#: every kind of file in the table, in table order
KINDS: tuple[str, ...] = tuple(dict.fromkeys(s.kind for s in _SPECS))

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "é": "e"})
_SEP = re.compile(r"[\s\-]+")


def fold(name: object) -> str:
    """A header cell reduced to the form used for matching.

    Parameters
    ----------
    name : object
        A header cell as written (``" Liggedøgn "``).

    Returns
    -------
    str
        Lower case, trimmed, blanks and hyphens as ``_``, ``æøå`` folded
        (``"liggedogn"``).
    """
    if name is None:
        return ""
    s = str(name).strip().lower()
    s = _SEP.sub("_", s)
    return s.translate(_FOLD)


def matches(header: object, spelling: str) -> bool:
    """Whether a header cell is written as ``spelling`` (see the module docstring)."""
    h, s = fold(header), fold(spelling)
    if not s.endswith("*"):
        return h == s
    s = s[:-1]
    return h.startswith(s) and (len(h) == len(s) or not h[len(s)].isalnum())


def columns_of(kind: str) -> tuple[ColumnSpec, ...]:
    """The columns of a kind of file, in table order."""
    out = tuple(s for s in _SPECS if s.kind == kind)
    if not out:
        raise KeyError(f"no kind of file '{kind}' in {COLUMN_TABLE.name}")
    return out


def aliases_of(kind: str) -> dict[str, list[str]]:
    """Canonical column -> every accepted spelling, for a kind of file (for
    :func:`klimaregnskap.readers.tables.match_columns`)."""
    return {s.column: s.spellings for s in columns_of(kind)}


def required_of(kind: str) -> tuple[str, ...]:
    """The required columns of a kind of file, in table order."""
    return tuple(s.column for s in columns_of(kind) if s.required)


def _union(kinds) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in _SPECS:
        if s.kind in kinds:
            out[s.column] = list(dict.fromkeys([*out.get(s.column, []), *s.spellings]))
    return out


#: canonical column -> every accepted spelling (canonical first), over the
#: kinds recognised by their columns.
COLUMN_ALIASES: dict[str, list[str]] = _union(DETECTED_KINDS)

#: header of the first column of a wide meter-readings file (timestamps).
TIMESTAMP_HEADERS: tuple[str, ...] = tuple(aliases_of("meter_readings_wide")["timestamp"])

#: every accepted header spelling of the input files, folded (see :func:`fold`):
#: a row with two of them is a header row.
ALL_KNOWN_COLUMNS: frozenset[str] = frozenset(
    fold(a) for s in _SPECS if s.folder == "inputs" for a in s.spellings
    if not a.endswith("*"))


def canonical_name(header: object) -> str | None:
    """The canonical column a header cell stands for, or None if unknown."""
    return _BY_ALIAS.get(fold(header))


_BY_ALIAS: dict[str, str] = {}
for _canon, _aliases in COLUMN_ALIASES.items():
    for _a in _aliases:
        _BY_ALIAS.setdefault(fold(_a), _canon)


#: quality words of meter exports (folded) -> 'measured' or 'estimated'.
QUALITY_WORDS = {
    "avlest": "measured", "malt": "measured", "maalt": "measured", "measured": "measured",
    "actual": "measured", "read": "measured", "ok": "measured",
    "estimert": "estimated", "estimated": "estimated", "beregnet": "estimated",
    "stipulert": "estimated", "interpolert": "estimated", "interpolated": "estimated",
    "calculated": "estimated", "estimate": "estimated", "substituted": "estimated",
    "erstattet": "estimated", "foreløpig": "estimated", "forelopig": "estimated",
}


def quality_word(word: str) -> str:
    """One quality word as written -> ``'measured'``, ``'estimated'``, itself
    in lower case when unknown, or ``''`` when empty."""
    w = str(word).strip().lower()
    return QUALITY_WORDS.get(fold(w), QUALITY_WORDS.get(w, w))
