"""Measures through the real ledger and pipeline into summary.json (DESIGN §4, §5).

The hand-worked project (tests/test_pipeline.py): report year 2021, emissions
8.1 t (baseline 12.5 t, target 7.5 t in 2030), energy 102 000 kWh (baseline
110 000 kWh, target 88 000 kWh), electricity location 50 g/kWh in 2021, the
last published year (so every later year falls back to it).

Measures (inputs/tiltak.csv):
  E1 energy -10 % decided 2022-2023, electricity: -10 % x 110 000 = -11 000 kWh;
     on emissions -11 000 x 0.05 kg = -0.55 t; investment 100 000 NOK over 10
     years at 4 %: 100 000 x 0.1232909 / 0.55 t = 22 416.53 NOK/t.
  E2 emissions -1 tCO2e planned 2021-2022: -0.5 t in 2021 (in the actual value),
     -0.5 t more after.
  E3 emissions -2 tCO2e implemented 2020: already in the actual values.
  E4 emissions -5 tCO2e idea: listed, never counted.

  energy:    BAU 102 000; decided 91 000; planned 91 000; gap 91 000 - 88 000 = 3 000 kWh.
  emissions: BAU 8.1; decided 7.55; planned 7.05; gap 7.05 - 7.5 = -0.45 t (met).
  climate_neutral (0 in 2045): planned 7.05, gap 7.05 t.
"""

from __future__ import annotations

import pytest

from conftest import build, write

from klimaregnskap.errors import InputError
from klimaregnskap.summary import build_summary

MEASURES = """id;navn;indikator;effekt;startår;full_effekt_år;status;energibærer;investering;levetid;årlig_kostnadsendring
E1;LED;energi;-10 %;2022;2023;vedtatt;elektrisitet;100 000;10;
E2;Gass;utslipp;-1 tCO2e;2021;2022;planlagt;;;;
E3;Desfluran;utslipp;-2 tCO2e;2020;;gjennomført;;0;;-10 000
E4;Idé;utslipp;-5 tCO2e;2023;;idé;;;;
"""


def test_summary_measures_by_hand(worked):
    write(worked / "inputs" / "tiltak.csv", MEASURES)
    acc = build(worked, 2021)
    s = build_summary(acc)
    ind = s["indicators"]
    assert ind["energy"]["bau_target_year_value"] == pytest.approx(102_000)
    assert ind["energy"]["with_decided_measures_target_year_value"] == pytest.approx(91_000)
    assert ind["energy"]["with_planned_measures_target_year_value"] == pytest.approx(91_000)
    assert ind["energy"]["gap_after_measures"] == pytest.approx(3_000)
    assert ind["emissions"]["bau_target_year_value"] == pytest.approx(8.1)
    assert ind["emissions"]["with_decided_measures_target_year_value"] == pytest.approx(7.55)
    assert ind["emissions"]["with_planned_measures_target_year_value"] == pytest.approx(7.05)
    assert ind["emissions"]["gap_after_measures"] == pytest.approx(-0.45)
    assert ind["climate_neutral"]["gap_after_measures"] == pytest.approx(7.05)
    # an indicator without measures gets none of the fields
    assert "bau_target_year_value" not in ind["food_waste"]
    by_id = {x["id"]: x for x in s["measures"]}
    assert set(by_id) == {"E1", "E2", "E3", "E4"}
    assert by_id["E1"] == {"id": "E1", "name": "LED", "indicator": "energy", "status": "decided",
                           "effect_target_year": pytest.approx(-11_000), "unit": "kWh",
                           "cost_per_tco2e": pytest.approx(22_416.53, abs=0.01)}
    assert by_id["E3"]["status"] == "implemented"
    assert by_id["E3"]["cost_per_tco2e"] == pytest.approx(-5_000)
    assert by_id["E4"]["status"] == "idea" and by_id["E4"]["cost_per_tco2e"] is None
    # the measures file is among the inputs the accounts rest on
    assert any(i["file"].endswith("tiltak.csv") for i in s["provenance"]["inputs"])


def test_no_measures_no_fields(worked):
    s = build_summary(build(worked, 2021))
    assert s["measures"] == []
    assert all("gap_after_measures" not in v for v in s["indicators"].values())


def test_a_bad_measures_file_stops_the_load(worked):
    write(worked / "inputs" / "tiltak.csv",
          "id;navn;indikator;effekt;startår\nE1;X;energi;-5 kg;2022\n")
    from klimaregnskap import importing, ledger
    from klimaregnskap.calc import factors as fl
    from klimaregnskap.config import load_config

    cfg = load_config(worked)
    con = ledger.connect(worked)
    outcome = importing.load_new_inputs(con, cfg, fl.load_library(worked))
    errs = [x for item in outcome.errors
            for x in (item if isinstance(item, tuple) else (item,)) if isinstance(x, InputError)]
    assert len(errs) == 1
    e = errs[0]
    assert str(e.file).endswith("tiltak.csv") and (e.row, e.column) == (2, "effekt")
    assert "does not convert to kWh" in str(e)


def test_measures_command(worked, cli):
    write(worked / "inputs" / "tiltak.csv", MEASURES)
    res = cli("measures", "--project", worked, "--year", "2021", "--lang", "en")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "LED" in out and "Decided" in out and "Ideas (not counted): Idé." in out
    # the sentence per indicator, with the pipeline's figures
    # one unit per sentence: MWh, as the level is above 10 MWh
    assert "With decided measures we reach 91.0\xa0MWh in 2030" in out
    assert "the target is 88.0\xa0MWh; the gap is 3.00\xa0MWh" in out
    res = cli("measures", "--project", worked, "--year", "2021", "--lang", "nb")
    assert "Med vedtatte tiltak når vi" in res.output


def test_measures_command_without_measures(worked, cli):
    res = cli("measures", "--project", worked, "--year", "2021", "--lang", "en")
    assert res.exit_code == 0 and "No measures" in res.output


def test_two_files_disagreeing_on_a_measure_is_an_error_naming_both(worked):
    """Measures have one value per key (id), DESIGN §3: the same id in two current files
    with different values is an error naming both files; the same values count once."""
    from klimaregnskap import importing, ledger
    from klimaregnskap.calc import factors as fl
    from klimaregnskap.config import load_config

    write(worked / "inputs" / "tiltak_a.csv",
          "id;navn;indikator;effekt;startår\nE1;LED;energi;-5 MWh;2022\n")
    write(worked / "inputs" / "tiltak_b.csv",
          "id;navn;indikator;effekt;startår\nE1;LED;energi;-6 MWh;2022\n")
    cfg = load_config(worked)
    con = ledger.connect(worked)
    outcome = importing.load_new_inputs(con, cfg, fl.load_library(worked))
    text = " ".join(str(x) for item in outcome.errors
                    for x in (item if isinstance(item, tuple) else (item,)))
    assert "tiltak_a.csv" in text and "tiltak_b.csv" in text
    # the same values in both files count once
    write(worked / "inputs" / "tiltak_b.csv",
          "id;navn;indikator;effekt;startår\nE1;LED;energi;-5 MWh;2022\n")
    acc = build(worked, 2021)
    assert list(acc.measures["id"]) == ["E1"]
