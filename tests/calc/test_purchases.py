"""Purchases (DESIGN §4): NOK, mapping precedence, credits, exclusions and spend lines,
each figure worked out by hand from the shipped tables.

Shipped numbers used below: CPI (SSB 08184, 2015=100) 2022 = 122.8, 2024 = 133.6;
USD (Norges Bank) 2022 = 9.6245, 2024 = 10.7433 NOK; EPA supply-chain factors with
margins, 2022 USD: spend:medical_consumables 0.14 (NAICS 339113), spend:it_equipment
0.058 (NAICS 334111) kgCO2e/USD.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from klimaregnskap.calc import factors as fl
from klimaregnskap.calc import purchases as pr
from klimaregnskap.errors import InputError, KlimaError
from klimaregnskap.readers.purchases import parse_pattern


@pytest.fixture(scope="module")
def lib():
    return fl.shipped_library()


def purchases(rows):
    """rows: (year, account, amount, currency, category)."""
    df = pd.DataFrame(rows, columns=["year", "account", "amount", "currency", "category"])
    return df.assign(row=range(2, 2 + len(df)), file="inputs/hovedbok.csv",
                     supplier="", description="")


def mapping(rows):
    """rows: (pattern, category, reason)."""
    out = []
    for i, (pat, cat, reason) in enumerate(rows):
        match, lo, hi, prefix = parse_pattern(pat)
        out.append({"row": i + 2, "pattern": pat, "match": match, "low": lo, "high": hi,
                    "prefix": prefix, "category": cat, "reason": reason,
                    "file": "inputs/kontomapping.csv"})
    return pd.DataFrame(out)


def test_a_spend_line_through_currency_and_price_index(lib):
    """1 000 USD in 2024 of medical consumables (factor 0.14 kgCO2e per 2022 USD).

    NOK at the purchase year's rate: 1 000 x 10.7433 = 10 743.30 NOK.
    Per NOK: 0.14 x P(2022)/P(2024) / X(2022) = 0.14 x 122.8/133.6 / 9.6245
           = 0.0133703189... kgCO2e/NOK.
    Emissions: 10 743.30 x 0.0133703189 = 143.64 kg = 0.1436413 t.
    """
    pf = pr.purchase_figures(purchases([(2024, 4650, 1000.0, "USD", "")]),
                             mapping([("4650", "spend:medical_consumables", "")]), lib,
                             ["location", "market"], "location", [2023, 2024])
    line = pf.lines[pf.lines["method"] == "location"].iloc[0]
    assert line["quantity"] == pytest.approx(10743.3)
    assert line["quantity_unit"] == "NOK" and line["factor_unit"] == "kgCO2e/NOK"
    assert line["factor_value"] == pytest.approx(0.013370318949611817, rel=1e-12)
    assert line["factor_year"] == 2022 and bool(line["fallback"])
    assert line["emissions_tco2e"] == pytest.approx(0.14364134757136462, rel=1e-12)
    assert int(line["scope"]) == 3 and line["category"] == "purchases"
    assert "122.8/133.6" in line["converted_from"] and "9.6245 NOK/USD" in line["converted_from"]
    # one line per method, the same under each
    assert len(pf.lines) == 2
    y = pf.years.set_index("year")
    assert y.loc[2024, "spend_nok"] == pytest.approx(10743.3)
    assert y.loc[2024, "emissions_tco2e"] == pytest.approx(0.14364134757136462, rel=1e-12)
    assert y.loc[2023].tolist() == [0.0, 0.0, 0.0]


def test_mapping_precedence_exact_range_prefix():
    """Exact before any range, narrower range before wider, any range before a prefix,
    longer prefix before shorter."""
    m = mapping([("4650", "spend:a_exact", ""), ("4600-4699", "spend:b_wide", ""),
                 ("4640-4659", "spend:c_narrow", ""), ("46*", "spend:d_short", ""),
                 ("465*", "spend:e_long", "")])
    p = purchases([(2024, acc, 1.0, "NOK", "") for acc in
                   (4650, 4655, 4670, 4600, 4699, 46001, 46500, 4659)]
                  + [(2024, 4650, 1.0, "NOK", "spend:own")])
    got = pr.map_accounts(p, m)
    assert list(got["spend_category"]) == [
        "spend:a_exact",   # 4650: exact, though 4640-4659, 4600-4699, 465* and 46* cover it
        "spend:c_narrow",  # 4655: the narrower range, not 4600-4699 nor the prefix 465*
        "spend:b_wide",    # 4670
        "spend:b_wide",    # 4600 (range ends count)
        "spend:b_wide",    # 4699
        "spend:d_short",   # 46001: only 46* covers it (ranges compare as integers)
        "spend:e_long",    # 46500: 465* is longer than 46*
        "spend:c_narrow",  # 4659
        "spend:own"]       # the row's own category wins over the mapping
    assert list(got["pattern"])[:2] == ["4650", "4640-4659"] and got["pattern"].iloc[-1] == ""


def test_an_unmapped_account_is_an_error_naming_it_and_its_total(lib):
    p = purchases([(2024, 4650, 100.0, "NOK", ""), (2024, 9999, 100.0, "NOK", ""),
                   (2024, 9999, 50.0, "NOK", "")])
    with pytest.raises(InputError) as info:
        pr.purchase_figures(p, mapping([("46*", "spend:cleaning", "")]), lib, ["location"],
                            "location", [2024])
    e = info.value
    assert e.row == 3 and e.found == "9999" and e.file == "inputs/hovedbok.csv"
    assert "9999 (total 150.00 NOK in 2 row(s), 2024)" in e.message


def test_credits_net_within_category_and_year_and_a_negative_net_counts_zero(lib):
    """Cleaning 2024: 1 000 - 300 = 700 NOK counted; 2023: 100 - 500 = -400, counts 0
    with a warning. Excluded wages 2024: 50 000 - 2 000 = 48 000 NOK, listed with reason."""
    p = purchases([(2024, 6500, 1000.0, "NOK", ""), (2024, 6500, -300.0, "NOK", ""),
                   (2023, 6500, 100.0, "NOK", ""), (2023, 6501, -500.0, "NOK", ""),
                   (2024, 5000, 50000.0, "NOK", ""), (2024, 5010, -2000.0, "NOK", "")])
    m = mapping([("65*", "spend:cleaning", ""), ("5000-5999", "exclude", "lønn")])
    pf = pr.purchase_figures(p, m, lib, ["location"], "location", [2023, 2024])
    c = pf.categories.set_index("year")
    assert c.loc[2024, "net_nok"] == 700.0 and c.loc[2024, "counted_nok"] == 700.0
    assert c.loc[2024, "gross_nok"] == 1000.0 and c.loc[2024, "credits_nok"] == -300.0
    assert c.loc[2023, "net_nok"] == -400.0 and c.loc[2023, "counted_nok"] == 0.0
    assert [(w.code, w.year, w.get("category"), w.get("net_nok")) for w in pf.warnings] == [
        ("purchases_negative_net", 2023, "spend:cleaning", -400.0)]
    ex = pf.excluded
    assert ex[["year", "pattern", "reason", "net_nok", "rows"]].values.tolist() == [
        [2024, "5000-5999", "lønn", 48000.0, 2]]
    y = pf.years.set_index("year")
    assert y.loc[2024, "spend_nok"] == 700.0 and y.loc[2024, "excluded_nok"] == 48000.0
    assert y.loc[2023, "spend_nok"] == 0.0 and y.loc[2023, "emissions_tco2e"] == 0.0
    line23 = pf.lines[pf.lines["year"] == 2023].iloc[0]
    assert line23["quantity"] == 0.0 and line23["emissions_tco2e"] == 0.0


def test_overlapping_ranges_of_two_files_are_an_error_naming_both(lib):
    m = mapping([("4600-4699", "spend:cleaning", ""), ("4650-4720", "spend:cleaning", "")])
    m.loc[1, "file"] = "inputs/annen.csv"
    with pytest.raises(InputError) as info:
        pr.purchase_figures(purchases([(2024, 4650, 1.0, "NOK", "")]), m, lib, ["location"],
                            "location", [2024])
    assert "inputs/annen.csv row 3" in info.value.message


def test_a_year_before_the_price_index_is_an_error():
    t = pd.DataFrame({"year": [2015, 2017], "index": [100.0, 105.5]})
    v, used = pr.table_value(t, [2016, 2017, 2030], "index", "price index")
    assert v.tolist() == [100.0, 105.5, 105.5] and used.tolist() == [2015, 2017, 2017]
    with pytest.raises(KlimaError, match="no price index for 2014"):
        pr.table_value(t, [2014], "index", "price index")


def test_double_counting_warning_only_when_physical_data_exist_that_year():
    cats = pd.DataFrame({"year": [2024, 2023, 2024], "category": [
        "spend:waste_services", "spend:waste_services", "spend:cleaning"],
        "counted_nok": [5000.0, 4000.0, 100.0]})
    physical = pd.DataFrame({"year": [2024], "reporting_category": ["waste"]})
    got = pr.double_counting_warnings(cats, physical)
    assert [(w.code, w.year, w.get("category"), w.get("counted_as")) for w in got] == [
        ("purchases_double_counting", 2024, "spend:waste_services", "waste")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([2023, 2024]), st.sampled_from([6500, 6501, 5000]),
                          st.integers(-5000, 5000)), min_size=1, max_size=12))
def test_spend_and_excluded_add_up_to_the_ledger(rows):
    """Invariant: counted + excluded = net total whenever no category nets negative,
    and counted spend is never negative."""
    lib = fl.shipped_library()
    p = purchases([(y, a, float(v), "NOK", "") for y, a, v in rows])
    m = mapping([("65*", "spend:cleaning", ""), ("5000", "exclude", "wages")])
    pf = pr.purchase_figures(p, m, lib, ["location"], "location", [2023, 2024])
    assert (pf.years["spend_nok"] >= 0).all()
    for y in (2023, 2024):
        total = sum(v for yy, _a, v in rows if yy == y)
        row = pf.years.set_index("year").loc[y]
        nets = pf.categories[pf.categories["year"] == y]["net_nok"]
        if (nets >= 0).all():
            assert row["spend_nok"] + row["excluded_nok"] == pytest.approx(total)


def test_every_spend_category_has_a_sourced_epa_factor(lib):
    """Each spend category of activities.csv has one shipped factor: US EPA v1.3.0, a NAICS
    code and its title in the source, kgCO2e per (2022) USD, scope 3, its row's scope 3
    category equal to the activity table's."""
    t = lib.tables["activities"]
    spend = t[t["activity"].str.startswith("spend:")].set_index("activity")
    f = lib.factors[lib.factors["activity"].str.startswith("spend:")].set_index("activity")
    assert sorted(spend.index) == sorted(f.index)
    for act, r in f.iterrows():
        assert r["unit"] == "kgCO2e/USD" and r["year"] == 2022 and r["scope"] == 3
        assert "v1.3.0" in r["source"] and "with Margins" in r["source"]
        assert "NAICS" in r["source"] and "US-economy" in r["source"]
        assert 0 < r["value"] < 2
    # NAICS 339113 Surgical Appliance and Supplies Manufacturing: 0.14 with margins
    assert f.loc["spend:medical_consumables", "value"] == 0.14
    assert "339113 'Surgical Appliance and Supplies Manufacturing'" in \
        f.loc["spend:medical_consumables", "source"]


def test_spend_overlaps_name_spend_categories_of_the_library(lib):
    from klimaregnskap.vocabulary import spend_overlaps

    acts = set(lib.tables["activities"]["activity"])
    assert set(spend_overlaps()) <= acts


def _rank(r, acc):
    """Specificity of a mapping row for an account (lower is more specific), or None."""
    if r["match"] == "exact":
        return (0, 0) if acc == r["low"] else None
    if r["match"] == "range":
        return (1, r["high"] - r["low"]) if r["low"] <= acc <= r["high"] else None
    return (2, -len(r["prefix"])) if str(acc).startswith(r["prefix"]) else None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(
    st.integers(4000, 4999).map(str),
    st.tuples(st.integers(4000, 4999), st.integers(0, 300)).map(lambda t: f"{t[0]}-{t[0] + t[1]}"),
    st.integers(4, 499).map(lambda p: f"{p}*")), min_size=1, max_size=8, unique=True),
    st.lists(st.integers(4000, 4999), min_size=1, max_size=10))
def test_the_chosen_mapping_row_is_a_most_specific_cover(patterns, accounts):
    m = mapping([(p, f"spend:c{i}", "") for i, p in enumerate(patterns)])
    got = pr.map_accounts(purchases([(2024, a, 1.0, "NOK", "") for a in accounts]), m)
    for acc, cat, pat in zip(accounts, got["spend_category"], got["pattern"]):
        ranks = [(_rank(r, acc), r["pattern"]) for _, r in m.iterrows()]
        covering = [(k, p) for k, p in ranks if k is not None]
        if not covering:
            assert cat == "" and pat == ""
            continue
        best = min(k for k, _p in covering)
        chosen = dict((p, k) for k, p in covering)[pat]
        assert chosen == best


def test_eur_and_nok_factors_of_a_project(tmp_path):
    """A project's own spend factors (DESIGN §4): X(f) is the factor currency's rate in the
    factor's year, 1 for NOK.

    spend:cleaning 0.3 kgCO2e/EUR (2019), purchase 2021: per NOK = 0.3 x 110.8/116.1 / 9.85
    (EUR 2019) = 0.029067 kgCO2e/NOK.
    spend:it_services 0.02 kgCO2e/NOK (2020), purchase 2024: 0.02 x 112.2/133.6 = 0.016796.
    A factor per kg is not a spend factor: an error naming it.
    """
    (tmp_path / "factors").mkdir()
    (tmp_path / "factors" / "spend.csv").write_text(
        "activity,year,value,unit,scope,method,source\n"
        "spend:cleaning,2019,0.3,kgCO2e/EUR,3,,test\n"
        "spend:it_services,2020,0.02,kgCO2e/NOK,3,,test\n"
        "spend:furniture,2020,2,kgCO2e/kg,3,,test\n", encoding="utf-8")
    lib = fl.load_library(tmp_path)
    cats = pd.DataFrame({"year": [2021, 2024], "category": ["spend:cleaning", "spend:it_services"],
                         "counted_nok": [1000.0, 1000.0], "files": ["f", "f"]})
    lines = pr.spend_lines(cats, lib, ["location"]).set_index("activity")
    assert lines.loc["spend:cleaning", "factor_value"] == pytest.approx(0.3 * 110.8 / 116.1 / 9.85)
    assert lines.loc["spend:it_services", "factor_value"] == pytest.approx(0.02 * 112.2 / 133.6)
    assert lines.loc["spend:it_services", "emissions_tco2e"] == pytest.approx(
        1000 * 0.02 * 112.2 / 133.6 / 1000)
    bad = pd.DataFrame({"year": [2021], "category": ["spend:furniture"], "counted_nok": [1.0],
                        "files": ["f"]})
    with pytest.raises(KlimaError, match="spend:furniture"):
        pr.spend_lines(bad, lib, ["location"])


def test_the_first_spend_line_that_cannot_be_adjusted_is_the_error(tmp_path):
    """Each unit is parsed once for all lines, yet the error is the first line's, in order.

    spend:cleaning 0.3 kgCO2e/EUR of 2016 needs the EUR rate of 2016, before the
    shipped rates' first row (2017): an error (DESIGN §4). spend:furniture is per kg,
    not per a currency: an error. Whichever line comes first is named.
    """
    (tmp_path / "factors").mkdir()
    (tmp_path / "factors" / "spend.csv").write_text(
        "activity,year,value,unit,scope,method,source\n"
        "spend:cleaning,2016,0.3,kgCO2e/EUR,3,,test\n"
        "spend:furniture,2020,2,kgCO2e/kg,3,,test\n", encoding="utf-8")
    lib = fl.load_library(tmp_path)

    def lines(*categories):
        return pr.spend_lines(pd.DataFrame({
            "year": [2021] * len(categories), "category": list(categories),
            "counted_nok": [1.0] * len(categories), "files": ["f"] * len(categories)}),
            lib, ["location"])

    with pytest.raises(KlimaError, match="no exchange rate for EUR for 2016 or any earlier "
                                         "year: the table starts in 2017"):
        lines("spend:cleaning", "spend:furniture")
    with pytest.raises(KlimaError, match=r"spend factor of spend:furniture \(kgCO2e/kg, 2020\)"):
        lines("spend:furniture", "spend:cleaning")
