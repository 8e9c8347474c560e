"""Audit of the shipped factor library (issue 12): every row is checked by rule.

The rules, each a test below:

* every shipped row, of every file, has a source;
* **CO2e is CO2e.** A row whose unit is CO2 alone (``gCO2/kWh``, ``kgCO2/L``)
  is its own kind (``co2``), never resolved as an emission factor. A row
  labelled CO2e whose source says its number is a CO2-only figure
  (``CO2 only``/``CO2-only``) must say how it was ``converted to CO2e``: that
  is the checkable form of DESIGN §3 "a factor that covers only CO2 says so in
  its unit and is not used as CO2e";
* **no silent gap.** For every emission and energy-content series and every
  year 2019-2025 without its own row, the row in force (the nearest earlier
  year, else the first) states why in its source: ``GAP`` (a named gap with
  its reason), ``every year`` or ``all years`` (one value by design), or
  ``by design``;
* every activity of the library (factor rows and GWP gases) is in
  ``activities.csv``, with a reporting category, and every scope 3 activity
  has a GHG Protocol category.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from klimaregnskap.calc import factors as fl

YEARS = range(2019, 2026)
GAP_REASON = re.compile(r"\bGAP\b|every year|all years|by design")


@pytest.fixture(scope="module")
def lib():
    return fl.load_library()


def test_every_shipped_row_has_a_source(lib):
    assert (lib.factors["source"].str.strip() != "").all()
    assert (lib.gwp["source"].str.strip() != "").all()
    for kind, t in lib.tables.items():
        assert (t["source"].astype(str).str.strip() != "").all(), kind


def test_co2_only_rows_are_their_own_kind_and_never_resolved(lib):
    f = lib.factors
    co2 = f[f["unit"].str.contains(r"CO2/", regex=True)]
    assert len(co2) and (co2["kind"] == "co2").all()
    req = pd.DataFrame({"activity": ["electricity"] * 7, "year": list(YEARS)})
    got = fl.resolve(lib, req, method="market")
    assert got["factor_unit"].str.contains("CO2e").all()


def test_no_co2e_row_is_a_co2_only_figure_without_its_conversion(lib):
    f = lib.factors[lib.factors["kind"] == "emission"]
    says_co2_only = f["source"].str.contains(r"CO2[ -]only", case=False, regex=True)
    converted = f["source"].str.contains("converted to CO2e", regex=False)
    bad = f[says_co2_only & ~converted]
    assert bad.empty, bad[["activity", "year", "source"]].to_string()


def test_market_co2e_is_the_published_co2_times_the_stated_ratio(lib):
    """NVE 2020 residual mix CO2 402 g/kWh x 1.0045 = 403.809 -> 403.8 gCO2e/kWh;
    2016: 530 x 1.0045 = 532.385 -> 532.4."""
    f = lib.factors
    m = f[(f["activity"] == "electricity") & (f["method"] == "market")]
    co2 = m[m["kind"] == "co2"].set_index("year")["value"]
    co2e = m[m["kind"] == "emission"].set_index("year")["value"]
    for y in (2016, 2020):
        assert co2e[y] == pytest.approx(round(co2[y] * 1.0045, 1))


def test_no_series_has_a_silent_gap_in_2019_to_2025(lib):
    f = lib.factors[lib.factors["kind"].isin(["emission", "energy"])]
    silent = []
    for key, s in f.groupby(["activity", "kind", "method"]):
        s = s.sort_values("year")
        for y in YEARS:
            if y in set(s["year"]):
                continue
            earlier = s[s["year"] < y]
            row = earlier.iloc[-1] if len(earlier) else s.iloc[0]
            if not GAP_REASON.search(row["source"]):
                silent.append((key, y, int(row["year"])))
    assert not silent, silent


def test_every_activity_of_the_library_is_in_the_activity_table(lib):
    acts = set(lib.tables["activities"]["activity"])
    used = set(lib.factors["activity"]) | {fl.gas_activity(g) for g in lib.gwp["gas"]}
    assert not sorted(used - acts)


def test_every_scope3_activity_has_a_ghg_protocol_category(lib):
    f = lib.factors
    s3 = set(f.loc[(f["kind"] == "emission") & (f["scope"] == 3), "activity"])
    t = lib.tables["activities"].set_index("activity")
    missing = [a for a in sorted(s3) if pd.isna(t.loc[a, "scope3_category"])]
    assert not missing
    for a in t.index[t["category"] == "purchases"]:
        assert a.startswith("spend:") and int(t.loc[a, "scope3_category"]) in (1, 2)


def test_electricity_european_mix_is_280_every_year_citing_helsedirektoratet(lib):
    req = pd.DataFrame({"activity": ["electricity"] * 7, "year": list(YEARS)})
    got = fl.resolve(lib, req, method="european_mix")
    assert (got["factor_value"] == 280).all() and not got["fallback"].any()
    assert got["factor_source"].str.contains("Helsedirektoratet").all()
    assert got["factor_source"].str.contains("4.1").all()


def test_international_flights_are_desnz_average_passenger_with_rf(lib):
    """DESNZ/BEIS 'International, to/from non-UK > Average passenger > With RF',
    kg CO2e per passenger.km, as read in each year's flat file."""
    expected = {2019: 0.18078, 2020: 0.18181, 2021: 0.18362, 2022: 0.18362,
                2023: 0.17580, 2024: 0.17580, 2025: 0.14253}
    req = pd.DataFrame({"activity": ["flight_international"] * 7, "year": list(YEARS)})
    got = fl.resolve(lib, req)
    assert got["factor_value"].tolist() == list(expected.values())
    assert not got["fallback"].any()
    assert got["factor_source"].str.contains("Average passenger > With RF").all()


def test_fuels_are_desnz_co2e_every_year(lib):
    """Diesel, petrol, heating oil (gas oil) and natural gas: one source (DESNZ
    scope 1, CO2 + CH4 + N2O) for every year 2019-2025, never a fallback."""
    for a in ("diesel", "vehicle:diesel", "petrol", "vehicle:petrol", "fuel_oil", "natural_gas",
              "biogas"):
        req = pd.DataFrame({"activity": [a] * 7, "year": list(YEARS)})
        got = fl.resolve(lib, req)
        assert not got["fallback"].any(), a
        assert got["factor_unit"].str.contains("CO2e").all(), a
        assert got["factor_source"].str.contains("GHG Conversion Factors").all(), a


def test_biodiesel_is_named_hvo_or_fame_and_propane_is_propane(lib):
    acts = set(lib.factors["activity"])
    assert {"vehicle:hvo", "vehicle:fame"} <= acts and "vehicle:biodiesel" not in acts
    p = lib.factors[(lib.factors["activity"] == "propane") & (lib.factors["kind"] == "emission")]
    assert p["source"].str.contains("Propane > litres").all()
    assert not p["source"].str.contains("> LPG >").any()


@pytest.mark.parametrize("gas,ar5,ar6", [
    ("R-125", 3170, 3740), ("R-143a", 4800, 5810), ("R-1234ze(E)", 1, 1.37),
    ("R-22", 1760, 1960), ("SF6", 23500, 25200), ("CH4", 28, 27.9),
    # blends by mass fraction (ASHRAE 34):
    # R-407A = 0.20*677 + 0.40*3170 + 0.40*1300 = 1923.4; AR6 0.20*771 + 0.40*3740 + 0.40*1530
    ("R-407A", 1923.4, 2262.2),
    # R-422D = 0.651*3170 + 0.315*1300 (+ 0.034*0 for R-600a) = 2473.17
    ("R-422D", 2473.2, 2916.7),
    # R-507A = (3170 + 4800) / 2; AR6 (3740 + 5810) / 2
    ("R-507A", 3985, 4775),
])
def test_the_nine_gases_are_in_the_gwp_table(lib, gas, ar5, ar6):
    row = lib.gwp.set_index("gas").loc[gas]
    assert (row["ar5"], row["ar6"]) == (pytest.approx(ar5), pytest.approx(ar6))
    assert "Table 8.A.1" in row["source"] and "Table 7.SM.7" in row["source"]
    if gas in ("R-407A", "R-422D", "R-507A"):
        assert "by mass fraction" in row["source"]


def test_new_gases_resolve_as_activities(lib):
    req = pd.DataFrame({"activity": ["gas:SF6", "gas:CH4", "refrigerant:R-22"], "year": 2024})
    got = fl.resolve(lib, req, gwp="AR6")
    assert got["factor_value"].tolist() == [25200, 27.9, 1960]


def test_in_force_marks_fallbacks_and_their_year(lib):
    t = fl.in_force(lib, 2024)
    loc = t[(t["activity"] == "electricity") & (t["method"] == "location")].iloc[0]
    assert (loc["year"], bool(loc["fallback"]), loc["from_year"]) == (2023, True, 2023)
    fi = t[(t["activity"] == "flight_international") & (t["kind"] == "emission")].iloc[0]
    assert (fi["year"], bool(fi["fallback"])) == (2024, False) and pd.isna(fi["from_year"])
