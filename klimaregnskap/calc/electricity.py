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

__all__ = ["check_method", "basis_lines", "target_lines", "method_lines",
           "CERTIFICATE_PREFIX"]

#: Activity of a certificate line (DESIGN §5): ``certificate:<kind>``, one line per method.
CERTIFICATE_PREFIX = "certificate:"


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


def method_lines(lines: pd.DataFrame, method: str) -> pd.DataFrame:
    """Every emission line once, and the lines that depend on the method once per method.

    The shape of ``emission_lines`` in ``export`` (DESIGN §5): a line depends
    on the method when its activity is factored with a method's own series in
    some method (``factor_method`` not empty: electricity, and district heating
    and cooling where the library gives them per method) or is a certificate
    (activity ``certificate:<kind>``: :func:`klimaregnskap.calc.certificates.
    certificate_lines`, with ``method`` set, never ``location``, and the
    deduction as negative emissions, kept per method). Every
    other line is the same under every method: it is taken once, from the
    configured method's lines, with ``method`` empty (``''``).

    So, per method ``m``, the lines whose ``method`` is ``''`` or ``m`` add up
    to the lines of ``m``: the figures of ``emissions_by_scope[m]``.

    Parameters
    ----------
    lines : pandas.DataFrame
        Emission lines of every method (``activity``, ``factor_method``,
        ``method``, ``emissions_tco2e`` [tCO2e], ...).
    method : str
        The configured method (where the method-independent lines are taken from).

    Returns
    -------
    pandas.DataFrame
        The columns of ``lines``: the method-independent lines first, then
        the method-dependent lines of every method, in the order of ``lines``.
    """
    if lines.empty:
        return lines.copy()
    act = lines["activity"].astype(str)
    dependent_acts = set(act[lines["factor_method"].astype(str) != ""])
    dependent = act.isin(dependent_acts) | act.str.startswith(CERTIFICATE_PREFIX)
    once = lines[~dependent & (lines["method"] == method)].assign(method="")
    per_method = lines[dependent]
    out = pd.concat([once, per_method], ignore_index=True)
    out["method"] = out["method"].astype(str)
    return out
