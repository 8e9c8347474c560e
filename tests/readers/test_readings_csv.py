"""The fast path for machine-written long readings CSV files.

The fast path must give exactly the rows of the careful reader
(``read_meter_readings``) for every file it accepts, and give up
(``NotFast``) on anything it does not check itself, so that the careful
reader can name the problem.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimaregnskap import importing, ledger
from klimaregnskap.config import load_config
from klimaregnskap.readers.base import ReaderContext, file_sha256
from klimaregnskap.readers.meters import read_meter_readings
from klimaregnskap.readers.readings_csv import (MeterLookup, NotFast, iter_fast_chunks,
                                                read_fast, sniff)
from klimaregnskap.readers.tables import read_table

from test_meters import EL, TZ, registry_frame

COLUMNS = ["row", "meter_id", "ts_utc", "year", "value", "quality"]


@pytest.fixture
def ctx() -> ReaderContext:
    return ReaderContext(sites={"kalnes"}, activity_units={}, timezone=TZ,
                         meters=registry_frame())


def _as_frame(table) -> pd.DataFrame:
    """The fast path's arrow table in the careful reader's frame shape, sorted."""
    df = pd.DataFrame({c: table[c].to_pylist() for c in COLUMNS})
    df["ts_utc"] = pd.to_datetime(df["ts_utc"]).dt.tz_localize("UTC").astype(
        "datetime64[ns, UTC]")
    df["year"] = df["year"].astype("int16")
    df["row"] = df["row"].astype("int64")
    return df.sort_values(["meter_id", "ts_utc"]).reset_index(drop=True)


def _careful(path: Path, ctx: ReaderContext) -> pd.DataFrame:
    frame = read_meter_readings(read_table(path), ctx).frame[COLUMNS]
    frame = frame.assign(meter_id=frame["meter_id"].astype(object),
                         quality=frame["quality"].astype(object),
                         ts_utc=frame["ts_utc"].astype("datetime64[ns, UTC]"))
    return frame.sort_values(["meter_id", "ts_utc"]).reset_index(drop=True)


def _fast(path: Path, ctx: ReaderContext):
    layout = sniff(path)
    assert layout is not None, "the file should take the fast path"
    return read_fast(path, MeterLookup.from_frame(ctx.meters), ctx.timezone, layout,
                     sha256=file_sha256(path))


def assert_same_as_careful(path: Path, ctx: ReaderContext) -> pd.DataFrame:
    fast = _as_frame(_fast(path, ctx).frame)
    careful = _careful(path, ctx)
    fast = fast.assign(meter_id=fast["meter_id"].astype(object),
                       quality=fast["quality"].astype(object))
    pd.testing.assert_frame_equal(fast, careful, check_dtype=False)
    assert fast["ts_utc"].dtype == careful["ts_utc"].dtype
    return fast


def write(tmp_path: Path, text: str, name: str = "r.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# ------------------------------------------------------------- same rows

@pytest.mark.parametrize("text", [
    # UTC stamps crossing New Year in local time
    f"meter_id,timestamp,value\n{EL},2023-12-31T22:00:00Z,1.5\n{EL},2023-12-31T23:00:00Z,2\n"
    f"{EL},2024-01-01T00:00:00Z,3\n",
    # offsets, semicolons, Norwegian headers and a quality column
    f"målepunkt;tidspunkt;verdi;kvalitet\n{EL};2024-03-31T01:00:00+01:00;4;Avlest\n"
    f"{EL};2024-03-31T03:00:00+02:00;5;Estimert\nM2;2024-03-31T01:00:00+01:00;6;\n",
    # naive local time over the autumn change: the repeated hour twice
    "meter_id,timestamp,value\n" + "".join(
        f"M2,2024-10-27 {h:02d}:00,{i + 1}\n" for i, h in enumerate((0, 1, 2, 2, 3, 4))),
    # naive local time over the spring change (02:00 does not exist)
    "meter_id,timestamp,value\n" + "".join(
        f"M2,2024-03-31T{h:02d}:00:00,{h}\n" for h in (0, 1, 3, 4)),
    # 15-minute meter, time order mixed between meters (an export by time)
    "meter_id,timestamp,value\n" + "".join(
        f"{m},2024-05-01T00:{q:02d}:00Z,{k}\n"
        for k, (q, m) in enumerate((q, m) for q in (0, 15, 30, 45) for m in ("Q15", "M2"))),
    # a register with a counter wrap (rollover 1000 MWh) and one without
    "meter_id,timestamp,value\nROLL,2024-01-01T00:00:00Z,990\nROLL,2024-02-01T00:00:00Z,5\n"
    "REG,2024-01-01T00:00:00Z,10\nREG,2024-02-01T00:00:00Z,12.25\n",
    # a file not sorted by time within a meter
    f"meter_id,timestamp,value\n{EL},2024-01-01T02:00:00Z,3\n{EL},2024-01-01T00:00:00Z,1\n"
    f"{EL},2024-01-01T01:00:00Z,2\n",
    # blanks around meter ids and values, a value in exponent form
    f"meter_id,timestamp,value\n {EL} ,2024-01-01T00:00:00Z, 1e3\n",
    # a byte order mark and Windows line ends
    f"\ufeffmeter_id,timestamp,value\r\n{EL},2024-01-01T00:00Z,1\r\n",
], ids=["utc-new-year", "offsets-quality", "autumn", "spring", "15min-by-time", "register",
        "unsorted", "blanks", "bom-crlf"])
def test_fast_path_gives_the_careful_readers_rows(tmp_path, ctx, text):
    assert_same_as_careful(write(tmp_path, text), ctx)


def test_hand_computed_rows(tmp_path, ctx):
    # 23:00Z on New Year's Eve is 00:00 local on 1 January: year 2024
    p = write(tmp_path, f"meter_id,timestamp,value,quality\n{EL},2023-12-31T22:00:00Z,1.5,Avlest\n"
                        f"{EL},2023-12-31T23:00:00Z,2,Estimert\n")
    got = _as_frame(_fast(p, ctx).frame)
    assert got["row"].tolist() == [2, 3]
    assert got["year"].tolist() == [2023, 2024]
    assert got["value"].tolist() == [1.5, 2.0]
    assert got["quality"].tolist() == ["measured", "estimated"]
    assert got["ts_utc"].tolist() == [pd.Timestamp("2023-12-31 22:00", tz="UTC"),
                                      pd.Timestamp("2023-12-31 23:00", tz="UTC")]


meter_ids = st.sampled_from([EL, "M2", "Q15", "FV"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hours=st.lists(st.tuples(meter_ids, st.integers(0, 24 * 400)), min_size=1, max_size=60,
                      unique=True),
       values=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=60, max_size=60),
       aware=st.booleans(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_fast_path_equals_careful_path_for_any_clean_file(tmp_path, ctx, hours, values, aware,
                                                          delimiter):
    start = pd.Timestamp("2023-11-01")
    lines = []
    for k, (meter, h) in enumerate(hours):
        t = start + pd.Timedelta(hours=h)
        if aware:
            stamp = f"{t:%Y-%m-%dT%H:%M:%S}Z"
        else:
            # naive local times: skip those in the spring gap or the autumn overlap
            try:
                t.tz_localize(TZ, ambiguous="raise", nonexistent="raise")
            except Exception:
                continue
            stamp = f"{t:%Y-%m-%d %H:%M}"
        lines.append(delimiter.join([meter, stamp, repr(round(values[k], 3))]))
    if not lines:
        return
    p = write(tmp_path, delimiter.join(["meter_id", "timestamp", "value"]) + "\n"
              + "\n".join(lines) + "\n")
    assert_same_as_careful(p, ctx)


# ------------------------------------------------------------- gives up

@pytest.mark.parametrize("text", [
    "meter_id,timestamp,value\nUNKNOWN,2024-01-01T00:00:00Z,1\n",          # unregistered
    f"meter_id;timestamp;value\n{EL};2024-01-01T00:00:00Z;1,5\n",           # decimal comma
    f"meter_id,timestamp,value\n{EL},2024-01-01T00:00:00Z,\n{EL},2024-01-01T01:00:00Z,1\n",
    f"meter_id,timestamp,value\n{EL},2024-01-01T00:00:00Z,-1\n",            # negative
    f"meter_id,timestamp,value\n{EL},2024-01-01T00:00:00Z,1\n{EL},2024-01-01T00:00:00Z,2\n",
    "meter_id,timestamp,value\nREG,2024-01-01T00:00:00Z,10\nREG,2024-02-01T00:00:00Z,9\n",
    "meter_id,timestamp,value\nROLL,2024-01-01T00:00:00Z,1001\n",          # above rollover
    f"meter_id,timestamp,value\n{EL},2024-02-31T00:00:00,1\n",              # impossible date
    f"meter_id,timestamp,value\n{EL},2024-03-31T02:30:00,1\n",              # spring gap
    f"meter_id,timestamp,value\n{EL},2024-01-01T00:00:00Z,1\n{EL},2024-01-01 01:00,1\n",
    f"meter_id,timestamp,value\n{EL},2024-01-01T00:00:00Z,1\n\n{EL},2024-01-01T02:00:00Z,1\n",
    f"meter_id,timestamp,value\n{EL},2024-01-01T00:00:00Z,inf\n",
], ids=["unregistered", "decimal-comma", "empty-value", "negative", "repeat", "register-down",
        "above-rollover", "31-feb", "spring-gap", "mixed-zones", "empty-line", "inf"])
def test_fast_path_gives_up_on_what_it_does_not_check(tmp_path, ctx, text):
    p = write(tmp_path, text)
    layout = sniff(p)
    if layout is None:
        return
    with pytest.raises(NotFast):
        read_fast(p, MeterLookup.from_frame(ctx.meters), TZ, layout, sha256="x")


@pytest.mark.parametrize("text,encoding", [
    ("Eksport fra EOS\nmeter_id,timestamp,value\nM2,2024-01-01T00:00Z,1\n", "utf-8"),
    ("meter_id,timestamp,value,unit\nM2,2024-01-01T00:00Z,1,MWh\n", "utf-8"),
    ("meter_id,timestamp,value\nM2,01.01.2024 00:00,1\n", "utf-8"),
    ("målepunkt;tidspunkt;verdi\nM2;2024-01-01T00:00Z;1\n", "cp1252"),
    ("meter_id,timestamp,value\n", "utf-8"),
], ids=["metadata-row", "unit-column", "norwegian-dates", "windows-1252", "no-rows"])
def test_files_the_fast_path_leaves_to_the_careful_reader(tmp_path, text, encoding):
    assert sniff(write(tmp_path, text, encoding=encoding)) is None


# ------------------------------------------------------------- chunks

def test_chunks_give_the_whole_files_rows_and_count_the_october_hour_on(tmp_path, ctx):
    # 02:00 appears twice on 27 October; the second one falls in the next chunk
    hours = (0, 1, 2, 2, 3, 4)
    p = write(tmp_path, "meter_id,timestamp,value\n" + "".join(
        f"M2,2024-10-27 {h:02d}:00,{i + 1}\n" for i, h in enumerate(hours)))
    meters = MeterLookup.from_frame(ctx.meters)
    layout = sniff(p)
    # tiny blocks: arrow then yields about one line per chunk
    import klimaregnskap.readers.readings_csv as rc

    original = rc._options
    rc._options = lambda layout, block_size=None: original(layout, block_size=40)
    try:
        chunks = [r.frame for r in iter_fast_chunks(p, meters, TZ, layout, sha256="x",
                                                     chunk_rows=1)]
    finally:
        rc._options = original
    assert len(chunks) > 1
    import pyarrow as pa

    got = _as_frame(pa.concat_tables(chunks))
    assert got["ts_utc"].dt.strftime("%H:%M").tolist() == [
        "22:00", "23:00", "00:00", "01:00", "02:00", "03:00"]
    assert got["row"].tolist() == [2, 3, 4, 5, 6, 7]


def _project(tmp_path: Path, registry: str) -> Path:
    proj = tmp_path / "proj"
    (proj / "inputs").mkdir(parents=True)
    (proj / "klimaregnskap.toml").write_text(textwrap.dedent("""
        [organisation]
        name = "Test HF"
        baseline_year = 2019
        timezone = "Europe/Oslo"

        [[sites]]
        id = "kalnes"
        name = "Kalnes"
        area_m2 = { 2019 = 1000 }
        """), encoding="utf-8")
    reg = tmp_path / "registry.csv"
    reg.write_text(registry, encoding="utf-8")
    config = load_config(proj)
    con = ledger.connect(proj)
    out = importing.load_files(con, [reg], config)
    assert not out.errors, out.errors
    con.close()
    return proj


REGISTRY = ("meter_id,site,carrier,kind,role,unit\n"
            "M1,kalnes,electricity,interval,main,kWh\nM2,kalnes,electricity,interval,main,kWh\n")


def test_a_streamed_file_that_stops_being_fast_is_rolled_back_and_read_carefully(
        tmp_path, monkeypatch):
    proj = _project(tmp_path, REGISTRY)
    # the decimal comma in the last row only shows after many fast chunks
    # 60,000 rows (2 MB): arrow reads blocks of at least 1 MB, so several chunks
    stamps = pd.date_range("2020-01-01", periods=60_000, freq="h")
    lines = [f"M1;{t:%Y-%m-%dT%H:%M:%S}Z;1" for t in stamps[:-1]]
    lines.append(f"M1;{stamps[-1]:%Y-%m-%dT%H:%M:%S}Z;2,5")
    p = write(tmp_path, "meter_id;timestamp;value\n" + "\n".join(lines) + "\n")
    monkeypatch.setattr(importing, "CHUNK_ROWS", 20_000)
    monkeypatch.setenv("KLIMAREGNSKAP_CHUNK_BYTES", "1000")
    import klimaregnskap.readers.readings_csv as rc

    fast_chunks = []

    def spy(*args, **kwargs):
        for result in rc_iter(*args, **kwargs):
            fast_chunks.append(result.rows)
            yield result

    rc_iter = rc.iter_fast_chunks
    monkeypatch.setattr(rc, "iter_fast_chunks", spy)
    con = ledger.connect(proj)
    out = importing.load_files(con, [p], load_config(proj))
    assert not out.errors
    assert fast_chunks and sum(fast_chunks) < 60_000   # some stored, then rolled back
    assert out.records[0].rows == 60_000
    total, n, imports = con.execute(
        "SELECT sum(value), count(*), count(DISTINCT import_id) FROM readings").fetchone()
    assert (total, n, imports) == (59_999 + 2.5, 60_000, 1)


def test_a_repeat_across_chunks_is_refused_with_both_rows(tmp_path, monkeypatch):
    proj = _project(tmp_path, REGISTRY)
    stamps = pd.date_range("2024-01-01", periods=1000, freq="h")
    lines = [f"M1,{t:%Y-%m-%dT%H:%M:%S}Z,1" for t in stamps] + ["M1,2024-01-01T00:00:00Z,1"]
    p = write(tmp_path, "meter_id,timestamp,value\n" + "\n".join(lines) + "\n")
    monkeypatch.setattr(importing, "CHUNK_ROWS", 200)
    monkeypatch.setenv("KLIMAREGNSKAP_CHUNK_BYTES", "1000")
    con = ledger.connect(proj)
    out = importing.load_files(con, [p], load_config(proj))
    assert len(out.errors) == 1
    err = out.errors[0][1]
    assert err.row == 1002 and err.extra["rows"] == [2, 1002]
    assert con.execute("SELECT count(*) FROM readings").fetchone()[0] == 0


def test_the_fast_load_path_imports_neither_pandas_nor_pint(tmp_path):
    """What keeps ``load`` of meter data near the bare CSV reading time
    (``benchmarks/bench_load.py``): the heavy libraries stay unloaded."""
    proj = _project(tmp_path, REGISTRY)
    p = write(tmp_path, "meter_id,timestamp,value\nM1,2024-01-01T00:00:00Z,1\n"
                        "M2,2024-01-01T00:00:00Z,2\n")
    probe = textwrap.dedent(f"""
        import sys
        from klimaregnskap.cli import main
        sys.argv = ["klimaregnskap", "load", {str(p)!r}, "--project", {str(proj)!r}]
        try:
            main()
        except SystemExit as exc:
            assert not exc.code, exc.code
        print(sorted(m for m in ("pandas", "pint", "pandera") if m in sys.modules))
        """)
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "2 rows of meter readings imported" in res.stdout
    assert res.stdout.strip().splitlines()[-1] == "[]"


def test_meter_spans_flag_only_overlapping_chunks():
    from klimaregnskap.readers.readings_csv import MeterSpans

    spans = MeterSpans(3)
    spans.add(np.array([0, 1]), np.array([0, 0]), np.array([10, 10]))
    spans.add(np.array([1, 2]), np.array([11, 0]), np.array([20, 5]))   # meter 1 goes on
    assert not spans.may_repeat
    spans.add(np.array([2]), np.array([5]), np.array([6]))              # meter 2 again at 5
    assert spans.may_repeat
    assert spans.lo.tolist()[:3] == [0, 0, 0] and spans.hi.tolist() == [10, 20, 6]
