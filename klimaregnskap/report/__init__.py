"""The annual report: summary.json, report.html, report.md, report.xlsx, charts.

Public API: :func:`write_report` and :class:`ReportData`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Callable

from .data import ReportData

__all__ = ["ReportData", "write_report", "summary_json"]


def _json_clean(obj):
    """NaN/inf -> None, numpy scalars -> Python, timestamps -> ISO strings."""
    import numpy as np
    import pandas as pd

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
        Every file written: summary.json, report.html, report.md,
        report.xlsx and charts/*.png, charts/*.svg.
    """
    from .charts import render_charts
    from .document import build_blocks
    from .html import render_html
    from .markdown import render_markdown
    from .xlsx import write_xlsx

    say = progress or (lambda _msg: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    say("summary.json")
    p = out_dir / "summary.json"
    p.write_text(summary_json(data.summary), encoding="utf-8")
    written.append(p)

    charts_dir = out_dir / "charts"
    # charts from an earlier run (e.g. an indicator that now has no data) must not linger
    if charts_dir.is_dir():
        for old in list(charts_dir.glob("*.png")) + list(charts_dir.glob("*.svg")):
            old.unlink()
    charts, no_data = render_charts(data, charts_dir, progress=say)
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
