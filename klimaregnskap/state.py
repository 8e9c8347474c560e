"""What the accounts are a function of, and a small cache keyed by it.

The accounts of a year are a function of the code, the config, the factor
library (shipped and the project's ``factors/``) and the ledger's current
files (which, once synchronised, are ``inputs/``). :func:`accounts_key`
hashes exactly those, so a cached result can never be stale: any change to
any of them gives another key.

``status`` keeps the key figures it prints (:func:`write_status`) in
``.klimaregnskap/`` inside the project, and on an unchanged project reads
them back (:func:`read_status`) instead of importing pandas and pint and
recomputing (DESIGN §7 asks for a ``status`` that answers in a second).
The cache is plain JSON, never pickle: a project folder may come from
elsewhere, and reading it must not run code.

This module imports the standard library only (and the stdlib-only
:mod:`klimaregnskap.readers.base`).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from klimaregnskap.readers.base import shipped_factor_dir

__all__ = ["code_sha256", "accounts_key", "read_status", "write_status",
           "CACHE_DIR"]

#: Folder inside the project for cached results (not committed, safe to delete).
CACHE_DIR = ".klimaregnskap"

_CODE_SUFFIXES = (".py", ".csv", ".txt")


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """sha256 over the package's own files (code and vocabulary), in path order."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _folder_sha256(h, folder: Path) -> None:
    if not folder.is_dir():
        return
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith((".", "~$")):
            h.update(p.name.encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())


def accounts_key(project_dir: str | Path, config_path: str | Path, imports: list[tuple],
                 year: int) -> str:
    """The key of the accounts of ``year``: everything they are a function of.

    Parameters
    ----------
    project_dir : path-like
        The project folder (its ``factors/`` folder counts).
    config_path : path-like
        ``klimaregnskap.toml``.
    imports : list of tuple
        The ledger's current files, ``(file, sha256)`` sorted by file
        (:func:`klimaregnskap.ledger.current_files`): the current rows are
        a function of them alone (DESIGN §3).
    year : int
        The report year.

    Returns
    -------
    str
        A sha256 hex digest.
    """
    h = hashlib.sha256()
    h.update(code_sha256().encode())
    h.update(Path(config_path).read_bytes())
    _folder_sha256(h, shipped_factor_dir())
    _folder_sha256(h, Path(project_dir) / "factors")
    h.update(json.dumps([list(map(str, r)) for r in imports]).encode())
    h.update(str(int(year)).encode())
    return h.hexdigest()


def _path(project_dir: str | Path, year: int) -> Path:
    return Path(project_dir) / CACHE_DIR / f"status-{int(year)}.json"


def read_status(project_dir: str | Path, year: int, key: str) -> dict | None:
    """The cached status view of ``year`` when its key is ``key``, else None."""
    p = _path(project_dir, year)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("key") == key else None


def write_status(project_dir: str | Path, year: int, key: str, view: dict) -> None:
    """Keep the status view of ``year`` under ``key`` (atomically; a failure is not an error)."""
    p = _path(project_dir, year)
    try:
        p.parent.mkdir(exist_ok=True)
        tmp = p.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({**view, "key": key}, ensure_ascii=False, allow_nan=False),
                       encoding="utf-8")
        os.replace(tmp, p)
    except (OSError, ValueError):
        pass
