"""Content keys of the charts, and the manifest that lets a rerun keep them.

A chart's key is the SHA-256 of everything its picture depends on: the
frames and settings of its :class:`~.charts.ChartSpec` (translated texts and
language included), the source of the modules that draw it, and the
versions of the libraries that draw and encode it. The report folder's
``charts/.manifest.json`` records, per chart, the key it was drawn from and
the SHA-256 of its PNG and SVG files. A chart is kept only when both files
still hash as recorded and the key is unchanged; anything else draws it
again, so a kept chart is byte for byte the chart a fresh draw would give.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

MANIFEST = ".manifest.json"
FORMAT = 1

#: Modules whose code decides what a drawn chart looks like (number formats included).
CODE_FILES = [Path(__file__).with_name(n) for n in ("charts.py", "plots.py", "i18n.py")]
#: Distributions that draw, lay out and encode the charts.
LIBRARIES = ("plotnine", "mizani", "matplotlib", "pillow", "pandas", "numpy")


@functools.cache
def code_digest() -> str:
    """SHA-256 of the drawing code and the library versions (computed once per process)."""
    h = hashlib.sha256()
    for path in CODE_FILES:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in LIBRARIES:
        try:
            v = metadata.version(lib)
        except metadata.PackageNotFoundError:
            v = "absent"
        h.update(f"{lib}={v}\0".encode())
    return h.hexdigest()


def _json_value(obj):
    """A JSON value for what ``json`` cannot write itself; never a lossy guess."""
    if isinstance(obj, np.generic):
        return obj.item()
    if obj is pd.NA or obj is pd.NaT:
        return {"$": "NA"}
    if isinstance(obj, pd.Timestamp):
        return {"$": "timestamp", "iso": obj.isoformat()}
    raise TypeError(f"chart key: no canonical form for {type(obj).__name__} {obj!r}")


def _frame_state(df: pd.DataFrame) -> dict:
    """Columns in order, each with its name, dtype and values (categories and codes)."""
    cols = []
    for name, col in df.items():
        if isinstance(col.dtype, pd.CategoricalDtype):
            values = {"categories": col.cat.categories.tolist(), "codes": col.cat.codes.tolist(),
                      "ordered": bool(col.cat.ordered)}
        else:
            values = col.tolist()
        cols.append([str(name), str(col.dtype), values])
    return {"index": df.index.tolist(), "columns": cols}


def chart_key(spec) -> str:
    """The content key of one :class:`~.charts.ChartSpec` (64 hex digits).

    Floats are written with ``repr`` (exact), NaN as ``NaN``; dict order is
    kept, as the drawing sees it.
    """
    state = {"code": code_digest(), "name": spec.name, "kind": spec.kind, "title": spec.title,
             "lang": spec.lang, "params": spec.params,
             "frames": {k: _frame_state(df) for k, df in spec.frames.items()}}
    text = json.dumps(state, default=_json_value, allow_nan=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def read_manifest(charts_dir: Path) -> dict:
    """Chart name -> ``{"key", "png", "svg"}`` as last written; empty when absent or unreadable."""
    try:
        m = json.loads((Path(charts_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(m, dict) or m.get("format") != FORMAT or not isinstance(m.get("charts"), dict):
        return {}
    return m["charts"]


def is_current(chart, recorded: dict) -> bool:
    """True when ``chart``'s files on disk were drawn from its key and are untouched since."""
    entry = recorded.get(chart.name)
    return (isinstance(entry, dict) and entry.get("key") == chart.key
            and entry.get("png") == file_digest(chart.png)
            and entry.get("svg") == file_digest(chart.svg))


def write_manifest(charts_dir: Path, charts) -> Path:
    """Record each chart's key and the digests of its files as they are now on disk."""
    entries = {c.name: {"key": c.key, "png": file_digest(c.png), "svg": file_digest(c.svg)}
               for c in charts}
    path = Path(charts_dir) / MANIFEST
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"format": FORMAT, "charts": entries}, indent=1) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)
    return path
