"""Which rows stand: the current rows of the ledger, derived from the current files.

DESIGN §3 "The ledger follows ``inputs/``": the set of current files (path
relative to the project -> sha256, table ``current_files``) decides which
rows are current (``superseded_by IS NULL``). Every rule here is a function
of that set alone, never of the order files came in, so the accounts are a
function of ``inputs/``:

* a row whose file is not current (removed, or replaced by another version
  of the same name) is withdrawn: ``superseded_by = 0``
  (:func:`withdraw_not_current`);
* meter readings: for one meter and timestamp the measured value beats an
  estimated one, otherwise the file whose path (lower-cased, by code point)
  sorts later wins; the others are ``superseded_by`` the winning import
  (:func:`resolve_readings`);
* activity, food waste, products, purchases and energy certificates add up
  across files
  (:func:`resolve_additive`);
* operations, temperatures, the meter registry, measures and account
  mappings have one value per key:
  agreeing duplicates count once (the later path stands), disagreeing ones
  are an error naming both files (:func:`resolve_one_value`).

An import is stored once per content (sha256); the same content under two
names counts once, ranked by the later of its names.

This module holds SQL only and takes the table layout as arguments, so that
:mod:`klimaregnskap.ledger.core` can call it without an import cycle.
"""

from __future__ import annotations

from klimaregnskap.errors import InputError

__all__ = ["RULES", "CURRENT_IMPORTS_VIEW", "WITHDRAWN", "withdraw_not_current",
           "resolve_readings", "resolve_additive", "resolve_one_value", "repeated_keys",
           "overridden_readings", "duplicate_files", "check_accounts_mapped"]

#: How rows of one kind stand against the rows of other current files (DESIGN §3).
#: ``additive``: all count; ``one_value``: one value per key; ``readings``:
#: one value per meter and timestamp, measured before estimated, later path.
RULES: dict[str, str] = {
    "activity": "additive",
    "food_waste": "additive",
    "products": "additive",
    "operations": "one_value",
    "temperatures": "one_value",
    "meter_registry": "one_value",
    "meter_readings": "readings",
    "measures": "one_value",
    "purchases": "additive",
    "account_mapping": "one_value",
    "certificates": "additive",
}

#: The quantity column compared by :func:`repeated_keys`, per additive kind.
QUANTITY = {"activity": "quantity", "food_waste": "quantity_kg", "products": "quantity",
            "purchases": "amount", "certificates": "quantity_kwh"}

#: ``superseded_by`` of a row whose file is not current.
WITHDRAWN = 0

#: Current imports with the path they stand under: the later (lower-cased,
#: by code point) of their current names, and that key as ``pkey``.
CURRENT_IMPORTS_VIEW = """
    CREATE OR REPLACE VIEW current_imports AS
    SELECT i.import_id, i.kind, i.sha256, i.rows, i.loaded_at,
           arg_max(cf.path, lower(cf.path) || chr(1) || cf.path) AS file,
           max(lower(cf.path) || chr(1) || cf.path) AS pkey,
           count(*) AS names
    FROM current_files cf JOIN imports i USING (sha256)
    GROUP BY i.import_id, i.kind, i.sha256, i.rows, i.loaded_at"""


def _q(c: str) -> str:
    return f'"{c}"'


def withdraw_not_current(con, table: str) -> int:
    """Withdraw every row of ``table`` whose file is not current (DESIGN §3).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Inside the caller's transaction.
    table : str

    Returns
    -------
    int
        Rows that were current and are withdrawn now.
    """
    n = con.execute(f"""
        SELECT count(*) FROM {table} WHERE superseded_by IS NULL
          AND import_id NOT IN (SELECT import_id FROM current_imports)""").fetchone()[0]
    con.execute(f"""
        UPDATE {table} SET superseded_by = {WITHDRAWN}
        WHERE superseded_by IS DISTINCT FROM {WITHDRAWN}
          AND import_id NOT IN (SELECT import_id FROM current_imports)""")
    return int(n)


def resolve_additive(con, table: str) -> int:
    """Activity, food waste, products: the rows of every current file count (DESIGN §3).

    Two suppliers' files both count, also when their rows are equal; a key
    given by two files with different quantities is warned about
    (:func:`repeated_keys`), never dropped.

    Returns
    -------
    int
        Rows withdrawn by this call (their file is no longer current).
    """
    n = withdraw_not_current(con, table)
    con.execute(f"""
        UPDATE {table} SET superseded_by = NULL
        WHERE superseded_by IS NOT NULL
          AND import_id IN (SELECT import_id FROM current_imports)""")
    return n


def resolve_one_value(con, kind: str, table: str, keys: tuple[str, ...], cols: dict[str, str],
                      *, blame: int | None = None) -> int:
    """Operations, temperatures, meter registry: one value per key (DESIGN §3).

    Two current files that give a key the same values count once (the file
    whose path sorts later stands, the other's rows are superseded by it);
    two that disagree are an error naming both files and rows.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Inside the caller's transaction (rolled back by the caller on error).
    kind, table : str
    keys : tuple of str
        The key columns.
    cols : dict
        The table's columns; every column but ``row`` is compared.
    blame : int, optional
        The import being stored: the error names its row first.

    Returns
    -------
    int
        Rows that were current and are not now.

    Raises
    ------
    InputError
        Two current files disagree on a key.
    """
    _check_one_value(con, kind, table, keys, cols, blame)
    n = withdraw_not_current(con, table)
    keylist = ", ".join(f"t.{_q(k)}" for k in keys)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _standing AS
        SELECT t.import_id, t."row",
               first_value(t.import_id) OVER (PARTITION BY {keylist} ORDER BY c.pkey DESC)
                   AS winner, t.superseded_by AS was
        FROM {table} t JOIN current_imports c USING (import_id)""")
    n += con.execute("""SELECT count(*) FROM _standing
                        WHERE was IS NULL AND import_id <> winner""").fetchone()[0]
    con.execute(f"""
        UPDATE {table} AS t
        SET superseded_by = CASE WHEN s.winner = s.import_id THEN NULL ELSE s.winner END
        FROM _standing s
        WHERE t.import_id = s.import_id AND t."row" = s."row"
          AND t.superseded_by IS DISTINCT FROM
              (CASE WHEN s.winner = s.import_id THEN NULL ELSE s.winner END)""")
    con.execute("DROP TABLE _standing")
    return int(n)


def _check_one_value(con, kind, table, keys, cols, blame) -> None:
    same_key = " AND ".join(f"a.{_q(k)} = b.{_q(k)}" for k in keys)
    compared = [c for c in cols if c != "row" and c not in keys]
    differs = " OR ".join(f"a.{_q(c)} IS DISTINCT FROM b.{_q(c)}" for c in compared)
    first_diff = "CASE " + " ".join(
        f"WHEN a.{_q(c)} IS DISTINCT FROM b.{_q(c)} THEN '{c}'" for c in compared) + " END"
    order = "(a.import_id = ?) DESC, " if blame is not None else ""
    row = con.execute(f"""
        WITH cur AS (SELECT t.*, c.file, c.pkey FROM {table} t
                     JOIN current_imports c USING (import_id))
        SELECT a.file, a."row", b.file, b."row", {first_diff} AS col,
               {", ".join(f"a.{_q(k)}" for k in keys)}
        FROM cur a JOIN cur b ON {same_key} AND a.import_id <> b.import_id
        WHERE {differs}
        ORDER BY {order}a.pkey DESC, a."row", b."row" LIMIT 1""",
                      [blame] if blame is not None else []).fetchone()
    if row is None:
        return
    file, r, other, other_row, col = row[:5]
    key = ", ".join(f"{k} {v}" for k, v in zip(keys, row[5:]))
    found, expected = con.execute(f"""
        SELECT a.{_q(col)}, b.{_q(col)} FROM {table} a, {table} b, current_imports ca,
               current_imports cb
        WHERE ca.import_id = a.import_id AND cb.import_id = b.import_id
          AND ca.file = ? AND a."row" = ? AND cb.file = ? AND b."row" = ?""",
                                  [file, r, other, other_row]).fetchone()
    raise InputError(
        f"{kind.replace('_', ' ')}: {file} row {r} and {other} row {other_row} give different "
        f"values for the same key ({key}); there is one value per key: correct or remove one "
        "of the two files", file=file, row=int(r), column=col, found=found,
        expected=f"{expected!r} as in {other} row {other_row}",
        extra={"other_file": other, "other_row": int(other_row)})


def resolve_readings(con, changed: list[int], fresh: int | None = None) -> int:
    """Meter readings: one value per meter and timestamp (DESIGN §3, "Meter readings").

    Where two current files give the same meter and timestamp, a measured
    value (a reading without quality is measured) beats an estimated one;
    otherwise the file whose path, lower-cased and compared by code point,
    sorts later wins (Elhub's later export, a ``_korrigert`` copy). Only the
    meters and time ranges of the imports whose standing changed are looked
    at (DESIGN §8: tens of millions of readings); when no other import has a
    reading there, the changed imports' rows simply follow their file.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Inside the caller's transaction.
    changed : list of int
        Readings imports that became current, stopped being current, or
        whose path changed.
    fresh : int, optional
        An import just inserted in this transaction: its rows are inserted
        standing (``superseded_by`` NULL, so a file that overlaps nothing is
        not written twice), but none of them stood before, so none is
        counted as having stopped standing.

    Returns
    -------
    int
        Rows that were current and are not now.
    """
    if not changed:
        return 0
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _region AS
        SELECT meter_id, min(ts_utc) AS lo, max(ts_utc) AS hi FROM readings
        WHERE import_id IN (SELECT unnest(?)) GROUP BY meter_id""", [changed])
    lo, hi = con.execute("SELECT min(lo), max(hi) FROM _region").fetchone()
    try:
        if lo is None:
            return 0
        # a constant range lets DuckDB skip row groups by their zone maps
        rng = f"r.ts_utc BETWEEN TIMESTAMP '{lo}' AND TIMESTAMP '{hi}'"
        # another import's row may stand against the changed ones only where it is
        # current or beaten by a changed import (a withdrawn file's rows stay so)
        overlap = con.execute(f"""
            SELECT count(*) FROM (
                SELECT 1 FROM readings r JOIN _region g
                  ON g.meter_id = r.meter_id AND r.ts_utc BETWEEN g.lo AND g.hi
                WHERE {rng} AND r.import_id NOT IN (SELECT unnest($1))
                  AND (r.superseded_by IS NULL OR r.superseded_by IN (SELECT unnest($1)))
                LIMIT 1)""", [changed]).fetchone()[0]
        standing_now = [i for (i,) in con.execute(
            "SELECT import_id FROM current_imports WHERE import_id IN (SELECT unnest(?))",
            [changed]).fetchall()]
        if not overlap and len(standing_now) > 1:
            # the changed imports that stand may give the same meter and timestamp
            overlap = con.execute("""
                SELECT count(*) FROM (
                    SELECT 1 FROM readings WHERE import_id IN (SELECT unnest(?))
                    GROUP BY meter_id, ts_utc HAVING count(*) > 1 LIMIT 1)""",
                                  [standing_now]).fetchone()[0]
        if not overlap:
            n = con.execute("""
                SELECT count(*) FROM readings
                WHERE import_id IN (SELECT unnest(?)) AND superseded_by IS NULL
                  AND import_id NOT IN (SELECT import_id FROM current_imports)""",
                            [changed]).fetchone()[0]
            # only rows whose standing changes are written
            con.execute(f"""
                UPDATE readings SET superseded_by = CASE
                    WHEN import_id IN (SELECT import_id FROM current_imports) THEN NULL
                    ELSE {WITHDRAWN} END
                WHERE import_id IN (SELECT unnest(?))
                  AND superseded_by IS DISTINCT FROM (CASE
                    WHEN import_id IN (SELECT import_id FROM current_imports) THEN NULL
                    ELSE {WITHDRAWN} END)""", [changed])
            return int(n)
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _standing AS
            WITH cand AS (
                SELECT r.import_id, r.meter_id, r.ts_utc,
                       CASE WHEN r.import_id = {-1 if fresh is None else int(fresh)}
                            THEN {WITHDRAWN} ELSE r.superseded_by END AS was,
                       c.pkey, coalesce(r.quality = 'estimated', false) AS estimated
                FROM readings r JOIN _region g
                  ON g.meter_id = r.meter_id AND r.ts_utc BETWEEN g.lo AND g.hi
                LEFT JOIN current_imports c ON c.import_id = r.import_id
                WHERE {rng}),
            ranked AS (
                SELECT *, first_value(CASE WHEN pkey IS NOT NULL THEN import_id END) OVER (
                    PARTITION BY meter_id, ts_utc
                    ORDER BY (pkey IS NULL), estimated, pkey DESC) AS winner
                FROM cand)
            SELECT import_id, meter_id, ts_utc, was,
                   CASE WHEN pkey IS NULL THEN {WITHDRAWN}
                        WHEN import_id = winner THEN NULL ELSE winner END AS sb
            FROM ranked""")
        n = con.execute("SELECT count(*) FROM _standing WHERE was IS NULL AND sb IS NOT NULL"
                        ).fetchone()[0]
        con.execute(f"""
            UPDATE readings AS t SET superseded_by = s.sb FROM _standing s
            WHERE t.import_id = s.import_id AND t.meter_id = s.meter_id
              AND t.ts_utc = s.ts_utc AND t.superseded_by IS DISTINCT FROM s.sb
              AND t.ts_utc BETWEEN TIMESTAMP '{lo}' AND TIMESTAMP '{hi}'""")
        con.execute("DROP TABLE _standing")
        return int(n)
    finally:
        con.execute("DROP TABLE IF EXISTS _region")


def repeated_keys(con, kind: str, table: str, keys: tuple[str, ...]) -> list[tuple]:
    """Keys two current files both give, with different quantities (additive kinds).

    Both rows count (DESIGN §3); the pair is returned so that ``check`` and
    the report can warn, since a corrected copy beside its original is the
    commonest way to count something twice.

    Returns
    -------
    list of tuple
        ``(key values..., file, row, quantity, other_file, other_row,
        other_quantity)``, ``file`` the later path, ordered by key.
    """
    qty = QUANTITY[kind]
    same_key = " AND ".join(f"a.{_q(k)} = b.{_q(k)}" for k in keys)
    keylist = ", ".join(f"a.{_q(k)}" for k in keys)
    return con.execute(f"""
        WITH cur AS (SELECT t.*, c.file, c.pkey FROM {table} t
                     JOIN current_imports c USING (import_id) WHERE t.superseded_by IS NULL)
        SELECT {keylist}, a.file, a."row", a.{_q(qty)}, b.file, b."row", b.{_q(qty)}
        FROM cur a JOIN cur b ON {same_key} AND a.pkey > b.pkey
        WHERE a.{_q(qty)} IS DISTINCT FROM b.{_q(qty)}
        ORDER BY {keylist}, a.file, a."row", b.file, b."row" """).fetchall()


def overridden_readings(con) -> list[tuple]:
    """Readings of one current file that another current file's differing values replace.

    Returns
    -------
    list of tuple
        ``(meter_id, winner_file, other_file, count)``: ``count`` readings
        of ``other_file`` differ from the standing ones of ``winner_file``.
    """
    return con.execute(f"""
        SELECT r.meter_id, cw.file, cl.file, count(*) AS n
        FROM readings r
        JOIN readings w ON w.import_id = r.superseded_by AND w.meter_id = r.meter_id
                       AND w.ts_utc = r.ts_utc
        JOIN current_imports cw ON cw.import_id = r.superseded_by
        JOIN current_imports cl ON cl.import_id = r.import_id
        WHERE r.superseded_by IS NOT NULL AND r.superseded_by <> {WITHDRAWN}
          AND w.value IS DISTINCT FROM r.value
        GROUP BY ALL ORDER BY r.meter_id, cw.file, cl.file""").fetchall()


def duplicate_files(con) -> list[tuple[str, str]]:
    """Pairs of current files with identical content: ``(standing name, other name)``."""
    return con.execute("""
        SELECT c.file, cf.path FROM current_files cf JOIN current_imports c USING (sha256)
        WHERE cf.path <> c.file ORDER BY c.file, cf.path""").fetchall()


def check_accounts_mapped(con, import_id: int, file: str) -> None:
    """Refuse a purchases import with an account no current mapping covers (DESIGN §3).

    A purchases row with its own ``category`` needs no mapping; any other
    row's account must be covered by a current account-mapping row: one
    account, a range (accounts compare as integers) or a prefix of its
    digits. Which of several covering rows applies is
    :mod:`klimaregnskap.calc.purchases`' rule; here only coverage is checked,
    so that a file with an unmapped account is not imported at all.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        Inside the caller's transaction (rolled back by the caller on error).
    import_id : int
        The purchases import being stored or made current.
    file : str
        Its name, for the error.

    Raises
    ------
    InputError
        Naming each unmapped account with its total per currency and its
        first row.
    """
    rows = con.execute("""
        WITH m AS (SELECT t.* FROM account_mapping t
                   JOIN current_imports c USING (import_id) WHERE t.superseded_by IS NULL),
        p AS (SELECT * FROM purchases WHERE import_id = ? AND coalesce(category, '') = '')
        SELECT p.account, p.currency, count(*) AS n, sum(p.amount) AS total, min(p."row") AS r
        FROM p WHERE NOT EXISTS (
            SELECT 1 FROM m WHERE (m.match IN ('exact', 'range') AND p.account BETWEEN m.low AND m.high)
               OR (m.match = 'prefix' AND starts_with(CAST(p.account AS VARCHAR), m.prefix)))
        GROUP BY p.account, p.currency ORDER BY p.account, p.currency""",
                       [import_id]).fetchall()
    if not rows:
        return
    accounts: dict[int, list] = {}
    for acc, cur, n, total, r in rows:
        accounts.setdefault(int(acc), []).append((cur, int(n), float(total), int(r)))
    parts = []
    for acc, per in accounts.items():
        totals = " + ".join(f"{t:,.2f} {c}" for c, _n, t, _r in per)
        parts.append(f"{acc} (total {totals} in {sum(n for _c, n, _t, _r in per)} row(s))")
    first_acc = next(iter(accounts))
    first_row = min(r for _c, _n, _t, r in accounts[first_acc])
    what = "account" if len(parts) == 1 else f"{len(parts)} accounts"
    raise InputError(
        f"{what} in no row of the account mapping: " + "; ".join(parts[:10])
        + ("; ..." if len(parts) > 10 else "") + "; nothing is dropped silently",
        file=file, row=first_row, column="account", found=str(first_acc),
        expected="a row of an account mapping file (konto, kategori) whose account, range or "
                 "prefix covers it, with a spend category or exclude and a reason; or a "
                 "kategori on the purchases row")
