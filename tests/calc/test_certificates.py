"""Energy certificates (DESIGN §4 "Energy certificates", issue 14), worked by hand.

The trust of these tests, one year (2021):

* electricity E: site a 300 MWh, site b 100 MWh (400 MWh in all);
* trust-wide gjenvinningskraft 200 MWh: a gets 200 x 300/400 = 150, b 200 x 100/400 = 50;
* site b's own renewable 80 MWh: b's C = 50 + 80 = 130 MWh > E_b = 100, so each kind is
  scaled by 100/130: gjenvinningskraft 50 x 100/130 = 38.4615.. MWh, renewable
  80 x 100/130 = 61.5385.. MWh, excess 30 MWh (11.538.. + 18.461..);
* site a: C = 150 <= 300, all counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from klimaregnskap.calc import certificates as cr
from klimaregnskap.calc import factors as fl
from klimaregnskap.calc.accounting import LINE_COLUMNS

CERTS = pd.DataFrame({"year": [2021, 2021], "site": ["", "b"],
                      "certificate": ["gjenvinningskraft", "renewable"],
                      "quantity_kwh": [200_000.0, 80_000.0]})
ELECTRICITY = pd.DataFrame({"year": [2021, 2021], "site": ["a", "b"],
                            "electricity_kwh": [300_000.0, 100_000.0]})


def _row(alloc, site, kind):
    r = alloc[(alloc["site"] == site) & (alloc["certificate"] == kind)]
    assert len(r) == 1
    return r.iloc[0]


def test_trust_wide_certificates_are_shared_by_electricity_and_capped_per_site():
    a = cr.allocate(CERTS, ELECTRICITY)
    ga = _row(a, "a", "gjenvinningskraft")
    assert ga["share_kwh"] == pytest.approx(150_000) and ga["own_kwh"] == 0
    assert ga["counted_kwh"] == pytest.approx(150_000) and ga["excess_kwh"] == pytest.approx(0)
    gb = _row(a, "b", "gjenvinningskraft")
    assert gb["share_kwh"] == pytest.approx(50_000)
    assert gb["counted_kwh"] == pytest.approx(50_000 * 100 / 130)      # 38 461.54 kWh
    assert gb["excess_kwh"] == pytest.approx(50_000 * 30 / 130)        # 11 538.46 kWh
    rb = _row(a, "b", "renewable")
    assert rb["own_kwh"] == 80_000 and rb["share_kwh"] == 0
    assert rb["counted_kwh"] == pytest.approx(80_000 * 100 / 130)      # 61 538.46 kWh
    assert rb["excess_kwh"] == pytest.approx(80_000 * 30 / 130)        # 18 461.54 kWh
    # b counts exactly its electricity; the excess is what was bought beyond it
    b = a[a["site"] == "b"]
    assert b["counted_kwh"].sum() == pytest.approx(100_000)
    assert b["excess_kwh"].sum() == pytest.approx(30_000)


def test_a_site_without_electricity_counts_none_of_its_certificates():
    certs = pd.DataFrame({"year": [2021], "site": ["c"], "certificate": ["gjenvinningskraft"],
                          "quantity_kwh": [5_000.0]})
    a = cr.allocate(certs, ELECTRICITY)
    r = _row(a, "c", "gjenvinningskraft")
    assert r["counted_kwh"] == 0 and r["excess_kwh"] == 5_000 and r["electricity_kwh"] == 0


def test_trust_wide_certificates_of_a_year_without_electricity_are_all_excess():
    certs = pd.DataFrame({"year": [2022], "site": [""], "certificate": ["renewable"],
                          "quantity_kwh": [7_000.0]})
    a = cr.allocate(certs, ELECTRICITY)
    r = _row(a, "", "renewable")
    assert r["counted_kwh"] == 0 and r["excess_kwh"] == 7_000 and r["bought_kwh"] == 7_000


def _lib():
    return fl.load_library(None)


def test_certificate_lines_deduct_per_method_but_location():
    """european_mix 280 g/kWh (shipped, every year): the deduction is the counted
    certificates x (0 - 0.28) kgCO2e/kWh: a 150 MWh -> -42 t, b 38.46 MWh -> -10.769 t
    and 61.54 MWh -> -17.231 t; 250 MWh in all -> -70 t."""
    lib = _lib()
    methods = fl.methods(lib, "electricity")
    assert "location" in methods and "european_mix" in methods
    lines = cr.certificate_lines(cr.allocate(CERTS, ELECTRICITY), lib, methods, LINE_COLUMNS)
    assert list(lines.columns) == LINE_COLUMNS
    assert "location" not in set(lines["method"])
    assert set(lines["method"]) == set(methods) - {"location"}
    em = lines[lines["method"] == "european_mix"]
    assert em["emissions_tco2e"].sum() == pytest.approx(-70.0)
    a = em[em["site"] == "a"].iloc[0]
    assert a["activity"] == "certificate:gjenvinningskraft" and a["quantity"] == 150_000
    assert a["factor_value"] == pytest.approx(-0.28) and a["factor_unit"] == "kgCO2e/kWh"
    assert a["emissions_tco2e"] == pytest.approx(-42.0) and a["scope"] == 2
    assert a["category"] == "electricity" and a["source"] == "certificate"
    # quantity x factor = emissions on every line, as on any calculation line
    assert np.allclose(lines["quantity"] * lines["factor_value"] / 1000, lines["emissions_tco2e"])


def test_summary_of_a_year():
    lib = _lib()
    methods = fl.methods(lib, "electricity")
    alloc = cr.allocate(CERTS, ELECTRICITY)
    lines = cr.certificate_lines(alloc, lib, methods, LINE_COLUMNS)
    s = cr.certificate_summary(alloc, lines, 2021, methods)
    # gjenvinningskraft 150 000 + 38 461.54; renewable 61 538.46; excess 30 000
    assert s["gjenvinningskraft_kwh"] == pytest.approx(150_000 + 50_000 * 100 / 130)
    assert s["renewable_kwh"] == pytest.approx(80_000 * 100 / 130)
    assert s["excess_kwh"] == pytest.approx(30_000)
    assert set(s["deduction_tco2e"]) == set(methods) - {"location"}
    assert s["deduction_tco2e"]["european_mix"] == pytest.approx(70.0)
    empty = cr.certificate_summary(alloc, lines, 2020, methods)
    assert empty["gjenvinningskraft_kwh"] == 0 and empty["excess_kwh"] == 0
    assert all(v == 0 for v in empty["deduction_tco2e"].values())


def test_share_of_gjenvinningskraft_with_a_metered_recovered_power_meter():
    """(188 461.54 counted + 100 000 metered) / (400 000 + 100 000) = 57.692 %;
    without the meter 188 461.54 / 400 000 = 47.115 %."""
    alloc = cr.allocate(CERTS, ELECTRICITY)
    delivered = pd.DataFrame({"year": [2021, 2021], "site": ["a", "b"],
                              "carrier": ["electricity", "electricity"],
                              "energy_kwh": [300_000.0, 100_000.0]})
    recovered = pd.DataFrame({"year": [2021, 2021], "site": ["a", "a"],
                              "carrier": ["recovered_power", "recovered_heat"],
                              "energy_kwh": [100_000.0, 999_999.0]})
    gk = 150_000 + 50_000 * 100 / 130
    s = cr.recovered_power_share_pct([2020, 2021], alloc, delivered, recovered)
    assert np.isnan(s[2020])          # neither electricity nor recovered power
    assert s[2021] == pytest.approx((gk + 100_000) / 500_000 * 100)   # 57.692 %
    s0 = cr.recovered_power_share_pct([2021], alloc, delivered, recovered.iloc[1:])
    assert s0[2021] == pytest.approx(gk / 400_000 * 100)              # 47.115 %


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "a", "b", "c"]),
                          st.sampled_from(["gjenvinningskraft", "renewable"]),
                          st.floats(0, 1e6, allow_subnormal=False)), min_size=1, max_size=8),
       st.floats(0, 1e6, allow_subnormal=False), st.floats(0, 1e6, allow_subnormal=False))
def test_counted_never_exceeds_electricity_and_nothing_is_lost(rows, ea, eb):
    certs = pd.DataFrame({"year": 2021, "site": [r[0] for r in rows],
                          "certificate": [r[1] for r in rows],
                          "quantity_kwh": [r[2] for r in rows]})
    el = pd.DataFrame({"year": [2021, 2021], "site": ["a", "b"], "electricity_kwh": [ea, eb]})
    a = cr.allocate(certs, el)
    # what was bought is counted or excess, nothing more, nothing less
    assert a["bought_kwh"].sum() == pytest.approx(certs["quantity_kwh"].sum(), rel=1e-9, abs=1e-6)
    assert np.allclose(a["counted_kwh"] + a["excess_kwh"], a["bought_kwh"])
    assert (a["counted_kwh"] >= -1e-9).all() and (a["excess_kwh"] >= -1e-6).all()
    per_site = a.groupby("site").agg(c=("counted_kwh", "sum"), e=("electricity_kwh", "first"))
    assert (per_site["c"] <= per_site["e"] * (1 + 1e-12) + 1e-6).all()
    # each kind of a site is scaled by the same E / C
    for _, g in a[a["bought_kwh"] > 0].groupby("site"):
        ratio = (g["counted_kwh"] / g["bought_kwh"]).to_numpy()
        assert np.allclose(ratio, ratio[0])


def test_share_of_gjenvinningskraft_rests_on_electricity_and_recovered_power_meters():
    """DESIGN §4: main electricity and recovered_power meters feed recovered_power_share;
    a district-heating or recovered-heat meter does not."""
    from klimaregnskap.calc import completeness
    from klimaregnskap.vocabulary import indicators

    meters = pd.DataFrame({"meter_id": ["EL", "RP", "DH", "RH"], "site": "a",
                           "carrier": ["electricity", "recovered_power", "district_heating",
                                       "recovered_heat"],
                           "year": [2021, 2022, 2023, 2024],
                           "reason": ["el", "rp", "dh", "rh"]})
    table = indicators()
    assert table["recovered_power_share"].completeness == "electricity_meters"
    assert table["recovered_power_share"].target_kind == "increase"
    years = [2021, 2022, 2023, 2024]
    r = completeness.indicator_reasons(table, years, meters, [], set(years))
    assert r["recovered_power_share"] == {2021: ["el"], 2022: ["rp"], 2023: [], 2024: []}
