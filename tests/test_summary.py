"""summary.json and the report data on small real projects (ledger -> accounts -> summary)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from klimaregnskap.calc import factors as fl
from klimaregnskap import ledger
from klimaregnskap.pipeline import build_accounts
from klimaregnskap.config import load_config
from klimaregnskap.pipeline import calculation_lines
from klimaregnskap.summary import report_data

from conftest import write

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]
HOSTILE_ORG = "<script>alert(1)</script>"


def _data(project: Path, year: int, lang: str = "en"):
    cfg = load_config(project)
    lib = fl.load_library(project)
    con = ledger.connect(project)
    from klimaregnskap import importing
    importing.load_new_inputs(con, cfg, lib)
    return report_data(build_accounts(con, cfg, lib, year), language=lang,
                       generated_at="2026-01-01T00:00:00+00:00")


@pytest.fixture
def hostile(worked: Path) -> Path:
    """The hand-worked project with an organisation and four sites named like formulas."""
    cfg = (worked / "klimaregnskap.toml").read_text(encoding="utf-8")
    cfg = cfg.replace('name = "Test HF"', f'name = "{HOSTILE_ORG}"')
    cfg = cfg.replace('name = "Site A"', "name = '" + HOSTILE[0] + "'")
    cfg = cfg.replace('name = "Site B"', f'name = "{HOSTILE[1]}"')
    cfg = cfg.replace("[accounting]", f"""[[sites]]
id = "c"
name = "{HOSTILE[2]}"
area_m2 = {{ 2019 = 100 }}

[[sites]]
id = "d"
name = "{HOSTILE[3]}"
area_m2 = {{ 2019 = 100 }}

[accounting]""")
    (worked / "klimaregnskap.toml").write_text(cfg, encoding="utf-8")
    write(worked / "inputs" / "more.csv", """site,period,activity,quantity,unit
    c,2021,fuel_oil,100,L
    d,2021,flight_domestic,500,pkm
    """)
    return worked


def test_xlsx_site_names_never_become_formulas(hostile, cli, undrawn_charts):
    out = hostile / "out"
    res = cli("report", "--year", "2021", "--project", hostile, "--out", out)
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out / "report.xlsx")
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if c.value in HOSTILE:
                    assert c.data_type == "s"
                    seen.add(c.value)
    assert seen == set(HOSTILE)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert HOSTILE_ORG not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in (out / "report.md").read_text(encoding="utf-8")
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["organisation"] == HOSTILE_ORG


def test_calculation_lines_exact_and_traceable(worked):
    d = _data(worked, 2021)
    c = d.calculation_lines
    assert list(c.columns[:8]) == ["year", "site", "source", "item", "activity", "category", "file",
                                   "row"]
    # 2019 site a: fuel oil 1000 L x 2.5 kg/L = 2.5 t; electricity 100 000 kWh x 100 g = 10 t
    a19 = c[(c["year"] == 2019) & (c["site"] == "a")].set_index("item")
    assert a19.loc["fuel_oil", "emissions_tco2e"] == pytest.approx(2.5)
    assert a19.loc["electricity", "emissions_tco2e"] == pytest.approx(10.0)
    assert a19.loc["fuel_oil", "file"] == "inputs/activity.csv"
    assert a19.loc["fuel_oil", "row"] == 2  # first data row under the header
    assert a19.loc["electricity", "row"] == 3
    # 2019 site b: flights are scope 3, outside the target: 10 000 pkm x 0.2 kg = 2 t
    b19 = c[(c["year"] == 2019) & (c["site"] == "b")]
    assert b19["emissions_tco2e"].sum() == pytest.approx(2.0)
    assert not b19["in_target"].any()
    # 2020 electricity has no own factor: the 2019 one, flagged as a fallback
    e20 = c[(c["year"] == 2020) & (c["item"] == "electricity")].iloc[0]
    assert bool(e20["fallback"]) and int(e20["factor_year"]) == 2019
    assert e20["emissions_tco2e"] == pytest.approx(90_000 * 100e-6)


def test_calculation_lines_sum_to_site_and_scope_figures(worked):
    d = _data(worked, 2021)
    c = d.calculation_lines
    in_target = c[c["in_target"]].groupby(["year", "site"])["emissions_tco2e"].sum()
    by_site = d.emissions_by_site.set_index(["year", "site"])["emissions_tco2e"]
    pd.testing.assert_series_equal(in_target.sort_index(), by_site.astype(float).sort_index(),
                                   check_names=False, rtol=1e-12)
    for site, entry in d.summary["sites"].items():
        assert in_target.get((2021, site), 0.0) == pytest.approx(entry["emissions_tco2e"])
    by_scope = c[c["year"] == 2021].groupby("scope")["emissions_tco2e"].sum()
    for scope, value in d.summary["emissions_by_scope"]["location"].items():
        assert by_scope.get(int(scope), 0.0) == pytest.approx(value)


def test_calculation_lines_helper_on_empty_and_na_rows():
    assert list(calculation_lines(pd.DataFrame(), [1, 2]).columns)[-3:] == [
        "in_target", "emissions_tco2e", "converted_from"]
    lines = pd.DataFrame({"year": [2025, 2025], "site": ["a", "a"], "source": ["meter", "activity"],
                          "item": ["M1", "diesel"], "file": [None, "f.csv"], "row": [pd.NA, 4],
                          "scope": [2, 3], "emissions_tco2e": [1.0, 2.0]})
    out = calculation_lines(lines, [1, 2]).set_index("item")
    assert bool(out.loc["M1", "in_target"]) and not bool(out.loc["diesel", "in_target"])
    assert pd.isna(out.loc["M1", "row"]) and out.loc["diesel", "row"] == 4


def test_summary_is_json_safe_and_reports_warnings_in_words(worked):
    d = _data(worked, 2021, lang="nb")
    text = json.dumps(d.summary, allow_nan=False)
    assert "NaN" not in text
    assert d.summary["year"] == 2021 and d.summary["language"] == "nb"
    assert d.summary["generated_at"] == "2026-01-01T00:00:00+00:00"
    # the renderer gets the structured warnings, summary.json code + message
    assert all(set(w) == {"code", "message"} for w in d.summary["data_quality"]["warnings"])
    fb = [w for w in d.warnings if w.code == "factor_fallback"]
    assert fb and {"year", "activity", "factor_year"} <= set(fb[0].fields())
