"""Purchases and account mappings in the ledger (DESIGN §3): purchases of two files add
up, a mapping pattern has one value, and a purchases file with an account no current
mapping covers is not imported at all; on a real DuckDB ledger."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from klimaregnskap import ledger
from klimaregnskap.errors import InputError
from klimaregnskap.readers.purchases import parse_pattern


def purchases(rows):
    """rows: (year, account, amount, category)."""
    df = pd.DataFrame(rows, columns=["year", "account", "amount", "category"])
    return df.assign(row=np.arange(2, 2 + len(df)), currency="NOK", supplier="", description="")


def mapping(rows):
    out = []
    for i, (pat, cat, reason) in enumerate(rows):
        match, lo, hi, prefix = parse_pattern(pat)
        out.append({"row": i + 2, "pattern": pat, "match": match, "low": lo, "high": hi,
                    "prefix": prefix, "category": cat, "reason": reason})
    return pd.DataFrame(out)


@pytest.fixture
def con(tmp_path):
    c = ledger.connect(tmp_path)
    ledger.store(c, "account_mapping",
                 mapping([("4650", "spend:cleaning", ""), ("4700-4799", "spend:furniture", ""),
                          ("58*", "exclude", "lønn")]), file="inputs/m.csv", sha256="m1")
    yield c
    c.close()


def test_covered_accounts_are_imported_and_files_add_up(con):
    ledger.store(con, "purchases", purchases([(2024, 4650, 100.0, ""), (2024, 4750, 50.0, ""),
                                              (2024, 5810, 7.0, "")]),
                 file="inputs/a.csv", sha256="a1")
    # a row with its own category needs no mapping
    ledger.store(con, "purchases", purchases([(2024, 9999, 10.0, "spend:it_services")]),
                 file="inputs/b.csv", sha256="b1")
    cur = ledger.current(con, "purchases")
    assert sorted(cur["amount"]) == [7.0, 10.0, 50.0, 100.0]


def test_an_unmapped_account_refuses_the_whole_file(con):
    with pytest.raises(InputError) as info:
        ledger.store(con, "purchases", purchases([(2024, 4650, 100.0, ""), (2024, 9999, 20.0, ""),
                                                  (2024, 9999, 5.5, ""), (2024, 4800, 1.0, "")]),
                     file="inputs/a.csv", sha256="a1")
    e = info.value
    assert e.file == "inputs/a.csv" and e.row == 5 and e.found == "4800"
    assert "2 accounts" in e.message and "4800 (total 1.00 NOK in 1 row(s))" in e.message
    assert "9999 (total 25.50 NOK in 2 row(s))" in e.message
    assert ledger.history(con, "purchases").empty and "inputs/a.csv" not in ledger.current_files(con)


def test_two_mapping_files_that_disagree_are_an_error(con):
    with pytest.raises(InputError) as info:
        ledger.store(con, "account_mapping", mapping([("4650", "spend:pharmaceuticals", "")]),
                     file="inputs/m2.csv", sha256="m2")
    assert "inputs/m.csv" in info.value.message and "inputs/m2.csv" in info.value.message
    # agreeing rows count once
    ledger.store(con, "account_mapping", mapping([("4650", "spend:cleaning", "")]),
                 file="inputs/m3.csv", sha256="m3")
    assert len(ledger.current(con, "account_mapping")) == 3
