"""Pandera schemas built on first use.

Pandera takes about 0.3 s to import (and imports hypothesis too where that
is installed), and the modules on a report's path (the factor library, the
list of substances, purchases) define schemas that a rerun, whose files are
all in the ledger and whose library parse is kept, never runs. So these
schemas are :class:`LazySchema`: written like any pandera schema, built the
first time one validates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["LazySchema", "schema_errors"]


class LazySchema:
    """A ``pandera.DataFrameSchema`` made by ``build(pa)`` on its first ``validate``.

    Parameters
    ----------
    build : callable
        Called once with the module ``pandera.pandas``; returns the schema.
    """

    def __init__(self, build: Callable[[Any], Any]):
        self._build = build
        self._schema = None

    @property
    def schema(self):
        """The pandera schema itself (built now if not yet)."""
        if self._schema is None:
            # deferred on purpose: pandera is heavy, and a rerun needs no schema
            import pandera.pandas as pa

            self._schema = self._build(pa)
        return self._schema

    def validate(self, df, **kwargs):
        """``schema.validate(df, **kwargs)``: the frame, or pandera's error."""
        return self.schema.validate(df, **kwargs)


def schema_errors() -> type[Exception]:
    """pandera's ``SchemaErrors`` (what ``validate(..., lazy=True)`` raises)."""
    # deferred on purpose, as above
    import pandera.errors

    return pandera.errors.SchemaErrors
