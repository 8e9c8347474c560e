"""The annual report: summary.json, report.html, report.md, report.xlsx, charts.

Public API: :func:`write_report` and :class:`ReportData`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .charts import render_charts
from .data import ReportData
from .document import build_blocks
from .html import render_html
from .markdown import render_markdown

__all__ = ["ReportData", "write_report", "summary_json"]


def _json_clean(obj):
    """NaN/inf -> None, numpy scalars -> Python, timestamps -> ISO strings."""
    if isinstance(obj, dict):
        return {str(k): _json_clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_clean(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    if obj is pd.NaT:
        return None
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return obj


def summary_json(summary: dict) -> str:
    """``summary.json`` text: indent 2, UTF-8 as is, NaN as null, final newline."""
    return json.dumps(_json_clean(summary), indent=2, ensure_ascii=False, sort_keys=False,
                      allow_nan=False) + "\n"


def write_report(data: ReportData, out_dir: Path, *,
                 progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the whole annual report into ``out_dir``.

    Parameters
    ----------
    data : ReportData
        Everything the report shows, already computed.
    out_dir : Path
        Output folder (created); ``charts/`` is made inside it.
    progress : callable, optional
        Called with a short message before each step.

    Returns
    -------
    list of Path
        Every file of the report: summary.json, report.html, report.md,
        report.xlsx and charts/*.png, charts/*.svg (charts still current
        from an earlier run into ``out_dir`` are kept, not drawn again).
    """
    # deferred on purpose: openpyxl is heavy to import and only this needs it
    from .xlsx import write_xlsx

    say = progress or (lambda _msg: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    say("summary.json")
    p = out_dir / "summary.json"
    p.write_text(summary_json(data.summary), encoding="utf-8")
    written.append(p)

    charts, no_data = render_charts(data, out_dir / "charts", progress=say)
    for c in charts:
        written += [c.png, c.svg]

    blocks = build_blocks(data, charts, no_data)
    say("report.html")
    p = out_dir / "report.html"
    p.write_text(render_html(data, blocks), encoding="utf-8")
    written.append(p)
    say("report.md")
    p = out_dir / "report.md"
    p.write_text(render_markdown(data, blocks), encoding="utf-8")
    written.append(p)
    say("report.xlsx")
    written.append(write_xlsx(data, out_dir / "report.xlsx"))
    return written
