"""The measures reader (DESIGN §3 "Measures"): Norwegian headers and statuses, effects
in any unit that converts or in %, and every bad input refused with file, row and column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input

CTX = ReaderContext(sites={"kalnes", "fredrikstad"},
                    activity_units={"diesel": ["L", "kWh"], "fuel_oil": ["L", "kWh"]})
HEADER = ("id;navn;indikator;effekt;startår;enhet;full_effekt_år;status;lokasjon;energibærer;"
          "investering;årlig_kostnadsendring;levetid;ansvarlig\n")


def write(tmp_path: Path, body: str, name: str = "tiltak.csv") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return p


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, CTX)
    return info.value


def test_norwegian_file_read_and_converted_once(tmp_path):
    p = write(tmp_path,
              "T1;Varmepumper;energi;-1 200;2025;MWh;2026;vedtatt;Kalnes;fjernvarme;"
              "12 000 000;-400 000;20;Drift\n"
              "T2;Energioppfølging;energy;-5 %;2026;;;;;;;;;\n"
              "T3;Desfluran;utslipp;-180 tCO2e;2022;;;gjennomført;;;0;-50 000;;\n"
              "T4;Substitusjon;chemical_free_share;+4;2026;%;2028;planlagt;;;;;;\n"
              "T5;Solceller;energy;-400000 kWh;2028;;;idé;;elektrisitet;;;;\n")
    r = read_input(p, CTX)
    assert r.kind == "measures"
    f = r.frame.set_index("id")
    # -1 200 MWh = -1 200 000 kWh, the indicator's unit
    assert f.loc["T1", "effect"] == -1_200_000.0 and f.loc["T1", "effect_unit"] == "kWh"
    assert f.loc["T1", "site"] == "kalnes" and f.loc["T1", "carrier"] == "district_heating"
    assert f.loc["T1", "investment_nok"] == 12e6 and f.loc["T1", "annual_cost_change_nok"] == -4e5
    assert f.loc["T1", "lifetime_years"] == 20 and f.loc["T1", "owner"] == "Drift"
    # % stays % (the pipeline knows the baseline); status defaults to planned,
    # full_effect_year to start_year
    assert f.loc["T2", "effect"] == -5.0 and f.loc["T2", "effect_unit"] == "%"
    assert f.loc["T2", "status"] == "planned" and f.loc["T2", "full_effect_year"] == 2026
    assert f.loc["T3", "indicator"] == "emissions" and f.loc["T3", "status"] == "implemented"
    assert f.loc["T3", "effect"] == -180.0 and f.loc["T3", "effect_unit"] == "tCO2e"
    assert f.loc["T4", "effect"] == 4.0 and f.loc["T4", "effect_unit"] == "%"
    assert f.loc["T5", "status"] == "idea" and f.loc["T5", "carrier"] == "electricity"
    assert list(f["row"]) == [2, 3, 4, 5, 6]


def test_xlsx_with_number_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tiltaksplan 2025"])
    ws.append(["id", "navn", "indikator", "effekt", "enhet", "startår", "status"])
    ws.append(["M1", "Matsvinn", "matsvinn", -18000, "kg", 2025, "vedtatt"])
    ws.append(["M2", "Matsvinn 2", "food_waste", -2.5, "tonn", 2026, "planned"])
    p = tmp_path / "tiltak.xlsx"
    wb.save(p)
    f = read_input(p, CTX).frame.set_index("id")
    assert f.loc["M1", "effect"] == -18000.0 and f.loc["M2", "effect"] == -2500.0
    assert list(f["row"]) == [3, 4]


@pytest.mark.parametrize("body, row, column, words", [
    ("T1;X;energi;-5;2025;MWh;;;;;;;;\nT2;Y;utslippp;-5;2025;tCO2e;;;;;;;;\n",
     3, "indikator", "unknown indicator"),
    ("T1;X;energi;-5;2025;kg;;;;;;;;\n", 2, "enhet", "does not convert to kWh"),
    ("T1;X;energi;-5 kg;2025;;;;;;;;;\n", 2, "effekt", "does not convert to kWh"),
    ("T1;X;energi;-5;2025;;;;;;;;;\n", 2, "enhet", "effect without a unit"),
    ("T1;X;energi;-5;2026;MWh;2025;;;;;;;\n", 2, "full_effekt_år",
     "full_effect_year is before start_year"),
    ("T1;X;energi;-5;2025;MWh;;;;;1 000 000;;;\n", 2, "levetid",
     "an investment without a lifetime"),
    ("T1;X;energi;-5;2025;MWh;;;;kull;;;;\n", 2, "energibærer", "unknown carrier"),
    ("T1;X;utslipp;-5;2025;tCO2e;;;;diesel;;;;\n", 2, "energibærer",
     "a carrier is for energy measures"),
    ("T1;X;energi;-5;2025;MWh;;;;;;;;\nT1;Y;energi;-6;2025;MWh;;;;;;;;\n", 3, "id",
     "already given in row 2"),
    ("T1;X;energi;-5;2025;MWh;;kanskje;;;;;;\n", 2, "status", "unknown status"),
    ("T1;X;energi;-5;2025;MWh;;;Oslo;;;;;\n", 2, "lokasjon", "unknown site"),
    ("T1;X;kjemikaliefri;-5;2025;kg;;;;;;;;\n", 2, "enhet", "a share"),
])
def test_bad_input_refused_with_file_row_and_column(tmp_path, body, row, column, words):
    p = write(tmp_path, body)
    e = refused(p)
    assert e.file == str(p) and e.row == row and e.column == column, str(e)
    assert words in str(e)


def test_investment_without_a_lifetime_column(tmp_path):
    p = tmp_path / "tiltak.csv"
    p.write_text("id;navn;indikator;effekt;startår;investering\nT1;X;utslipp;-5 tCO2e;2025;10\n",
                 encoding="utf-8")
    e = refused(p)
    assert (e.row, e.column) == (2, "lifetime_years (levetid)") and "lifetime" in str(e)


def test_every_problem_of_a_file_at_once(tmp_path):
    p = write(tmp_path, "T1;X;energi;-5;2026;kg;2025;;;kull;;;;\n")
    e = refused(p)
    text = str(e)
    assert "problems" in text
    for part in ("does not convert", "before start_year", "unknown carrier"):
        assert part in text
