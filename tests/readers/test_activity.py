"""Tests for readers/activity.py beyond test_readers.py: unit spellings, total
rows and "did you mean" (issue 13 items 6, 7 and 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input

CTX = ReaderContext(sites={"kalnes", "fredrikstad"},
                    activity_units={"diesel": ["L", "kWh"], "refrigerant:R-134a": ["kg"],
                                    "waste:residual": ["tonne"]})


def write(tmp_path: Path, text: str, name: str = "aktivitet.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_input(path, CTX)
    return info.value


def test_units_in_any_case_and_kilo(tmp_path):
    """Issue 13 item 6: ``KWh`` and ``LITER`` were accepted, ``Kg``, ``KG`` and
    ``kilo`` refused."""
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;refrigerant:R-134a;2;Kg\n"
                        "kalnes;2024;refrigerant:R-134a;3;KG\n"
                        "kalnes;2024;refrigerant:R-134a;4;kilo\n"
                        "kalnes;2024;diesel;5;LITER\n"
                        "kalnes;2024;diesel;6;KWh\n"
                        "kalnes;2024;waste:residual;7;Tonn\n")
    df = read_input(p, CTX).frame
    assert df["unit"].tolist() == ["Kg", "KG", "kilo", "LITER", "KWh", "Tonn"]
    assert df["quantity"].tolist() == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def test_a_unit_not_in_the_list_is_still_refused(tmp_path):
    p = write(tmp_path, "lokasjon;periode;aktivitet;mengde;enhet\n"
                        "kalnes;2024;refrigerant:R-134a;2;kiloer\n")
    err = refused(p)
    assert (err.message, err.row, err.found) == ("unknown unit", 2, "kiloer")
