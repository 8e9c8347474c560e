"""Write the two generated member trusts of the demo region (DESIGN §6a), deterministically.

    python examples/region/make_members.py

writes ``nordfjord-hf/`` and ``ostdal-hf/`` beside this file: a
``klimaregnskap.toml`` and ``inputs/`` each (meter registry, daily meter
readings, activity data, food waste, operations, purchased products), 2019-2025.
The same code gives the same bytes every time (no clock, no random state:
seasons and noise are sines of the day number). The files are committed; run
this again only after changing it.

The two stories, beside the demo trust (Demo HF, the repository root):

* **Nordfjord HF** — small (one hospital, 14 000 m2) and *ahead*: LED and
  ventilation control cut electricity 5 % a year from 2021, a heat pump
  replaces most district heating from 2022, desflurane is gone from 2021,
  food waste falls 9 % a year, and harmful products are replaced (share
  of free products 62 % -> 90 %).
* **Østdal HF** — large (two hospitals, 120 000 m2, a new wing of 15 000 m2
  in 2023) and *behind*: energy grows with the new wing, desflurane stays,
  food waste drifts up after 2021, the product share barely moves (55 % -> 60 %).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEARS = range(2019, 2026)

TRUSTS = {
    "nordfjord-hf": {
        "name": "Nordfjord HF",
        "sites": [("fjordbyen", "Fjordbyen sykehus", {2019: 14000}, 4400)],
        # electricity and district heating, MWh a year per site and year
        "electricity": {"fjordbyen": [5600, 5550, 5270, 5010, 4760, 4520, 4300]},
        "district_heating": {"fjordbyen": [4200, 4150, 4100, 1900, 1750, 1650, 1600]},
        "activity": {  # per year: activity, quantities 2019-2025, unit
            "diesel": ([4200, 4000, 3800, 3500, 3300, 3100, 3000], "L"),
            "vehicle:diesel": ([21000, 20000, 18000, 15000, 12000, 9000, 7000], "L"),
            "anaesthetic:desflurane": ([38, 12, 0, 0, 0, 0, 0], "kg"),
            "anaesthetic:sevoflurane": ([60, 82, 95, 96, 94, 93, 92], "kg"),
            "nitrous_oxide": ([900, 850, 700, 520, 400, 330, 300], "kg"),
            "waste:residual": ([310, 300, 285, 270, 255, 240, 230], "tonne"),
        },
        "food_waste_kg": {"fjordbyen": [52000 * 0.91 ** i for i in range(7)]},
        "operations": {"fjordbyen": ([41000, 39500, 40200, 40800, 41200, 41500, 41800],
                                     [160000, 154000, 157000, 159000, 161000, 162000, 163000])},
        "free_share": [0.62, 0.66, 0.71, 0.76, 0.81, 0.86, 0.90],
    },
    "ostdal-hf": {
        "name": "Østdal HF",
        "sites": [("dalen", "Dalen sykehus", {2019: 95000, 2023: 110000}, 4900),
                  ("elvheim", "Elvheim sykehus", {2019: 25000}, 4700)],
        "electricity": {"dalen": [31000, 30600, 31200, 31500, 34200, 34800, 35100],
                        "elvheim": [7600, 7500, 7550, 7600, 7650, 7700, 7700]},
        "district_heating": {"dalen": [26000, 25500, 26200, 25800, 28900, 29300, 29000],
                             "elvheim": [6100, 6000, 6150, 6050, 6100, 6150, 6100]},
        "activity": {
            "fuel_oil": ([52000, 50000, 51000, 49000, 50500, 50000, 49500], "L"),
            "diesel": ([14000, 14500, 13800, 14200, 14600, 14300, 14400], "L"),
            "vehicle:diesel": ([98000, 97000, 99000, 101000, 104000, 106000, 108000], "L"),
            "anaesthetic:desflurane": ([210, 205, 200, 198, 195, 190, 185], "kg"),
            "anaesthetic:sevoflurane": ([420, 425, 430, 428, 435, 440, 442], "kg"),
            "nitrous_oxide": ([6100, 6000, 5900, 5950, 6000, 5900, 5850], "kg"),
            "waste:residual": ([1850, 1820, 1860, 1900, 2010, 2040, 2060], "tonne"),
        },
        "food_waste_kg": {"dalen": [236000, 229000, 226000, 232000, 241000, 246000, 249000],
                          "elvheim": [58000, 57000, 56500, 57500, 59000, 60000, 60500]},
        "operations": {"dalen": ([228000, 214000, 221000, 226000, 236000, 239000, 241000],
                                 [905000, 850000, 877000, 897000, 936000, 948000, 956000]),
                       "elvheim": ([61000, 58000, 59500, 60100, 60400, 60800, 61000],
                                   [242000, 230000, 236000, 238000, 239000, 241000, 242000])},
        "free_share": [0.55, 0.55, 0.56, 0.57, 0.58, 0.59, 0.60],
    },
}


def _config(t: dict) -> str:
    lines = ["[organisation]", f'name = "{t["name"]}"', "baseline_year = 2019",
             'timezone = "Europe/Oslo"', 'language = "nb"', ""]
    for sid, name, area, hdd in t["sites"]:
        areas = ", ".join(f"{y} = {a}" for y, a in area.items())
        lines += ["[[sites]]", f'id = "{sid}"', f'name = "{name}"', f"area_m2 = {{ {areas} }}",
                  f"hdd_normal = {hdd}", ""]
    lines += ["[accounting]", 'electricity_method = "location"', 'gwp = "AR5"',
              "target_scopes = [1, 2]", ""]
    return "\n".join(lines)


def _meter_id(site: str, carrier: str) -> str:
    return f"{site[:3].upper()}-{'EL' if carrier == 'electricity' else 'FV'}-01"


def _daily(total_mwh: float, year: int, winter: float, k: int) -> list[tuple[dt.date, float]]:
    """A year's energy in days [kWh]: a seasonal shape (``winter`` = how much more in
    January than in July) and a small deterministic wobble, summing to ``total_mwh``."""
    first = dt.date(year, 1, 1)
    n = (dt.date(year + 1, 1, 1) - first).days
    w = [1 + winter * math.cos(2 * math.pi * (d - 15) / n) + 0.04 * math.sin(d * 1.7 + k)
         for d in range(n)]
    s = sum(w)
    return [(first + dt.timedelta(days=d), round(total_mwh * 1000 * w[d] / s, 1))
            for d in range(n)]


def write_trust(folder: Path, t: dict) -> None:
    inputs = folder / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    (folder / "klimaregnskap.toml").write_text(_config(t), encoding="utf-8")
    meters = ["meter_id,site,carrier,kind,role,unit"]
    readings = ["meter_id,timestamp,value"]
    k = 0
    for carrier, winter in (("electricity", 0.12), ("district_heating", 0.6)):
        for site, per_year in t[carrier].items():
            mid = _meter_id(site, carrier)
            meters.append(f"{mid},{site},{carrier},interval,main,kWh")
            k += 1
            for year, mwh in zip(YEARS, per_year):
                readings += [f"{mid},{d.isoformat()} 00:00,{v}"
                             for d, v in _daily(mwh, year, winter, k)]
    (inputs / "meters.csv").write_text("\n".join(meters) + "\n", encoding="utf-8")
    (inputs / "daily_readings_2019-2025.csv").write_text("\n".join(readings) + "\n",
                                                         encoding="utf-8")
    site0 = t["sites"][0][0]
    act = ["site,period,activity,quantity,unit"]
    for activity, (values, unit) in t["activity"].items():
        act += [f"{site0},{y},{activity},{v},{unit}" for y, v in zip(YEARS, values)]
    (inputs / "activity_2019-2025.csv").write_text("\n".join(act) + "\n", encoding="utf-8")
    food = ["date,site,category,quantity,unit"]
    for site, per_year in t["food_waste_kg"].items():
        for year, kg in zip(YEARS, per_year):
            for m in range(1, 13):
                share = (1 + 0.05 * math.sin(m)) / sum(1 + 0.05 * math.sin(j) for j in range(1, 13))
                food.append(f"{year}-{m:02d}-15,{site},plate,{kg * share:.1f},kg")
    (inputs / "food_waste_2019-2025.csv").write_text("\n".join(food) + "\n", encoding="utf-8")
    ops = ["year,site,patient_days,meals_served"]
    for site, (days, meals) in t["operations"].items():
        ops += [f"{y},{site},{d},{m}" for y, d, m in zip(YEARS, days, meals)]
    (inputs / "operations_2019-2025.csv").write_text("\n".join(ops) + "\n", encoding="utf-8")
    prod = ["year,product_id,quantity,description,spend,contains_listed_substance,cas_numbers"]
    for year, share in zip(YEARS, t["free_share"]):
        n = 50
        for i in range(n):
            free = i < round(share * n)
            prod.append(f"{year},P{i + 1:03d},{1 + i % 7},Produkt {i + 1},{200 + 37 * i},"
                        f"{'no' if free else 'yes'},")
    (inputs / "products_2019-2025.csv").write_text("\n".join(prod) + "\n", encoding="utf-8")


def main() -> None:
    for folder, t in TRUSTS.items():
        write_trust(HERE / folder, t)
        print(f"wrote {HERE / folder}")


if __name__ == "__main__":
    main()
