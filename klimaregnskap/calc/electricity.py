"""The electricity method: which emission lines the figures rest on (DESIGN §2, §4).

Electricity (and district heating and cooling) have one emission line per
method of the factor library (``location``, ``market``, ``european_mix``,
...); every other line is the same under every method. The config's
``accounting.electricity_method`` chooses the basis of the emission target,
the site figures and the reporting categories. This module is the one place
that applies that choice; everything downstream reads its results.
"""

from __future__ import annotations

import pandas as pd

from klimaregnskap.errors import ConfigError

__all__ = ["check_method", "basis_lines", "target_lines"]


def check_method(method: str, methods: list[str], config_path) -> None:
    """Refuse a configured method the factor library does not have.

    Parameters
    ----------
    method : str
        ``accounting.electricity_method`` of the config.
    methods : list of str
        The electricity methods of the factor library.
    config_path : path-like
        The config file, for the error.

    Raises
    ------
    ConfigError
        Naming the key, the method found and the methods expected.
    """
    if method not in methods:
        raise ConfigError("electricity method not in the factor library", file=config_path,
                          column="accounting.electricity_method", found=method,
                          expected="one of " + ", ".join(methods))


def basis_lines(lines: pd.DataFrame, method: str) -> pd.DataFrame:
    """The emission lines of one electricity method (every scope).

    Parameters
    ----------
    lines : pandas.DataFrame
        Emission lines of every method (``method`` column), emissions in tCO2e.
    method : str
        The configured method.

    Returns
    -------
    pandas.DataFrame
        The lines whose ``method`` is ``method``: each input row once.
    """
    if lines.empty:
        return lines
    return lines[lines["method"] == method]


def target_lines(lines: pd.DataFrame, method: str, scopes) -> pd.DataFrame:
    """The emission lines behind the emission target: the method's lines of the target scopes.

    Parameters
    ----------
    lines : pandas.DataFrame
        Emission lines of every method.
    method : str
        The configured electricity method.
    scopes : iterable of int
        ``accounting.target_scopes`` (DESIGN §2: what "direct emissions" means).

    Returns
    -------
    pandas.DataFrame
    """
    b = basis_lines(lines, method)
    if b.empty:
        return b
    return b[b["scope"].astype("int64").isin([int(s) for s in scopes])]
