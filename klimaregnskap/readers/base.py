"""What every reader shares: the project context a reader needs, the result of
reading one file, the file's content hash, and where the shipped factor
library is.

Standard library only (pandas for type hints), so that the fast load path
(:mod:`klimaregnskap.readers.readings_csv`) can use it without pandas.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd  # type hints only: the fast load path runs without pandas

__all__ = ["ReaderContext", "ReadResult", "SpendTables", "file_sha256", "shipped_factor_dir"]


@dataclass(frozen=True)
class SpendTables:
    """What the purchases readers check against (DESIGN §3 Purchases, Account mapping).

    Attributes
    ----------
    categories : mapping of str to str
        Accepted spellings of a spend category, lower-cased -> its code
        (``spend:medical_consumables``; also ``medical_consumables`` and the
        activity table's names).
    currencies : mapping of str to int
        Currency code (upper case) -> first year of the exchange-rate table;
        NOK is always accepted.
    first_price_year : int or None
        First year of the price index (None: the table is empty).
    """

    categories: Mapping[str, str]
    currencies: Mapping[str, int]
    first_price_year: int | None


@dataclass
class ReaderContext:
    """What a reader needs to know about the project.

    Attributes
    ----------
    sites : set of str
        Site ids from the configuration.
    activity_units : mapping of str to list of str
        Activity -> units its quantity may convert to (the factor library's
        denominators, e.g. ``{"diesel": ["L", "kWh"]}``).
    timezone : str
        IANA zone of naive timestamps.
    meters : pandas.DataFrame, optional
        The meter registry (for meter readings).
    spend : callable, optional
        ``spend() -> SpendTables``, for purchases and account mappings (a
        callable so that files of other kinds never read the factor library).
    """

    sites: set[str]
    activity_units: Mapping[str, list[str]]
    timezone: str = "Europe/Oslo"
    meters: pd.DataFrame | None = None
    spend: Callable[[], SpendTables] | None = None


@dataclass
class ReadResult:
    """One file, read and validated."""

    kind: str
    path: Path
    sha256: str
    frame: pd.DataFrame  # a pyarrow.Table from the fast readings path (readings_csv)
    rows: int
    warnings: list = field(default_factory=list)  # of klimaregnskap.warning.KlimaWarning


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as lower-case hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def shipped_factor_dir() -> Path:
    """The folder of the shipped factor library (factors, GWP table, listed substances).

    Installed, it is the package data ``klimaregnskap.shipped_factors`` (the
    repository's ``factors/`` mapped by ``pyproject.toml``); in a source
    checkout it is the repository's ``factors/`` folder.
    """
    try:
        spec = importlib.util.find_spec("klimaregnskap.shipped_factors")
    except (ModuleNotFoundError, ValueError):
        spec = None
    if spec is not None:
        for loc in spec.submodule_search_locations or []:
            if Path(loc).is_dir():
                return Path(loc)
    return Path(__file__).resolve().parents[2] / "factors"
