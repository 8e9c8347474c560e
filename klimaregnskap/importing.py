"""Files -> readers -> ledger: validate and import users' files.

A file is validated completely before anything of it is stored; a file with
an error is not imported at all, and earlier data is untouched. Files whose
content was imported before are skipped (loading again changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from klimaregnskap import factors as fl
from klimaregnskap import ledger
from klimaregnskap.config import Config
from klimaregnskap.errors import KlimaError
from klimaregnskap.readers import ReaderContext, read_input
from klimaregnskap.readers.tables import file_sha256

INPUT_SUFFIXES = (".csv", ".xlsx", ".txt")


@dataclass
class LoadOutcome:
    """What a load did.

    Attributes
    ----------
    records : list of ledger.ImportRecord
        One per file imported or skipped.
    errors : list of (Path, KlimaError)
        Files refused, with the reason.
    warnings : list of str
    """

    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def input_files(project_dir: str | Path) -> list[Path]:
    """The data files in a project's ``inputs/`` folder (CSV, XLSX), sorted by path."""
    folder = Path(project_dir) / "inputs"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                  and not p.name.startswith(("~$", ".")))


def display_name(path: Path, project_dir: Path) -> str:
    """A file's name as recorded: relative to the project folder when inside it."""
    try:
        return Path(path).resolve().relative_to(Path(project_dir).resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def reader_context(con, config: Config, lib) -> ReaderContext:
    """What the readers need: sites, activities and their units, time zone, meter registry."""
    meters = ledger.current(con, "meter_registry")
    return ReaderContext(sites=set(config.site_ids), activity_units=fl.amount_units(lib),
                         timezone=config.timezone, meters=meters if not meters.empty else None)


def load_files(con, paths: list[Path], config: Config, lib, *,
               progress: Callable[[str], None] | None = None) -> LoadOutcome:
    """Validate and import files into the ledger, one transaction per file.

    Meter registries are imported as they are met; a readings file that
    failed before the registry it needs was imported is tried once more at
    the end, so the order of files on the command line does not matter.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The project's ledger.
    paths : list of Path
    config : Config
    lib : FactorLibrary
    progress : callable, optional
        Called with a short message per file.

    Returns
    -------
    LoadOutcome
    """
    outcome = LoadOutcome()
    project_dir = config.project_dir
    known = ledger.known_hashes(con)
    pending: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            outcome.errors.append((p, KlimaError(f"{p}: file not found")))
            continue
        sha = file_sha256(p)
        if sha in known:
            outcome.records.append(ledger.ImportRecord(None, display_name(p, project_dir), sha,
                                                       "", 0, skipped=True))
            continue
        pending.append(p)
    registry_changed = False
    failed: list[tuple[Path, KlimaError]] = []
    for p in pending:
        ok, changed = _load_one(con, p, config, lib, outcome, failed, progress)
        registry_changed |= changed
    if registry_changed and failed:
        retry, failed = failed, []
        for p, _err in retry:
            _load_one(con, p, config, lib, outcome, failed, progress)
    outcome.errors.extend(failed)
    return outcome


def _load_one(con, p: Path, config: Config, lib, outcome: LoadOutcome, failed: list,
              progress) -> tuple[bool, bool]:
    name = display_name(p, config.project_dir)
    if progress:
        progress(name)
    try:
        result = read_input(p, reader_context(con, config, lib))
        rec = ledger.store(con, result.kind, result.frame, file=name, sha256=result.sha256)
    except KlimaError as exc:
        failed.append((p, exc))
        return False, False
    outcome.records.append(rec)
    outcome.warnings.extend(f"{name}: {w}" for w in result.warnings)
    return True, result.kind == "meter_registry"


def load_new_inputs(con, config: Config, lib, *, progress=None) -> LoadOutcome:
    """Import the files in ``inputs/`` that are new or changed since the last load."""
    return load_files(con, input_files(config.project_dir), config, lib, progress=progress)


def frame_summary(records: list) -> pd.DataFrame:
    """Import records as a table (file, kind, rows, status)."""
    return pd.DataFrame([{"file": r.file, "kind": r.kind, "rows": r.rows,
                          "status": "unchanged (already loaded)" if r.skipped else "imported",
                          "superseded_rows": r.superseded_rows} for r in records])
