"""Tests of the report renderer (charts, HTML, Markdown, XLSX, nb/en)."""

from __future__ import annotations

import base64
import json
import math
import re
import shutil
import string
from pathlib import Path

import openpyxl
import pytest

from klimaregnskap.report import summary_json, write_report
from klimaregnskap.report import i18n
from klimaregnskap.report.charts import (energy_by_carrier_spec, indicator_has_data, sites_spec,
                                         trajectory_spec, year_breaks)
from klimaregnskap.report.i18n import TEXTS, fmt_num, fmt_pct, fmt_qty
from klimaregnskap.report.plots import draw
from klimaregnskap.warning import KlimaWarning
from klimaregnskap.report.text import goal_sentences, short_source, status_row
from klimaregnskap.report.xlsx import write_cell

from .sample import make_sample_report_data

NBSP = "\u00a0"
HOSTILE_ORG = "<script>alert(1)</script>"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]
REPORT_SRC = Path(__file__).resolve().parents[2] / "klimaregnskap" / "report"


def hostile_data(lang="nb", generated_at="2026-02-01T08:00:00+00:00"):
    d = make_sample_report_data(lang, organisation=HOSTILE_ORG, generated_at=generated_at)
    d.site_names = {"kalnes": HOSTILE[0], "moss": HOSTILE[1]}
    d.products_not_free.loc[0, "description"] = HOSTILE[2]
    d.products_not_free.loc[1, "description"] = HOSTILE[3]
    # a warning naming a meter whose id is hostile user text
    d.warnings.append(KlimaWarning("missing_meter_year", meter_id="=1+2 <b>bold</b>", site="moss",
                                   year=2025, values={"previous_year": 2024}))
    return d


@pytest.fixture(scope="module")
def nb_out(tmp_path_factory, sample_charts):
    out = tmp_path_factory.mktemp("nb")
    sample_charts("nb", out)
    files = write_report(hostile_data("nb"), out)
    return out, files


@pytest.fixture(scope="module")
def en_out(tmp_path_factory, sample_charts):
    out = tmp_path_factory.mktemp("en")
    sample_charts("en", out)
    write_report(make_sample_report_data("en"), out)
    return out


@pytest.fixture(scope="module")
def no_data_out(tmp_path_factory, sample_charts):
    d = make_sample_report_data("nb")
    year = d.summary["year"]
    mask = (d.series["indicator"] == "food_waste") & (d.series["year"] == year)
    d.series.loc[mask, "value"] = float("nan")
    ind = d.summary["indicators"]["food_waste"]
    ind.update(value=None, change_pct=None, status="no_data", required_annual_change_pct=None)
    out = tmp_path_factory.mktemp("nodata")
    sample_charts("nb", out)
    write_report(d, out)
    return out


# ---------------------------------------------------------------- numbers

def test_number_formatting_nb_and_en():
    assert fmt_num(12345.6, "nb", 1) == f"12{NBSP}345,6"
    assert fmt_num(12345.6, "en", 1) == "12,345.6"
    assert fmt_num(1234567, "nb", 0) == f"1{NBSP}234{NBSP}567"
    assert fmt_num(-0.04, "nb", 1) == "0,0"  # no negative zero
    assert fmt_num(float("nan"), "en") == "–"
    assert fmt_pct(18.04, "nb") == f"18,0{NBSP}%"
    assert fmt_pct(18.04, "en") == "18.0%"
    assert fmt_qty(1234.4, "tCO2e", "nb") == f"1{NBSP}234{NBSP}t CO2e"
    assert fmt_qty(1234.4, "tCO2e", "en") == f"1,234{NBSP}t CO2e"


def test_goal_sentence_exact_numbers():
    d = make_sample_report_data("nb")
    s = " ".join(goal_sentences(d, "emissions"))
    assert s.startswith(f"Utslippene var 1{NBSP}932{NBSP}t CO2e i 2025, 22,1{NBSP}% lavere enn i 2019 "
                        f"(2{NBSP}480{NBSP}t CO2e).")
    assert f"Målet for 2030 er 40{NBSP}% reduksjon fra 2019, det vil si 1{NBSP}488{NBSP}t CO2e." in s
    # ((1488 / 1932.4) ** (1/5) - 1) * 100 = -5.09 %
    assert f"Det krever en årlig reduksjon på 5,1{NBSP}%." in s
    e = " ".join(goal_sentences(make_sample_report_data("en"), "climate_neutral"))
    # 1932.4 t / (2045 - 2025) years = 96.62 t a year
    assert "That requires a yearly reduction of 96.6\u00a0t CO2e." in e


def test_status_row_words_and_required_change():
    d = make_sample_report_data("en")
    r = status_row(d, "energy")
    assert r["status"] == "off_track" and r["status_word"] == "Off track"
    assert r["required"] == "-2.9%/yr"
    r = status_row(d, "chemical_free_share")
    # a share's change reads in percentage points first, the relative change after
    assert r["change"] == "+12.4 pp (+23.8%)"


# ---------------------------------------------------------------- files

def test_write_report_writes_all_files(nb_out):
    out, files = nb_out
    names = {p.name for p in files}
    assert {"summary.json", "report.html", "report.md", "report.xlsx"} <= names
    charts = {p.stem for p in (out / "charts").glob("*.png")}
    assert charts == {p.stem for p in (out / "charts").glob("*.svg")}
    for ind in ("emissions", "climate_neutral", "energy", "food_waste", "chemical_free_share"):
        assert f"trajectory_{ind}" in charts
    assert {"emissions_by_scope", "emissions_by_category", "energy_by_carrier", "sites"} <= charts
    assert all(p.exists() for p in files)


def test_summary_json_contract_and_nan_is_null():
    d = make_sample_report_data("nb")
    d.summary["indicators"]["emissions"]["value"] = float("nan")
    text = summary_json(d.summary)
    assert text.endswith("}\n") and "NaN" not in text
    back = json.loads(text)
    assert back["indicators"]["emissions"]["value"] is None
    assert list(back)[:4] == ["organisation", "year", "baseline_year", "indicators"]
    assert text == json.dumps(back, indent=2, ensure_ascii=False) + "\n"


def test_html_has_no_external_requests(nb_out):
    html = (nb_out[0] / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<script\b", html, re.I)
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert "@media print" in html and "A4" in html


def test_html_contains_every_chart(nb_out):
    out = nb_out[0]
    html = (out / "report.html").read_text(encoding="utf-8")
    svgs = sorted((out / "charts").glob("*.svg"))
    assert len(svgs) >= 10
    for svg in svgs:
        assert f'data-chart="{svg.stem}"' in html
        assert base64.b64encode(svg.read_bytes()).decode() in html


def test_markdown_references_every_chart(nb_out):
    out = nb_out[0]
    md = (out / "report.md").read_text(encoding="utf-8")
    for png in (out / "charts").glob("*.png"):
        assert f"(charts/{png.name})" in md


def test_user_text_is_escaped_in_html_and_md(nb_out):
    out = nb_out[0]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert HOSTILE_ORG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "<b>" not in md


def test_status_table_first_with_badge_and_word(nb_out):
    html = (nb_out[0] / "report.html").read_text(encoding="utf-8")
    first_table = html.index("<table")
    assert html.index('id="status"') < first_table < html.index('id="goals"')
    assert '<span class="badge badge-on_track">I rute</span>' in html
    assert '<span class="badge badge-off_track">Ikke i rute</span>' in html


def test_method_notes_and_baseline_adjustment(en_out):
    md = (en_out / "report.md").read_text(encoding="utf-8")
    assert "Sentrum clinic taken over from Nabo HF" in md
    assert "| Greenhouse-gas emissions (scope 1 and 2) | 2,360\u00a0t CO2e | 2,480\u00a0t CO2e |" in md
    assert "GWP100 values for gases: AR5." in md
    # the fallback table: activity translated, years, factor year used, rule
    assert "| Fuel oil |  | 2025 | 2024 | nearest earlier year |" in md
    assert "Miljødirektoratet 2024" in md  # factor source
    assert "a" * 64 in md  # import hash
    assert "FV-KAL-01" in md  # meter with coverage < 100 %
    assert "| 707057500000000001 |" not in md.split("### Warnings")[0].split("## Data quality")[1]


def test_xlsx_user_text_never_formula(nb_out):
    wb = openpyxl.load_workbook(nb_out[0] / "report.xlsx")
    seen = set()
    for ws in wb.worksheets:
        assert len(ws.title) <= 31
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if c.value in HOSTILE:
                    seen.add(c.value)
    assert seen == set(HOSTILE)


def test_write_cell_forces_text():
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, v in enumerate(HOSTILE + ["\tx", "=1+1"], start=1):
        c = write_cell(ws, i, 1, v)
        assert c.data_type == "s" and c.value == v
    assert write_cell(ws, 10, 1, 3.5, "0.0").data_type == "n"
    assert write_cell(ws, 11, 1, float("nan")).value is None


def test_xlsx_sheets_frozen_filtered_and_dated(nb_out):
    wb = openpyxl.load_workbook(nb_out[0] / "report.xlsx")
    names = wb.sheetnames
    # issue 13 (11): the sheets of an nb report have Norwegian names
    for required in ("sammendrag", "utslipp_per_scope", "utslipp_per_kategori",
                     "utslipp_per_lokasjon", "energi", "matsvinn", "produkter", "faktorer",
                     "beregningslinjer", "datakvalitet", "importer"):
        assert required in names
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref
    ws = wb["utslipp_per_scope"]
    assert ws.cell(1, 4).value == "Utslipp (tCO2e)"
    assert ws.cell(2, 4).number_format == "#,##0.0"
    assert wb.properties.created.isoformat() == "2026-02-01T08:00:00"
    assert wb.properties.modified.isoformat() == "2026-02-01T08:00:00"
    assert wb["sammendrag"]["A1"].value == "Kode" and wb["sammendrag"]["A2"].value == "emissions"


def test_two_runs_identical_apart_from_generated_at(nb_out, tmp_path):
    # the second run starts from the first one's charts: every chart's content key
    # must come out the same, so nothing is drawn (that a drawing is the same bytes
    # every time is tests/report/test_chart_cache.py's)
    shutil.copytree(nb_out[0] / "charts", tmp_path / "charts")
    said: list[str] = []
    write_report(hostile_data("nb", generated_at="2030-12-31T23:59:00+00:00"), tmp_path,
                 progress=said.append)
    assert "charts: 0 to draw, 11 unchanged" in said, said
    a, b = nb_out[0], tmp_path
    ja = json.loads((a / "summary.json").read_text(encoding="utf-8"))
    jb = json.loads((b / "summary.json").read_text(encoding="utf-8"))
    assert ja.pop("generated_at") != jb.pop("generated_at")
    assert ja == jb
    assert (a / "report.md").read_bytes() == (b / "report.md").read_bytes()
    svgs = sorted(p.name for p in (a / "charts").glob("*.svg"))
    assert svgs == sorted(p.name for p in (b / "charts").glob("*.svg"))
    for name in svgs:
        assert (a / "charts" / name).read_bytes() == (b / "charts" / name).read_bytes(), name


def test_no_chart_and_plain_sentence_without_report_year_data(no_data_out):
    out = no_data_out
    assert not (out / "charts" / "trajectory_food_waste.png").exists()
    assert not (out / "charts" / "trajectory_food_waste.svg").exists()
    assert (out / "charts" / "trajectory_emissions.png").exists()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "Det finnes ingen data for matsvinn i 2025, derfor vises ingen figur." in md
    assert "| Matsvinn | – |" in md and "**Ingen data**" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'data-chart="trajectory_food_waste"' not in html
    assert "badge-no_data" in html


def test_english_report_is_english(en_out):
    md = (en_out / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Climate accounts 2025")
    assert "On track for the 2030 target" in md
    assert "Off track for the 2030 target" in md
    for word in ("Utslipp", "Målet", "Lokasjon", "Matsvinn"):
        assert word not in md
    wb = openpyxl.load_workbook(en_out / "report.xlsx")
    assert wb["emissions_by_scope"].cell(1, 4).value == "Emissions (tCO2e)"


def test_translation_table_complete(nb_out, en_out):
    # keys called literally in the source ...
    keys = set()
    for src in REPORT_SRC.glob("*.py"):
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""", src.read_text(encoding="utf-8")))
    # ... and keys built at run time (both reports above were rendered)
    keys |= i18n.used_keys()
    assert len(keys) > 80
    missing = sorted(k for k in keys if k not in TEXTS)
    assert not missing
    fmt = string.Formatter()
    for key, tr in TEXTS.items():
        assert set(tr) == {"nb", "en"}, key
        assert tr["nb"].strip() and tr["en"].strip(), key
        fields = [{f for _, f, _, _ in fmt.parse(tr[lang]) if f} for lang in ("nb", "en")]
        assert fields[0] == fields[1], key


def test_charts_png_are_real_images(nb_out):
    png = nb_out[0] / "charts" / "trajectory_emissions.png"
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(head[16:20], "big")
    assert width >= 1000  # 8 in at 150 dpi
    svg = (nb_out[0] / "charts" / "trajectory_emissions.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_nan_series_year_is_not_drawn_as_zero():
    d = make_sample_report_data("en")
    mask = (d.series["indicator"] == "energy") & (d.series["year"] == 2021)
    d.series.loc[mask, "value"] = math.nan
    assert indicator_has_data(d, "energy")
    d.summary["indicators"]["energy"]["status"] = "no_data"
    assert not indicator_has_data(d, "energy")


def test_dollar_in_site_name_is_not_mathtext():
    d = make_sample_report_data("en")
    d.site_names = {"kalnes": "Cost $5 and $ sign", "moss": "Cost $5 and $ sign"}
    spec = sites_spec(d)
    png, svg = draw(spec)
    assert png.startswith(b"\x89PNG") and b"<svg" in svg


def test_empty_tables_still_render(tmp_path, sample_charts):
    import pandas as pd
    sample_charts("en", tmp_path)
    d = make_sample_report_data("en")
    for name in ("emissions_by_scope", "emissions_by_category", "emissions_by_site",
                 "energy_by_carrier", "site_table", "food_waste", "products_not_free",
                 "calculation_lines", "factors_used", "data_quality", "imports"):
        setattr(d, name, pd.DataFrame())
    d.warnings, d.baseline_adjustments, d.method_notes = [], [], {}
    files = write_report(d, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "No warnings." in md and "The baseline has not been adjusted." in md
    assert not (tmp_path / "charts" / "sites.png").exists()
    assert (tmp_path / "report.xlsx") in files


def test_xlsx_same_data_gives_the_same_bytes(tmp_path, monkeypatch):
    import time

    from klimaregnskap.report.xlsx import write_xlsx

    data = make_sample_report_data("en")
    a = write_xlsx(data, tmp_path / "a.xlsx").read_bytes()
    # a different clock must not show in the file (zip member times included)
    real = time.localtime
    monkeypatch.setattr(time, "localtime", lambda *s: real(time.time() + 86_400 * 400))
    b = write_xlsx(data, tmp_path / "b.xlsx").read_bytes()
    assert a == b


# ------------------------------------------------ issue 13: the report as a leader reads it

def test_required_change_of_a_reached_target_reads_reached():
    """Issue 13 (12): a target already reached shows "nådd", not a positive rate."""
    for lang, word in (("nb", "nådd"), ("en", "reached")):
        d = make_sample_report_data(lang)
        ind = d.summary["indicators"]["food_waste"]
        ind["status"], ind["required_annual_change_pct"] = "achieved", 3.5
        assert status_row(d, "food_waste")["required"] == word


@pytest.mark.parametrize("first,report,last,expected", [
    (2019, 2025, 2030, list(range(2019, 2031))),
    # the climate-neutral trajectory: the report year is labelled (it skipped 2019, 2024, 2029)
    (2019, 2025, 2045, [2019, 2025, 2030, 2035, 2040, 2045]),
    (2019, 2024, 2045, [2019, 2024, 2029, 2034, 2039, 2045]),
    (2019, 2025, 2035, [2019, 2021, 2023, 2025, 2027, 2029, 2031, 2033, 2035]),
])
def test_trajectory_ticks_label_baseline_report_year_and_target(first, report, last, expected):
    assert year_breaks(first, report, last) == expected


def test_trend_ends_where_it_reaches_zero():
    """Issue 13 (12): no kink where the climate-neutral trend is held at zero."""
    d = make_sample_report_data("nb")
    prj = d.projections[d.projections["indicator"] == "emissions"]
    years = sorted(prj["year"])
    values = [max(0.0, 100.0 - 40.0 * (y - years[0])) for y in years]
    d.projections.loc[prj.sort_values("year").index, "projected_value"] = values
    spec = trajectory_spec(d, "emissions")
    trend = spec.frames["lines"]
    trend = trend[trend["series"] == "Trend"]
    assert list(trend["value"])[-1] == 0.0 and (trend["value"] == 0).sum() == 1


def test_site_panels_have_no_value_axis_title():
    """Issue 13 (12): no "Verdi (enhet i panelets overskrift)"."""
    spec = sites_spec(make_sample_report_data("nb"))
    assert spec.params["y"] == ""
    assert "Verdi (enhet" not in str(spec.params)


def test_recovered_energy_is_a_segment_of_its_own():
    """Issue 13 (12): recovered heat shows as energy, not only as small labels."""
    d = make_sample_report_data("nb")
    spec = energy_by_carrier_spec(d)
    bars = spec.frames["bars"]
    if d.energy_by_carrier["recovered"].astype(bool).any():
        assert "Gjenvunnet energi (ikke levert)" in set(bars["carrier_label"].astype(str))
        assert spec.params["fills"]["Gjenvunnet energi (ikke levert)"] == "#FFFFFF"
    assert all(t.endswith("\ngjenvunnet") for t in spec.frames["annotations"]["text"])


@pytest.mark.parametrize("source,short", [
    ("NVE, Klimadeklarasjon for fysisk levert strøm 2020 (published 2021): 8 g CO2e/kWh, "
     "national average (https://www.nve.no/x/)", "NVE, Klimadeklarasjon for fysisk levert strøm 2020"),
    ("UK Government GHG Conversion Factors for Company Reporting 2024 (DESNZ), flat format "
     "(https://www.gov.uk/x); read in GitHub BalthazazarDuc/Database_flatfiles, UK_flatfiles",
     "UK Government GHG Conversion Factors for Company Reporting 2024"),
    ("Miljødirektoratet, 'Tabeller for omregning fra energivarer til kWh' (klima- og "
     "energiplanlegging), table 'Utslipp': 0 kg/kWh (source NIR 2015)",
     "Miljødirektoratet, 'Tabeller for omregning fra energivarer til kWh', 2015"),
    (None, ""),
])
def test_factor_sources_shortened_to_publisher_publication_and_year(source, short):
    """Issue 13 (12): the factor table cites no GitHub mirror; the full text is in the XLSX."""
    assert short_source(source) == short


def test_factor_and_import_tables_are_folded_and_status_keeps_its_columns_on_a_phone(nb_out):
    """Issue 13 (12): the factor table is collapsed; at 400 px the status column stays."""
    html = (nb_out[0] / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<details><summary>Vis de \d+ faktorene</summary>", html)
    assert re.search(r"<details><summary>Vis de \d+ filene</summary>", html)
    assert '<table class="status">' in html
    assert "table.status th:nth-child(3)" in html and "@media (max-width: 640px)" in html
    assert "github" not in html.split("<details><summary>Vis de", 1)[1].lower().split("</details>")[0]


def test_xlsx_in_english_keeps_english_sheet_names(en_out):
    wb = openpyxl.load_workbook(en_out / "report.xlsx")
    assert wb.sheetnames[:3] == ["summary", "emissions_by_scope", "emissions_by_category"]
    assert wb["summary"]["A1"].value == "Code"


def test_load_times_in_the_project_timezone(nb_out):
    """Issue 13 (10): "Lastet inn" is local time, and says which zone."""
    md = (nb_out[0] / "report.md").read_text(encoding="utf-8")
    assert "Lastet inn (Europe/Oslo)" in md
