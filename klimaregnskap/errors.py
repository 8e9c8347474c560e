"""Errors meant for people: they name the file, the row, the column, what was
found and what was expected, and are printed without a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class KlimaError(Exception):
    """Base class for every error the command line reports without a traceback."""


@dataclass
class InputError(KlimaError):
    """A problem in a user's file.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    file : str or Path, optional
        The file the problem is in.
    row : int, optional
        The row as the user sees it in a spreadsheet (header row counted,
        1-based, metadata rows above the header counted too).
    column : str, optional
        The column name as written in the file.
    found : str, optional
        The value that was found.
    expected : str, optional
        What was expected instead.
    """

    message: str
    file: str | Path | None = None
    row: int | None = None
    column: str | None = None
    found: object | None = None
    expected: str | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        if self.extra.get("errors"):
            # several problems: each listed line names its own row and column
            return ": ".join([", ".join(where), self.message]) if where else self.message
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (": ".join([", ".join(where), self.message]) if where else self.message)
        if self.found is not None:
            text += f"; found {self.found!r}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        return text


class ConfigError(InputError):
    """A problem in ``klimaregnskap.toml`` (file and key are named)."""


class UnitError(KlimaError):
    """A unit that is unknown or does not convert to the unit that is needed.

    Parameters
    ----------
    found : str
        The unit as written.
    expected : str
        The unit (or dimension) it should convert to.
    reason : str
        ``"unknown"`` or ``"incompatible"``.
    """

    def __init__(self, found: str, expected: str | None, reason: str = "incompatible"):
        self.found = found
        self.expected = expected
        self.reason = reason
        if reason == "unknown":
            msg = f"unknown unit '{found}'"
        else:
            msg = f"unit '{found}' does not convert to '{expected}'"
        super().__init__(msg)
