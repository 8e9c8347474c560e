"""Meter registry, meter readings (long, wide, Elhub) and timestamp handling.

Expected numbers are worked out by hand: Europe/Oslo is UTC+1 in winter and
UTC+2 in summer; in 2024 summer time starts 31 March 02:00 -> 03:00 and ends
27 October 03:00 -> 02:00.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimaregnskap.errors import InputError
from klimaregnskap.readers.base import ReaderContext
from klimaregnskap.readers.meters import (is_elhub_table, iter_meter_reading_chunks,
                                          normalise_quality, read_elhub, read_meter_readings,
                                          read_meter_registry)
from klimaregnskap.readers.tables import read_table
from klimaregnskap.readers.timestamps import (expected_intervals, infer_interval_minutes,
                                              local_year, parse_timestamps)

TZ = "Europe/Oslo"
DATA = Path(__file__).parent / "data" / "meters"
EL = "707057500000000001"


def registry_frame(**extra) -> pd.DataFrame:
    meters = {
        EL: ("interval", "kWh", np.nan),
        "M2": ("interval", "kWh", np.nan),
        "Q15": ("interval", "kWh", np.nan),
        "REG": ("register", "kWh", np.nan),
        "ROLL": ("register", "MWh", 1000.0),
        "FV": ("interval", "MWh", np.nan),
    }
    meters.update(extra)
    return pd.DataFrame({"meter_id": list(meters),
                         "kind": [v[0] for v in meters.values()],
                         "unit": [v[1] for v in meters.values()],
                         "rollover": [v[2] for v in meters.values()]})


@pytest.fixture
def ctx() -> ReaderContext:
    return ReaderContext(sites={"kalnes", "sentrum"},
                         activity_units={"fuel_oil": ["L", "kWh"], "natural_gas": ["Sm3", "kWh"]},
                         timezone=TZ, meters=registry_frame())


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def readings(tmp_path, ctx, text, name="readings.csv"):
    return read_meter_readings(read_table(write(tmp_path, name, text)), ctx).frame


def utc(*stamps: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(s, tz="UTC") for s in stamps]


# ------------------------------------------------------------- timestamps

def test_autumn_day_naive_local_25_hours_repeated_hour_is_summer_then_winter(tmp_path, ctx):
    hours = [f"2024-10-27 {h:02d}:00" for h in (0, 1, 2, 2, *range(3, 24))]
    assert len(hours) == 25
    body = "".join(f"{EL};{h};{i + 1}\n" for i, h in enumerate(hours))
    f = readings(tmp_path, ctx, "målepunkt;tidspunkt;verdi\n" + body)
    expected = pd.date_range("2024-10-26 22:00", periods=25, freq="h", tz="UTC")
    assert list(f["ts_utc"]) == list(expected)
    # the first 02:00 (file row 4) is 00:00Z, the second (row 5) is 01:00Z
    assert f.loc[f["row"] == 4, "ts_utc"].iloc[0] == pd.Timestamp("2024-10-27 00:00", tz="UTC")
    assert f.loc[f["row"] == 5, "ts_utc"].iloc[0] == pd.Timestamp("2024-10-27 01:00", tz="UTC")
    assert f["value"].sum() == 325.0
    assert (f["year"] == 2024).all()


def test_autumn_repeated_hour_counted_per_meter(tmp_path, ctx):
    text = ("meter_id,timestamp,value\n"
            f"{EL},27.10.2024 02:00,1\nM2,27.10.2024 02:00,10\n"
            f"{EL},27.10.2024 02:00,2\nM2,27.10.2024 02:00,20\n")
    f = readings(tmp_path, ctx, text)
    assert list(f["meter_id"]) == [EL, EL, "M2", "M2"]
    assert list(f["ts_utc"]) == utc("2024-10-27 00:00", "2024-10-27 01:00") * 2
    assert list(f["value"]) == [1.0, 2.0, 10.0, 20.0]


def test_spring_day_has_23_hours(tmp_path, ctx):
    hours = [h for h in range(24) if h != 2]
    body = "".join(f"{EL};31.03.2024 {h:02d}:00;1\n" for h in hours)
    f = readings(tmp_path, ctx, "målepunkt;tidspunkt;verdi\n" + body)
    assert len(f) == 23
    assert list(f["ts_utc"]) == list(pd.date_range("2024-03-30 23:00", periods=23, freq="h",
                                                   tz="UTC"))


def test_spring_missing_hour_is_an_error(tmp_path, ctx):
    text = f"meter_id;timestamp;value\n{EL};31.03.2024 01:00;1\n{EL};31.03.2024 02:00;1\n"
    with pytest.raises(InputError, match="does not exist in local time") as e:
        readings(tmp_path, ctx, text)
    assert e.value.row == 3 and e.value.column == "timestamp"


def test_third_october_hour_names_both_rows(tmp_path, ctx):
    text = "meter_id;timestamp;value\n" + "".join(
        f"{EL};2024-10-27 02:00;{i}\n" for i in range(3))
    with pytest.raises(InputError, match="rows 3 and 4") as e:
        readings(tmp_path, ctx, text)
    assert e.value.row == 4
    assert e.value.extra["rows"] == [3, 4]


def test_duplicate_ordinary_timestamp_names_both_rows(tmp_path, ctx):
    text = (f"meter_id;timestamp;value\n{EL};2024-01-05 10:00;1\n{EL};2024-01-05 11:00;1\n"
            f"{EL};2024-01-05 10:00;2\n")
    with pytest.raises(InputError, match="rows 2 and 4") as e:
        readings(tmp_path, ctx, text)
    assert str(e.value.file).endswith("readings.csv")


def test_utc_stamps_crossing_new_year_belong_to_local_year(tmp_path, ctx):
    text = (f"meter_id,timestamp,value\n{EL},2023-12-31T22:00:00Z,1\n"
            f"{EL},2023-12-31T23:00:00Z,2\n{EL},2024-12-31T23:00:00Z,3\n")
    f = readings(tmp_path, ctx, text)
    assert list(f["year"]) == [2023, 2024, 2025]
    assert f["year"].dtype == "int16"


def test_offset_and_naive_forms_agree():
    s = pd.Series(["2024-01-01T01:00+01:00", "2024-01-01 01:00", "01.01.2024 01:00",
                   "2024-01-01T00:00:00Z", "2024-07-01T02:00:00+02:00", "01.07.2024 02:00:00"])
    out = parse_timestamps(s, TZ, groups=np.arange(6))
    assert list(out) == utc(*["2024-01-01 00:00"] * 4, *["2024-07-01 00:00"] * 2)
    assert str(out.dtype) == "datetime64[ns, UTC]"


def test_date_only_and_excel_cells_and_serials():
    s = pd.Series([dt.datetime(2024, 1, 1, 1, 0), "02.01.2024", "2024-01-03",
                   45292.5, dt.date(2024, 6, 1)], dtype=object)
    out = parse_timestamps(s, TZ, groups=np.arange(5))
    # Excel serial 45292 is 2024-01-01; .5 is noon local = 11:00Z
    assert list(out) == utc("2024-01-01 00:00", "2024-01-01 23:00", "2024-01-02 23:00",
                            "2024-01-01 11:00", "2024-05-31 22:00")


def test_impossible_date_names_file_row_column_value(tmp_path, ctx):
    text = f"målepunkt;tidspunkt;verdi\n{EL};30.02.2024 00:00;1\n"
    with pytest.raises(InputError) as e:
        readings(tmp_path, ctx, text)
    err = e.value
    assert (err.row, err.column, err.found) == (2, "tidspunkt", "30.02.2024 00:00")
    assert "dd.mm.yyyy HH:MM" in err.expected
    assert "readings.csv" in str(err)


def test_text_that_is_not_a_timestamp(tmp_path, ctx):
    text = f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\n{EL};i går;1\n"
    with pytest.raises(InputError, match="not a timestamp") as e:
        readings(tmp_path, ctx, text)
    assert e.value.row == 3


def test_expected_interval_counts_and_local_year():
    assert expected_intervals(2024, TZ) == 8784
    assert expected_intervals(2023, TZ) == 8760
    assert expected_intervals(2024, TZ, 15) == 35136
    ts = pd.Series(utc("2023-12-31 22:59", "2023-12-31 23:00", "2024-06-30 23:00"))
    assert list(local_year(ts, TZ)) == [2023, 2024, 2024]


def test_fifteen_minute_meter(tmp_path, ctx):
    stamps = pd.date_range("2024-02-01 00:00", periods=8, freq="15min")
    body = "".join(f"Q15;{t:%d.%m.%Y %H:%M};0,25\n" for t in stamps)
    f = readings(tmp_path, ctx, "målepunkt;tidspunkt;verdi\n" + body)
    assert len(f) == 8 and f["value"].sum() == 2.0
    assert f["ts_utc"].iloc[1] - f["ts_utc"].iloc[0] == pd.Timedelta(minutes=15)
    assert f["ts_utc"].iloc[0] == pd.Timestamp("2024-01-31 23:00", tz="UTC")
    assert infer_interval_minutes(f["ts_utc"]) == 15


@settings(max_examples=30, deadline=None)
@given(start=st.integers(0, 366 * 24 - 1), length=st.integers(1, 60))
def test_naive_local_round_trip_in_file_order(start, length):
    # Any run of UTC hours written as naive local time parses back to itself,
    # across both DST changes.
    true = pd.date_range("2024-01-01 00:00", periods=length, freq="h", tz="UTC") + \
        pd.Timedelta(hours=start)
    naive = pd.Series(true.tz_convert(TZ).strftime("%Y-%m-%d %H:%M"))
    out = parse_timestamps(naive, TZ)
    assert list(out) == list(true)


# ---------------------------------------------------------------- long form

def test_long_form_output_frame_exact(tmp_path, ctx):
    text = ("meter_id;timestamp;value;quality\n"
            f"M2;2024-01-01 01:00;2,5;Målt\n{EL};2024-01-01 00:00;1 234,5;Estimert\n"
            "M2;2024-01-01 00:00;1,5;\n")
    f = readings(tmp_path, ctx, text)
    assert list(f.columns) == ["row", "meter_id", "ts_utc", "year", "value", "quality"]
    assert [str(t) for t in f.dtypes] == ["int64", "str", "datetime64[ns, UTC]", "int16",
                                          "float64", "str"]
    assert list(f["meter_id"]) == [EL, "M2", "M2"]
    assert list(f["row"]) == [3, 4, 2]
    assert list(f["value"]) == [1234.5, 1.5, 2.5]
    assert list(f["quality"]) == ["estimated", "", "measured"]
    assert list(f["ts_utc"]) == utc("2023-12-31 23:00", "2023-12-31 23:00", "2024-01-01 00:00")


def test_unit_column_converted_to_meter_unit(tmp_path, ctx):
    text = ("meter_id;timestamp;value;unit\n"
            f"{EL};2024-01-01 00:00;2;MWh\n{EL};2024-01-01 01:00;500;kWh\n"
            "FV;2024-01-01 00:00;500;kWh\nFV;2024-01-01 01:00;3;\n")
    f = readings(tmp_path, ctx, text)
    assert list(f["value"]) == [2000.0, 500.0, 0.5, 3.0]


def test_unit_that_does_not_convert_is_an_error(tmp_path, ctx):
    text = f"meter_id;timestamp;value;enhet\n{EL};2024-01-01 00:00;2;kWh\n{EL};2024-01-01 01:00;2;kg\n"
    with pytest.raises(InputError, match="does not convert") as e:
        readings(tmp_path, ctx, text)
    assert (e.value.row, e.value.column, e.value.found) == (3, "enhet", "kg")


def test_unregistered_meter_is_an_error(tmp_path, ctx):
    text = f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\nNOPE;2024-01-01 00:00;1\n"
    with pytest.raises(InputError, match="not in the registry") as e:
        readings(tmp_path, ctx, text)
    assert (e.value.row, e.value.column, e.value.found) == (3, "meter_id", "NOPE")


def test_readings_without_registry_refused(tmp_path, ctx):
    ctx.meters = None
    with pytest.raises(InputError, match="registry"):
        readings(tmp_path, ctx, f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\n")


def test_empty_value_in_the_middle_is_a_gap(tmp_path, ctx):
    """DESIGN §3: an empty value is a missing interval, never zero, never an error."""
    text = (f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\n{EL};2024-01-01 01:00;\n"
            f"{EL};2024-01-01 02:00;1\n")
    res = read_meter_readings(read_table(write(tmp_path, "r.csv", text)), ctx)
    assert res.frame["row"].tolist() == [2, 4]
    assert res.frame["value"].tolist() == [1.0, 1.0]
    assert [w.code for w in res.warnings] == ["empty_values_skipped"]
    assert res.warnings[0].get("count") == 1


def test_trailing_empty_values_are_skipped_with_a_warning(tmp_path, ctx):
    text = (f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\n{EL};2024-01-01 01:00;2\n"
            f"{EL};2024-01-01 02:00;\n")
    res = read_meter_readings(read_table(write(tmp_path, "r.csv", text)), ctx)
    assert list(res.frame["value"]) == [1.0, 2.0]
    assert res.warnings and res.warnings[0].code == "empty_values_skipped"
    assert res.warnings[0].message == (f"{tmp_path / 'r.csv'}: 1 empty value(s): missing "
                                       "intervals, shown as gaps in data quality, not counted "
                                       "as zero")


def test_text_that_is_not_a_number_is_still_an_error(tmp_path, ctx):
    text = (f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\n{EL};2024-01-01 01:00;mangler\n")
    with pytest.raises(InputError) as e:
        readings(tmp_path, ctx, text)
    assert (e.value.message, e.value.row, e.value.column, e.value.found) == (
        "not a number", 3, "value", "mangler")


def test_negative_value_on_interval_meter(tmp_path, ctx):
    text = f"meter_id;timestamp;value\n{EL};2024-01-01 00:00;1\n{EL};2024-01-01 01:00;-0,5\n"
    with pytest.raises(InputError, match="negative value on an interval meter") as e:
        readings(tmp_path, ctx, text)
    assert (e.value.row, e.value.found) == (3, -0.5)


def test_decreasing_register_reading_names_both_rows(tmp_path, ctx):
    # rows out of time order: sorted by time the readings are 100 (row 3), 150 (row 2), 140 (row 4)
    text = ("meter_id;timestamp;value\nREG;2024-01-02 00:00;150\nREG;2024-01-01 00:00;100\n"
            "REG;2024-01-03 00:00;140\n")
    with pytest.raises(InputError, match="rows 2 and 4") as e:
        readings(tmp_path, ctx, text)
    assert e.value.extra["rows"] == [2, 4]


def test_register_with_rollover_may_wrap_but_not_exceed(tmp_path, ctx):
    ok = ("meter_id;timestamp;value\nROLL;2024-01-01 00:00;990\nROLL;2024-01-02 00:00;5\n")
    f = readings(tmp_path, ctx, ok)
    assert list(f["value"]) == [990.0, 5.0]
    bad = ok + "ROLL;2024-01-03 00:00;1000,5\n"
    with pytest.raises(InputError, match="rollover") as e:
        readings(tmp_path, ctx, bad, name="bad.csv")
    assert (e.value.row, e.value.found) == (4, 1000.5)


def test_chunked_reading_matches_whole_file(tmp_path, ctx):
    stamps = pd.date_range("2024-01-01", periods=50, freq="h", tz="UTC")
    body = "".join(f"{m},{t:%Y-%m-%dT%H:%M:%SZ},{i}\n" for m in (EL, "M2")
                   for i, t in enumerate(stamps))
    p = write(tmp_path, "big.csv", "meter_id,timestamp,value\n" + body)
    whole = read_meter_readings(read_table(p), ctx).frame
    parts = pd.concat([r.frame for r in iter_meter_reading_chunks(p, ctx, chunk_rows=30)])
    parts = parts.sort_values(["meter_id", "ts_utc"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(whole, parts)


def test_chunked_reading_counts_the_october_hour_across_chunks(tmp_path, ctx, monkeypatch):
    # decimal commas keep the file off the fast path; tiny arrow blocks put the
    # two 02:00 rows of 27 October into different chunks
    hours = (0, 1, 2, 2, 3)
    body = "".join(f"M2;2024-10-27 {h:02d}:00;{i},5\n" for i, h in enumerate(hours))
    p = write(tmp_path, "autumn.csv", "meter_id;timestamp;value\n" + body)
    import pyarrow.csv as pacsv

    original = pacsv.ReadOptions
    monkeypatch.setattr(pacsv, "ReadOptions", lambda **kw: original(**{**kw, "block_size": 30}))
    chunks = [r.frame for r in iter_meter_reading_chunks(p, ctx, chunk_rows=1)]
    assert len(chunks) > 2
    got = pd.concat(chunks).sort_values("ts_utc")
    # 02:00 CEST = 00:00Z, 02:00 CET = 01:00Z
    assert got["ts_utc"].dt.strftime("%H:%M").tolist() == [
        "22:00", "23:00", "00:00", "01:00", "02:00"]
    assert got["value"].tolist() == [0.5, 1.5, 2.5, 3.5, 4.5]


@pytest.mark.parametrize("values,kept", [
    (["1,5", "2,5", "", "", "3,5"], [1.5, 2.5, 3.5]),   # a gap that straddles chunks
    (["", "1,5", "2,5", "", ""], [1.5, 2.5]),           # empty start and end
])
def test_chunked_reading_leaves_empty_values_out_across_chunks(tmp_path, ctx, monkeypatch,
                                                              values, kept):
    body = "".join(f"M2;2024-01-01 {h:02d}:00;{v}\n" for h, v in enumerate(values))
    p = write(tmp_path, "holes.csv", "meter_id;timestamp;value\n" + body)
    import pyarrow.csv as pacsv

    original = pacsv.ReadOptions
    monkeypatch.setattr(pacsv, "ReadOptions", lambda **kw: original(**{**kw, "block_size": 30}))
    chunks = list(iter_meter_reading_chunks(p, ctx, chunk_rows=1))
    assert len(chunks) > 2
    assert pd.concat([r.frame for r in chunks])["value"].tolist() == kept
    assert sum(w.get("count") for r in chunks for w in r.warnings) == values.count("")


def test_big_uniform_utc_file_all_in_local_year(tmp_path, ctx):
    ids = [f"B{i:02d}" for i in range(20)]
    ctx.meters = registry_frame(**{m: ("interval", "kWh", np.nan) for m in ids})
    # local 2024 runs from 2023-12-31T23:00Z: 8784 hours, all in local year 2024
    stamps = pd.date_range("2023-12-31 23:00", periods=8784, freq="h", tz="UTC").strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    df = pd.DataFrame({"meter_id": np.repeat(ids, len(stamps)), "timestamp": np.tile(stamps, 20),
                       "value": 1.0})
    p = tmp_path / "big.csv"
    df.to_csv(p, index=False)
    f = read_meter_readings(read_table(p), ctx).frame
    assert len(f) == 175680 and f["value"].sum() == 175680.0
    assert (f.groupby("meter_id")["year"].value_counts() == 8784).all()


# ---------------------------------------------------------------- wide form

def _wide_xlsx(path: Path, cells_by_row: list[list]) -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in cells_by_row:
        ws.append(r)
    wb.create_sheet("Instruksjoner").append(["Fyll inn én kolonne per måler"])
    wb.save(path)
    return path


def test_wide_xlsx_with_two_metadata_rows(tmp_path, ctx):
    p = _wide_xlsx(tmp_path / "wide.xlsx", [
        ["Eksport fra EOS"], ["Periode: januar 2024"],
        ["Tidspunkt", EL, "M2"],
        [dt.datetime(2024, 1, 1, 0, 0), 1.5, 10],
        [dt.datetime(2024, 1, 1, 1, 0), 2.5, 20],
    ])
    f = read_meter_readings(read_table(p), ctx).frame
    assert list(f["meter_id"]) == [EL, EL, "M2", "M2"]
    assert list(f["row"]) == [4, 5, 4, 5]
    assert list(f["value"]) == [1.5, 2.5, 10.0, 20.0]
    assert list(f["ts_utc"]) == utc("2023-12-31 23:00", "2024-01-01 00:00") * 2
    assert list(f["year"]) == [2024] * 4


def test_wide_xlsx_error_row_counts_metadata_rows(tmp_path, ctx):
    p = _wide_xlsx(tmp_path / "wide.xlsx", [
        ["Eksport fra EOS"], ["Periode: januar 2024"],
        ["Tidspunkt", EL, "M2"],
        [dt.datetime(2024, 1, 1, 0, 0), 1.5, 10],
        [dt.datetime(2024, 1, 1, 1, 0), 2.5, -20],
    ])
    with pytest.raises(InputError) as e:
        read_meter_readings(read_table(p), ctx)
    assert (e.value.row, e.value.column, e.value.found) == (5, "M2", -20.0)


def test_wide_csv_column_naming_no_registered_meter(tmp_path, ctx):
    text = f"dato;{EL};UKJENT\n01.01.2024;1;2\n"
    with pytest.raises(InputError, match="no registered meter") as e:
        readings(tmp_path, ctx, text)
    assert (e.value.column, e.value.row) == ("UKJENT", 1)


# -------------------------------------------------------------------- Elhub

def test_elhub_decimal_comma_and_estimated_hour(ctx):
    t = read_table(DATA / f"elhub_{EL}_2025-02.csv")
    assert is_elhub_table(t)
    f = read_elhub(t, ctx).frame
    assert list(f["meter_id"]) == [EL] * 3
    assert list(f["value"]) == [6.9, 7.25, 1001.5]
    assert list(f["quality"]) == ["measured", "estimated", "measured"]
    assert list(f["ts_utc"]) == utc("2025-01-31 23:00", "2025-02-01 00:00", "2025-02-01 01:00")
    assert list(f["year"]) == [2025] * 3


def test_elhub_15_minute_export_into_mwh_meter(tmp_path, ctx):
    ctx.meters = registry_frame(**{"707057500000000009": ("interval", "MWh", np.nan)})
    local = ["02:00", "02:15", "02:30", "02:45", "02:00", "02:15"]
    body = "".join(f"27.10.2024 {t};27.10.2024 {t};{250 * (i + 1)};{'Beregnet' if i == 4 else 'Avlest'}\n"
                   for i, t in enumerate(local))
    p = write(tmp_path, "Forbruk_707057500000000009.csv",
              "Fra;Til;KWH 15 Forbruk;Kvalitet\n" + body)
    f = read_elhub(read_table(p), ctx).frame
    # the first 02:00-02:45 run is summer time (00:00Z..), the repeat winter time (01:00Z..)
    assert list(f["ts_utc"]) == list(pd.date_range("2024-10-27 00:00", periods=6, freq="15min",
                                                   tz="UTC"))
    assert list(f["value"]) == [0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
    assert list(f["quality"]) == ["measured"] * 4 + ["estimated", "measured"]


def test_elhub_file_name_must_hold_exactly_one_registered_id(tmp_path, ctx):
    text = "Fra;Til;KWH 60 Forbruk;Kvalitet\n01.02.2025 00:00;01.02.2025 01:00;6,9;Avlest\n"
    with pytest.raises(InputError, match="no registered meter id") as e:
        read_elhub(read_table(write(tmp_path, "elhub_export.csv", text)), ctx)
    assert "elhub_export.csv" in str(e.value) and EL in e.value.expected
    with pytest.raises(InputError, match="several"):
        read_elhub(read_table(write(tmp_path, f"{EL}_M2.csv", text)), ctx)


def test_quality_words():
    got = normalise_quality(pd.Series(["Avlest", "Målt", "Estimert", "Beregnet", "", "Manuell"]))
    assert list(got) == ["measured", "measured", "estimated", "estimated", "", "manuell"]


# ----------------------------------------------------------------- registry

def test_registry_with_norwegian_headers(ctx):
    res = read_meter_registry(read_table(DATA / "registry_nb.csv"), ctx)
    f = res.frame
    assert res.kind == "meter_registry" and res.rows == 4
    assert list(f.columns) == ["row", "meter_id", "site", "carrier", "kind", "role", "unit",
                               "multiplier", "rollover", "installed_utc", "removed_utc"]
    assert f["installed_utc"].isna().all() and f["removed_utc"].isna().all()
    assert list(f["meter_id"]) == [EL, "707057500000000002", "SUB-1", "OLJE-1"]
    assert list(f["carrier"]) == ["electricity", "district_heating", "electricity", "fuel_oil"]
    assert list(f["kind"]) == ["interval", "register", "interval", "register"]
    assert list(f["role"]) == ["main", "main", "sub", "main"]
    assert list(f["multiplier"]) == [1.0, 1.0, 2.5, 1.0]
    assert f["rollover"].iloc[1] == 100000.0 and np.isnan(f["rollover"].iloc[0])
    assert list(f["row"]) == [2, 3, 4, 5]


REG_HEAD = "meter_id;site;carrier;kind;role;unit\n"


@pytest.mark.parametrize("line, column, message", [
    ("X;tromso;electricity;interval;main;kWh", "site", "unknown site"),
    ("X;kalnes;electricity;interval;main;kg", "unit", "does not convert to kWh"),
    ("X;kalnes;fuel_oil;interval;main;kWh/m2", "unit", "does not convert"),
    ("X;kalnes;moonlight;interval;main;kWh", "carrier", "unknown carrier"),
    ("X;kalnes;electricity;daily;main;kWh", "kind", "unknown meter kind"),
    ("X;kalnes;electricity;interval;boss;kWh", "role", "unknown role"),
    ("X;kalnes;electricity;interval;main;furlong-ish", "unit", "unknown unit"),
])
def test_registry_errors(tmp_path, ctx, line, column, message):
    p = write(tmp_path, "reg.csv", REG_HEAD + f"OK;kalnes;electricity;interval;main;kWh\n{line}\n")
    with pytest.raises(InputError, match=message) as e:
        read_meter_registry(read_table(p), ctx)
    assert (e.value.row, e.value.column) == (3, column)
    assert "reg.csv" in str(e.value)


def test_registry_duplicate_meter_id_names_both_rows(tmp_path, ctx):
    p = write(tmp_path, "reg.csv", REG_HEAD + "A;kalnes;electricity;interval;main;kWh\n"
              "B;kalnes;natural_gas;interval;main;Sm3\nA;sentrum;electricity;interval;sub;MWh\n")
    with pytest.raises(InputError, match="rows 2 and 4") as e:
        read_meter_registry(read_table(p), ctx)
    assert (e.value.row, e.value.found) == (4, "A")


def test_month_values_are_local_month_starts():
    from klimaregnskap.readers.timestamps import parse_timestamps

    out = parse_timestamps(pd.Series(["2024-01", "2024-7", "03.2024"]), "Europe/Oslo",
                           rows=np.array([2, 3, 4]), column="måned", file="m.csv")
    # 1 January and 1 March are winter time (UTC+1), 1 July summer time (UTC+2)
    assert [str(t) for t in out] == ["2023-12-31 23:00:00+00:00", "2024-06-30 22:00:00+00:00",
                                     "2024-02-29 23:00:00+00:00"]


def test_registry_installed_and_removed_are_local_moments(ctx, tmp_path):
    """A date alone: start of the local day (installed) or its end, 24:00 (removed)."""
    p = tmp_path / "reg.csv"
    p.write_text("målepunkt;lokasjon;energibærer;type;rolle;enhet;montert;demontert\n"
                 "A;kalnes;electricity;interval;main;kWh;;30.04.2024\n"
                 "B;kalnes;electricity;interval;main;kWh;2024-04-30 10:00;\n"
                 "C;kalnes;electricity;interval;main;kWh;2024-01-15;2024-06-30 23:00\n",
                 encoding="utf-8")
    f = read_meter_registry(read_table(p), ctx).frame.set_index("meter_id")
    # Oslo is UTC+2 in summer, UTC+1 in winter
    assert f.loc["A", "removed_utc"] == pd.Timestamp("2024-04-30 22:00")   # 1 May 00:00 local
    assert pd.isna(f.loc["A", "installed_utc"])
    assert f.loc["B", "installed_utc"] == pd.Timestamp("2024-04-30 08:00")
    assert f.loc["C", "installed_utc"] == pd.Timestamp("2024-01-14 23:00")
    assert f.loc["C", "removed_utc"] == pd.Timestamp("2024-06-30 21:00")


def test_registry_removed_before_installed_is_an_error(ctx, tmp_path):
    p = tmp_path / "reg.csv"
    p.write_text("meter_id,site,carrier,kind,role,unit,installed,removed\n"
                 "A,kalnes,electricity,interval,main,kWh,2024-05-01,2024-04-01\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_meter_registry(read_table(p), ctx)
    assert e.value.row == 2 and "removed before it is installed" in str(e.value)


# ------------------------------------------- empty cells in wide exports (DESIGN §3)

def test_wide_csv_empty_cells_are_missing_intervals(tmp_path, ctx):
    """Issue 13 item 5: an empty cell in a wide meter export was refused ("empty
    value in the middle of the file"). Real exports have blank cells for missing
    hours: each is a gap, never zero and never an error."""
    text = (f"Tidspunkt;{EL};M2\n"
            "01.01.2024 00:00;;10\n"          # EL empty at its start
            "01.01.2024 01:00;2,5;\n"         # M2 empty in the middle
            "01.01.2024 02:00;3,5;30\n"
            "01.01.2024 03:00;;40\n")         # EL empty at its end
    res = read_meter_readings(read_table(write(tmp_path, "wide.csv", text)), ctx)
    f = res.frame
    assert list(zip(f["meter_id"], f["row"], f["value"])) == [
        (EL, 3, 2.5), (EL, 4, 3.5), ("M2", 2, 10.0), ("M2", 4, 30.0), ("M2", 5, 40.0)]
    assert (f["value"] != 0).all()
    assert [(w.code, w.get("count")) for w in res.warnings] == [("empty_values_skipped", 3)]


def test_wide_xlsx_empty_cells_are_missing_intervals(tmp_path, ctx):
    p = _wide_xlsx(tmp_path / "wide.xlsx", [
        ["Eksport fra EOS"],
        ["Tidspunkt", EL, "M2"],
        [dt.datetime(2024, 1, 1, 0, 0), 1.5, None],
        [dt.datetime(2024, 1, 1, 1, 0), None, 20],
        [dt.datetime(2024, 1, 1, 2, 0), 3.5, "  "],
    ])
    f = read_meter_readings(read_table(p), ctx).frame
    assert list(zip(f["meter_id"], f["row"], f["value"])) == [
        (EL, 3, 1.5), (EL, 5, 3.5), ("M2", 4, 20.0)]


def test_wide_text_cell_is_still_an_error(tmp_path, ctx):
    text = f"Tidspunkt;{EL}\n01.01.2024 00:00;1\n01.01.2024 01:00;n/a\n"
    with pytest.raises(InputError) as e:
        readings(tmp_path, ctx, text)
    assert (e.value.message, e.value.row, e.value.column, e.value.found) == (
        "not a number", 3, EL, "n/a")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
                min_size=1, max_size=60))
def test_wide_empty_cells_anywhere_leave_exactly_the_filled_hours(tmp_path_factory, cells):
    """Property: for any pattern of empty cells (start, middle, end, all but one),
    the filled cells are read with their rows and values and the empty ones are
    left out; the warning counts the empty ones."""
    ctx = ReaderContext(sites={"a", "b"}, activity_units={}, timezone=TZ,
                        meters=registry_frame())
    if all(v is None for v in cells):
        cells = cells[:-1] + [7]      # a file with no value at all is no data
    stamps = pd.date_range("2024-01-01", periods=len(cells), freq="h")
    body = "".join(f"{t:%d.%m.%Y %H:%M};{'' if v is None else v}\n"
                   for t, v in zip(stamps, cells))
    p = write(tmp_path_factory.mktemp("w"), "wide.csv", f"Tidspunkt;{EL}\n" + body)
    res = read_meter_readings(read_table(p), ctx)
    filled = [(i + 2, float(v)) for i, v in enumerate(cells) if v is not None]
    assert list(zip(res.frame["row"], res.frame["value"])) == filled
    empties = sum(v is None for v in cells)
    assert [w.get("count") for w in res.warnings] == ([empties] if empties else [])


def test_sum_row_at_the_bottom_of_a_wide_export(tmp_path, ctx):
    """Issue 13 item 8 in a wide export: one error naming the total row."""
    text = f"Tidspunkt;{EL};M2\n01.01.2024 00:00;1;2\n01.01.2024 01:00;3;4\nSum;4;6\n"
    with pytest.raises(InputError) as e:
        readings(tmp_path, ctx, text)
    assert (e.value.row, e.value.column, e.value.found) == (4, "Tidspunkt", "Sum")
    assert "is a total row" in e.value.message


def test_unknown_meter_did_you_mean(tmp_path, ctx):
    """Issue 13 item 7: "did you mean" for meters, long and wide."""
    typo = EL[:-1] + "7"
    with pytest.raises(InputError) as e:
        readings(tmp_path, ctx, f"meter_id;timestamp;value\n{typo};2024-01-01 00:00;1\n")
    assert e.value.message.startswith("reading for a meter that is not in the registry "
                                      f"(did you mean '{EL}'?)")
    with pytest.raises(InputError) as e:
        readings(tmp_path, ctx, "dato;M22\n01.01.2024;1\n", name="wide.csv")
    assert e.value.message == "column names no registered meter (did you mean 'M2'?)"


def test_registry_unknown_site_did_you_mean(tmp_path, ctx):
    text = "meter_id;site;carrier;kind;role;unit\nX1;bb;electricity;interval;main;kWh\n"
    reg_ctx = ReaderContext(sites={"kalnes", "fredrikstad"}, activity_units={})
    p = write(tmp_path, "reg.csv", text.replace(";bb;", ";kalens;"))
    with pytest.raises(InputError) as e:
        read_meter_registry(read_table(p), reg_ctx)
    assert e.value.message == "unknown site (did you mean 'kalnes'?)"
