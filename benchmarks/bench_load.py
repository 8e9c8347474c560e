"""Benchmark: ``klimaregnskap load`` of one long hourly CSV against a bare floor.

Generates N hourly meters for one year (default 100 meters, 878,400 rows,
ISO UTC stamps ``2024-01-01T00:00:00Z``) as one long CSV
``meter_id,timestamp,value`` plus a meter registry, then times

* the floor: a fresh Python process doing a bare
  ``pandas.read_csv(engine="pyarrow")`` of the file and writing it to Parquet
  (the same interpreter start-up and pandas import the CLI pays), and
* ``klimaregnskap load`` in a fresh project (subprocess).

Prints rows per second and the ratio load / floor (target: at most 1.5).

Usage: ``python benchmarks/bench_load.py [--meters 100] [--repeat 3] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CONFIG = """
[organisation]
name = "Bench HF"
baseline_year = 2019
timezone = "Europe/Oslo"
language = "en"

[[sites]]
id = "s1"
name = "Site 1"
area_m2 = { 2019 = 10000 }
"""

FLOOR = """
import sys, time
t = time.perf_counter()
import pandas as pd
df = pd.read_csv(sys.argv[1], engine="pyarrow")
df.to_parquet(sys.argv[2])
"""


def generate(folder: Path, meters: int, year: int = 2024) -> tuple[Path, Path, int]:
    """Write the registry and one long readings CSV; return (registry, readings, rows)."""
    ids = [f"7070575000{i:08d}" for i in range(meters)]
    registry = folder / "registry.csv"
    pd.DataFrame({"meter_id": ids, "site": "s1", "carrier": "electricity", "kind": "interval",
                  "role": "main", "unit": "kWh"}).to_csv(registry, index=False)
    stamps = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left",
                           tz="UTC")
    text = stamps.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(dtype=object)
    rng = np.random.default_rng(1)
    readings = folder / "readings.csv"
    with open(readings, "w", encoding="utf-8") as fh:
        fh.write("meter_id,timestamp,value\n")
        for mid in ids:
            vals = np.round(rng.gamma(4.0, 25.0, len(stamps)), 3)
            block = pd.DataFrame({"m": mid, "t": text, "v": vals})
            block.to_csv(fh, header=False, index=False)
    return registry, readings, len(ids) * len(stamps)


def timed(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    res = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if res.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meters", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated files here")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_load_"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    data.mkdir(exist_ok=True)
    t = time.perf_counter()
    registry, readings, rows = generate(data, args.meters)
    size_mb = readings.stat().st_size / 1e6
    print(f"generated {rows:,} rows ({size_mb:.1f} MB) in {time.perf_counter() - t:.1f} s")

    floors, loads = [], []
    for k in range(args.repeat):
        floors.append(timed([sys.executable, "-c", FLOOR, str(readings),
                             str(data / "floor.parquet")], work))
        project = work / f"project{k}"
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir()
        (project / "klimaregnskap.toml").write_text(CONFIG, encoding="utf-8")
        (project / "inputs").mkdir()
        timed([sys.executable, "-m", "klimaregnskap", "load", str(registry),
               "--project", str(project)], work)
        loads.append(timed([sys.executable, "-m", "klimaregnskap", "load", str(readings),
                            "--project", str(project)], work))
        shutil.rmtree(project, ignore_errors=True)
    floor, load = min(floors), min(loads)
    print(f"floor (read_csv pyarrow + to_parquet, fresh process): {floor:.2f} s "
          f"= {rows / floor:,.0f} rows/s")
    print(f"klimaregnskap load (fresh process):                   {load:.2f} s "
          f"= {rows / load:,.0f} rows/s")
    print(f"ratio load / floor: {load / floor:.2f} (target <= 1.5)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
