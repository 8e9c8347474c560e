"""Files -> readers -> ledger: validate and import users' files.

A file is validated completely before anything of it is stored; a file with
an error is not imported at all, and earlier data is untouched. Files whose
content was imported before are skipped (loading again changes nothing).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from klimaregnskap import ledger
from klimaregnskap.config import Config
from klimaregnskap.errors import KlimaError
from klimaregnskap.readers.base import ReaderContext, file_sha256

INPUT_SUFFIXES = (".csv", ".xlsx", ".xls", ".txt")

#: Long-form readings CSV files above this size [bytes] are streamed in
#: chunks (bounded memory) inside one transaction. The environment variable
#: ``KLIMAREGNSKAP_CHUNK_BYTES`` overrides it.
CHUNK_THRESHOLD_BYTES = 50 * 1024 * 1024
#: Rows per chunk when streaming.
CHUNK_ROWS = 1_000_000


@dataclass
class LoadOutcome:
    """What a load did.

    Attributes
    ----------
    records : list of ledger.ImportRecord
        One per file imported or skipped.
    errors : list of (Path, KlimaError)
        Files refused, with the reason.
    warnings : list of KlimaWarning
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


class ActivityUnits(Mapping):
    """The factor library's activity -> units, worked out on first use.

    Loading meter data never needs the factor library (nor pint); a load of
    meter files therefore does not pay for reading it.

    Parameters
    ----------
    lib : FactorLibrary or None
        The library; None to read the project's own on first use.
    project_dir : Path
        The project folder (for its ``factors/``).
    """

    def __init__(self, lib, project_dir: Path):
        self._lib, self._project_dir, self._units = lib, project_dir, None

    def _get(self) -> dict[str, list[str]]:
        if self._units is None:
            from klimaregnskap.calc import factors as fl

            lib = self._lib if self._lib is not None else fl.load_library(self._project_dir)
            self._units = fl.amount_units(lib)
        return self._units

    def __getitem__(self, key):
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())


def reader_context(con, config: Config, lib, activity_units: Mapping | None = None
                   ) -> ReaderContext:
    """What the readers need: sites, activities and their units, time zone, meter registry.

    ``activity_units`` may be passed in when already known (it depends on the
    factor library only, not on the ledger); ``lib`` may be None, then the
    project's library is read if a reader needs it.
    """
    meters = ledger.current(con, "meter_registry")
    units = activity_units if activity_units is not None else ActivityUnits(
        lib, config.project_dir)
    return ReaderContext(sites=set(config.site_ids), activity_units=units,
                         timezone=config.timezone, meters=meters if not meters.empty else None)


def load_files(con, paths: list[Path], config: Config, lib=None, *,
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
    lib : FactorLibrary or None
        None: the project's own library, read only if a file needs it
        (activity data, a registry with fuel meters).
    progress : callable, optional
        Called with a short message per file.

    Returns
    -------
    LoadOutcome
    """
    outcome = LoadOutcome()
    project_dir = config.project_dir
    known = ledger.known_hashes(con)
    hashes: dict[Path, str] = {}
    pending: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            outcome.errors.append((p, KlimaError(f"{p}: file not found")))
            continue
        sha = file_sha256(p)
        hashes[p] = sha
        if sha in known:
            outcome.records.append(ledger.ImportRecord(None, display_name(p, project_dir), sha,
                                                       "", 0, skipped=True))
            continue
        pending.append(p)
    registry_changed = False
    failed: list[tuple[Path, KlimaError]] = []
    units = ActivityUnits(lib, project_dir)
    for p in pending:
        ok, changed = _load_one(con, p, hashes[p], config, lib, units, outcome, failed,
                                progress)
        registry_changed |= changed
    if registry_changed and failed:
        retry, failed = failed, []
        for p, _err in retry:
            _load_one(con, p, hashes[p], config, lib, units, outcome, failed, progress)
    outcome.errors.extend(failed)
    return outcome


def _load_one(con, p: Path, sha: str, config: Config, lib, units: Mapping,
              outcome: LoadOutcome, failed: list, progress) -> tuple[bool, bool]:
    name = display_name(p, config.project_dir)
    if progress:
        progress(name)
    try:
        # the registry is read afresh: an earlier file of this load may have changed it
        rec = _store_fast(con, p, sha, name, config.timezone, progress)
        if rec is not None:
            warnings, kind = [], "meter_readings"
        else:
            ctx = reader_context(con, config, lib, units)
            if _streamable(p, ctx):
                rec, warnings = _store_streamed(con, p, sha, name, ctx, progress)
                kind = "meter_readings"
            else:
                # the careful readers import pandas: deferred so the fast path stays light
                from klimaregnskap.readers.dispatch import read_input

                result = read_input(p, ctx, sha256=sha)
                rec = ledger.store(con, result.kind, result.frame, file=name,
                                   sha256=result.sha256)
                warnings, kind = result.warnings, result.kind
    except KlimaError as exc:
        failed.append((p, exc))
        return False, False
    outcome.records.append(rec)
    outcome.warnings.extend(warnings)
    return True, kind == "meter_registry"


def _store_fast(con, p: Path, sha: str, name: str, timezone: str, progress):
    """A machine-written long readings CSV through the fast path, or None.

    None (nothing stored) when the file is not such a file or holds anything
    the fast path does not check; the careful reader then takes it.
    """
    if p.suffix.lower() not in (".csv", ".txt"):
        return None
    from klimaregnskap.readers import readings_csv

    layout = readings_csv.sniff(p)
    if layout is None:
        return None
    rows = ledger.current_records(con, "meter_registry", ("meter_id", "kind", "rollover"))
    if not rows:
        return None
    meters = readings_csv.MeterLookup.from_records(rows)
    try:
        if p.stat().st_size < chunk_threshold_bytes():
            result = readings_csv.read_fast(p, meters, timezone, layout, sha256=sha)
            return ledger.store(con, "meter_readings", result.frame, file=name, sha256=sha)
        with _progress_bar(name, progress) as update:
            spans: list = []
            chunks = (r.frame for r in readings_csv.iter_fast_chunks(
                p, meters, timezone, layout, sha256=sha, chunk_rows=CHUNK_ROWS,
                progress=update, spans_out=spans))
            return ledger.store_chunks(con, "meter_readings", chunks, file=name, sha256=sha,
                                       check_duplicates=lambda: spans[0].may_repeat)
    except readings_csv.NotFast:
        # store_chunks rolled back whatever was inserted
        return None


def chunk_threshold_bytes() -> int:
    """Size [bytes] from which long-form readings CSV files are streamed in chunks."""
    env = os.environ.get("KLIMAREGNSKAP_CHUNK_BYTES")
    return int(env) if env and env.strip().isdigit() else CHUNK_THRESHOLD_BYTES


def _streamable(p: Path, ctx) -> bool:
    """A big long-form readings CSV with its header on the first line."""
    if p.suffix.lower() not in (".csv", ".txt") or ctx.meters is None:
        return False
    if p.stat().st_size < chunk_threshold_bytes():
        return False
    from klimaregnskap.readers.readings_csv import is_long_readings_header

    with open(p, "rb") as fh:
        first = fh.readline(4096)
    try:
        return is_long_readings_header(first.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return False


def _store_streamed(con, p: Path, sha: str, name: str, ctx, progress):
    """Stream a big readings CSV chunk by chunk into ONE ledger transaction."""
    from klimaregnskap.readers.meters import iter_meter_reading_chunks

    warnings: list = []
    with _progress_bar(name, progress) as update:
        def frames():
            for result in iter_meter_reading_chunks(p, ctx, CHUNK_ROWS, sha256=sha,
                                                    progress=update):
                warnings.extend(result.warnings)
                yield result.frame

        rec = ledger.store_chunks(con, "meter_readings", frames(), file=name, sha256=sha)
    return rec, warnings


@contextmanager
def _progress_bar(name: str, progress):
    """``update(bytes_read, bytes_total)`` of a terminal progress bar, or None
    when progress is off or stderr is not a terminal."""
    if progress is None or not sys.stderr.isatty():
        yield None
        return
    bar = _ProgressBar(name)
    try:
        yield bar.update
    finally:
        bar.close()


class _ProgressBar:
    """A progress bar on the terminal (stderr) for a streamed file, by bytes read."""

    def __init__(self, name: str):
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn,
                                   TimeRemainingColumn)
        from rich.console import Console

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  DownloadColumn(), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=True)
        self._progress.start()
        self._task = self._progress.add_task(name, total=None)

    def update(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        self._progress.stop()


def load_new_inputs(con, config: Config, lib, *, progress=None) -> LoadOutcome:
    """Import the files in ``inputs/`` that are new or changed since the last load."""
    return load_files(con, input_files(config.project_dir), config, lib, progress=progress)
