"""Food waste: gaps in the registrations (DESIGN §4).

Food waste is the sum of all categories (production, serving, plate); the
yearly sum and the intensities are made in :mod:`klimaregnskap.calc.indicators`.
A site that registered food waste the year before and not this year, or not
in a month it registered then, is flagged: a missing registration must never
read as less waste.
"""

from __future__ import annotations

import pandas as pd

from klimaregnskap.warning import KlimaWarning

__all__ = ["food_waste_warnings"]


def food_waste_warnings(food: pd.DataFrame, report_year: int) -> list[KlimaWarning]:
    """Sites or months with registrations the year before but none this year.

    Parameters
    ----------
    food : pandas.DataFrame
        ``year, month, site, quantity_kg``.
    report_year : int

    Returns
    -------
    list of KlimaWarning
        ``missing_food_waste_site`` and ``missing_food_waste_month`` (with
        ``months``, a list of month numbers).
    """
    out: list[KlimaWarning] = []
    if food.empty:
        return out
    for year in sorted(food["year"].unique()):
        year = int(year)
        if year > report_year:
            continue
        prev = food[food["year"] == year - 1]
        cur = food[food["year"] == year]
        if prev.empty:
            continue
        for site in sorted(set(prev["site"]) - set(cur["site"])):
            out.append(KlimaWarning("missing_food_waste_site", site=site, year=year,
                                    values={"previous_year": year - 1}))
        for site in sorted(set(prev["site"]) & set(cur["site"])):
            pm = set(prev.loc[prev["site"] == site, "month"])
            cm = set(cur.loc[cur["site"] == site, "month"])
            missing = sorted(int(m) for m in pm - cm)
            if missing:
                out.append(KlimaWarning("missing_food_waste_month", site=site, year=year,
                                        values={"months": MonthList(missing),
                                                "previous_year": year - 1}))
    return out


class MonthList(tuple):
    """Month numbers, shown as ``1, 3, 5–7`` (a run of three or more as a range)."""

    def __format__(self, spec: str) -> str:
        parts, run = [], []
        for m in sorted(self):
            if run and m != run[-1] + 1:
                parts.append(_run_text(run))
                run = []
            run.append(m)
        if run:
            parts.append(_run_text(run))
        return ", ".join(parts)


def _run_text(run: list[int]) -> str:
    if len(run) >= 3:
        return f"{run[0]}–{run[-1]}"
    return ", ".join(str(m) for m in run)
