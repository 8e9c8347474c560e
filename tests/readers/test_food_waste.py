"""Tests for readers/food_waste.py: "did you mean" for categories (issue 13 item 7)."""

from __future__ import annotations

import pytest

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.dispatch import read_input

CTX = ReaderContext(sites={"kalnes"}, activity_units={})


def test_unknown_category_did_you_mean(tmp_path):
    p = tmp_path / "matsvinn.csv"
    p.write_text("dato;lokasjon;kategori;mengde;enhet\n2024-03-15;kalnes;tallerkn;2,5;kg\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_input(p, CTX)
    err = info.value
    assert err.message == "unknown food-waste category (did you mean 'tallerken'?)"
    assert (err.row, err.column, err.found) == (2, "kategori", "tallerkn")


def test_total_row_in_food_waste(tmp_path):
    p = tmp_path / "matsvinn.csv"
    p.write_text("dato;lokasjon;kategori;mengde;enhet\n2024-03-15;kalnes;plate;2,5;kg\n"
                 ";Sum;;2,5;\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_input(p, CTX)
    assert (info.value.row, info.value.column, info.value.found) == (3, "lokasjon", "Sum")
