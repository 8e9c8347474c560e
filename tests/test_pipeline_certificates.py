"""Energy certificates through the whole pipeline (issue 14, DESIGN §4, §5), on a small
hand-made project run through the real ledger.

The project (report year 2021; baseline 2019):

* electricity (activity rows): a 400 000 kWh in 2019; a 300 MWh and b 100 000 kWh in 2021;
* a recovered-power register meter at a: 0 at 1.1.2021, 100 000 kWh at 1.1.2022, so
  100 000 kWh in 2021;
* factors: location 50 g/kWh (own, 2019 on), market 400 g/kWh (own, 2019, a fallback for
  2021), european_mix 280 g/kWh (shipped); certificates 0 (shipped);
* certificates in two files that add up: trust-wide gjenvinningskraft 120 + 80 = 200 MWh,
  and b's own renewable 80 MWh.

By hand (see tests/calc/test_certificates.py for the split): a counts 150 MWh of
gjenvinningskraft; b's C = 130 MWh > 100 MWh, scaled by 100/130: 38.4615 MWh
gjenvinningskraft, 61.5385 MWh renewable, 30 MWh excess. Counted in all: 250 MWh.

* gross electricity: location 400 MWh x 0.05 = 20 t; market 400 x 0.4 = 160 t;
  european_mix 400 x 0.28 = 112 t;
* deduction: market 250 x 0.4 = 100 t; european_mix 250 x 0.28 = 70 t; location none;
* net: market 60 t = (300 - 150) x 0.4 + (100 - 100) x 0.4; european_mix 42 t; location 20 t;
* share of gjenvinningskraft 2021 = (188 461.54 + 100 000) / (400 000 + 100 000) = 57.692 %;
  2019 = 0 / 400 000 = 0 %.
"""

from __future__ import annotations

import pytest

from klimaregnskap.export import export_tables
from klimaregnskap.summary import build_summary

from tests.conftest import build, write

FACTORS = """activity,year,value,unit,scope,method,source
electricity,2019,50,gCO2e/kWh,2,location,test location
electricity,2019,400,gCO2e/kWh,2,market,test market
"""
ACTIVITY = """site,period,activity,quantity,unit
a,2019,electricity,400000,kWh
a,2021,electricity,300,MWh
b,2021,electricity,100000,kWh
"""
REGISTRY = """målepunkt;lokasjon;energibærer;type;rolle;enhet
RP-1;a;recovered_power;register;main;kWh
"""
READINGS = """målepunkt;tidspunkt;verdi
RP-1;01.01.2021 00:00;0
RP-1;01.01.2022 00:00;100000
"""
CERTS_1 = """år;sertifikat;mengde;enhet;lokasjon;leverandør
2021;gjenvinningskraft;120;MWh;;Vestkraft
2021;fornybar;80;MWh;B;Sørvik Kraft
"""
CERTS_2 = """år;sertifikat;mengde;enhet;lokasjon
2021;gjenvinningskraft;80000;kWh;
"""

GK = 150_000 + 50_000 * 100 / 130       # gjenvinningskraft counted [kWh]
RENEWABLE = 80_000 * 100 / 130          # renewable counted [kWh]


def _project(project, method="location"):
    write(project / "factors" / "own.csv", FACTORS)
    write(project / "inputs" / "activity.csv", ACTIVITY)
    write(project / "inputs" / "maalere.csv", REGISTRY)
    write(project / "inputs" / "avlesninger.csv", READINGS)
    write(project / "inputs" / "gjenvinningskraft.csv", CERTS_1)
    write(project / "inputs" / "gjenvinningskraft_tillegg.csv", CERTS_2)
    if method != "location":
        cfg = project / "klimaregnskap.toml"
        cfg.write_text(cfg.read_text().replace('electricity_method = "location"',
                                               f'electricity_method = "{method}"'))
    return project


@pytest.fixture
def accounts(project):
    return build(_project(project), 2021)


def test_summary_keys_and_figures(accounts):
    s = build_summary(accounts)
    ec = s["electricity_certificates"]
    assert ec["gjenvinningskraft_kwh"] == pytest.approx(GK)            # 188 461.54
    assert ec["renewable_kwh"] == pytest.approx(RENEWABLE)             # 61 538.46
    assert ec["excess_kwh"] == pytest.approx(30_000)
    assert ec["deduction_tco2e"] == pytest.approx({"market": 100.0, "european_mix": 70.0})
    assert ec["electricity_gross_tco2e"] == pytest.approx(
        {"location": 20.0, "market": 160.0, "european_mix": 112.0})
    assert ec["electricity_net_tco2e"] == pytest.approx(
        {"location": 20.0, "market": 60.0, "european_mix": 42.0})
    # emissions_by_scope is net of certificates; location ignores them
    es = s["emissions_by_scope"]
    assert es["location"]["2"] == pytest.approx(20.0)
    assert es["market"]["2"] == pytest.approx(60.0)
    assert es["european_mix"]["2"] == pytest.approx(42.0)
    share = s["indicators"]["recovered_power_share"]
    assert share["unit"] == "%"
    assert share["value"] == pytest.approx((GK + 100_000) / 500_000 * 100)   # 57.692 %
    assert share["baseline"] == pytest.approx(0.0)
    assert share["change_points"] == pytest.approx((GK + 100_000) / 500_000 * 100)
    assert share["status"] == "on_track" and share["complete"] is True
    # the certificate files are inputs the accounts rest on
    files = {i["file"] for i in s["provenance"]["inputs"]}
    assert {"inputs/gjenvinningskraft.csv", "inputs/gjenvinningskraft_tillegg.csv"} <= files
    # the configured method is location: the emission target's figure ignores certificates
    assert s["indicators"]["emissions"]["value"] == pytest.approx(20.0)


def test_certificate_files_add_up_and_the_repeated_key_is_warned(accounts):
    rep = [w for w in accounts.warnings if w.code == "repeated_key"]
    assert len(rep) == 1 and "gjenvinningskraft" in rep[0].fields()["key"]
    c = accounts.certificates
    bought = c.loc[c["certificate"] == "gjenvinningskraft", "bought_kwh"].sum()
    assert bought == pytest.approx(200_000)


def test_net_emissions_under_the_market_method(project):
    acc = build(_project(project, "market"), 2021)
    s = build_summary(acc)
    # the emission target rests on the net market figure: 160 - 100 = 60 t
    assert s["indicators"]["emissions"]["value"] == pytest.approx(60.0)
    assert s["sites"]["a"]["emissions_tco2e"] == pytest.approx(60.0)   # (300 - 150) x 0.4
    assert s["sites"]["b"]["emissions_tco2e"] == pytest.approx(0.0)    # (100 - 100) x 0.4
    # the calculation lines of the report show the deduction per site and kind
    cl = acc.calculation_lines
    cert = cl[cl["activity"].str.startswith("certificate:")]
    assert len(cert) == 3 and cert["emissions_tco2e"].sum() == pytest.approx(-100.0)
    y21 = cl[(cl["year"] == 2021) & cl["in_target"]]
    assert y21["emissions_tco2e"].sum() == pytest.approx(60.0)


def test_export_lines_add_up_to_the_net_figures(accounts):
    s = build_summary(accounts)
    lines = export_tables(accounts, [2021])["emission_lines"].to_pandas()
    cert = lines[lines["activity"].str.startswith("certificate:")]
    # one line per site, kind and method but location: 3 x 2
    assert len(cert) == 6 and set(cert["method"]) == {"market", "european_mix"}
    assert (cert["emissions_kgco2e"] < 0).all() and (cert["category"] == "energy").all()
    for method in ("location", "market", "european_mix"):
        mine = lines[lines["method"].isin(["", method])]
        total = sum(s["emissions_by_scope"][method].values())
        assert mine["emissions_kgco2e"].sum() / 1000 == pytest.approx(total), method


def test_first_screen_sentence_under_the_market_method(project):
    """Gross 160 t, net 60 t, 100 t deducted, share 57.7 %, excess 30 MWh (nb and en)."""
    from klimaregnskap.report.text import electricity_certificate_sentences, method_lines
    from klimaregnskap.summary import report_data

    acc = build(_project(project, "market"), 2021)
    rd = report_data(acc, language="en")
    # the method section states the rule
    assert any("except location-based" in line for line in method_lines(rd))
    en = " ".join(electricity_certificate_sentences(rd))
    en = en.replace("\u00a0", " ")
    for part in ("Electricity 2021 (market-based)", "160.0 t CO2e gross", "60.0 t CO2e net",
                 "100.0 t CO2e deducted", "57.7%", "30,000 kWh of certificates beyond"):
        assert part in en, en
    nb = " ".join(electricity_certificate_sentences(report_data(acc, language="nb")))
    nb = nb.replace("\u00a0", " ")
    for part in ("Strøm 2021 (markedsbasert)", "160,0 t CO2e brutto", "60,0 t CO2e netto",
                 "100,0 t CO2e fratrukket", "57,7"):
        assert part in nb, nb
