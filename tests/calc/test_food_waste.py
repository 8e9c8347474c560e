"""calc/food_waste.py: registrations missing against the year before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from klimaregnskap.calc import food_waste
from klimaregnskap.config import parse_config


def _config(tmp_path, sites):
    return parse_config({"organisation": {"name": "T"}, "sites": sites},
                        tmp_path / "klimaregnskap.toml")


def _temps(site, year, values):
    dates = pd.date_range(f"{year}-01-01", periods=len(values), freq="D")
    return pd.DataFrame({"date": dates, "year": year, "site": site,
                         "mean_temperature_degc": np.asarray(values, dtype="float64")})


# ------------------------------------------------------------------ food waste gaps

def test_food_waste_warnings_site_and_month():
    food = pd.DataFrame({
        "year": [2020, 2020, 2020, 2021, 2021],
        "month": [1, 2, 1, 1, 3],
        "site": ["a", "a", "b", "a", "a"],
        "quantity_kg": [1.0, 1.0, 1.0, 1.0, 1.0]})
    w = food_waste.food_waste_warnings(food, 2021)
    codes = {(x.code, x.site, x.year) for x in w}
    assert codes == {("missing_food_waste_site", "b", 2021),
                     ("missing_food_waste_month", "a", 2021)}
    month = next(x for x in w if x.code == "missing_food_waste_month")
    assert month.get("months") == (2,) and month.get("previous_year") == 2020
    assert "month(s) 2, registered in 2020" in month.message
    # a later year is not judged before its report
    assert food_waste.food_waste_warnings(food, 2020) == []
