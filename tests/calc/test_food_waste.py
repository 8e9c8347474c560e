"""calc/food_waste.py: registrations missing against the year before."""

from __future__ import annotations

import pandas as pd

from klimaregnskap.calc import food_waste


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
