"""What a chart is: the spec it is drawn from, and the files it is written to.

A module of its own, so :mod:`.charts` (which makes the specs from the report
data, and imports :mod:`.plots` when a chart must be drawn) and :mod:`.plots`
(which draws them) share these types without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Significant digits a chart draws: far more than a picture can show (a pixel
#: is about 1e-3 of an axis), and few enough that sums whose last bits differ
#: from run to run (seen in the demo's energy figures under load) give the
#: same spec, the same key, and no chart drawn again for nothing.
DIGITS = 10


@dataclass
class ChartSpec:
    """Everything one chart draws; :func:`.plots.draw` reads nothing else.

    Attributes
    ----------
    name : str
        File stem, e.g. ``trajectory_energy``.
    kind : str
        The drawing: ``trajectory``, ``scope_bars``, ``category_bars``,
        ``carrier_bars``, ``site_bars``, ``wedge`` (measures per indicator) or
        ``mac`` (the marginal abatement cost curve).
    title : str
        Translated title, also the figure's alt text.
    lang : str
        ``'nb'`` or ``'en'``: axis numbers are formatted when drawn.
    frames : dict of str to DataFrame
        The data of each layer. Index reset and floats rounded to
        :data:`DIGITS` significant digits, here, so that what is drawn is
        exactly what the content key covers.
    params : dict
        Labels, colours, breaks and ``size`` [in]; plain JSON values only,
        floats rounded as in ``frames``.
    """

    name: str
    kind: str
    title: str
    lang: str
    frames: dict[str, pd.DataFrame]
    params: dict

    def __post_init__(self):
        self.frames = {k: _rounded_frame(df) for k, df in self.frames.items()}
        self.params = _rounded(self.params)


def _round(x: float) -> float:
    return float(f"{x:.{DIGITS}g}")


def _rounded(value):
    """``value`` with every float in it rounded to :data:`DIGITS` significant digits."""
    if isinstance(value, float):
        return _round(value)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_rounded(v) for v in value)
    return value


def _rounded_frame(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    for col in df.columns:
        if pd.api.types.is_float_dtype(df[col].dtype):
            df[col] = df[col].map(_round, na_action="ignore").astype(df[col].dtype)
    return df


@dataclass
class Chart:
    """One chart of the report: name, title (for alt text), files and content key."""

    name: str
    title: str
    png: Path
    svg: Path
    key: str = ""
    drawn: bool = False  # drawn by this run; False when the files on disk were current
