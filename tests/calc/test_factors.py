"""Tests for klimaregnskap.calc.factors: the series in force and resolving factors."""

from __future__ import annotations


import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from klimaregnskap.calc.factors import (FactorMissing, amount_units, gas_name, is_gas,
                                        list_factors, load_library, methods, resolve)
from klimaregnskap.errors import KlimaError
from klimaregnskap.readers import factor_files

HEADER = "activity,year,value,unit,scope,method,source\n"


@pytest.fixture(scope="module")
def shipped():
    return load_library()


@pytest.fixture
def mini(tmp_path, monkeypatch):
    """A tiny shipped library in a temp folder, so numbers are hand-checkable."""
    d = tmp_path / "shipped"
    d.mkdir()
    (d / "ef.csv").write_text(
        HEADER
        + "electricity,2019,10,gCO2e/kWh,2,location,S-loc-2019\n"
        + "electricity,2021,20,gCO2e/kWh,2,location,S-loc-2021\n"
        + "electricity,2019,300,gCO2e/kWh,2,market,S-mkt\n"
        + "district_heating,2019,50,gCO2e/kWh,2,,S-dh\n"
        + "diesel,2019,2.5,kgCO2e/L,1,,S-diesel-2019\n"
        + "diesel,2022,2.6,kgCO2e/L,1,,S-diesel-2022\n",
        encoding="utf-8")
    (d / "energy.csv").write_text(HEADER + "diesel,2019,10,kWh/L,,,S-en\n", encoding="utf-8")
    (d / "gwp.csv").write_text("gas,ar5,ar6,source\nR-134a,1300,1530,IPCC\n"
                               "nitrous_oxide,265,273,IPCC\n", encoding="utf-8")
    monkeypatch.setattr(factor_files, "shipped_factor_dir", lambda: d)
    return d


def _req(*pairs):
    return pd.DataFrame(pairs, columns=["activity", "year"])


# ---------------------------------------------------------------- shipped data

def test_every_shipped_row_has_a_source(shipped):
    assert len(shipped.factors) > 20
    assert (shipped.factors["source"].str.strip() != "").all()
    assert (shipped.gwp["source"].str.strip() != "").all()


def test_shipped_electricity_methods_cover_2019_to_2025(shipped):
    assert methods(shipped) == ["european_mix", "location", "market"]
    req = _req(*[("electricity", y) for y in range(2019, 2026)])
    for m in methods(shipped):
        out = resolve(shipped, req, method=m)
        assert out["factor_value"].notna().all()
        assert (out["scope"] == 2).all()


def test_shipped_known_values(shipped):
    out = resolve(shipped, _req(("electricity", 2019), ("electricity", 2022)), method="location")
    assert out["factor_value"].tolist() == [17.0, 19.0]
    eu = resolve(shipped, _req(("electricity", 2024)), method="european_mix")
    assert eu["factor_value"].iloc[0] == 280.0
    en = resolve(shipped, _req(("diesel", 2024), ("natural_gas", 2024)), kind="energy")
    assert en["factor_value"].tolist() == [10.056, 9.92]
    assert en["factor_unit"].tolist() == ["kWh/L", "kWh/Sm3"]


def test_shipped_energy_rows_have_no_scope_and_no_method(shipped):
    en = shipped.factors[shipped.factors["kind"] == "energy"]
    assert en["scope"].isna().all()
    assert (en["method"] == "").all()
    em = shipped.factors[shipped.factors["kind"] == "emission"]
    assert em["scope"].isin([1, 2, 3]).all()


# ---------------------------------------------------------------- override semantics

def test_project_series_replaces_all_years(mini, tmp_path):
    proj = tmp_path / "proj"
    (proj / "factors").mkdir(parents=True)
    (proj / "factors" / "own.csv").write_text(HEADER + "diesel,2021,3.0,kgCO2e/L,1,,own\n")
    lib = load_library(proj)
    d = lib.factors[(lib.factors["activity"] == "diesel") & (lib.factors["kind"] == "emission")]
    assert d["year"].tolist() == [2021]
    assert (d["origin"] == "project").all()
    # no mixing: 2019 is before the project's series and the shipped 2019 row is gone;
    # the project's earliest year is used, flagged as a fallback
    early = resolve(lib, _req(("diesel", 2019)))
    assert early["factor_value"].iloc[0] == 3.0 and early["factor_year"].iloc[0] == 2021
    assert early["fallback"].iloc[0]
    out = resolve(lib, _req(("diesel", 2023)))
    assert out["factor_value"].iloc[0] == 3.0 and out["fallback"].iloc[0]
    # other kinds of the same activity stay shipped
    en = resolve(lib, _req(("diesel", 2023)), kind="energy")
    assert en["factor_value"].iloc[0] == 10.0


def test_project_dir_equal_to_shipped_is_shipped_only(mini):
    lib = load_library(mini.parent.parent / mini.parent.name / "..")  # unrelated dir: no factors/
    assert (lib.factors["origin"] == "shipped").all()
    proj = mini.parent
    (proj / "factors").symlink_to(mini, target_is_directory=True)
    lib2 = load_library(proj)
    assert (lib2.factors["origin"] == "shipped").all()
    assert len(lib2.factors) == len(load_library().factors)


def test_project_gwp_overrides_per_gas(mini, tmp_path):
    proj = tmp_path / "p2"
    (proj / "factors").mkdir(parents=True)
    (proj / "factors" / "g.csv").write_text("gas,ar5,ar6,source\nR-134a,1000,1100,mine\n")
    lib = load_library(proj)
    out = resolve(lib, _req(("refrigerant:R-134a", 2020), ("nitrous_oxide", 2020)))
    assert out["factor_value"].tolist() == [1000.0, 265.0]


# ---------------------------------------------------------------- resolve

def test_fallback_to_nearest_earlier_year(mini):
    lib = load_library()
    out = resolve(lib, _req(("electricity", 2020), ("electricity", 2021),
                            ("electricity", 2025), ("electricity", 2019)), method="location")
    assert out["factor_value"].tolist() == [10.0, 20.0, 20.0, 10.0]
    assert out["factor_year"].tolist() == [2019, 2021, 2021, 2019]
    assert out["fallback"].tolist() == [True, False, True, False]
    assert out["factor_source"].tolist()[0] == "S-loc-2019"


def test_year_before_series_uses_first_year_flagged(mini):
    lib = load_library()
    out = resolve(lib, _req(("diesel", 2018)))
    first = lib.factors[(lib.factors["activity"] == "diesel") & (lib.factors["kind"] == "emission")]
    assert out["factor_year"].iloc[0] == first["year"].min()
    assert out["fallback"].iloc[0]


def test_unknown_activity_raises_factor_missing(mini):
    lib = load_library()
    with pytest.raises(FactorMissing) as e:
        resolve(lib, _req(("unobtainium", 2020)))
    assert isinstance(e.value, KlimaError) and isinstance(e.value, KeyError)
    assert "unobtainium" in str(e.value) and "2020" in str(e.value)


def test_method_falls_back_to_methodless_series(mini):
    lib = load_library()
    out = resolve(lib, _req(("district_heating", 2020), ("electricity", 2020)), method="market")
    assert out["factor_value"].tolist() == [50.0, 300.0]
    assert out["factor_method"].tolist() == ["", "market"]
    with pytest.raises(FactorMissing):
        resolve(lib, _req(("electricity", 2020)), method="nonexistent")


def test_gwp_ar5_vs_ar6(mini):
    lib = load_library()
    req = _req(("refrigerant:R-134a", 2020), ("nitrous_oxide", 2024))
    a5 = resolve(lib, req, gwp="AR5")
    a6 = resolve(lib, req, gwp="ar6")
    assert a5["factor_value"].tolist() == [1300.0, 265.0]
    assert a6["factor_value"].tolist() == [1530.0, 273.0]
    assert (a5["factor_unit"] == "kgCO2e/kg").all()
    assert a5["factor_year"].tolist() == [2020, 2024]
    assert not a5["fallback"].any() and (a5["scope"] == 1).all()
    assert "AR6" in a6["factor_source"].iloc[0]


def test_project_gas_emission_row_wins(mini, tmp_path):
    proj = tmp_path / "p3"
    (proj / "factors").mkdir(parents=True)
    (proj / "factors" / "gas.csv").write_text(
        HEADER + "refrigerant:R-134a,2019,1.2,tCO2e/kg,1,,measured blend\n")
    lib = load_library(proj)
    out = resolve(lib, _req(("refrigerant:R-134a", 2022)), gwp="AR6")
    assert out["factor_value"].iloc[0] == 1.2
    assert out["factor_unit"].iloc[0] == "tCO2e/kg"
    assert out["fallback"].iloc[0]


def test_resolve_keeps_index_and_order(mini):
    lib = load_library()
    req = pd.DataFrame({"activity": ["diesel", "electricity", "diesel"],
                        "year": [2023, 2019, 2019]}, index=[10, 5, 7])
    out = resolve(lib, req, method="location")
    assert list(out.index) == [10, 5, 7]
    assert out["factor_value"].tolist() == [2.6, 10.0, 2.5]
    assert str(out["scope"].dtype) == "Int64"


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=2019, max_value=2100))
def test_resolved_year_never_after_request(year):
    lib = _CACHED
    out = resolve(lib, _req(("electricity", year)), method="location")
    fy = int(out["factor_year"].iloc[0])
    assert fy <= year
    assert bool(out["fallback"].iloc[0]) == (fy != year)


_CACHED = load_library()


# ---------------------------------------------------------------- queries, hash

def test_amount_units_and_gas_helpers(mini):
    lib = load_library()
    au = amount_units(lib)
    assert au["diesel"] == ["L", "kWh"]
    assert au["electricity"] == ["kWh"]
    assert au["refrigerant:R-134a"] == ["kg"]
    assert au["nitrous_oxide"] == ["kg"]
    assert is_gas("refrigerant:R-134a") and is_gas("anaesthetic:desflurane")
    assert is_gas("nitrous_oxide") and not is_gas("diesel") and not is_gas("waste:food")
    assert gas_name("refrigerant:R-134a") == "R-134a"
    assert gas_name("anaesthetic:desflurane") == "desflurane"
    assert gas_name("nitrous_oxide") == "nitrous_oxide"


def test_list_factors_filters(mini):
    lib = load_library()
    t = list_factors(lib, activity="electricity", year=2020)
    assert sorted(zip(t["method"], t["value"])) == [("location", 10.0), ("market", 300.0)]
    g = list_factors(lib, activity="refrigerant:R-134a")
    assert sorted(g["value"].tolist()) == [1300.0, 1530.0]
    assert {"activity", "year", "value", "unit", "scope", "method", "source"} <= set(g.columns)


def test_hash_changes_when_a_file_changes(mini):
    h1 = load_library().sha256
    assert load_library().sha256 == h1
    p = mini / "ef.csv"
    p.write_text(p.read_text().replace("S-dh", "S-dh v2"))
    assert load_library().sha256 != h1
    assert [f.name for f in load_library().files] == ["ef.csv", "energy.csv", "gwp.csv"]


# ---------------------------------------------------------------- project tables (issue 12)

def _project(tmp_path):
    own = tmp_path / "factors"
    own.mkdir()
    return own


def test_project_table_rows_replace_shipped_rows_by_key(tmp_path):
    own = _project(tmp_path)
    (own / "activities.csv").write_text(
        "activity,name_nb,name_en,category,scope3_category,source\n"
        "taxi,Pasienttaxi,Patient taxi,patient_transport,4,own\n", encoding="utf-8")
    (own / "exchange_rates.csv").write_text("year,currency,nok_per_unit,source\n"
                                            "2019,EUR,9.8511,own\n2024,SEK,1.0,own\n")
    lib = load_library(tmp_path)
    a = lib.tables["activities"].set_index("activity")
    assert a.loc["taxi", "category"] == "patient_transport" and a.loc["taxi", "origin"] == "project"
    assert a.loc["rail", "category"] == "staff_travel", "the other shipped rows stay"
    x = lib.tables["exchange_rates"].set_index(["year", "currency"])["nok_per_unit"]
    assert x[(2019, "EUR")] == 9.8511 and x[(2024, "SEK")] == 1.0 and x[(2018, "EUR")] == 9.60
    from klimaregnskap.calc.factors import reporting_category, scope3_category
    assert reporting_category(lib, "taxi") == "patient_transport"
    assert scope3_category(lib, "taxi") == 4 and scope3_category(lib, "taxi", 6) == 6


def test_project_scope3_row_without_a_category_is_an_error(tmp_path):
    own = _project(tmp_path)
    (own / "f.csv").write_text(HEADER + "ambulance_flight,2024,1.2,kgCO2e/km,3,,own\n")
    with pytest.raises(KlimaError) as e:
        load_library(tmp_path)
    assert e.value.column == "scope3_category" and e.value.row == 2
    (own / "f.csv").write_text("activity,year,value,unit,scope,method,source,scope3_category\n"
                               "ambulance_flight,2024,1.2,kgCO2e/km,3,,own,4\n")
    lib = load_library(tmp_path)
    from klimaregnskap.calc.factors import scope3_category
    row = lib.factors[lib.factors["activity"] == "ambulance_flight"].iloc[0]
    assert scope3_category(lib, "ambulance_flight", row["scope3_category"]) == 4


def test_project_spend_factors_load_and_list(tmp_path):
    own = _project(tmp_path)
    (own / "spend.csv").write_text(HEADER + "spend:it_equipment,2022,0.3,kgCO2e/EUR,3,,own\n")
    lib = load_library(tmp_path)
    t = list_factors(lib, activity="spend:it_equipment")
    assert t["unit"].tolist() == ["kgCO2e/EUR"] and t["scope"].tolist() == [3]
    from klimaregnskap.calc.factors import scope3_category
    assert scope3_category(lib, "spend:it_equipment") == 2
    assert scope3_category(lib, "spend:unknown_thing") == 1


def test_the_same_files_give_the_library_already_assembled_and_a_change_a_new_one(mini,
                                                                                  tmp_path):
    """load_library keeps what it assembled under the files' names, contents and paths."""
    project = tmp_path / "p"
    own = project / "factors" / "own.csv"
    own.parent.mkdir(parents=True)
    own.write_text(HEADER + "diesel,2019,3,kgCO2e/L,1,,P-diesel\n", encoding="utf-8")
    req = pd.DataFrame({"activity": ["diesel"], "year": [2020]})
    first, again = load_library(project), load_library(project)
    assert again is not first and again.factors is first.factors  # shared frames, own indexes
    assert resolve(first, req)["factor_value"].tolist() == [3.0]
    assert amount_units(again)["diesel"] == ["L", "kWh"]
    amount_units(again)["diesel"].append("m3")          # a caller's copy, not the kept one
    assert amount_units(first)["diesel"] == ["L", "kWh"]
    own.write_text(HEADER + "diesel,2019,4,kgCO2e/L,1,,P-diesel\n", encoding="utf-8")
    changed = load_library(project)
    assert changed.sha256 != first.sha256
    assert resolve(changed, req)["factor_value"].tolist() == [4.0]
    assert resolve(first, req)["factor_value"].tolist() == [3.0]  # an older library keeps its own
