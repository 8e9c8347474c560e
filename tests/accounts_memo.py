"""The accounts of the same inputs, built once per test process.

Many tests build the accounts of the same project: the demo, through every
command (``check``, ``status``, ``explain``, ``report``, ``export``) and
with :func:`klimaregnskap.pipeline.build_accounts` directly; the small
hand-worked projects, once per test that makes them. A build is a function
of what :func:`key` hashes, and it takes a second (the demo) or a third of
one (a small project): a whole test run asks for 164 builds, and 84 of
them are of accounts it has already built.

:func:`install` wraps ``build_accounts`` so that a test process builds the
accounts of each key once and hands every later caller a deep copy. The key
is everything a build reads:

- the report year;
- the config as loaded (its fields; a test may change one in memory), but not
  the path it was read from;
- the factor library's rows (factors, GWP and the four tables, hashed by
  content, each row's file by its name: a test may change a library in
  memory, and the same files in two projects give the same accounts) and the
  project's own ``factors/`` folder (its substance lists are read by the
  build, and their path shows in the accounts);
- the ledger: its current imports (id, file, sha256, kind, rows: the current
  rows are a function of them, DESIGN §3) and the previous report run (the
  ``changes`` since it);
- the package's module namespaces (a test may monkeypatch a rule).

A copy from another project of the same key gets this call's config, library
and imports (whose ``loaded_at`` differs from project to project; a
``verify`` run found no other field that does).

``KLIMAREGNSKAP_TEST_BUILDS`` (environment) chooses:

- ``memo`` (default): build once per key and process;
- ``off``: build every time, as the product does;
- ``verify``: build every time *and* compare each build with the one kept
  under its key, failing on any difference. Run the suite so once after a
  change to what a build reads: a key that misses an input shows up there.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
import os
import sys
from pathlib import Path

import pandas as pd

from klimaregnskap import ledger, pipeline, state
from klimaregnskap.readers.substances import is_listed_file

#: The environment variable choosing the mode (``memo``, ``off``, ``verify``).
MODE_ENV = "KLIMAREGNSKAP_TEST_BUILDS"

_kept: dict[str, pipeline.Accounts] = {}
#: builds made, builds answered from :data:`_kept` and builds compared with it, in this process
counts = {"built": 0, "kept": 0, "verified": 0}


def _hash_frame(h, frame: pd.DataFrame) -> None:
    h.update(json.dumps([list(map(str, frame.columns)), list(map(str, frame.dtypes))]).encode())
    if "file" in frame.columns:
        # the library names each row's file by its path: the same files in another
        # project's folder give the same accounts (the file's name and row still count)
        frame = frame.assign(file=frame["file"].map(lambda f: Path(f).name if isinstance(f, str) else f))
    h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())


def key(imports: pd.DataFrame, con, config, lib, report_year: int) -> str:
    """A sha256 of everything the accounts of ``report_year`` are built from.

    ``imports`` is the ledger's :func:`~klimaregnskap.ledger.current_imports`.
    """
    h = hashlib.sha256()
    h.update(str(int(report_year)).encode())
    h.update(repr(dataclasses.replace(config, path=Path("klimaregnskap.toml"))).encode())
    for frame in (lib.factors, lib.gwp):
        _hash_frame(h, frame)
    for name in sorted(lib.tables):
        h.update(name.encode())
        _hash_frame(h, lib.tables[name])
    own = config.project_dir / "factors"
    if own.is_dir() and any(is_listed_file(p) for p in own.iterdir() if p.is_file()):
        # a project's substance lists are named by their path in the accounts
        h.update(str(own).encode())
    state._folder_sha256(h, own)   # the files the product's own accounts key counts
    h.update(imports.drop(columns=["loaded_at"]).to_json(orient="values").encode())
    h.update(json.dumps(ledger.last_report(con), default=str, sort_keys=True).encode())
    h.update(_package_state())
    return h.hexdigest()


def _package_state() -> bytes:
    """What every name in the package's modules is bound to, by identity.

    A test that monkeypatches a rule (``pipeline.years_with_purchases``, say)
    builds other accounts from the same inputs: the binding's identity changes
    while the patch holds, and with it the key.
    """
    ids = [(name, [id(v) for v in vars(mod).values()])
           for name, mod in sorted(sys.modules.items())
           if name == "klimaregnskap" or name.startswith("klimaregnskap.")]
    return json.dumps(ids).encode()


def _same(a, b, where: str) -> None:
    """Raise AssertionError where ``a`` and ``b`` differ (frames exactly, NaN equal to NaN)."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), f"{where}: keys differ"
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), f"{where}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), f"{where}: types differ"
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def install() -> None:
    """Wrap :func:`klimaregnskap.pipeline.build_accounts` as :data:`MODE_ENV` says."""
    mode = os.environ.get(MODE_ENV, "memo")
    if mode not in ("memo", "off", "verify"):
        raise ValueError(f"{MODE_ENV}={mode!r}: expected memo, off or verify")
    if mode == "off" or getattr(pipeline.build_accounts, "memoised", False):
        return
    build = pipeline.build_accounts

    def build_accounts(con, config, lib, report_year):
        imports = ledger.current_imports(con)
        k = key(imports, con, config, lib, report_year)
        if k in _kept and mode == "memo":
            counts["kept"] += 1
            # a copy (callers may change theirs) with this call's config, library and imports
            return dataclasses.replace(copy.deepcopy(_kept[k]), config=config, lib=lib,
                                       imports=imports)
        fresh = build(con, config, lib, report_year)
        counts["built"] += 1
        if k in _kept:  # verify
            counts["verified"] += 1
            skip = {"config", "lib", "imports"}
            for f in dataclasses.fields(fresh):
                if f.name not in skip:
                    _same(getattr(fresh, f.name), getattr(_kept[k], f.name), f"accounts.{f.name}")
        else:
            _kept[k] = copy.deepcopy(fresh)
        return fresh

    build_accounts.memoised = True
    build_accounts.__doc__ = build.__doc__
    pipeline.build_accounts = build_accounts
