"""Delivered and recovered energy, and the share of recovered energy (DESIGN §4).

* Delivered energy = all main-meter carriers except recovered energy, plus
  fuels burned in buildings (by their energy content). Sub-meters are shown
  per site but never added to totals.
* Share of recovered energy = recovered / (delivered + recovered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["delivered_energy", "recovered_energy", "recovered_share_pct"]


def delivered_energy(energy: pd.DataFrame) -> pd.DataFrame:
    """Energy lines that count as delivered energy: main meters and building fuels, not recovered.

    Parameters
    ----------
    energy : pandas.DataFrame
        Energy lines (``role, recovered, energy_kwh`` [kWh], ...).

    Returns
    -------
    pandas.DataFrame
        The lines of ``role == 'main'`` that are not recovered energy.
    """
    if energy.empty:
        return energy
    return energy[(energy["role"] == "main") & ~energy["recovered"].astype(bool)]


def recovered_energy(energy: pd.DataFrame) -> pd.DataFrame:
    """Energy lines of recovered energy (heat and power) from main meters."""
    if energy.empty:
        return energy
    return energy[(energy["role"] == "main") & energy["recovered"].astype(bool)]


def recovered_share_pct(delivered_kwh, recovered_kwh):
    """Share of recovered energy [%] (DESIGN §4): recovered / (delivered + recovered) x 100.

    Parameters
    ----------
    delivered_kwh : float or array-like
        Delivered energy [kWh]; NaN when unknown.
    recovered_kwh : float or array-like
        Recovered energy (recovered heat and power) [kWh]; NaN counts as 0
        (a site without a recovery meter recovers nothing).

    Returns
    -------
    float or numpy.ndarray
        The share [%]; NaN when delivered energy is unknown or both are 0.
    """
    d = np.asarray(delivered_kwh, dtype="float64")
    r = np.nan_to_num(np.asarray(recovered_kwh, dtype="float64"), nan=0.0)
    total = d + r
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(total > 0, r / np.where(total > 0, total, 1.0) * 100.0, np.nan)
    return float(out) if out.ndim == 0 else out
