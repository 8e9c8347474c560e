"""``klimaregnskap export`` (DESIGN §5): the demo's tidy tables read back add up to summary.json.

The demo is exported once (Parquet, every year) and read back with
``pyarrow.dataset`` (Hive partitioning). For every year 2019-2025 its totals
are compared with ``summary.json`` of that year, built from the accounts of
that year (not from the 2025 accounts the export comes from): scope totals
per electricity method, delivered energy per carrier, recovered energy,
sub-meters, each indicator's value, path value and status, and the meters'
data quality.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pytest

from klimaregnskap import ledger
from klimaregnskap.calc import factors as fl
from klimaregnskap.calc.metering import RECOVERED_CARRIERS
from klimaregnskap.config import load_config
from klimaregnskap.export import SCHEMAS, TABLES, partitioning
from klimaregnskap.pipeline import build_accounts
from klimaregnskap.summary import build_summary

YEARS = list(range(2019, 2026))


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-6)


@pytest.fixture(scope="module")
def summaries(demo_copy):
    """summary.json of every year 2019-2025, each from the accounts of its own year."""
    cfg, lib = load_config(demo_copy), fl.load_library(demo_copy)
    con = ledger.connect(demo_copy)
    try:
        return {y: build_summary(build_accounts(con, cfg, lib, y)) for y in YEARS}
    finally:
        con.close()


@pytest.fixture(scope="module")
def exported(demo_copy, summaries, tmp_path_factory):
    """The demo exported as Parquet, every year (the command's default)."""
    from typer.testing import CliRunner
    from klimaregnskap.cli import app

    out = tmp_path_factory.mktemp("export") / "export"
    res = CliRunner().invoke(app, ["export", "--project", str(demo_copy), "--out", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "2019-2025" in res.output
    return out


def read(out, table) -> pd.DataFrame:
    return ds.dataset(out / table, format="parquet", partitioning=partitioning()).to_table().to_pandas()


@pytest.fixture(scope="module")
def frames(exported):
    return {t: read(exported, t) for t in TABLES}


def test_every_year_is_a_hive_partition(exported):
    for t in TABLES:
        parts = sorted(p.name for p in (exported / t).iterdir())
        assert parts == [f"year={y}" for y in YEARS], t
        assert all(p.suffix == ".parquet" for p in (exported / t).rglob("*") if p.is_file())


def test_column_types_are_stable(exported):
    for t in TABLES:
        schema = ds.dataset(exported / t, format="parquet", partitioning=partitioning()).schema
        want = SCHEMAS[t]
        assert set(schema.names) == set(want.names), t
        for f in want:
            assert schema.field(f.name).type == f.type, (t, f.name)


def test_emission_lines_add_up_to_the_scopes_of_every_method(frames, summaries):
    el = frames["emission_lines"]
    for y in YEARS:
        s = summaries[y]["emissions_by_scope"]
        ly = el[el["year"] == y]
        for method, scopes in s.items():
            mine = ly[ly["method"].isin(["", method])]
            for scope, t in scopes.items():
                kg = mine.loc[mine["scope"] == int(scope), "emissions_kgco2e"].sum()
                assert kg / 1000 == approx(t), (y, method, scope)


def test_method_is_empty_except_on_method_dependent_lines(frames, summaries):
    el = frames["emission_lines"]
    methods = set(summaries[2025]["emissions_by_scope"])
    assert set(el["method"]) == methods | {""}
    per_method = el[el["method"] != ""]
    # electricity, and (issue 14) the demo's certificates, never under location
    assert set(per_method["activity"]) == {"electricity", "certificate:gjenvinningskraft",
                                           "certificate:renewable"}
    cert = per_method[per_method["activity"].str.startswith("certificate:")]
    assert "location" not in set(cert["method"]) and (cert["emissions_kgco2e"] < 0).all()
    # a meter line has no file; an activity line names its file and spreadsheet row; a
    # spend line nets a category's rows of a year, so it names its file(s) and no row
    rows = el[el["source_file"].str.len() > 0]
    assert rows["source_file"].str.startswith("inputs/").all()
    spend = rows["activity"].str.startswith("spend:")
    assert spend.any() and rows.loc[~spend, "source_row"].notna().all()
    assert rows.loc[spend, "source_row"].isna().all()


def test_categories_of_design_4_and_scope3_categories_on_scope_3_lines(frames):
    el = frames["emission_lines"]
    assert set(el["category"]) <= {"energy", "patient_transport", "staff_travel",
                                   "own_vehicles", "gases", "waste", "purchases"}
    s3 = el[el["scope"] == 3]
    assert s3["scope3_category"].notna().all() and not s3.empty
    assert el.loc[el["scope"] != 3, "scope3_category"].isna().all()


def test_energy_equals_delivered_recovered_and_sub_meters(frames, summaries):
    en = frames["energy"]
    for y in YEARS:
        s = summaries[y]
        ey = en[en["year"] == y]
        main = ey[ey["role"] == "main"]
        delivered = main[~main["carrier"].isin(RECOVERED_CARRIERS)]
        got = delivered.groupby("carrier")["kwh"].sum().to_dict()
        # summary.json has a key for every delivered carrier of the accounts, 0 where none
        assert set(got) <= set(s["energy_by_carrier_kwh"]), y
        for carrier, kwh in s["energy_by_carrier_kwh"].items():
            assert got.get(carrier, 0.0) == approx(kwh), (y, carrier)
        assert delivered["kwh"].sum() == approx(s["indicators"]["energy"]["value"])
        for carrier, kwh in s["recovered_energy_kwh"].items():
            assert main.loc[main["carrier"] == carrier, "kwh"].sum() == approx(kwh), (y, carrier)
        subs = {m: v for site in s["sites"].values() for m, v in site.get("sub_meters_kwh", {}).items()}
        got_subs = ey[ey["role"] == "sub"].set_index("source")["kwh"].to_dict()
        assert got_subs == pytest.approx(subs), y
    assert (en["role"] == "sub").any() and en["carrier"].isin(RECOVERED_CARRIERS).any()


def test_indicators_equal_summary_of_each_year(frames, summaries):
    ind = frames["indicators"]
    for y in YEARS:
        s = summaries[y]["indicators"]
        iy = ind[ind["year"] == y].set_index("indicator")
        assert set(iy.index) == set(s), y
        for name, fields in s.items():
            r = iy.loc[name]
            if fields["value"] is None:
                assert math.isnan(r["value"]), (y, name)
            else:
                assert r["value"] == approx(fields["value"]), (y, name)
            assert r["status"] == fields["status"], (y, name)
            # summary.json's complete covers the year and the baseline year, the
            # export's the year alone: the same here, as the demo's baseline is complete
            assert bool(r["complete"]) == fields["complete"], (y, name)
            if fields.get("path_value") is not None:
                assert r["path_value"] == approx(fields["path_value"]), (y, name)


def test_meter_quality_equals_summary(frames, summaries):
    mq = frames["meter_quality"]
    for y in YEARS:
        want = {m["meter_id"]: m for m in summaries[y]["data_quality"]["meters"] if m["year"] == y}
        got = mq[mq["year"] == y].set_index("meter_id")
        assert set(got.index) == set(want), y
        for meter, m in want.items():
            for col in ("coverage_pct", "estimated_pct", "longest_gap_hours"):
                v = got.loc[meter, col]
                assert (m[col] is None and math.isnan(v)) or v == approx(m[col]), (y, meter, col)


def test_duckdb_reads_the_export_as_it_is(exported, summaries):
    glob = str(exported / "emission_lines" / "**" / "*.parquet")
    rows = duckdb.sql(f"""
        SELECT year, sum(emissions_kgco2e) / 1000 AS t
        FROM read_parquet('{glob}', hive_partitioning = true)
        WHERE scope IN (1, 2) AND method IN ('', 'location')
        GROUP BY year ORDER BY year""").fetchall()
    assert [r[0] for r in rows] == YEARS
    for y, t in rows:
        assert t == approx(summaries[y]["indicators"]["emissions"]["value"])


def test_csv_and_a_re_export_leave_no_stale_table(exported, demo_copy, summaries, cli,
                                                  tmp_path):
    """One year as CSV into a folder holding an all-years Parquet export: only the CSV remains."""
    import shutil

    out = tmp_path / "export"
    shutil.copytree(exported, out)
    (out / "notes.txt").write_text("mine")
    res = cli("export", "--project", demo_copy, "--out", out, "--year", "2024", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.csv" for t in TABLES] + ["notes.txt"])
    types = {t: pacsv.ConvertOptions(column_types=SCHEMAS[t], strings_can_be_null=False)
             for t in TABLES}
    el = pacsv.read_csv(out / "emission_lines.csv", convert_options=types["emission_lines"])
    assert el.schema == SCHEMAS["emission_lines"]
    el = el.to_pandas()
    assert set(el["year"]) == {2024}
    for method, scopes in summaries[2024]["emissions_by_scope"].items():
        mine = el[el["method"].isin(["", method])]
        for scope, t in scopes.items():
            assert mine.loc[mine["scope"] == int(scope), "emissions_kgco2e"].sum() / 1000 == approx(t)
    ind = pacsv.read_csv(out / "indicators.csv", convert_options=types["indicators"]).to_pandas()
    e = ind.set_index("indicator").loc["energy"]
    assert e["value"] == approx(summaries[2024]["indicators"]["energy"]["value"])

    # back to Parquet, one year: the CSV files go, and only year=2025 is there
    res = cli("export", "--project", demo_copy, "--out", out, "--year", "2025")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(list(TABLES) + ["notes.txt"])
    for t in TABLES:
        assert [p.name for p in (out / t).iterdir()] == ["year=2025"]
    assert set(read(out, "indicators")["year"]) == {2025}


def test_errors_for_people(demo_copy, cli, tmp_path):
    res = cli("export", "--project", demo_copy, "--format", "xlsx", "--out", tmp_path)
    assert res.exit_code == 1 and "expected parquet or csv" in res.output
    res = cli("export", "--project", demo_copy, "--year", "2010", "--out", tmp_path)
    assert res.exit_code == 1 and "before the baseline year 2019" in res.output
    assert list(tmp_path.iterdir()) == []


def test_a_project_without_meters_exports_empty_tables(worked, cli, tmp_path):
    """No meters: meter_quality is an empty folder; the hand-worked lines are there, per method."""
    res = cli("export", "--project", worked, "--out", tmp_path, "--year", "2021")
    assert res.exit_code == 0, res.output
    assert list((tmp_path / "meter_quality").iterdir()) == []
    el = read(tmp_path, "emission_lines")
    assert set(el["year"]) == {2021}
    # electricity 100,000 kWh x 50 g (own location), 400 g (own market, 2019's row)
    # per kWh, and the shipped european_mix; fuel oil 0.2 m3 = 200 L x 2.5 kg/L once;
    # R-134a 2 kg x 1300 once
    e = el[el["activity"] == "electricity"].set_index("method")["emissions_kgco2e"]
    assert set(e.index) == {"location", "market", "european_mix"}
    assert e[["location", "market"]].to_dict() == pytest.approx({"location": 5000.0,
                                                                 "market": 40000.0})
    once = el[el["method"] == ""].set_index("activity")["emissions_kgco2e"]
    assert once.to_dict() == pytest.approx({"fuel_oil": 500.0, "refrigerant:R-134a": 2600.0})
