"""calc/energy.py: the share of recovered energy, by hand and as an invariant."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.calc import energy


# ------------------------------------------------------------------ recovered share

def test_recovered_share_by_hand():
    # 300 000 kWh delivered, 100 000 recovered -> 100 / 400 = 25 %
    assert energy.recovered_share_pct(300_000.0, 100_000.0) == pytest.approx(25.0)
    assert energy.recovered_share_pct(300_000.0, np.nan) == 0.0
    assert np.isnan(energy.recovered_share_pct(np.nan, 5.0))
    assert np.isnan(energy.recovered_share_pct(0.0, 0.0))
    v = energy.recovered_share_pct([100.0, 0.0], [100.0, 50.0])
    assert list(v) == [50.0, 100.0]


@settings(max_examples=50, deadline=None)
@given(d=st.floats(0, 1e9), r=st.floats(0, 1e9))
def test_recovered_share_is_a_share(d, r):
    v = energy.recovered_share_pct(d, r)
    assert np.isnan(v) or 0.0 <= v <= 100.0
