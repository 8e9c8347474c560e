"""Parses kept for the next read: in this process, and in a project's cache folder.

A report rerun, a test run or a region reads the same factor library and
list of substances many times, and parsing them is the slow part of a rerun
(~0.5 s for the shipped library). A parse is kept under a key made of the
code that parsed it and every file's name and content, so an edited file is
parsed again (never time stamps, which a quick rewrite can leave unchanged).

On disk a parse is Parquet frames and a JSON note, never pickle: a project
folder may come from elsewhere, and reading it must not run code. Anything
wrong with a kept parse (missing, damaged, no rights) means: parse again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from klimaregnskap.state import CACHE_DIR, code_sha256

__all__ = ["kept_parse"]

#: parses kept in this process, oldest first
_MEMORY: dict[tuple, tuple[dict, dict]] = {}
_MEMORY_KEPT = 16


def _copy(frames: dict, meta: dict) -> tuple[dict, dict]:
    # the caller may change what it gets; the kept parse must not change with it
    return {k: v.copy() for k, v in frames.items()}, json.loads(json.dumps(meta))


def kept_parse(what: str, origin: str, files: list[Path], project_dir: Path | None,
               parse: Callable[[], tuple[dict, dict]]) -> tuple[dict, dict]:
    """``parse()`` once per content of ``files``: the frames and JSON-safe note it gives.

    Parameters
    ----------
    what : str
        What is parsed (``'factors'``, ``'substances'``): the kept parse's folder.
    origin : str
        ``'shipped'`` or ``'project'``.
    files : list of Path
        Every file the parse reads.
    project_dir : Path, optional
        The project whose cache folder (``.klimaregnskap/``) keeps the parse
        between runs; None: kept in this process only.
    parse : callable
        ``() -> (frames, note)``: dict of name to DataFrame, and a dict
        that JSON can hold.

    Returns
    -------
    frames, note
        Copies: the caller may change them.
    """
    key = (what, origin, tuple((str(p), hashlib.sha256(p.read_bytes()).hexdigest())
                               for p in files))
    hit = _MEMORY.pop(key, None)
    if hit is None:
        stored = None
        if project_dir is not None and Path(project_dir).is_dir():
            h = hashlib.sha256(code_sha256().encode())
            h.update(json.dumps(key).encode())
            stored = Path(project_dir) / CACHE_DIR / what / f"{origin}-{h.hexdigest()[:20]}"
            hit = _load(stored)
        if hit is None:
            hit = parse()
            if stored is not None:
                _keep(stored, *hit)
    _MEMORY[key] = hit
    while len(_MEMORY) > _MEMORY_KEPT:
        _MEMORY.pop(next(iter(_MEMORY)))
    return _copy(*hit)


def _load(stored: Path) -> tuple[dict, dict] | None:
    try:
        note = json.loads((stored / "note.json").read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(stored / f"{name}.parquet") for name in note["frames"]}
    except Exception:  # noqa: BLE001 - missing or damaged (pyarrow's own errors too): parse
        return None
    return frames, note["note"]


def _keep(stored: Path, frames: dict, note: dict) -> None:
    """Write aside, then rename: the kept parse is whole or absent. The origin's older
    parses go. A failure is not an error: the next run parses again."""
    tmp = stored.with_name(f".{stored.name}.{os.getpid()}.tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, df in frames.items():
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "note.json").write_text(json.dumps({"frames": list(frames), "note": note}),
                                       encoding="utf-8")
        origin = stored.name.split("-", 1)[0]
        for old in stored.parent.glob(f"{origin}-*"):
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, stored)
    except Exception:  # noqa: BLE001 - no room, no rights, a race
        shutil.rmtree(tmp, ignore_errors=True)
