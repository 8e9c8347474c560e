"""A region (DESIGN §6a): its members' accounts on the region's basis, added up.

The member trust is the small hand-worked project of tests/test_pipeline_goals.py
(report year 2021; own factors electricity 100 g/kWh location, 400 g/kWh market):

    delivered energy 2019 400 000, 2021 330 000 kWh (electricity activity rows)
    emissions (location)  2019 40 t, 2021 33 t;  (market) 2019 160 t, 2021 132 t
    recovered heat 2019 20 000, 2021 60 000 kWh: share 2021 = 60 000 / 390 000
    food waste 2019 1 200, 2021 650 kg
    products free 2021: P1, P4, P5 of 4 (75 %)

A region of two copies of it (members ``one`` and ``two``) therefore has
exactly twice every quantity (energy 2021 = 660 000 kWh, emissions 66 t
location or 264 t market, food waste 1 300 kg), the same shares (recovered
120 000 / 780 000 = 15.38 %, products 6 / 8 = 75 %) and the same statuses.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import textwrap
from pathlib import Path

import pyarrow.dataset as ds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest
from typer.testing import CliRunner

from klimaregnskap import importing, ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.cli import app
from klimaregnskap.config import load_config
from klimaregnskap.errors import ConfigError, KlimaError
from klimaregnskap.pipeline import build_accounts
from klimaregnskap.region import load_region, region_accounts
from klimaregnskap.summary import build_summary

from test_pipeline_goals import make_project

REGION = """
[region]
name = "Test RHF"
baseline_year = 2019
electricity_method = "{method}"
gwp = "AR5"
language = "en"

[[members]]
id = "one"
name = "One HF"
project = "one"

[[members]]
id = "two"
name = "Two HF"
project = "two"
"""


def _sync(project: Path) -> None:
    """Bring a member's ledger to its inputs/ (what 'klimaregnskap check' does)."""
    cfg = load_config(project)
    con = ledger.connect(project)
    try:
        outcome = importing.sync_inputs(con, cfg, fl.load_library(project))
        assert not outcome.errors, outcome.errors
    finally:
        con.close()


def _region(root: Path, method: str = "location") -> Path:
    (root / "region.toml").write_text(textwrap.dedent(REGION.format(method=method)),
                                      encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> Path:
    """Two copies of one trust, each with its ledger; never written by the tests that use it."""
    root = tmp_path_factory.mktemp("region_members")
    make_project(root / "one")
    _sync(root / "one")
    shutil.copytree(root / "one", root / "two")
    return root


@pytest.fixture
def region(members, tmp_path) -> Path:
    """A region folder of its own around the two members (copied: a test may change them)."""
    root = tmp_path / "r"
    shutil.copytree(members, root)
    return _region(root)


def _trust_summary(project: Path, year: int = 2021, method: str | None = None) -> dict:
    import dataclasses

    cfg = load_config(project)
    if method:
        cfg = dataclasses.replace(cfg, accounting=dataclasses.replace(
            cfg.accounting, electricity_method=method))
    con = ledger.connect(project, read_only=True)
    try:
        return build_summary(build_accounts(con, cfg, fl.load_library(project), year))
    finally:
        con.close()


def test_two_copies_are_twice_the_trust(region):
    acc, per_member = region_accounts(load_region(region), 2021)
    reg = build_summary(acc)
    one = _trust_summary(region / "one")
    ri, ti = reg["indicators"], one["indicators"]
    # by hand: 2 x 330 000 kWh; 2 x 33 t (330 000 kWh x 100 g/kWh); 2 x 650 kg
    assert ri["energy"]["value"] == pytest.approx(660_000.0, rel=1e-12)
    assert ri["energy"]["baseline"] == pytest.approx(800_000.0, rel=1e-12)
    assert ri["emissions"]["value"] == pytest.approx(66.0, rel=1e-12)
    assert ri["food_waste"]["value"] == pytest.approx(1_300.0, rel=1e-12)
    for name in ("emissions", "climate_neutral", "energy", "energy_normalised", "food_waste"):
        for f in ("value", "baseline", "target_value", "path_value",
                  "projected_target_year_value"):
            assert ri[name].get(f) == pytest.approx(2 * ti[name][f] if ti[name].get(f) is not None
                                                    else None, rel=1e-12), (name, f)
    # shares from summed parts: 120 000 / (660 000 + 120 000); 6 free of 8 products
    assert ri["recovered_heat_share"]["value"] == pytest.approx(120_000 / 780_000 * 100)
    assert ri["chemical_free_share"]["value"] == pytest.approx(75.0)
    for name in ri:
        assert ri[name]["status"] == ti[name]["status"], name
        assert ri[name]["complete"] == ti[name]["complete"], name
        for f in ("change_pct", "change_points", "required_annual_change_pct"):
            if ti[name].get(f) is not None:
                assert ri[name][f] == pytest.approx(ti[name][f], rel=1e-9), (name, f)
    # exactly twice, not only to rounding: the region adds the members' own figures
    for name in ("emissions", "energy", "food_waste"):
        assert ri[name]["value"] == 2 * ti[name]["value"], name
    for name in ("recovered_heat_share", "chemical_free_share"):
        assert ri[name]["value"] == ti[name]["value"], name
    assert reg["energy_by_carrier_kwh"] == {c: 2 * v for c, v in one["energy_by_carrier_kwh"].items()}
    assert reg["recovered_energy_kwh"] == {c: 2 * v for c, v in one["recovered_energy_kwh"].items()}
    assert reg["emissions_by_scope"] == {m: {k: 2 * v for k, v in sc.items()}
                                         for m, sc in one["emissions_by_scope"].items()}
    for method, scopes in one["emissions_by_scope"].items():
        for scope, t in scopes.items():
            assert reg["emissions_by_scope"][method][scope] == pytest.approx(2 * t, rel=1e-12)
    for carrier, kwh in one["energy_by_carrier_kwh"].items():
        assert reg["energy_by_carrier_kwh"][carrier] == pytest.approx(2 * kwh, rel=1e-12)
    # members: each the trust's own figures; the sites of the region are its members
    assert list(reg["members"]) == ["one", "two"]
    for mid in ("one", "two"):
        m = reg["members"][mid]["indicators"]["emissions"]
        assert m == {f: ti["emissions"][f] for f in ("value", "baseline", "change_pct", "status",
                                                     "complete")}
    assert set(reg["sites"]) == {"one", "two"}
    assert reg["sites"]["one"]["energy_kwh"] == pytest.approx(330_000.0)
    assert len(per_member) == 2


def test_incomplete_member_is_named(region):
    """R1 (one reading a year) makes each member's recovered share incomplete: the
    region's is too, naming both members."""
    acc, _ = region_accounts(load_region(region), 2021)
    r = build_summary(acc)["indicators"]["recovered_heat_share"]
    assert r["status"] == "incomplete" and r["complete"] is False
    assert {x["code"] for x in r["incomplete_reasons"]} == {"member_incomplete"}
    text = " ".join(x["message"] for x in r["incomplete_reasons"])
    assert "One HF (one)" in text and "Two HF (two)" in text


def test_region_basis_replaces_the_members_method(region):
    """The members say location; the region says market: 2 x 330 000 kWh x 400 g = 264 t."""
    _region(region, method="market")
    reg = build_summary(region_accounts(load_region(region), 2021)[0])
    assert reg["indicators"]["emissions"]["value"] == pytest.approx(264.0, rel=1e-12)
    assert reg["indicators"]["emissions"]["baseline"] == pytest.approx(320.0, rel=1e-12)
    assert reg["members"]["one"]["indicators"]["emissions"]["value"] == pytest.approx(132.0)
    assert reg["settings"]["electricity_method"] == "market"


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes())
                                         .hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_region_commands_never_write_a_member(region, tmp_path, undrawn_charts):
    before = {m: _snapshot(region / m) for m in ("one", "two")}
    runner = CliRunner()
    res = runner.invoke(app, ["region", "status", "--year", "2021", "--project", str(region)],
                        catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "Test RHF" in res.output and "One HF" in res.output
    res = runner.invoke(app, ["region", "report", "--year", "2021", "--project", str(region),
                              "--out", str(tmp_path / "out")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "--year", "2021", "--project", str(region),
                              "--out", str(tmp_path / "export")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    after = {m: _snapshot(region / m) for m in ("one", "two")}
    assert after == before  # same files, same bytes, same mtimes
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["organisation"] == "Test RHF"
    assert summary["members"]["two"]["indicators"]["food_waste"]["value"] == pytest.approx(650.0)
    for f in ("report.html", "report.md", "report.xlsx"):
        assert (tmp_path / "out" / f).is_file()


def test_stale_member_is_an_error(region):
    food = region / "two" / "inputs" / "food.csv"
    food.write_text(food.read_text(encoding="utf-8") + "16.01.2021;a;plate;10;kg\n",
                    encoding="utf-8")
    with pytest.raises(KlimaError) as e:
        region_accounts(load_region(region), 2021)
    text = str(e.value)
    assert "member 'two' (Two HF" in text
    assert "changed: inputs/food.csv" in text
    assert "run 'klimaregnskap check' in" in text and str(region / "two") in text
    res = CliRunner().invoke(app, ["region", "status", "--project", str(region), "--year",
                                   "2021"], catch_exceptions=False)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "klimaregnskap check" in res.output


def test_member_without_ledger_is_an_error(region):
    (region / "two" / ledger.LEDGER_NAME).unlink()
    with pytest.raises(KlimaError, match="member 'two' .* has no ledger yet; run "
                                         "'klimaregnskap check'"):
        region_accounts(load_region(region), 2021)
    assert not (region / "two" / ledger.LEDGER_NAME).exists()


def test_baseline_mismatch_is_an_error(region):
    cfg = region / "two" / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("baseline_year = 2019",
                                                           "baseline_year = 2020"),
                   encoding="utf-8")
    with pytest.raises(KlimaError) as e:
        region_accounts(load_region(region), 2021)
    assert "member 'two' (Two HF) has baseline year 2020" in str(e.value)
    assert "the region has 2019" in str(e.value)


def test_missing_year_is_an_error(region):
    with pytest.raises(KlimaError) as e:
        region_accounts(load_region(region), 2022)
    assert "member 'one' (One HF) has no data for 2022" in str(e.value)


@pytest.mark.parametrize("text, key", [
    ('[region]\nname = "R"\nelectricity_metod = "market"\n', "region.electricity_metod"),
    ('[region]\nname = "R"\n[[members]]\nid = "x"\nproject = "nowhere"\n', "members[1].project"),
    ('[region]\nname = "R"\n[[members]]\nid = "a/b"\nproject = "."\n', "members[1].id"),
])
def test_region_toml_errors_name_the_key(tmp_path, text, key):
    (tmp_path / "klimaregnskap.toml").write_text('[organisation]\nname = "X"\n', encoding="utf-8")
    (tmp_path / "region.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_region(tmp_path)
    assert e.value.column == key


def test_export_partitions_by_year_and_member(region, tmp_path):
    out = tmp_path / "export"
    res = CliRunner().invoke(app, ["region", "export", "--project", str(region), "--year", "2021",
                                   "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert sorted(os.listdir(out / "energy" / "year=2021")) == ["member=one", "member=two"]
    part = ds.partitioning(flavor="hive")
    energy = ds.dataset(out / "energy", format="parquet", partitioning=part).to_table().to_pandas()
    main = energy[(energy["role"] == "main")
                  & ~energy["carrier"].isin(["recovered_heat", "recovered_power"])]
    # each member's delivered energy is its own 330 000 kWh; together the region's 660 000
    assert main.groupby("member")["kwh"].sum().to_dict() == pytest.approx(
        {"one": 330_000.0, "two": 330_000.0})
    ind = ds.dataset(out / "region_indicators", format="parquet",
                     partitioning=part).to_table().to_pandas()
    row = ind[ind["indicator"] == "energy"].iloc[0]
    assert int(row["year"]) == 2021 and row["value"] == pytest.approx(660_000.0)
    lines = ds.dataset(out / "emission_lines", format="parquet",
                       partitioning=part).to_table().to_pandas()
    loc = lines[lines["method"].isin(["", "location"]) & (lines["scope"].isin([1, 2]))]
    # location: 2 x 33 t = 66 000 kgCO2e
    assert loc["emissions_kgco2e"].sum() == pytest.approx(66_000.0)


def test_contribution_chart_adds_up(region):
    """Each member's change 2019-2021 of energy is 330 000 - 400 000 = -70 000 kWh (toward
    the target); the region's bar is their sum, -140 000 kWh, and the dashed line the
    region's path change (path 2021 - baseline 800 000)."""
    from klimaregnskap.report.charts import contribution_spec
    from klimaregnskap.summary import report_data

    acc, _ = region_accounts(load_region(region), 2021)
    data = report_data(acc, language="en")
    spec = contribution_spec(data, "energy")
    bars = spec.frames["bars"]
    assert spec.name == "contribution_energy"
    # shown in MWh (the report's unit for energy): -70 and -140
    assert bars["value"].tolist() == pytest.approx([-70.0, -70.0, -140.0])
    assert bars["direction"].tolist() == ["toward the target"] * 2 + ["the region"]
    ind = data.summary["indicators"]["energy"]
    assert spec.params["reference"] == pytest.approx((ind["path_value"] - 800_000.0) / 1000.0)
    assert contribution_spec(report_data(_trust_accounts(region / "one"), language="en"),
                             "energy") is None  # a trust has no members


def _trust_accounts(project: Path, year: int = 2021):
    con = ledger.connect(project, read_only=True)
    try:
        return build_accounts(con, load_config(project), fl.load_library(project), year)
    finally:
        con.close()


def test_trust_commands_in_a_region_folder_point_to_region(region):
    res = CliRunner().invoke(app, ["report", "--year", "2021", "--project", str(region)],
                             catch_exceptions=False)
    assert res.exit_code == 1
    assert "this is a region folder; use 'klimaregnskap region report --year YYYY'" in res.output
    res = CliRunner().invoke(app, ["region", "-h"], catch_exceptions=False)
    assert res.exit_code == 0 and "report" in res.output and "status" in res.output


@pytest.fixture(scope="module")
def one_trust(members):
    """The member's accounts of 2021 on its own basis (location), built once."""
    return _trust_accounts(members / "one")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(k=st.integers(min_value=1, max_value=5))
def test_k_copies_are_k_times(one_trust, k):
    """Invariant: a region of k copies of a trust has k times its quantities and
    exactly its shares and statuses (DESIGN §6a)."""
    import dataclasses

    from klimaregnskap.config import Site
    from klimaregnskap.pipeline import combine_members

    cfg = one_trust.config
    # each member's area: its sites' areas added up, per year (site b grows in 2021)
    area = {y: sum(s.area_for(y) for s in cfg.sites) for y in (2019, 2020, 2021)}
    sites = tuple(Site(f"m{i}", f"M{i}", area) for i in range(k))
    region_cfg = dataclasses.replace(cfg, sites=sites, baseline_adjustments=())
    acc = combine_members([(f"m{i}", f"M{i}", one_trust) for i in range(k)], region_cfg,
                          one_trust.lib, 2021)
    for name, f in one_trust.indicators.items():
        r = acc.indicators[name]
        assert r["status"] == f["status"], name
        if f.get("value") is None:
            continue
        if name in ("recovered_heat_share", "chemical_free_share"):
            assert r["value"] == pytest.approx(f["value"], rel=1e-12), name
        else:
            assert r["value"] == pytest.approx(k * f["value"], rel=1e-12), name
    # intensities: k times the energy over k times the area
    assert acc.indicators["energy"]["kwh_per_m2"] == pytest.approx(
        one_trust.indicators["energy"]["kwh_per_m2"], rel=1e-12)


def test_member_baseline_adjustment_applies_once(region):
    """Two HF restates 2019-2020 by +10 t (a clinic taken over in 2021): its baseline is
    40 + 10 = 50 t, the region's 40 + 50 = 90 t (location); listed once, named."""
    cfg = region / "two" / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + textwrap.dedent("""
        [[baseline_adjustments]]
        indicator = "emissions"
        amount = "10 tCO2e"
        year = 2021
        reason = "Clinic taken over"
        """), encoding="utf-8")
    reg = build_summary(region_accounts(load_region(region), 2021)[0])
    assert reg["indicators"]["emissions"]["baseline"] == pytest.approx(90.0, rel=1e-12)
    assert reg["members"]["two"]["indicators"]["emissions"]["baseline"] == pytest.approx(50.0)
    assert [a["reason"] for a in reg["baseline_adjustments"]] == [
        "Two HF (two): Clinic taken over"]
