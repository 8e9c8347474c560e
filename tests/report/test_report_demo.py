"""The report on the real demo trust: the whole pipeline, nb and en, run once per module."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from klimaregnskap.cli import app
from klimaregnskap.report import i18n
from klimaregnskap.report.i18n import TEXTS, has_id_label

REPO = Path(__file__).resolve().parents[2]
CHARTS = {"trajectory_emissions", "trajectory_climate_neutral", "trajectory_energy",
          "trajectory_energy_normalised", "trajectory_recovered_heat_share",
          "trajectory_recovered_power_share",
          "trajectory_food_waste", "trajectory_chemical_free_share", "emissions_by_scope",
          "emissions_by_category", "energy_by_carrier", "sites",
          # the sector's reporting categories per year, purchases included (issue 14)
          "emissions_by_sector_category",
          # measures (inputs/tiltak.csv): a wedge chart per indicator with measures, the cost curve
          "measures_emissions", "measures_climate_neutral", "measures_energy",
          "measures_energy_normalised", "measures_food_waste", "measures_chemical_free_share",
          "measures_cost_curve",
          # the emissions measures reach the footprint too (DESIGN §4); no trajectory
          # chart for it without a configured target (DESIGN §5)
          "measures_footprint"}


def _report(project: Path, out: Path, lang: str) -> None:
    res = CliRunner().invoke(app, ["report", "--year", "2025", "--project", str(project),
                                   "--lang", lang, "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output


@pytest.fixture(scope="module")
def demo(demo_copy, demo_report):
    """The loaded demo trust with its nb and en reports, and nb written again over nb's copy.

    The second nb run keeps the first one's charts (their content is the same)
    and writes everything else anew: the two must be identical but for
    ``generated_at``.
    """
    root = demo_copy
    for lang in ("nb", "en"):
        shutil.copytree(demo_report(lang), root / lang)
    shutil.copytree(root / "nb", root / "nb2")
    _report(root, root / "nb2", "nb")
    return root


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return unescape(html)


def test_every_file_and_chart_is_written(demo):
    for lang in ("nb", "en"):
        out = demo / lang
        for f in ("report.html", "report.md", "report.xlsx", "summary.json"):
            assert (out / f).stat().st_size > 0
        assert {p.stem for p in (out / "charts").glob("*.png")} == CHARTS
        assert {p.stem for p in (out / "charts").glob("*.svg")} == CHARTS


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_html_is_self_contained_and_holds_every_chart(demo, lang):
    out = demo / lang
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|ftp:)?//""", html, re.I)
    assert not re.search(r"<(link|script|iframe|object|embed)\b", html, re.I)
    assert "@import" not in html and not re.search(r"url\(", html, re.I)
    for svg in (out / "charts").glob("*.svg"):
        assert f'data-chart="{svg.stem}"' in html
        assert base64.b64encode(svg.read_bytes()).decode("ascii") in html


def test_status_table_comes_first_with_the_five_goals(demo):
    html = (demo / "nb" / "report.html").read_text(encoding="utf-8")
    first = html.index("<table")
    assert html.index('id="status"') < first < html.index('id="goals"')
    table = html[first:html.index("</table>", first)]
    for goal in ("Klimagassutslipp (scope 1 og 2)", "Klimanøytralitet", "Energibruk (levert energi)",
                 "Matsvinn", "Andel produkter fri for"):
        assert goal in table
    for head in ("Verdi 2025", "Basisår 2019", "Endring", "Mål", "Status", "Nødvendig årlig endring"):
        assert f">{head}<" in table


def test_first_screen_shows_electricity_gross_and_net_and_the_gjenvinningskraft_share(demo):
    """Issue 14: the demo (location-based) buys 7 300 MWh of gjenvinningskraft and 300 MWh
    of renewable certificates in 2025; the first screen, right after the status table,
    states electricity's location-based figure, the market-based net and the share."""
    s = json.loads((demo / "nb" / "summary.json").read_text(encoding="utf-8"))
    ec = s["electricity_certificates"]
    assert ec["gjenvinningskraft_kwh"] == pytest.approx(7_300_000)
    assert ec["renewable_kwh"] == pytest.approx(300_000) and ec["excess_kwh"] == 0
    # 7 600 MWh x 280 g = 2 128 t; x 403.8 g (market, NVE 2020, the fallback) = 3 068.88 t
    assert ec["deduction_tco2e"] == pytest.approx({"european_mix": 2128.0, "market": 3068.88})
    assert ec["electricity_net_tco2e"]["market"] == pytest.approx(
        ec["electricity_gross_tco2e"]["market"] - 3068.88)
    assert ec["electricity_net_tco2e"]["location"] == ec["electricity_gross_tco2e"]["location"]
    # no recovered-power meter in the demo: gjenvinningskraft / electricity
    share = s["indicators"]["recovered_power_share"]
    assert share["value"] == pytest.approx(
        7_300_000 / s["energy_by_carrier_kwh"]["electricity"] * 100)
    assert share["baseline"] == 0 and share["status"] == "on_track"
    for lang, words in (("nb", ["Strøm 2025:", "stedsbasert", "markedsbasert netto",
                                "gjenvinningskraft utgjør"]),
                        ("en", ["Electricity 2025:", "location-based", "market-based net",
                                "gjenvinningskraft is"])):
        html = (demo / lang / "report.html").read_text(encoding="utf-8")
        table_end = html.index("</table>", html.index("<table"))
        first_p = html[table_end:html.index("</p>", table_end)]
        text = _visible_text(first_p)
        for w in words:
            assert w in text, (lang, w, text)
        assert "%" in text
    # the XLSX lists what was bought, counted and in excess, per year, site and kind
    wb = openpyxl.load_workbook(demo / "nb" / "report.xlsx", read_only=True)
    rows = list(wb["opprinnelsesgarantier"].iter_rows(values_only=True))
    head = list(rows[0])
    assert head[:4] == ["År", "Lokasjons-id", "Lokasjon", "Sertifikat"]
    counted = head.index("Regnet med (kWh)")
    assert sum(r[counted] for r in rows[1:] if r[0] == 2025) == pytest.approx(7_600_000)
    assert sum(r[counted] for r in rows[1:] if r[0] == 2021) == pytest.approx(1_200_000)


def test_summary_json_has_every_design_key(demo):
    s = json.loads((demo / "nb" / "summary.json").read_text(encoding="utf-8"))
    for k in ("organisation", "year", "baseline_year", "indicators", "emissions_by_scope",
              "energy_by_carrier_kwh", "recovered_energy_kwh", "sites", "data_quality", "provenance",
              "changes"):
        assert k in s
    assert set(s["changes"]) == {"since", "added", "changed", "removed"}
    assert s["year"] == 2025 and s["baseline_year"] == 2019 and s["organisation"] == "Demo HF"
    fields = {"unit", "value", "baseline", "change_pct", "target_year", "target_value",
              "path_value", "status", "projected_target_year_value", "required_annual_change_pct"}
    for name in ("emissions", "climate_neutral", "energy", "energy_normalised", "food_waste",
                 "chemical_free_share"):
        assert fields <= set(s["indicators"][name]), name
    assert {"unit", "value", "baseline"} <= set(s["indicators"]["recovered_heat_share"])
    assert {"change_points", "spend_weighted_value", "spend_weighted_baseline"} <= set(
        s["indicators"]["chemical_free_share"])
    assert s["indicators"]["climate_neutral"]["required_annual_change_pct"] is None
    assert set(s["emissions_by_scope"]) == {"location", "market", "european_mix"}
    for by_scope in s["emissions_by_scope"].values():
        assert set(by_scope) == {"1", "2", "3"}
    assert {"electricity", "district_heating"} <= set(s["energy_by_carrier_kwh"])
    assert set(s["recovered_energy_kwh"]) == {"recovered_heat", "recovered_power"}
    site_keys = {"energy_kwh", "emissions_tco2e", "area_m2", "energy_kwh_per_m2", "patient_days",
                 "food_waste_kg", "recovered_energy_kwh"}
    assert set(s["sites"]) == {"sentral", "nordby", "fjordklinikk"}
    for entry in s["sites"].values():
        assert site_keys <= set(entry)
    assert sum(e["energy_kwh"] for e in s["sites"].values()) == pytest.approx(
        s["indicators"]["energy"]["value"])
    m = s["data_quality"]["meters"][0]
    assert {"meter_id", "year", "coverage_pct", "estimated_pct", "longest_gap_hours"} <= set(m)
    assert all({"code", "message"} <= set(w) for w in s["data_quality"]["warnings"])
    assert re.fullmatch(r"[0-9a-f]{64}", s["provenance"]["factor_library_sha256"])
    files = {i["file"] for i in s["provenance"]["inputs"]}
    assert len(files) == len(list((demo / "inputs").iterdir()))
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) and i["rows"] > 0
               for i in s["provenance"]["inputs"])


def _without_changes_section(md: str) -> str:
    """The report without "Changes since the previous report": it tells the runs apart."""
    return re.sub(r"^## (Endringer siden forrige rapport|Changes since the previous report)\n"
                  r".*?(?=^## )", "", md, flags=re.S | re.M)


def test_two_runs_identical_apart_from_generated_at(demo):
    """The same inputs give the same accounts; only the run's own time and the previous
    report it compares with (``changes.since`` and that section) may differ."""
    a, b = demo / "nb", demo / "nb2"
    ja = json.loads((a / "summary.json").read_text(encoding="utf-8"))
    jb = json.loads((b / "summary.json").read_text(encoding="utf-8"))
    for j in (ja, jb):
        j.pop("generated_at")
        j["changes"].pop("since")
    assert ja == jb
    md_a, md_b = ((p / "report.md").read_text(encoding="utf-8") for p in (a, b))
    assert "## Endringer siden forrige rapport" in md_a
    assert _without_changes_section(md_a) == _without_changes_section(md_b)
    files = sorted(p.name for p in (a / "charts").iterdir())
    assert files == sorted(p.name for p in (b / "charts").iterdir())
    assert len(files) == 2 * len(CHARTS) + 1  # PNG and SVG each, and the manifest
    for name in files:
        assert (a / "charts" / name).read_bytes() == (b / "charts" / name).read_bytes(), name


def test_rerun_keeps_every_chart(demo):
    out = demo / "nb2"
    charts = sorted((out / "charts").glob("*.[ps][nv]g"))
    before = [p.read_bytes() for p in charts]
    for p in charts:
        os.utime(p, ns=(0, 0))  # a chart drawn again would be written again
    _report(demo, out, "nb")
    assert sorted((out / "charts").glob("*.[ps][nv]g")) == charts
    assert all(p.stat().st_mtime_ns == 0 for p in charts)
    assert [p.read_bytes() for p in charts] == before


def test_no_untranslated_label(demo):
    # every key the renderer asked for exists in both languages ...
    used = i18n.used_keys()
    assert len(used) > 100
    assert not sorted(k for k in used if k not in TEXTS)
    assert all(set(TEXTS[k]) == {"nb", "en"} for k in used)
    # ... and every id of the demo (activities, carriers, categories) has words
    wb = openpyxl.load_workbook(demo / "en" / "report.xlsx", read_only=True)
    ids = set()
    for row in wb["factors"].iter_rows(min_row=2, values_only=True):
        ids.add(row[0])
    for row in wb["calculation_lines"].iter_rows(min_row=2, values_only=True):
        ids.add(row[4])
    s = json.loads((demo / "en" / "summary.json").read_text(encoding="utf-8"))
    ids |= set(s["energy_by_carrier_kwh"]) | set(s["recovered_energy_kwh"])
    untranslated = sorted(i for i in ids if i and not has_id_label(i))
    assert not untranslated
    # no raw id is what a reader sees in the HTML
    for lang in ("nb", "en"):
        text = _visible_text((demo / lang / "report.html").read_text(encoding="utf-8"))
        for raw in ("stationary_combustion", "anaesthetic_gases", "european_mix", "fuel_oil",
                    "district_heating", "refrigerant:", "waste:", "vehicle:", "anaesthetic:",
                    "nitrous_oxide", "flight_domestic", "incomplete_coverage", "meter_readings",
                    "temperature_days_missing", "recovered_heat"):
            assert raw not in text, (lang, raw)


def test_english_report_has_no_norwegian_labels(demo):
    html = (demo / "en" / "report.html").read_text(encoding="utf-8")
    # the factor sources quote Norwegian publications by their titles
    text = _visible_text(html[:html.index('id="factors"')] + html[html.index('id="imports"'):])
    for word in ("Utslipp", "Målet", "Lokasjon", "Energibærer", "hovedmåler", "Varsler", "nærmeste"):
        assert not re.search(rf"\b{word}\b", text), word
    assert "Status of the goals" in text and "Sub-meters" in text


def test_report_content_for_leaders_and_auditors(demo):
    md = (demo / "en" / "report.md").read_text(encoding="utf-8")
    s = json.loads((demo / "en" / "summary.json").read_text(encoding="utf-8"))
    # per-site tables and the sub-meter with its share of the site
    assert "### Energy by site" in md and "### Emissions, operations and food waste by site" in md
    assert "kWh/m²" in md and "Emissions per patient day" in md
    sub = s["sites"]["sentral"]["sub_meters_kwh"]
    assert list(sub) == ["SEN-EL-DS01"]
    assert f"| SEN-EL-DS01 | Electricity | {sub['SEN-EL-DS01'] / 1000:,.0f} |" in md
    # emissions by scope for every electricity method
    for m in ("location-based (used for the target)", "market-based", "European mix"):
        assert f"| {m} |" in md
    # method notes, fallbacks, factors with sources, imports with hashes
    assert "GWP100 values for gases: AR5." in md
    assert "Scope 1: fuels burned on site" in md
    assert "### Factors from other years" in md
    assert "| Electricity | location-based | 2024–2025 | 2023 | nearest earlier year |" in md
    assert "NVE, Klimadeklarasjon" in md
    for i in s["provenance"]["inputs"]:
        assert i["sha256"] in md
    # data quality: the meter-year with a 36-hour gap and its warning
    assert "| 707057500023456786 | Nordby sykehus | Electricity | main | 2021 | 99.59 |" in md
    assert "meter 707057500023456786 (Nordby sykehus) 2021: coverage 99.59 %, longest gap 36 h" in md


def test_calculation_lines_trace_every_figure(demo):
    wb = openpyxl.load_workbook(demo / "en" / "report.xlsx", read_only=True)
    rows = list(wb["calculation_lines"].iter_rows(values_only=True))
    head, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(head)}
    source, item, file_, row = (col["Data source"], col["Activity or meter"], col["File"], col["Row"])
    activity = [r for r in body if r[source] == "Activity"]
    meter = [r for r in body if r[source] == "Meter"]
    spend = [r for r in body if r[source] == "Purchases"]
    assert activity and meter and spend and len(activity) + len(meter) + len(spend) == len(body)
    # a spend line nets a spend category's rows of a year: it names its file(s), no row
    assert all(r[file_].startswith("inputs/") and r[row] is None for r in spend)
    # an activity line names its file and spreadsheet row (header is row 1)
    assert all(r[file_].startswith("inputs/") and isinstance(r[row], int) and r[row] >= 2
               for r in activity)
    # a meter line names the meter, the year and the metered quantity
    s = json.loads((demo / "en" / "summary.json").read_text(encoding="utf-8"))
    meters = {m["meter_id"] for m in s["data_quality"]["meters"]}
    assert all(r[item] and r[col["Year"]] and r[col["Quantity"]] is not None for r in meter)
    assert {r[item] for r in meter if r[col["Code"]] == "electricity"} <= meters
    assert all(r[row] is None for r in meter)  # no "<NA>" text


def test_calculation_lines_add_up_to_the_emissions(demo):
    wb = openpyxl.load_workbook(demo / "en" / "report.xlsx", read_only=True)
    rows = list(wb["calculation_lines"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    em, yr, st = col["Emissions (tCO2e)"], col["Year"], col["Site id"]
    target = col["Counts towards target"]
    per_site, per_scope = {}, {}
    for r in rows[1:]:
        if r[target] == "yes":
            per_site[(r[yr], r[st])] = per_site.get((r[yr], r[st]), 0.0) + r[em]
        per_scope[(r[yr], r[col["Scope"]])] = per_scope.get((r[yr], r[col["Scope"]]), 0.0) + r[em]
    sheet = list(wb["emissions_by_site"].iter_rows(min_row=2, values_only=True))
    assert len(sheet) == len(per_site)
    for y, site, _name, value in sheet:
        assert per_site[(y, site)] == pytest.approx(value, rel=1e-9, abs=1e-9)
    s = json.loads((demo / "en" / "summary.json").read_text(encoding="utf-8"))
    for site, entry in s["sites"].items():
        assert per_site.get((2025, site), 0.0) == pytest.approx(entry["emissions_tco2e"], rel=1e-9)
    assert sum(v for (y, _), v in per_site.items() if y == 2025) == pytest.approx(
        s["indicators"]["emissions"]["value"], rel=1e-9)
    for scope, value in s["emissions_by_scope"]["location"].items():
        assert per_scope.get((2025, int(scope)), 0.0) == pytest.approx(value, rel=1e-9, abs=1e-9)


def test_xlsx_user_text_stays_text(demo):
    wb = openpyxl.load_workbook(demo / "nb" / "report.xlsx")
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate)
    names = {r[2] for r in wb["utslipp_per_lokasjon"].iter_rows(min_row=2, values_only=True)}
    assert names == {"Sentralsykehuset i Elvestad", "Nordby sykehus", "Fjordklinikken Sørvik"}


def test_norwegian_report_shows_no_warning_code_and_no_english_sentence(demo):
    """Every warning of summary.json appears in the nb report in Norwegian words only."""
    s = json.loads((demo / "nb" / "summary.json").read_text(encoding="utf-8"))
    warnings = s["data_quality"]["warnings"]
    assert warnings
    md = (demo / "nb" / "report.md").read_text(encoding="utf-8")
    html = _visible_text((demo / "nb" / "report.html").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(demo / "nb" / "report.xlsx", read_only=True)
    sheet = " ".join(str(v) for row in wb["advarsler"].iter_rows(values_only=True) for v in row)
    for text in (md, html, sheet):
        for w in warnings:
            assert w["code"] not in text, w["code"]
            assert w["message"] not in text, w["message"]
    assert "Ufullstendig dekning" in sheet and "Faktor fra annet år" in sheet


def _folded_spans(html: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"<details>.*?</details>", html, re.S)]


def _is_folded(html: str, needle: str) -> bool:
    at = html.index(needle)
    return any(a < at < b for a, b in _folded_spans(html))


def test_the_page_reads_first_and_folds_what_is_looked_up(demo):
    """Issue 13: the page was 25,800 px tall (1280 px wide). What is read stays open: the
    status table, every goal's trajectory, the first indicator's measures and the cost curve.
    What is looked up is folded: the other indicators' measure charts and tables (the same
    measures against another figure), the factors from other years, the factor table and
    the imported files. ``benchmarks/page_height.py`` measures the height in a browser."""
    for lang in ("nb", "en"):
        html = (demo / lang / "report.html").read_text(encoding="utf-8")
        assert not _is_folded(html, 'class="status"')
        for name in CHARTS:
            folded = _is_folded(html, f'data-chart="{name}"')
            expected = name.startswith("measures_") and name not in ("measures_emissions",
                                                                     "measures_cost_curve")
            assert folded == expected, (lang, name)
        for anchor in ("fallbacks", "factors", "imports"):
            section = html.index(f'id="{anchor}"')
            table = html.index("<table", section)
            assert _is_folded(html[section:], "<table") or table > html.index("<h", section + 1)
        # a phone or a print still gets every figure: the folds are in the page, and the
        # Markdown report has the same blocks in the flow
        md = (demo / lang / "report.md").read_text(encoding="utf-8")
        assert all(f"charts/{name}.png" in md for name in CHARTS)
    html = (demo / "nb" / "report.html").read_text(encoding="utf-8")
    assert "<summary>Vis diagram og tabell over de " in html
    assert "<summary>Vis de " in html and " faktorene fra andre år</summary>" in html
