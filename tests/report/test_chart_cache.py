"""Charts are drawn again exactly when their picture can have changed, and a kept
chart is byte for byte the chart a fresh draw gives."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klimaregnskap.report import chart_cache, plots, write_report
from klimaregnskap.report.charts import chart_specs, render_charts
from klimaregnskap.report.plots import draw, draw_all

from conftest import PLACEHOLDER_PNG, PLACEHOLDER_SVG

from .sample import make_sample_report_data

ALL_CHARTS = {"trajectory_emissions", "trajectory_climate_neutral", "trajectory_energy",
              "trajectory_energy_normalised", "trajectory_recovered_heat_share",
              "trajectory_food_waste", "trajectory_chemical_free_share", "emissions_by_scope",
              "emissions_by_category", "energy_by_carrier", "sites"}


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _drawn(charts) -> set[str]:
    return {c.name for c in charts if c.drawn}


@pytest.fixture(scope="module")
def first(tmp_path_factory, sample_report):
    """The English sample's report written once into an empty folder, every chart freshly
    drawn (the session's :func:`sample_report`, drawn once per run), in this module's copy."""
    made = sample_report("en")
    said = (made.parent / "progress.txt").read_text(encoding="utf-8").splitlines()
    assert {m.removeprefix("chart ") for m in said if m.startswith("chart ")} >= ALL_CHARTS
    out = tmp_path_factory.mktemp("first") / "report"
    shutil.copytree(made, out)
    data = make_sample_report_data("en")
    return out / "charts", {c.name: c for c in render_charts(data, out / "charts")[0]}


@pytest.fixture
def charts_dir(first, tmp_path) -> Path:
    """A copy of the first run's charts folder (manifest included), to rerun into."""
    out = tmp_path / "charts"
    shutil.copytree(first[0], out)
    return out


def test_first_run_records_every_chart_and_its_files(first):
    out, charts = first
    assert set(charts) == ALL_CHARTS and not any(c.drawn for c in charts.values())
    recorded = chart_cache.read_manifest(out)
    assert set(recorded) == ALL_CHARTS
    for name, c in charts.items():
        assert recorded[name]["key"] == c.key and len(c.key) == 64
        assert recorded[name]["png"] == chart_cache.file_digest(out / f"{name}.png")
        assert recorded[name]["svg"] == chart_cache.file_digest(out / f"{name}.svg")
    assert len({c.key for c in charts.values()}) == len(charts)


def test_rerun_draws_nothing_and_the_report_equals_a_fresh_one(first, tmp_path, monkeypatch):
    fresh = first[0].parent
    cached = tmp_path / "cached"
    shutil.copytree(fresh, cached)
    for p in (cached / "charts").glob("*"):
        os.utime(p, ns=(0, 0))  # a rewrite would show as a new modification time

    def no_drawing(*_a, **_k):
        raise AssertionError("a current chart was drawn again")
    monkeypatch.setattr(plots, "draw_all", no_drawing)
    write_report(make_sample_report_data("en"), cached)
    assert all(p.stat().st_mtime_ns == 0 for p in (cached / "charts").glob("*.[ps][nv]g"))
    files = _files(cached)
    assert files == _files(fresh)
    assert len([n for n in files if n.endswith(".png")]) == len(ALL_CHARTS)


def test_changing_one_charts_data_redraws_only_that_chart(first, charts_dir, tmp_path):
    data = make_sample_report_data("en")
    s = data.series
    s.loc[(s["indicator"] == "food_waste") & (s["year"] == 2021), "value"] = 120_000.0
    charts, _ = render_charts(data, charts_dir)
    assert _drawn(charts) == {"trajectory_food_waste"}
    old = first[1]
    changed = {c.name for c in charts if c.key != old[c.name].key}
    assert changed == {"trajectory_food_waste"}
    png = (charts_dir / "trajectory_food_waste.png").read_bytes()
    assert png != old["trajectory_food_waste"].png.read_bytes()
    # the redrawn chart is the one a fresh draw gives; the kept ones are untouched
    spec = next(s for s in chart_specs(data)[0] if s.name == "trajectory_food_waste")
    assert draw(spec) == (png, (charts_dir / "trajectory_food_waste.svg").read_bytes())
    for c in charts:
        if c.name != "trajectory_food_waste":
            assert c.png.read_bytes() == old[c.name].png.read_bytes(), c.name
            assert c.svg.read_bytes() == old[c.name].svg.read_bytes(), c.name


def test_noise_in_the_last_bits_draws_nothing_but_a_real_change_does(charts_dir):
    data = make_sample_report_data("en")
    s = data.series
    energy = s["indicator"] == "energy"
    # another order of adding gives sums that differ in the last bit or two
    s.loc[energy, "value"] = s.loc[energy, "value"] * (1 + 2**-50)
    charts, _ = render_charts(data, charts_dir)
    assert _drawn(charts) == set()
    # a change in the 8th significant digit is drawn (2021: 60,910,000 -> 60,910,006 kWh)
    s.loc[energy & (s["year"] == 2021), "value"] = 60_910_006.0
    charts, _ = render_charts(data, charts_dir)
    assert _drawn(charts) == {"trajectory_energy"}


def test_changing_a_site_name_redraws_only_the_site_chart(first, charts_dir):
    data = make_sample_report_data("en")
    data.site_names["moss"] = "Moss sjukehus"
    charts, _ = render_charts(data, charts_dir)
    assert _drawn(charts) == {"sites"}
    assert b"Moss sjukehus" not in first[1]["sites"].svg.read_bytes()  # fonts are paths


def test_changing_the_language_redraws_every_chart(first, charts_dir, undrawn_charts):
    # which charts are drawn is the question here, not what they look like: the
    # placeholder drawing (tests/conftest.py) shows every file was written anew
    charts, _ = render_charts(make_sample_report_data("nb"), charts_dir)
    assert _drawn(charts) == ALL_CHARTS and set(undrawn_charts) == ALL_CHARTS
    assert all(c.key != first[1][c.name].key for c in charts)
    assert all(c.png.read_bytes() == PLACEHOLDER_PNG for c in charts)
    assert all(c.svg.read_bytes() == PLACEHOLDER_SVG for c in charts)


def test_deleted_or_edited_chart_files_are_redrawn(first, charts_dir):
    (charts_dir / "sites.png").unlink()
    with open(charts_dir / "emissions_by_scope.svg", "ab") as f:
        f.write(b"<!-- edited -->")
    charts, _ = render_charts(make_sample_report_data("en"), charts_dir)
    assert _drawn(charts) == {"sites", "emissions_by_scope"}
    for name in ("sites.png", "emissions_by_scope.svg"):
        assert (charts_dir / name).read_bytes() == (first[0] / name).read_bytes()


def test_unreadable_or_foreign_manifest_keeps_nothing(first, charts_dir):
    chart = first[1]["sites"]
    assert chart_cache.is_current(chart, chart_cache.read_manifest(first[0]))
    for text in ("{not json", "[]", '{"format": 99, "charts": {}}', ""):
        (charts_dir / chart_cache.MANIFEST).write_text(text, encoding="utf-8")
        assert chart_cache.read_manifest(charts_dir) == {}
    entry = chart_cache.read_manifest(first[0])["sites"]
    assert not chart_cache.is_current(chart, {"sites": dict(entry, key="0" * 64)})
    assert not chart_cache.is_current(chart, {"sites": dict(entry, png="0" * 64)})


def test_a_chart_without_data_is_removed_and_the_rest_kept(charts_dir):
    data = make_sample_report_data("en")
    s = data.series
    s.loc[(s["indicator"] == "food_waste") & (s["year"] == 2025), "value"] = float("nan")
    data.summary["indicators"]["food_waste"].update(value=None, status="no_data")
    (charts_dir / "stray.png").write_bytes(b"old")
    charts, no_data = render_charts(data, charts_dir)
    assert no_data == ["food_waste"] and _drawn(charts) == set()
    left = {p.name for p in charts_dir.iterdir()}
    assert left == ({f"{n}.{ext}" for n in ALL_CHARTS - {"trajectory_food_waste"}
                     for ext in ("png", "svg")} | {chart_cache.MANIFEST})
    assert set(chart_cache.read_manifest(charts_dir)) == ALL_CHARTS - {"trajectory_food_waste"}


def test_drawing_code_is_part_of_the_key(monkeypatch, tmp_path):
    spec = chart_specs(make_sample_report_data("en"))[0][0]
    code = tmp_path / "plots.py"
    monkeypatch.setattr(chart_cache, "CODE_FILES", [code])
    keys = []
    for source in ("DPI = 150\n", "DPI = 150\n", "DPI = 300\n"):
        code.write_text(source, encoding="utf-8")
        chart_cache.code_digest.cache_clear()
        keys.append(chart_cache.chart_key(spec))
    chart_cache.code_digest.cache_clear()
    assert keys[0] == keys[1] != keys[2]


def test_key_is_the_same_in_another_process():
    specs, _ = chart_specs(make_sample_report_data("nb"))
    here = [chart_cache.chart_key(s) for s in specs]
    script = ("import json, sys; sys.path.insert(0, sys.argv[1]);"
              "from report.sample import make_sample_report_data;"
              "from klimaregnskap.report import chart_cache; from klimaregnskap.report.charts import chart_specs;"
              "print(json.dumps([chart_cache.chart_key(s) for s in "
              "chart_specs(make_sample_report_data('nb'))[0]]))")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    res = subprocess.run([sys.executable, "-c", script, str(Path(__file__).parents[1])],
                         capture_output=True, text=True, env=env, check=True)
    assert json.loads(res.stdout) == here


def test_parallel_and_serial_drawing_give_the_same_bytes():
    specs, _ = chart_specs(make_sample_report_data("nb"))
    specs = [s for s in specs if s.name in ("trajectory_energy", "sites", "energy_by_carrier")]
    serial = draw_all(specs, workers=1)
    assert draw_all(specs, workers=2) == serial
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") and b"<svg" in svg for png, svg in serial)


_REAL_DRAW = plots.draw


def _dying_draw(spec):
    """Dies in a drawing process (as a crash looks to the pool), draws in the parent."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return _REAL_DRAW(spec)


def test_a_worker_that_dies_leaves_its_charts_to_this_process(monkeypatch):
    """A forked worker killed mid-draw (BrokenProcessPool) costs time, never a chart."""
    specs, _ = chart_specs(make_sample_report_data("nb"))
    specs = specs[:3]
    monkeypatch.setattr(plots, "draw", _dying_draw)
    out = draw_all(specs, workers=2)
    assert out == [_REAL_DRAW(s) for s in specs]


@pytest.mark.parametrize("value,expected", [("1", 1), ("", None), ("0", None), ("x", None),
                                            ("64", None)])
def test_the_workers_variable_caps_the_drawing_processes(monkeypatch, value, expected):
    """``KLIMAREGNSKAP_WORKERS`` caps the processes that draw charts; anything but a whole
    number >= 1 is ignored, and it never raises the count above the cores."""
    from klimaregnskap.report import plots

    monkeypatch.delenv(plots.WORKERS_ENV, raising=False)
    cores = plots.available_cpus()
    monkeypatch.setenv(plots.WORKERS_ENV, value)
    assert plots.available_cpus() == (cores if expected is None else min(cores, expected))
