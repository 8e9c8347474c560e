"""What a chart is: the spec it is drawn from, and the files it is written to.

A module of its own, so :mod:`.charts` (which makes the specs from the report
data, and imports :mod:`.plots` when a chart must be drawn) and :mod:`.plots`
(which draws them) share these types without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass
class ChartSpec:
    """Everything one chart draws; :func:`.plots.draw` reads nothing else.

    Attributes
    ----------
    name : str
        File stem, e.g. ``trajectory_energy``.
    kind : str
        The drawing: ``trajectory``, ``scope_bars``, ``category_bars``,
        ``carrier_bars`` or ``site_bars``.
    title : str
        Translated title, also the figure's alt text.
    lang : str
        ``'nb'`` or ``'en'``: axis numbers are formatted when drawn.
    frames : dict of str to DataFrame
        The data of each layer (index reset, so nothing but the values counts).
    params : dict
        Labels, colours, breaks and ``size`` [in]; plain JSON values only.
    """

    name: str
    kind: str
    title: str
    lang: str
    frames: dict[str, pd.DataFrame]
    params: dict

    def __post_init__(self):
        self.frames = {k: df.reset_index(drop=True) for k, df in self.frames.items()}


@dataclass
class Chart:
    """One chart of the report: name, title (for alt text), files and content key."""

    name: str
    title: str
    png: Path
    svg: Path
    key: str = ""
    drawn: bool = False  # drawn by this run; False when the files on disk were current
