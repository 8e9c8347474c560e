"""Shared fixtures: small project folders in a temporary directory, run through the real ledger."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import accounts_memo
from klimaregnskap.cli import app

# the accounts of the same inputs are built once per test process (tests/accounts_memo.py;
# KLIMAREGNSKAP_TEST_BUILDS=verify checks each kept build against a fresh one)
accounts_memo.install()
# each xdist worker already has a core of its own: drawing a report's charts in
# a pool of processes as well only adds the pool's start-up (a fork server that
# imports plotnine) and competes with the other worker. The pool itself is
# tested with explicit workers (tests/report/test_chart_cache.py).
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("KLIMAREGNSKAP_WORKERS", "1")  # report.plots.WORKERS_ENV

BASE_CONFIG = """
[organisation]
name = "Test HF"
baseline_year = 2019
timezone = "Europe/Oslo"
language = "en"

[[sites]]
id = "a"
name = "Site A"
area_m2 = { 2019 = 1000 }
hdd_normal = 4000
heating_share = 0.5

[[sites]]
id = "b"
name = "Site B"
area_m2 = { 2019 = 500, 2021 = 600 }

[accounting]
electricity_method = "location"
gwp = "AR5"
target_scopes = [1, 2]
"""

#: The hand-worked project's own factor file: electricity 2020 is missing on purpose.
OWN_FACTORS = """activity,year,value,unit,scope,method,source
electricity,2019,100,gCO2e/kWh,2,location,test location 2019
electricity,2021,50,gCO2e/kWh,2,location,test location 2021
electricity,2019,400,gCO2e/kWh,2,market,test market 2019
fuel_oil,2019,2.5,kgCO2e/L,1,,test fuel oil
fuel_oil,2019,10,kWh/L,,,test fuel oil energy
flight_domestic,2019,0.2,kgCO2e/pkm,3,,test flights
"""

#: Hand-worked activity data (see tests/test_accounts.py for the arithmetic).
OWN_ACTIVITY = """site,period,activity,quantity,unit,note
a,2019,fuel_oil,1000,L,
a,2019,electricity,100000,kWh,
b,2019,flight_domestic,10000,pkm,
a,2020-06,fuel_oil,500,L,
a,2020,electricity,90,MWh,
a,2021,fuel_oil,0.2,m3,tank fill in m3
a,2021,electricity,100000,kWh,
b,2021-03,refrigerant:R-134a,2,kg,
"""


def products_frame(rows):
    """Purchased products as the products reader gives them.

    rows: (year, product_id, description, spend, flag, cas_numbers).
    """
    df = pd.DataFrame(rows, columns=["year", "product_id", "description", "spend",
                                     "contains_listed_substance", "cas_numbers"])
    df["year"] = df["year"].astype("int64")
    df["product_id"] = df["product_id"].astype(str)
    df["quantity"] = 1.0
    df["spend"] = df["spend"].astype("float64")
    df["contains_listed_substance"] = df["contains_listed_substance"].astype("boolean")
    return df


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project with two sites (a, b) and the base config."""
    write(tmp_path / "klimaregnskap.toml", BASE_CONFIG)
    (tmp_path / "inputs").mkdir()
    return tmp_path


@pytest.fixture
def worked(project: Path) -> Path:
    """The hand-worked project: own factors with a missing year, activity data for two sites."""
    write(project / "factors" / "own.csv", OWN_FACTORS)
    write(project / "inputs" / "activity.csv", OWN_ACTIVITY)
    return project


def build(project: Path, year: int = 2021):
    """Load the project's inputs into its ledger and build the accounts of ``year``."""
    from klimaregnskap.calc import factors as fl
    from klimaregnskap import importing, ledger
    from klimaregnskap.pipeline import build_accounts
    from klimaregnskap.config import load_config

    cfg = load_config(project)
    lib = fl.load_library(project)
    con = ledger.connect(project)
    outcome = importing.load_new_inputs(con, cfg, lib)
    assert not outcome.errors, outcome.errors
    return build_accounts(con, cfg, lib, year)


#: What a chart file holds in a test that does not draw (:func:`undrawn_charts`): a
#: 1x1 white PNG and an empty SVG.
PLACEHOLDER_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082")
PLACEHOLDER_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n'


@pytest.fixture
def undrawn_charts(monkeypatch):
    """Reports written in this test get placeholder chart files; yields the names drawn.

    For tests that read a report's numbers and words, not its pictures.
    Everything up to the picture still runs: the chart specs are made from
    the accounts, each is turned into its plotnine plot (so a broken spec
    still fails) and the chart cache decides what to draw. Only the drawing
    to PNG and SVG is skipped, half a second a chart. The drawing itself is
    tested in tests/report/.
    """
    from klimaregnskap.report import plots

    names: list[str] = []

    def placeholder(specs, progress=None, workers=None):
        for s in specs:
            plots.PLOTS[s.kind](s)
            names.append(s.name)
        return [(PLACEHOLDER_PNG, PLACEHOLDER_SVG) for _ in specs]

    monkeypatch.setattr(plots, "draw_all", placeholder)
    yield names
    # a test takes this fixture because it writes a report: if no chart came
    # here, the report draws some other way and this fixture saves nothing
    assert names, "no chart reached the placeholder drawing (report.plots.draw_all)"


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run


REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def _locked(lock: Path):
    """Hold an exclusive lock on ``lock`` (a file) while the block runs: one process at a time."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def shared(tmp_path_factory, worker_id):
    """``get(name, make) -> folder``: a folder made once per test run, for every xdist worker.

    The first worker to ask makes it (``make(folder)``, under a file lock, so
    the other workers wait for it rather than making it again); everyone else
    gets the finished folder. The folders live beside the workers' own
    temporary folders, in the run's base temporary folder. Never write into
    one: copy it.
    """
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if worker_id != "master" else base) / "shared"

    def get(name: str, make) -> Path:
        folder = root / name
        done = root / f"{name}.done"
        with _locked(root / f"{name}.lock"):
            if not done.exists():
                if folder.exists():  # a make that failed half-way: start again
                    shutil.rmtree(folder)
                folder.mkdir(parents=True)
                make(folder)
                done.touch()
        return folder

    return get


def _make_demo(root: Path) -> None:
    """The demo trust (config and inputs) in ``root``, checked: its ledger loaded."""
    shutil.copy(REPO / "klimaregnskap.toml", root / "klimaregnskap.toml")
    shutil.copytree(REPO / "inputs", root / "inputs")
    res = CliRunner().invoke(app, ["check", "--project", str(root)], catch_exceptions=False)
    assert res.exit_code == 0, res.output


@pytest.fixture(scope="session")
def demo_built(shared, tmp_path_factory) -> Path:
    """The demo trust (config and inputs) with its ledger loaded, this process's own copy.

    The ledger is loaded once per test run (:func:`shared`) and copied into
    each worker: a DuckDB file is opened by one process at a time. Never
    write into it: take :func:`demo_copy` for a project of your own.
    """
    root = tmp_path_factory.mktemp("demo_built")
    shutil.copytree(shared("demo_built", _make_demo), root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="module")
def demo_copy(demo_built, tmp_path_factory) -> Path:
    """A module's own copy of the loaded demo trust (config, inputs and ledger)."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(demo_built, root, dirs_exist_ok=True)
    return root


@pytest.fixture(scope="session")
def demo_report(shared, tmp_path_factory):
    """The demo's 2025 report in a language, written once per test run: ``get(lang) -> folder``.

    Each is written from its own copy of the checked demo (so no report sees
    another one in the ledger's report history) and shared by every xdist
    worker (:func:`shared`). Read it, never write into it. Tests that write
    a report of the same data seed their output folder with a copy of it, so
    the product's chart cache (``charts/.manifest.json``) keeps every chart
    whose content is unchanged: the command runs whole, and the charts are
    drawn once per run instead of once per test module.
    """
    def get(lang: str) -> Path:
        def make(out: Path) -> None:
            project = tmp_path_factory.mktemp(f"demo_for_report_{lang}")
            shutil.copytree(shared("demo_built", _make_demo), project, dirs_exist_ok=True)
            res = CliRunner().invoke(app, ["report", "--year", "2025", "--project", str(project),
                                           "--lang", lang, "--out", str(out)],
                                     catch_exceptions=False)
            assert res.exit_code == 0, res.output

        return shared(f"demo_report_{lang}", make)

    return get
