"""The project's ledger: an embedded DuckDB file inside the project folder.

Every imported row is kept with the import it came from, and each content
(sha256) is imported once. Nothing is ever deleted. Which rows are current
(``superseded_by IS NULL``) is derived from the set of *current files*
(table ``current_files``: path -> sha256, brought to the state of
``inputs/`` by :mod:`klimaregnskap.importing`) by the rules of
:mod:`klimaregnskap.ledger.standing` (DESIGN §3, "The ledger follows
``inputs/``"): a row whose file is not current has ``superseded_by = 0``; a
row another current file's row beats has the winning import's id. The
history stays queryable (:func:`history`). Each file is loaded in one
transaction, so a load killed at any moment leaves all of the file or none
of it.

Keys per kind (:data:`TABLES`) and how rows of two current files with the
same key stand (:data:`klimaregnskap.ledger.standing.RULES`):

================  ==============================  ==========================
kind              key                             two current files
================  ==============================  ==========================
activity          site, period, activity          add up (warned if differ)
food_waste        site, date, category            add up (warned if differ)
products          year, product_id                add up (warned if differ)
operations        site, year                      one value (else an error)
temperatures      site, date                      one value (else an error)
meter_registry    meter_id                        one value (else an error)
meter_readings    meter_id, ts_utc                measured, then later path
measures          id                              one value (else an error)
purchases         year, account, supplier,        add up (warned if differ)
                  description
account_mapping   pattern                         one value (else an error)
certificates      site, year, certificate         add up (warned if differ)
================  ==============================  ==========================
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np

from klimaregnskap.calc.registers import counter_steps
from klimaregnskap.errors import InputError, KlimaError
from klimaregnskap.ledger.standing import (CURRENT_IMPORTS_VIEW, RULES, WITHDRAWN,
                                           check_accounts_mapped, duplicate_files, overridden_readings,
                                           repeated_keys, resolve_additive, resolve_one_value,
                                           resolve_readings)

if TYPE_CHECKING:  # the fast load path runs without pandas
    import pandas as pd

LEDGER_NAME = "klimaregnskap.duckdb"
#: 2: current files and derived standing (DESIGN §3), report runs; 3: purchases,
#: account mappings, energy certificates and an activity row's reporting
#: ``category``. An older ledger is moved aside and
#: rebuilt from ``inputs/`` (:func:`connect`).
SCHEMA_VERSION = 3

#: table name, key columns and value columns (with DuckDB types) per kind.
TABLES: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "activity": ("activity", ("site", "period", "activity"), {
        "row": "INTEGER", "site": "VARCHAR", "period": "VARCHAR", "year": "SMALLINT",
        "month": "TINYINT", "activity": "VARCHAR", "quantity": "DOUBLE", "unit": "VARCHAR",
        "note": "VARCHAR", "category": "VARCHAR"}),
    "food_waste": ("food_waste", ("site", "date", "category"), {
        "row": "INTEGER", "date": "DATE", "year": "SMALLINT", "month": "TINYINT",
        "site": "VARCHAR", "category": "VARCHAR", "quantity_kg": "DOUBLE"}),
    "operations": ("operations", ("site", "year"), {
        "row": "INTEGER", "year": "SMALLINT", "site": "VARCHAR", "patient_days": "DOUBLE",
        "meals_served": "DOUBLE", "fte": "DOUBLE"}),
    "products": ("products", ("year", "product_id"), {
        "row": "INTEGER", "year": "SMALLINT", "product_id": "VARCHAR", "quantity": "DOUBLE",
        "description": "VARCHAR", "spend": "DOUBLE", "contains_listed_substance": "BOOLEAN",
        "cas_numbers": "VARCHAR"}),
    "temperatures": ("temperatures", ("site", "date"), {
        "row": "INTEGER", "date": "DATE", "year": "SMALLINT", "site": "VARCHAR",
        "mean_temperature_degc": "DOUBLE"}),
    "meter_registry": ("meters", ("meter_id",), {
        "row": "INTEGER", "meter_id": "VARCHAR", "site": "VARCHAR", "carrier": "VARCHAR",
        "kind": "VARCHAR", "role": "VARCHAR", "unit": "VARCHAR", "multiplier": "DOUBLE",
        "rollover": "DOUBLE", "installed_utc": "TIMESTAMP", "removed_utc": "TIMESTAMP"}),
    "meter_readings": ("readings", ("meter_id", "ts_utc"), {
        "row": "INTEGER", "meter_id": "VARCHAR", "ts_utc": "TIMESTAMP", "year": "SMALLINT",
        "value": "DOUBLE", "quality": "VARCHAR"}),
    "measures": ("measures", ("id",), {
        "row": "INTEGER", "id": "VARCHAR", "name": "VARCHAR", "indicator": "VARCHAR",
        "effect": "DOUBLE", "effect_unit": "VARCHAR", "start_year": "SMALLINT",
        "full_effect_year": "SMALLINT", "status": "VARCHAR", "site": "VARCHAR",
        "carrier": "VARCHAR", "investment_nok": "DOUBLE", "annual_cost_change_nok": "DOUBLE",
        "lifetime_years": "DOUBLE", "owner": "VARCHAR", "note": "VARCHAR"}),
    # amount in its currency as written (a credit is negative); category '' when
    # the account mapping decides (DESIGN §3 Purchases)
    "purchases": ("purchases", ("year", "account", "supplier", "description"), {
        "row": "INTEGER", "year": "SMALLINT", "account": "BIGINT", "amount": "DOUBLE",
        "currency": "VARCHAR", "supplier": "VARCHAR", "description": "VARCHAR",
        "category": "VARCHAR"}),
    # pattern: 4650, 4600-4699 or 46*; low/high the accounts of an exact or range
    # pattern (-1 for a prefix), prefix the digits of a prefix
    "account_mapping": ("account_mapping", ("pattern",), {
        "row": "INTEGER", "pattern": "VARCHAR", "match": "VARCHAR", "low": "BIGINT",
        "high": "BIGINT", "prefix": "VARCHAR", "category": "VARCHAR", "reason": "VARCHAR"}),
    # site '' is a trust-wide row (DESIGN §3: split by the sites' electricity)
    "certificates": ("certificates", ("site", "year", "certificate"), {
        "row": "INTEGER", "year": "SMALLINT", "site": "VARCHAR", "certificate": "VARCHAR",
        "quantity_kwh": "DOUBLE", "supplier": "VARCHAR"}),
}


@dataclass(frozen=True)
class ImportRecord:
    """The outcome of loading one file.

    Parameters
    ----------
    import_id : int or None
        Id in the import log; None when the content was already loaded.
    file : str
        File name as given (relative to the project when inside it).
    sha256 : str
    kind : str
    rows : int
        Data rows imported.
    skipped : bool
        True when the same content was already in the ledger (nothing was
        read or imported).
    superseded_rows : int
        Rows that were current and are not now (the earlier version of the
        file, readings this file beats).
    restored : bool
        The content was in the ledger already and is current (again) under
        this name: a file changed back, renamed or copied.
    """

    import_id: int | None
    file: str
    sha256: str
    kind: str
    rows: int
    skipped: bool
    superseded_rows: int = 0
    restored: bool = False


def ledger_path(project_dir: str | Path) -> Path:
    """Path of the ledger file of a project folder."""
    return Path(project_dir) / LEDGER_NAME


def connect(project_dir: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and on first use create) the project's ledger.

    Parameters
    ----------
    project_dir : str or Path
        The project folder; the ledger is ``klimaregnskap.duckdb`` in it.
    read_only : bool
        Open without write access (the file must exist).

    Returns
    -------
    duckdb.DuckDBPyConnection
    """
    path = ledger_path(project_dir)
    found = None
    if read_only and not path.exists():
        con = duckdb.connect(":memory:")
    else:
        con = duckdb.connect(str(path), read_only=read_only)
        found = _schema_version(con)
        if found is not None and found != str(SCHEMA_VERSION):
            con.close()
            if read_only:
                raise KlimaError(f"{path}: the ledger has schema version {found}, this version "
                                 f"of klimaregnskap needs {SCHEMA_VERSION}; run 'klimaregnskap "
                                 "check' in the project to rebuild it from inputs/")
            aside = _move_aside(path, found)
            print(f"note: {path.name} was written by an older klimaregnskap (schema {found}); "
                  f"it is kept as {aside.name} and the ledger is rebuilt from inputs/",
                  file=sys.stderr)
            con = duckdb.connect(str(path))
            found = None
    # DuckDB's own progress bar would write over our terminal output
    con.execute("SET enable_progress_bar = false")
    if not read_only or not path.exists():
        _ensure_schema(con, found)
    return con


def _schema_version(con) -> str | None:
    """The schema version of an opened ledger; None for a new (empty) file."""
    try:
        done = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
        return "0" if tables else None
    return done[0] if done else "0"


def _move_aside(path: Path, version: str) -> Path:
    """Rename an older ledger (and its WAL) to ``<name>.v<version>.bak`` (never overwriting)."""
    aside = path.with_name(f"{path.name}.v{version}.bak")
    k = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.v{version}.bak.{k}")
        k += 1
    path.rename(aside)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        wal.rename(aside.with_name(aside.name + ".wal"))
    return aside


@contextlib.contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    """The block as one transaction: committed when it ends, rolled back on any exception
    (an interrupt, or a failed commit, too), so its writes land whole or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _ensure_schema(con: duckdb.DuckDBPyConnection, found: str | None) -> None:
    """Create the tables a ledger lacks; ``found`` is its schema version (:func:`_schema_version`).

    In one transaction: a new ledger is written to disk once, not once per
    table, and a ledger killed while being created has no tables at all.
    """
    if found == str(SCHEMA_VERSION) and _has_tables(con):
        return
    with _transaction(con):
        _create_tables(con)


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE IF NOT EXISTS imports (
            import_id INTEGER PRIMARY KEY,
            file VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            rows BIGINT NOT NULL,
            loaded_at TIMESTAMP NOT NULL
        )""")
    # no key constraint: a path is deleted and inserted again in one transaction
    con.execute("CREATE TABLE IF NOT EXISTS current_files (path VARCHAR NOT NULL, "
                "sha256 VARCHAR NOT NULL)")
    con.execute("CREATE TABLE IF NOT EXISTS report_runs (generated_at VARCHAR NOT NULL, "
                "year INTEGER NOT NULL, files VARCHAR NOT NULL, indicators VARCHAR NOT NULL)")
    con.execute(CURRENT_IMPORTS_VIEW)
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for _kind, (table, _keys, cols) in TABLES.items():
        coldefs = ", ".join(f'"{c}" {t}' for c, t in cols.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} (import_id INTEGER NOT NULL, "
                    f"{coldefs}, superseded_by INTEGER)")
    # last: a ledger killed while being created is recreated, not taken as done
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every table of :data:`TABLES` exists (a kind added since the file was made
    gets its table without a rebuild)."""
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    return all(table in have for table, _k, _c in TABLES.values())


def find_import(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """Id of an earlier import with the same content hash, or None."""
    row = con.execute("SELECT min(import_id) FROM imports WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row and row[0] is not None else None


def store(con: duckdb.DuckDBPyConnection, kind: str, frame: pd.DataFrame, *, file: str,
          sha256: str, now: dt.datetime | None = None) -> ImportRecord:
    """Import the validated rows of one file in one transaction.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    kind : str
        One of :data:`TABLES`.
    frame : pandas.DataFrame or pyarrow.Table
        The reader's validated frame (columns per :data:`TABLES`; extra
        columns are ignored). ``ts_utc`` may be tz-aware UTC (pandas) or
        naive UTC (arrow).
    file : str
        File name recorded in the import log.
    sha256 : str
        Content hash of the file.
    now : datetime, optional
        Import time (UTC); defaults to the current time.

    Returns
    -------
    ImportRecord
        ``skipped`` is True when the same content was already imported; it
        is then made current under ``file`` (``restored``) unless it was so
        already (nothing changed).

    Raises
    ------
    InputError
        Meter readings: a register reading lower than the current reading
        just before it (from another file) on a meter without ``rollover``.
        Operations, temperatures, registry: another current file gives a key
        a different value. Nothing is imported then.
    """
    if find_import(con, sha256) is not None:
        return make_current(con, file, sha256)
    return store_chunks(con, kind, [frame], file=file, sha256=sha256, now=now,
                        check_duplicates=False)


def store_chunks(con: duckdb.DuckDBPyConnection, kind: str, chunks, *, file: str, sha256: str,
                 now: dt.datetime | None = None,
                 check_duplicates: bool | Callable[[], bool] = True) -> ImportRecord:
    """Import one file given as an iterable of validated frames, in ONE transaction.

    Every chunk is inserted inside the same transaction, so a load killed at
    any moment leaves all of the file or none of it. Checks that need the
    whole file run in DuckDB after the last chunk and before COMMIT.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    kind : str
        One of :data:`TABLES`.
    chunks : iterable of pandas.DataFrame or pyarrow.Table
        The reader's validated frames, in file order (may be a generator:
        reading happens while the transaction is open).
    file, sha256, now
        As for :func:`store`.
    check_duplicates : bool or callable
        Meter readings: refuse a (meter_id, ts_utc) that occurs twice in this
        import (a repeat that fell in two different chunks), naming both rows.
        A callable is asked after the last chunk (the reader may know by then
        that no repeat is possible).

    Returns
    -------
    ImportRecord

    Raises
    ------
    InputError
        A repeated (meter, timestamp) across chunks; a register reading
        lower than its neighbour in the ledger; a key another current file
        gives another value (see :func:`store`). The transaction is rolled
        back.
    """
    table, keys, cols = TABLES[kind]
    if find_import(con, sha256) is not None:
        return make_current(con, file, sha256)
    now = now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    collist = ", ".join(f'"{c}"' for c in cols)
    with _transaction(con):
        new_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0][0]
        total = 0
        for frame in chunks:
            data = _prepare(frame, cols)
            if len(data) == 0:
                continue
            con.register("_incoming", data)
            # rows carry their file row, so the table needs no insertion
            # order; without it DuckDB inserts in parallel
            con.execute("SET preserve_insertion_order = false")
            try:
                # not current until the file is made current below; readings are
                # inserted standing (NULL) and resolved as a fresh import there, so that
                # tens of millions of rows are not written a second time to stand
                initial = "NULL" if kind == "meter_readings" else str(WITHDRAWN)
                con.execute(f"INSERT INTO {table} (import_id, {collist}, superseded_by) "
                            f"SELECT ?, {collist}, {initial} FROM _incoming",
                            [new_id]).fetchall()
            finally:
                con.execute("RESET preserve_insertion_order")
            con.unregister("_incoming")
            total += len(data)
        con.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?)",
                    [new_id, file, sha256, kind, total, now])
        if callable(check_duplicates):
            check_duplicates = check_duplicates()
        if kind == "meter_readings" and check_duplicates:
            _check_no_repeats(con, new_id, file)
        superseded = _make_current(con, kind, file, sha256, new_id, fresh=True)
    return ImportRecord(new_id, file, sha256, kind, total, skipped=False,
                        superseded_rows=superseded)


def _prepare(frame, cols: dict[str, str]):
    if hasattr(frame, "column_names"):
        # a pyarrow.Table from the fast readings reader, already in ledger
        # types; batches of 32k rows let DuckDB scan it on every core
        data = frame.select(list(cols))
        return type(frame).from_batches(data.to_batches(max_chunksize=32_768), data.schema)
    # deferred on purpose: the fast load path (arrow tables, above) runs without pandas
    import pandas as pd

    # optional columns a caller leaves out (a registry without installed/removed) are NULL
    absent = [c for c in cols if c not in frame.columns]
    data = frame.assign(**{c: None for c in absent})[list(cols)] if absent else frame[list(cols)]
    if "ts_utc" in data and getattr(data["ts_utc"].dtype, "tz", None) is not None:
        data = data.assign(ts_utc=data["ts_utc"].dt.tz_convert("UTC").dt.tz_localize(None))
    for c, t in cols.items():
        if t == "DATE":
            data = data.assign(**{c: pd.to_datetime(data[c]).dt.date})
    return data


def _make_current(con, kind: str, file: str, sha256: str, import_id: int, *,
                  fresh: bool = False) -> int:
    """Inside a transaction: ``file`` now holds this content; which rows stand follows
    (DESIGN §3), and a register reading must not decrease against its new neighbours.

    ``fresh``: the import's rows were just inserted by :func:`store_chunks` (readings
    inserted standing; none of them stood before).

    Returns the number of earlier rows that stopped standing."""
    superseded = _set_paths(con, {file: sha256}, blame=import_id,
                            fresh=import_id if fresh else None)
    if kind == "meter_readings":
        check_register_continuity(con, import_id, file)
    return superseded


def _check_no_repeats(con, new_id: int, file: str) -> None:

    dup = con.execute("""
        SELECT meter_id, ts_utc, min("row") AS r0, max("row") AS r1 FROM readings
        WHERE import_id = ? GROUP BY meter_id, ts_utc HAVING count(*) > 1
        ORDER BY r1 LIMIT 1""", [new_id]).fetchone()
    if dup:
        mid, ts, r0, r1 = dup
        raise InputError(
            f"repeated timestamp for meter {mid}: rows {r0} and {r1} give the same interval "
            f"({ts:%Y-%m-%d %H:%M} UTC; only the repeated October hour of naive local time "
            "may appear twice)", file=file, row=int(r1), column="timestamp",
            found=f"{ts:%Y-%m-%d %H:%M} UTC", expected="each timestamp once per meter",
            extra={"rows": [int(r0), int(r1)]})


def check_register_continuity(con, new_id: int, file: str) -> None:
    """Refuse a register reading that decreases against the ledger's neighbouring readings.

    Looks at the current readings (after supersession) of the register
    meters without ``rollover`` that this import touches, in time order, and
    applies the one rule of :func:`klimaregnskap.calc.registers.counter_steps`:
    a reading lower than the one just before it is an error when either of
    the two comes from this import (across files, or across the chunks of one
    big file). Register meters read monthly or daily, so their series are short.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Inside the import's transaction.
    new_id : int
        The import being stored.
    file : str
        Its file name, for the error.

    Raises
    ------
    InputError
        Naming the row of this file, the earlier reading and its file.
    """
    rows = con.execute("""
        WITH touched AS (
            SELECT DISTINCT r.meter_id FROM readings r
            JOIN meters m ON m.meter_id = r.meter_id AND m.superseded_by IS NULL
            WHERE r.import_id = ? AND m.kind = 'register' AND m.rollover IS NULL)
        SELECT r.meter_id, r.ts_utc, r.value, r."row", r.import_id, i.file
        FROM readings r JOIN touched USING (meter_id) JOIN current_imports i USING (import_id)
        WHERE r.superseded_by IS NULL
        ORDER BY r.meter_id, r.ts_utc""", [new_id]).fetchall()
    if len(rows) < 2:
        return
    ids = [r[0] for r in rows]
    codes = np.cumsum([0] + [a != b for a, b in zip(ids[1:], ids[:-1])])
    values = np.array([r[2] for r in rows], dtype="float64")
    _steps, decreasing = counter_steps(codes, values, np.full(len(rows), np.nan))
    bad = [i for i in np.flatnonzero(decreasing)
           if rows[i][4] == new_id or rows[i - 1][4] == new_id]
    if not bad:
        return
    i = min(bad, key=lambda k: rows[k][1])
    mid, ts, value, row, imp, this_file = rows[i]
    _m, prev_ts, prev_value, prev_row, _pi, prev_file = rows[i - 1]
    if imp == new_id:
        where_row, found = int(row), value
        other = f"{prev_value:g} at {prev_ts:%Y-%m-%d %H:%M} UTC ({prev_file}, row {prev_row})"
        msg = (f"register reading of meter {mid} is lower than the reading before it, "
               f"{other}, and the meter has no rollover")
        expected = f"at least {prev_value:g}"
    else:
        where_row, found = int(prev_row), prev_value
        other = f"{value:g} at {ts:%Y-%m-%d %H:%M} UTC ({this_file}, row {row})"
        msg = (f"register reading of meter {mid} is higher than the reading after it "
               f"already in the ledger, {other}, and the meter has no rollover")
        expected = f"at most {value:g}"
    raise InputError(msg, file=file, row=where_row, column="value", found=found,
                     expected=expected + " (a counter never decreases; give the meter a "
                                         "rollover value in the registry if it wraps)")


def make_current(con: duckdb.DuckDBPyConnection, file: str, sha256: str) -> ImportRecord:
    """Make content already in the ledger current under ``file`` (DESIGN §3).

    A file changed back to an earlier content, renamed or copied needs no
    import: its rows stand again by the rules of
    :mod:`klimaregnskap.ledger.standing`.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    file : str
        The file's name (relative to the project).
    sha256 : str
        Its content hash; an import of that content must exist.

    Returns
    -------
    ImportRecord
        ``skipped`` True; ``restored`` True unless ``file`` already had
        this content.

    Raises
    ------
    InputError
        As for :func:`store`; nothing changes then.
    """
    import_id, kind, rows = con.execute(
        "SELECT import_id, kind, rows FROM imports WHERE sha256 = ? ORDER BY import_id LIMIT 1",
        [sha256]).fetchone()
    now = con.execute("SELECT sha256 FROM current_files WHERE path = ?", [file]).fetchall()
    if [r[0] for r in now] == [sha256]:
        return ImportRecord(None, file, sha256, kind, int(rows), skipped=True)
    with _transaction(con):
        superseded = _make_current(con, kind, file, sha256, import_id)
    return ImportRecord(import_id, file, sha256, kind, int(rows), skipped=True,
                        superseded_rows=superseded, restored=True)


def withdraw(con: duckdb.DuckDBPyConnection, files: list[str]) -> int:
    """Withdraw the rows of files no longer in ``inputs/`` (kept in the history).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    files : list of str
        Names (relative to the project) of current files.

    Returns
    -------
    int
        Rows that were current and are not now.
    """
    if not files:
        return 0
    with _transaction(con):
        return _set_paths(con, {f: None for f in files})


def _set_paths(con, updates: dict[str, str | None], blame: int | None = None,
               fresh: int | None = None) -> int:
    """Change the current file set and bring every row's standing to it (inside a transaction).

    Only the kinds of the imports whose standing changed (became current,
    stopped being current, or stand under another name now) are resolved.

    Parameters
    ----------
    updates : dict
        Path -> sha256, or None to remove the path.
    blame : int, optional
        The import being stored or restored (named first in an error).
    fresh : int, optional
        An import whose rows were just inserted: none of them stood before.

    Returns
    -------
    int
        Rows that were current and are not now.
    """
    before = dict(con.execute("SELECT import_id, pkey FROM current_imports").fetchall())
    for path, sha in updates.items():
        con.execute("DELETE FROM current_files WHERE path = ?", [path])
        if sha is not None:
            con.execute("INSERT INTO current_files VALUES (?, ?)", [path, sha])
    after = dict(con.execute("SELECT import_id, pkey FROM current_imports").fetchall())
    changed = sorted(i for i in before.keys() | after.keys() if before.get(i) != after.get(i))
    if blame is not None and blame not in changed:
        changed.append(blame)
    kinds = dict(con.execute("SELECT import_id, kind FROM imports WHERE import_id IN "
                             "(SELECT unnest(?))", [changed]).fetchall())
    n = 0
    # the registry first: the readings' continuity check reads it
    for kind in sorted(set(kinds.values()), key=lambda k: k != "meter_registry"):
        table, keys, cols = TABLES[kind]
        rule = RULES[kind]
        if rule == "readings":
            n += resolve_readings(con, [i for i, k in kinds.items() if k == kind],
                                  fresh=fresh)
        elif rule == "one_value":
            n += resolve_one_value(con, kind, table, keys, cols, blame=blame)
        else:
            n += resolve_additive(con, table)
    if blame is not None and kinds.get(blame) == "purchases":
        # a purchases file whose account no mapping covers is not imported (DESIGN §3)
        name = con.execute("SELECT file FROM current_imports WHERE import_id = ?",
                           [blame]).fetchone()
        if name is not None:
            check_accounts_mapped(con, blame, name[0])
    return n


def current_files(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The current file set: name (relative to the project) -> sha256, sorted by name."""
    return dict(con.execute("SELECT path, sha256 FROM current_files ORDER BY path").fetchall())


def current_imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The imports whose rows stand, one per content, by the name they stand under.

    Returns
    -------
    pandas.DataFrame
        ``import_id, file, sha256, kind, rows, loaded_at``, sorted by file.
    """
    return con.execute("SELECT import_id, file, sha256, kind, rows, loaded_at "
                       "FROM current_imports ORDER BY file").df()


def content_of(con: duckdb.DuckDBPyConnection, shas: list[str]) -> dict[str, tuple[str, int]]:
    """Kind and rows of each imported content asked for: sha256 -> (kind, rows)."""
    return {sha: (kind, int(rows)) for sha, kind, rows in con.execute(
        "SELECT sha256, any_value(kind), any_value(rows) FROM imports "
        "WHERE sha256 IN (SELECT unnest(?)) GROUP BY sha256", [list(shas)]).fetchall()}


def repeated_additive_keys(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Per additive kind, keys two current files give with different quantities.

    See :func:`klimaregnskap.ledger.standing.repeated_keys`.
    """
    out = {}
    for kind, rule in RULES.items():
        if rule == "additive":
            table, keys, _cols = TABLES[kind]
            found = repeated_keys(con, kind, table, keys)
            if found:
                out[kind] = found
    return out


def overridden(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Readings one current file gives that another's differing values replace.

    See :func:`klimaregnskap.ledger.standing.overridden_readings`.
    """
    return overridden_readings(con)


def identical_files(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Current files with identical content: ``(standing name, other name)`` pairs."""
    return duplicate_files(con)


def record_report(con: duckdb.DuckDBPyConnection, generated_at: str, year: int,
                  files: dict[str, str], indicators: dict[str, float | None]) -> None:
    """Keep what a report was made from: its time, year, file set and indicator values.

    The next report lists the files added, changed and removed since
    (DESIGN §5 ``changes``).

    Parameters
    ----------
    generated_at : str
        The report's ``generated_at`` (ISO 8601).
    year : int
    files : dict
        The current file set (:func:`current_files`).
    indicators : dict
        Indicator -> value of the report year, in the indicator's unit.
    """
    con.execute("INSERT INTO report_runs VALUES (?, ?, ?, ?)",
                [generated_at, int(year), json.dumps(files, sort_keys=True),
                 json.dumps(indicators, sort_keys=True)])


def last_report(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The previous report run: ``generated_at, year, files, indicators``; None if none."""
    row = con.execute("SELECT generated_at, year, files, indicators FROM report_runs "
                      "ORDER BY rowid DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return {"generated_at": row[0], "year": int(row[1]), "files": json.loads(row[2]),
            "indicators": json.loads(row[3])}


def current(con: duckdb.DuckDBPyConnection, kind: str, where: str = "",
            params: list | None = None) -> pd.DataFrame:
    """The current (not superseded) rows of one kind, with the source file.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    kind : str
        One of :data:`TABLES`.
    where : str, optional
        An extra SQL condition on the table's columns (aliased ``t``).
    params : list, optional
        Parameters for ``where``.

    Returns
    -------
    pandas.DataFrame
        The kind's columns plus ``import_id`` and ``file`` (the name the
        file stands under), in file name and row order: the order files
        were loaded in never shows.
    """
    table, _keys, cols = TABLES[kind]
    collist = ", ".join(f't."{c}"' for c in cols)
    cond = f" AND ({where})" if where else ""
    return con.execute(
        f"SELECT {collist}, t.import_id, i.file FROM {table} t "
        f"JOIN current_imports i USING (import_id) "
        f"WHERE t.superseded_by IS NULL{cond} ORDER BY i.pkey, t.row", params or []).df()


def current_records(con: duckdb.DuckDBPyConnection, kind: str,
                    columns: tuple[str, ...]) -> list[tuple]:
    """Some columns of the current rows of one kind as plain tuples (no pandas).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
    kind : str
        One of :data:`TABLES`.
    columns : tuple of str
        Columns of that kind.

    Returns
    -------
    list of tuple
        In file name and file-row order.
    """
    table, _keys, cols = TABLES[kind]
    unknown = [c for c in columns if c not in cols]
    if unknown:
        raise ValueError(f"{kind} has no column {unknown[0]!r}")
    collist = ", ".join(f't."{c}"' for c in columns)
    return con.execute(f'SELECT {collist} FROM {table} t JOIN current_imports i USING (import_id) '
                       f'WHERE t.superseded_by IS NULL ORDER BY i.pkey, t."row"').fetchall()


def history(con: duckdb.DuckDBPyConnection, kind: str) -> pd.DataFrame:
    """Every row ever imported of one kind, superseded and withdrawn ones included.

    ``superseded_by`` is None for a current row, 0 for a row whose file is
    not current (removed or replaced), else the import whose row stands.
    """
    table, _keys, cols = TABLES[kind]
    collist = ", ".join(f't."{c}"' for c in cols)
    return con.execute(
        f"SELECT {collist}, t.import_id, i.file, t.superseded_by FROM {table} t "
        f"JOIN imports i USING (import_id) ORDER BY t.import_id, t.row").df()


def imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import log: import_id, file, sha256, kind, rows, loaded_at (UTC)."""
    return con.execute("SELECT * FROM imports ORDER BY import_id").df()


def import_log(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The import log as plain tuples ``(import_id, file, sha256, kind)`` (no pandas)."""
    return con.execute("SELECT import_id, file, sha256, kind FROM imports "
                       "ORDER BY import_id").fetchall()


def known_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Content hashes of every file ever imported."""
    return {r[0] for r in con.execute("SELECT DISTINCT sha256 FROM imports").fetchall()}
