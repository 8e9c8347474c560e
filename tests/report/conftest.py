"""Shared report fixtures: the sample report written once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klimaregnskap.report import write_report

from .sample import make_sample_report_data


@pytest.fixture(scope="session")
def sample_charts(tmp_path_factory):
    """``seed(lang, folder)``: give ``folder`` the charts of the sample report in ``lang``.

    The sample's report is written once per language and session; a test that
    writes a report of (nearly) the same data starts from a copy of its
    ``charts/`` folder, so the product's chart cache redraws only the charts
    whose content differs.
    """
    made: dict[str, Path] = {}

    def seed(lang: str, folder: Path) -> None:
        if lang not in made:
            out = tmp_path_factory.mktemp(f"sample_{lang}")
            write_report(make_sample_report_data(lang), out)
            made[lang] = out / "charts"
        shutil.copytree(made[lang], Path(folder) / "charts")

    return seed
