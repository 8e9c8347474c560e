"""Shared report fixtures: the sample report written once per test run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klimaregnskap.report import write_report

from .sample import make_sample_report_data


@pytest.fixture(scope="session")
def sample_report(shared):
    """``get(lang) -> folder``: the sample's report in ``lang``, every chart freshly drawn.

    Written once per test run into an empty folder and shared by every xdist
    worker (:func:`shared`): read it or copy it, never write into it. The
    progress messages of that one fresh write are in ``progress.txt`` beside it.
    """
    def get(lang: str) -> Path:
        def make(folder: Path) -> None:
            out = folder / "report"
            said: list[str] = []
            write_report(make_sample_report_data(lang), out, progress=said.append)
            (folder / "progress.txt").write_text("\n".join(said), encoding="utf-8")

        return shared(f"sample_report_{lang}", make) / "report"

    return get


@pytest.fixture(scope="session")
def sample_charts(sample_report):
    """``seed(lang, folder)``: give ``folder`` the charts of the sample report in ``lang``.

    A test that writes a report of (nearly) the same data starts from a copy
    of the sample's ``charts/`` folder, so the product's chart cache redraws
    only the charts whose content differs.
    """
    def seed(lang: str, folder: Path) -> None:
        shutil.copytree(sample_report(lang) / "charts", Path(folder) / "charts")

    return seed
