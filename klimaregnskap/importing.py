"""Files -> readers -> ledger: validate and import users' files, and follow ``inputs/``.

A file is validated completely before anything of it is stored; a file with
an error is not imported at all, and earlier data is untouched. Content that
was imported before is never read again: loading again changes nothing, and
a file changed back to an earlier content is simply current again.

:func:`sync_inputs` brings the ledger to the state of ``inputs/`` (DESIGN §3
"The ledger follows ``inputs/``"): removed files are withdrawn, new and
changed ones imported; which rows stand is then the ledger's rule
(:mod:`klimaregnskap.ledger.standing`). :func:`load_into_inputs` is ``load
FILE`` for a file from outside ``inputs/``: it is copied there, atomically
and only when accepted.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from klimaregnskap import ledger
from klimaregnskap.config import Config
from klimaregnskap.errors import InputError, KlimaError
from klimaregnskap.readers.base import ReaderContext, SpendTables, file_sha256

#: The data files of ``inputs/``; anything else there (notes, PDFs, images,
#: ``~$`` lock files, dotfiles) is listed by ``check`` as skipped and never
#: read (DESIGN §3).
INPUT_SUFFIXES = (".csv", ".xlsx", ".xls")

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


@dataclass
class SyncOutcome(LoadOutcome):
    """What bringing the ledger to ``inputs/`` did (:func:`sync_inputs`).

    Attributes
    ----------
    added, changed, removed : list of str
        Files (relative to the project) new in the ledger's current set,
        current with another content than before (changed back included),
        and withdrawn, by this sync.
    skipped : list of str
        Files in ``inputs/`` that are not data files and were not read.
    """

    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def is_data_file(path: Path) -> bool:
    """A CSV, XLSX or XLS file that is not an Office lock file (``~$x.xlsx``) or a dotfile."""
    return (path.suffix.lower() in INPUT_SUFFIXES
            and not path.name.startswith(("~$", ".")))


def _inputs_walk(project_dir: str | Path) -> list[Path]:
    folder = Path(project_dir) / "inputs"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts[:-1]))


def input_files(project_dir: str | Path) -> list[Path]:
    """The data files in a project's ``inputs/`` folder (CSV, XLSX, XLS), sorted by path."""
    return [p for p in _inputs_walk(project_dir) if is_data_file(p)]


def skipped_files(project_dir: str | Path) -> list[Path]:
    """Files in ``inputs/`` that are not data files (notes, PDFs, lock files), sorted."""
    return [p for p in _inputs_walk(project_dir) if not is_data_file(p)]


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
        self._lib, self._project_dir, self._units, self._aliases = lib, project_dir, None, None
        self._spend: SpendTables | None = None

    @staticmethod
    def _factors():
        """The factor library's module, imported on first use: deferred on purpose (a load
        of meter files never reads the library, nor imports pint)."""
        from klimaregnskap.calc import factors

        return factors

    def _library(self):
        if self._lib is None:
            self._lib = self._factors().load_library(self._project_dir)
        return self._lib

    def _get(self) -> dict[str, list[str]]:
        if self._units is None:
            self._units = self._factors().amount_units(self._library())
        return self._units

    def aliases(self) -> dict[str, str]:
        """Names accepted in place of an activity code (``lystgass``), lower-cased -> code."""
        if self._aliases is None:
            self._aliases = self._factors().activity_aliases(self._library())
        return self._aliases

    def spend_tables(self) -> SpendTables:
        """The spend categories, currencies and price-index years purchases are checked against."""
        if self._spend is None:
            from klimaregnskap.readers.purchases import spend_category_spellings  # as _factors

            lib = self._library()
            cats = sorted(a for a in set(lib.factors["activity"]) | set(
                lib.tables["activities"]["activity"]) if str(a).startswith("spend:"))
            rates = lib.tables["exchange_rates"]
            prices = lib.tables["price_index"]
            self._spend = SpendTables(
                categories=spend_category_spellings(cats, self.aliases()),
                currencies={str(c): int(g["year"].astype(int).min())
                            for c, g in rates.groupby("currency")} if len(rates) else {},
                first_price_year=int(prices["year"].astype(int).min()) if len(prices) else None)
        return self._spend

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
    spend = getattr(units, "spend_tables", None)
    return ReaderContext(sites=set(config.site_ids), activity_units=units,
                         timezone=config.timezone, meters=meters if not meters.empty else None,
                         spend=spend if callable(spend) else None)


def load_files(con, paths: list[Path], config: Config, lib=None, *,
               progress: Callable[[str], None] | None = None,
               names: Mapping[Path, str] | None = None) -> LoadOutcome:
    """Validate and import files into the ledger, one transaction per file.

    Each file becomes current under its name (relative to the project).
    Content already in the ledger is not read again: the file is only made
    current under its name. A file refused while others of the same load
    were still to come (a readings file before its registry, a value that
    disagreed with a file changed later in the load) is tried again after
    them, so the order of files does not matter.

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
    names : mapping, optional
        Path -> the name to record instead of the path's own (``load``
        reads a temporary copy under the name it will have in ``inputs/``).

    Returns
    -------
    LoadOutcome
    """
    outcome = LoadOutcome()
    project_dir = config.project_dir
    names = dict(names or {})
    known = ledger.known_hashes(con)
    current = ledger.current_files(con)
    hashes: dict[Path, str] = {}
    pending: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            outcome.errors.append((p, KlimaError(f"{p}: file not found")))
            continue
        sha = file_sha256(p)
        hashes[p] = sha
        name = names.setdefault(p, display_name(p, project_dir))
        if current.get(name) == sha:
            outcome.records.append(ledger.ImportRecord(None, name, sha, "", 0, skipped=True))
            continue
        pending.append(p)
    contexts = _Contexts(con, config, lib, ActivityUnits(lib, project_dir))
    failed: list[tuple[Path, KlimaError]] = []
    todo = pending
    while todo:
        failed = []
        done = 0
        for p in todo:
            if hashes[p] in known:
                ok, registry = _restore_one(con, p, hashes[p], names[p], outcome, failed)
            else:
                ok, registry = _load_one(con, p, hashes[p], names[p], config, contexts,
                                         outcome, failed, progress)
                if ok:
                    known.add(hashes[p])
            if registry:
                contexts.forget()
            done += ok
        # try the refused files again only when something changed since
        todo = [p for p, _e in failed] if done and failed else []
    outcome.errors.extend(failed)
    return outcome


class _Contexts:
    """The readers' context during one load, read from the ledger again only when needed.

    Of a :class:`ReaderContext`, only the meter registry comes from the
    ledger, and reading it costs ~10 ms; so it is read for the first file
    that needs it and again only after a file of the load changed the
    registry (:meth:`forget`), not once per file.
    """

    def __init__(self, con, config: Config, lib, units: Mapping):
        self._args = (con, config, lib, units)
        self._ctx: ReaderContext | None = None

    def get(self) -> ReaderContext:
        """The context as the ledger stands now."""
        if self._ctx is None:
            self._ctx = reader_context(*self._args)
        return self._ctx

    def forget(self) -> None:
        """The registry changed: read it again for the next file."""
        self._ctx = None


def _restore_one(con, p: Path, sha: str, name: str, outcome: LoadOutcome,
                 failed: list) -> tuple[bool, bool]:
    """Make content the ledger holds current under ``name`` (nothing is read).

    Returns (made current, a meter registry now current)."""
    try:
        rec = ledger.make_current(con, name, sha)
    except KlimaError as exc:
        failed.append((p, exc))
        return False, False
    outcome.records.append(rec)
    return True, rec.kind == "meter_registry"


def _load_one(con, p: Path, sha: str, name: str, config: Config, contexts: _Contexts,
              outcome: LoadOutcome, failed: list, progress) -> tuple[bool, bool]:
    """Read, check and store one file. Returns (stored, a meter registry stored)."""
    if progress:
        progress(name)
    try:
        rec = _store_fast(con, p, sha, name, config.timezone, progress)
        if rec is not None:
            warnings, kind = [], "meter_readings"
        else:
            ctx = contexts.get()
            if _streamable(p, ctx):
                rec, warnings = _store_streamed(con, p, sha, name, ctx, progress)
                kind = "meter_readings"
            else:
                # the careful readers import pandas: deferred so the fast path stays light
                from klimaregnskap.readers.dispatch import read_input

                result = read_input(p, ctx, sha256=sha)
                try:
                    rec = ledger.store(con, result.kind, result.frame, file=name,
                                       sha256=result.sha256)
                except InputError as exc:
                    # the ledger names a column by its canonical name; the person
                    # knows it by the file's header (e.g. 'konto' for 'account')
                    headers = result.frame.attrs.get("headers", {})
                    if exc.file == name and exc.column in headers:
                        raise replace(exc, column=headers[exc.column]) from None
                    raise
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
    if p.suffix.lower() != ".csv":
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
    if p.suffix.lower() != ".csv" or ctx.meters is None:
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


def sync_inputs(con, config: Config, lib, *, progress=None) -> SyncOutcome:
    """Bring the ledger to the state of ``inputs/`` (DESIGN §3 "The ledger follows ``inputs/``").

    A removed file's rows are withdrawn; a new file is imported; a file whose
    content changed replaces its earlier rows; a file changed back to an
    earlier content is current again without being read. A file with an
    error is not imported and its earlier content (if any) stays current;
    the error is in ``errors``. Non-data files are listed, never read.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    config : Config
    lib : FactorLibrary or None
        As for :func:`load_files`.
    progress : callable, optional

    Returns
    -------
    SyncOutcome
    """
    project_dir = config.project_dir
    files = input_files(project_dir)
    present = {display_name(p, project_dir) for p in files}
    before = ledger.current_files(con)
    # withdrawals first: a file moved or replaced by another name must not
    # meet its own earlier rows as a second file
    removed = sorted(n for n in before if n not in present)
    ledger.withdraw(con, removed)
    loaded = load_files(con, files, config, lib, progress=progress)
    after = ledger.current_files(con)
    outcome = SyncOutcome(records=loaded.records, errors=loaded.errors, warnings=loaded.warnings)
    outcome.removed = removed
    outcome.added = sorted(n for n in after if n not in before)
    outcome.changed = sorted(n for n in after if n in before and before[n] != after[n])
    outcome.skipped = [display_name(p, project_dir) for p in skipped_files(project_dir)]
    return outcome


def inputs_changed(con, project_dir: str | Path) -> dict[str, list[str]]:
    """How ``inputs/`` differs from the files the ledger last followed, without importing.

    The same comparison :func:`sync_inputs` acts on (a file by its name and
    content), made read-only: a region reads its members' ledgers and must
    never bring them to their ``inputs/`` itself (DESIGN §6a).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The project's ledger (read-only is enough).
    project_dir : path-like

    Returns
    -------
    dict
        ``added``, ``changed``, ``removed``: file names as the ledger records
        them (``inputs/...``), sorted; all empty when the ledger follows ``inputs/``.
    """
    project_dir = Path(project_dir)
    present = {display_name(p, project_dir): p for p in input_files(project_dir)}
    before = ledger.current_files(con)
    return {"added": sorted(n for n in present if n not in before),
            "changed": sorted(n for n in present if n in before
                              and file_sha256(present[n]) != before[n]),
            "removed": sorted(n for n in before if n not in present)}


def load_new_inputs(con, config: Config, lib, *, progress=None) -> SyncOutcome:
    """Bring the ledger to ``inputs/``: the older name of :func:`sync_inputs`."""
    return sync_inputs(con, config, lib, progress=progress)


@dataclass
class Copied:
    """A file ``load`` copied into ``inputs/``: where from, where to, and whether it replaced one."""

    source: Path
    target: str
    replaced: bool


def _identity(p: Path) -> tuple[int, int, int]:
    """A file's inode, size [bytes] and modification time [ns]: any write changes them."""
    st = p.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def load_into_inputs(con, paths: list[Path], config: Config, lib=None, *,
                     progress=None) -> tuple[LoadOutcome, list[Copied]]:
    """``load FILE...``: import files, copying those from outside ``inputs/`` into it.

    A file from outside ``inputs/`` is read where it is and imported under
    the name it will have, ``inputs/<name>``; only when it is accepted is it
    copied there: to a temporary name inside ``inputs/`` (a dotfile, which a
    sync never reads), then moved with :func:`os.replace` (atomic; a file of
    that name is replaced). A refused file leaves no copy. A file already
    inside ``inputs/`` is imported where it is (DESIGN §3, §6).

    Returns
    -------
    LoadOutcome, list of Copied
        The load, and the files copied into ``inputs/``.
    """
    project_dir = Path(config.project_dir)
    inputs = project_dir / "inputs"
    outcome = LoadOutcome()
    copied: list[Copied] = []
    todo: list[Path] = []
    names: dict[Path, str] = {}
    for p in map(Path, paths):
        if p.is_file() and not is_data_file(p):
            outcome.errors.append((p, KlimaError(
                f"{p}: not a data file: expected a CSV, XLSX or XLS file (notes, PDFs and other "
                "files may lie in inputs/, but are not loaded)")))
            continue
        todo.append(p)
        try:
            p.resolve().relative_to(inputs.resolve())
        except ValueError:
            if p.is_file():
                names[p] = display_name(inputs / p.name, project_dir)
    # the source's identity before it is read: an unchanged stat after the copy spares
    # hashing the copy again (a second pass over a file of gigabytes)
    before = {p: _identity(p) for p in names}
    loaded = load_files(con, todo, config, lib, progress=progress, names=names)
    refused = {Path(e[0]) for e in loaded.errors}
    shas = {r.file: r.sha256 for r in loaded.records}
    for p, name in names.items():
        if p in refused:
            continue
        target = project_dir / name
        replaced = target.exists()
        inputs.mkdir(exist_ok=True)
        tmp = inputs / f".klimaregnskap-load-{os.getpid()}-{p.name}"
        try:
            shutil.copyfile(p, tmp)
            same = before[p] == _identity(p) and tmp.stat().st_size == before[p][1]
            if not same and file_sha256(tmp) != shas.get(name):
                raise KlimaError(f"{p}: the file changed while it was loaded; load it again")
            os.replace(tmp, target)
        except KlimaError as exc:
            loaded.errors.append((p, exc))
            continue
        finally:
            tmp.unlink(missing_ok=True)
        copied.append(Copied(p, name, replaced))
    outcome.records += loaded.records
    outcome.warnings += loaded.warnings
    outcome.errors += loaded.errors
    return outcome, copied
