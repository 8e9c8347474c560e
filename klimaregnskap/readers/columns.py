"""Column names every reader accepts: the English name and its Norwegian aliases.

Matching is case-insensitive and ignores surrounding blanks; spaces and
hyphens count as underscores, and ``æ ø å`` also match ``ae o aa`` (so
``liggedøgn`` matches ``liggedogn`` and ``år`` matches ``aar``).
"""

from __future__ import annotations

import re

#: canonical column name -> every accepted spelling (canonical first).
COLUMN_ALIASES: dict[str, list[str]] = {
    # activity data, food waste, temperatures, operations
    "site": ["site", "lokasjon", "sted", "location"],
    "period": ["period", "periode"],
    "activity": ["activity", "aktivitet"],
    "quantity": ["quantity", "mengde", "antall", "amount"],
    "unit": ["unit", "enhet"],
    "note": ["note", "merknad", "kommentar", "comment"],
    "date": ["date", "dato"],
    "category": ["category", "kategori"],
    "year": ["year", "år", "aar", "ar"],
    "patient_days": ["patient_days", "liggedøgn", "liggedogn", "liggedoegn"],
    "meals_served": ["meals_served", "måltider", "serverte_måltider", "maltider",
                     "serverte_maltider", "meals"],
    "fte": ["fte", "årsverk", "arsverk", "aarsverk"],
    # products
    "product_id": ["product_id", "varenummer", "varenr", "artikkelnummer"],
    "description": ["description", "beskrivelse", "varenavn"],
    "spend": ["spend", "beløp", "belop", "kostnad", "cost"],
    "contains_listed_substance": ["contains_listed_substance", "inneholder_listet_stoff"],
    "cas_numbers": ["cas_numbers", "cas", "cas-nummer", "cas_nummer", "cas-numre",
                    "cas_number"],
    # temperatures
    "mean_temperature": ["mean_temperature", "middeltemperatur", "mean_temperature_degc",
                         "temperatur", "temperature"],
    # meters
    "meter_id": ["meter_id", "målepunkt", "malepunkt", "målepunkt-id", "maalepunkt",
                 "målepunkt_id", "malepunkt_id", "målepunktid", "meter"],
    "carrier": ["carrier", "energibærer", "energibaerer", "energibarer"],
    "kind": ["kind", "type"],
    "role": ["role", "rolle"],
    "multiplier": ["multiplier", "multiplikator", "faktor"],
    "rollover": ["rollover", "overlop", "overløp"],
    "timestamp": ["timestamp", "tidspunkt", "time", "datetime", "fra", "from", "start"],
    "value": ["value", "verdi"],
    "quality": ["quality", "kvalitet"],
}

#: header of the first column of a wide meter-readings file (timestamps).
TIMESTAMP_HEADERS: tuple[str, ...] = (
    "tidspunkt", "dato", "fra", "time", "timestamp", "date", "datetime", "from",
    "start", "tid", "periode", "period", "dato/tid", "dato_tid", "tidspunkt_start",
    # monthly meter exports (energy follow-up systems) label the first column by month
    "måned", "maned", "maaned", "month",
)

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


#: every accepted header spelling, folded (see :func:`fold`), plus Elhub's.
ALL_KNOWN_COLUMNS: frozenset[str] = frozenset(
    {fold(a) for aliases in COLUMN_ALIASES.values() for a in aliases}
    | {fold(h) for h in TIMESTAMP_HEADERS}
    | {"til", "to", "end", "slutt"}
)


def canonical_name(header: object) -> str | None:
    """The canonical column a header cell stands for, or None if unknown."""
    return _BY_ALIAS.get(fold(header))


_BY_ALIAS: dict[str, str] = {}
for _canon, _aliases in COLUMN_ALIASES.items():
    for _a in _aliases:
        _BY_ALIAS.setdefault(fold(_a), _canon)


def spec(*names: str) -> dict[str, list[str]]:
    """The alias lists of the given canonical columns, for :func:`match_columns`."""
    return {n: COLUMN_ALIASES[n] for n in names}


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
