"""Small builders shared by the calc tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.config import parse_config


def config_with_sites(tmp_path, sites):
    """A parsed config with ``sites`` (list of [[sites]] tables) and defaults otherwise."""
    return parse_config({"organisation": {"name": "T"}, "sites": sites},
                        tmp_path / "klimaregnskap.toml")


def daily_temperatures(site, year, values):
    """Daily means [°C] of ``site`` from 1 January of ``year``, one per value."""
    dates = pd.date_range(f"{year}-01-01", periods=len(values), freq="D")
    return pd.DataFrame({"date": dates, "year": year, "site": site,
                         "mean_temperature_degc": np.asarray(values, dtype="float64")})
