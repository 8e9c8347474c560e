"""Generate the demo trust "Demo HF": ``klimaregnskap.toml`` and ``inputs/``.

Run from the repository root::

    /work/venv/bin/python tools/make_demo.py

The generator is deterministic (one ``numpy.random.default_rng`` with a fixed
seed per purpose), so running it twice gives byte-identical CSV files (the
XLSX files differ only in their zip timestamps). Everything under ``inputs/``
is removed and rewritten.

The story, for a leader reading the report:

* three sites: ``sentral`` (large hospital, ~85 000 m2, extended in 2023),
  ``nordby`` (mid-sized inland hospital, ~32 000 m2) and ``fjordklinikk``
  (small west-coast clinic, ~6 000 m2);
* delivered energy 250-400 kWh/m2, ~57 % electricity, district heating most
  of the rest, a little fuel oil for backup boilers (phased out by 2023),
  a growing recovered-heat meter; energy falls ~1 %/yr (off track for -20 %
  by 2030) while the weather makes it wobble;
* scope 1+2 emissions fall faster (fuel oil and desflurane phased out), on
  track for -40 % by 2030;
* food waste falls ~7 %/yr (on track for -50 %);
* the share of products free of listed substances rises 55 % -> 68 %.
* gjenvinningskraft (guarantees of origin for power from waste heat) from 2021,
  growing from 6 % to 36 % of the electricity by 2025: trust-wide from the power
  supplier, and Nordby's own from 2023; renewable certificates for Fjordklinikken
  in 2025 (issue 14).

Files are written strictly to DESIGN.md section 3 and deliberately mix the
formats a real trust sends: comma CSV, semicolon CSV with decimal comma,
UTF-8 with BOM, one Windows-1252 file, XLSX with metadata rows above the
header and an instructions sheet, Norwegian and English headers.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from klimaregnskap.readers.cas import is_valid_cas  # noqa: E402

INPUTS = ROOT / "inputs"
TZ = "Europe/Oslo"
YEARS = list(range(2019, 2026))
SEED = 20190101
# Regional temperature anomaly per year 2019..2025 (°C, + is warmer than normal):
# 2020 was a mild year in southern Norway.
YEAR_ANOMALY_C = np.array([-0.15, 0.55, 0.05, 0.25, 0.15, -0.25, 0.1])

# --------------------------------------------------------------------------
# Sites and climate
# --------------------------------------------------------------------------

SITES = {
    "sentral": dict(
        name="Sentralsykehuset i Elvestad",
        area={2019: 85000, 2023: 91500},
        heating_share=0.45,
        # coastal south-east Norway: annual mean ~6.6 °C, Jan ~-3, Jul ~16.5
        climate=dict(mean=6.6, amp=9.8, sd_winter=3.2, sd_summer=1.9),
        intensity_2019=312.0,           # kWh/m2 delivered, normal weather
        el_share=0.57,
        elhub="707057500012345671",     # check digit recomputed below
    ),
    "nordby": dict(
        name="Nordby sykehus",
        area={2019: 32000},
        heating_share=0.50,
        # inland valley: colder winters
        climate=dict(mean=3.3, amp=11.6, sd_winter=4.0, sd_summer=2.0),
        intensity_2019=296.0,
        el_share=0.56,
        elhub="707057500023456782",
    ),
    "fjordklinikk": dict(
        name="Fjordklinikken Sørvik",
        area={2019: 6000},
        heating_share=0.45,
        # west coast: mild winters, cool summers
        climate=dict(mean=7.4, amp=6.9, sd_winter=2.6, sd_summer=1.8),
        intensity_2019=268.0,
        el_share=0.60,
        elhub="707057500034567893",
    ),
}

# Energy trend (normal weather) relative to 2019: ~-1 %/yr, a COVID dip in
# 2020 and, for sentral, the 2023 extension (+7.6 % area) eating part of the
# savings.
TREND = {
    "sentral":      {2019: 1.000, 2020: 0.975, 2021: 0.985, 2022: 0.972, 2023: 0.990,
                     2024: 0.972, 2025: 0.957},
    "nordby":       {2019: 1.000, 2020: 0.972, 2021: 0.978, 2022: 0.966, 2023: 0.955,
                     2024: 0.946, 2025: 0.936},
    "fjordklinikk": {2019: 1.000, 2020: 0.976, 2021: 0.982, 2022: 0.970, 2023: 0.961,
                     2024: 0.951, 2025: 0.941},
}

# Fuel oil for backup boilers, litres per year (phased out by 2023) and
# diesel for backup-generator test runs, litres per year.
FUEL_OIL_L = {
    "sentral":      {2019: 50000, 2020: 38000, 2021: 24000, 2022: 9000},
    "nordby":       {2019: 20000, 2020: 15000, 2021: 8000, 2022: 3000},
    "fjordklinikk": {2019: 3000, 2020: 2200, 2021: 1200},
}
GENERATOR_DIESEL_L = {"sentral": 4800, "nordby": 2100, "fjordklinikk": 550}
KWH_PER_L = 10.056          # fuel oil and diesel, as in the shipped library

# District cooling (sentral only), kWh per year at normal weather
COOLING_KWH = 950_000
# Recovered heat (heat pumps on cooling/ventilation at sentral), kWh per year
RECOVERED_KWH = {2019: 1.05e6, 2020: 1.25e6, 2021: 1.60e6, 2022: 2.15e6,
                 2023: 2.80e6, 2024: 3.20e6, 2025: 3.55e6}
# Data-centre sub-meter at sentral (installed January 2022), kW average
DATACENTRE_KW = 96.0

METERS = {
    "dh": {"sentral": "SEN-FV-01", "nordby": "NOR-FV-01", "fjordklinikk": "FJO-FV-01"},
    "recovered": "SEN-GV-01",
    # heat recovered from the chillers (district cooling is not in the demo: the shipped
    # library has no published Norwegian district-cooling factor)
    "cooling": "SEN-VG-02",
    "sub": "SEN-EL-DS01",
}
DH_START_MWH = {"sentral": 96_874.215, "nordby": 41_236.504, "fjordklinikk": 12_805.733}
DH_ROLLOVER = 100_000


def gsrn_check(body17: str) -> str:
    """GS1 check digit for a 17-digit body (Elhub metering-point ids)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body17)))
    return body17 + str((10 - total % 10) % 10)


for _s in SITES.values():
    _s["elhub"] = gsrn_check(_s["elhub"][:17])


def area(site: str, year: int) -> float:
    """Heated area (m2) of ``site`` in ``year``: a year holds until the next."""
    a = SITES[site]["area"]
    return a[max(y for y in a if y <= year)]


def simulate_temperature(rng: np.random.Generator, days: pd.DatetimeIndex, clim: dict,
                         year_offset: np.ndarray) -> np.ndarray:
    """Daily mean temperature (°C): seasonal cycle + AR(1) weather + yearly anomaly."""
    doy = days.day_of_year.to_numpy()
    season = -np.cos(2 * np.pi * (doy - 20) / 365.25)   # -1 around 20 January
    base = clim["mean"] + clim["amp"] * season
    sd = np.where(season < 0, clim["sd_winter"], clim["sd_summer"]) * np.ones(len(days))
    eps = rng.standard_normal(len(days))
    noise = np.empty(len(days))
    phi = 0.75
    noise[0] = eps[0]
    for i in range(1, len(days)):
        noise[i] = phi * noise[i - 1] + np.sqrt(1 - phi ** 2) * eps[i]
    return base + sd * noise + year_offset


def hdd(temp: np.ndarray) -> np.ndarray:
    """Heating degree days per day, base 17 °C."""
    return np.maximum(0.0, 17.0 - temp)


def normal_hdd(clim: dict) -> int:
    """Normal-year HDD of a climate: mean over 60 simulated years, to 10."""
    rng = np.random.default_rng(SEED + 7)
    days = pd.date_range("1990-01-01", "2049-12-31", freq="D")
    years = days.year.to_numpy()
    off = rng.normal(0, 0.7, 60)[years - 1990]
    t = simulate_temperature(rng, days, clim, off)
    return int(round(hdd(t).sum() / 60, -1))


# --------------------------------------------------------------------------
# Helpers for writing
# --------------------------------------------------------------------------

def dec_comma(values, decimals: int) -> np.ndarray:
    """Numbers as text with a decimal comma (no thousands separator)."""
    return np.char.replace(np.char.mod(f"%.{decimals}f", np.asarray(values, float)), ".", ",")


def write_text(path: Path, lines: list[str], encoding: str = "utf-8") -> None:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


def write_xlsx(path: Path, meta: list[str], header: list[str], rows: list[list],
               date_format: str | None = None, extra_sheet: tuple[str, list[str]] | None = None,
               title: str = "Data") -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for m in meta:
        ws.append([m])
    ws.cell(row=1, column=1).font = Font(bold=True)
    ws.append(header)
    for c in range(1, len(header) + 1):
        ws.cell(row=len(meta) + 1, column=c).font = Font(bold=True)
    for r in rows:
        ws.append(r)
    if date_format:
        for (cell,) in ws.iter_rows(min_row=len(meta) + 2, min_col=1, max_col=1):
            cell.number_format = date_format
    ws.column_dimensions["A"].width = 14
    if extra_sheet:
        name, text = extra_sheet
        ws2 = wb.create_sheet(name)
        for line in text:
            ws2.append([line])
    wb.properties.creator = "Demo HF"
    # fixed document dates keep the file stable between runs
    wb.properties.created = dt.datetime(2026, 1, 20, 7, 42)
    wb.properties.modified = dt.datetime(2026, 1, 20, 7, 42)
    wb.save(path)
    _freeze_zip(path)


def _freeze_zip(path: Path) -> None:
    """Rewrite an XLSX with fixed zip and document timestamps (stable bytes)."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-20T07:42:00Z",
                              data)
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 20, 7, 42, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------

def build_weather() -> tuple[pd.DataFrame, dict[str, int]]:
    """Daily temperatures 2019-2025 per site and each site's normal HDD."""
    rng = np.random.default_rng(SEED + 1)
    days = pd.date_range("2019-01-01", "2025-12-31", freq="D")
    years = days.year.to_numpy()
    frames = []
    normals = {}
    for site, spec in SITES.items():
        own = rng.normal(0, 0.12, len(YEARS))
        t = simulate_temperature(rng, days, spec["climate"], 0.0)
        # pin each year's mean anomaly so the story is not drowned by weather:
        # the realised yearly mean of the AR(1) noise is replaced by a chosen one
        clim = spec["climate"]
        season = clim["mean"] + clim["amp"] * -np.cos(
            2 * np.pi * (days.day_of_year.to_numpy() - 20) / 365.25)
        realised = pd.Series(t - season).groupby(years).transform("mean").to_numpy()
        t = t - realised + (YEAR_ANOMALY_C + own)[years - 2019]
        frames.append(pd.DataFrame({"date": days, "site": site, "temp": np.round(t, 1)}))
        normals[site] = normal_hdd(spec["climate"])
    return pd.concat(frames, ignore_index=True), normals


def build_energy(weather: pd.DataFrame, normals: dict[str, int]) -> pd.DataFrame:
    """Annual energy per site, year and carrier (kWh), with the weather in it."""
    rows = []
    for site, spec in SITES.items():
        w = weather[weather.site == site]
        for y in YEARS:
            ratio = hdd(w[w.date.dt.year == y].temp.to_numpy()).sum() / normals[site]
            e_n = spec["intensity_2019"] * area(site, 2019) * TREND[site][y]
            oil = FUEL_OIL_L[site].get(y, 0) * KWH_PER_L
            gen = GENERATOR_DIESEL_L[site] * KWH_PER_L
            cool_n = 0.0
            el_n = spec["el_share"] * e_n
            dh_n = e_n - el_n - oil - gen - cool_n
            # the weather-sensitive part of delivered energy is heating_share;
            # district heating carries 90 % of its own, electricity the rest
            sens = spec["heating_share"] * e_n
            w_dh = 0.9
            w_el = (sens - w_dh * dh_n) / el_n
            dh = dh_n * (1 - w_dh + w_dh * ratio)
            el = el_n * (1 - w_el + w_el * ratio)
            rows.append(dict(site=site, year=y, hdd_ratio=ratio, electricity=el,
                             district_heating=dh, district_cooling=cool_n, fuel_oil=oil,
                             diesel=gen, w_el=w_el))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

def write_registry() -> None:
    lines = ["målepunkt;lokasjon;energibærer;type;rolle;enhet;multiplikator;rollover"]
    for site, spec in SITES.items():
        lines.append(f"{spec['elhub']};{site};electricity;interval;main;kWh;1;")
    lines.append(f"{METERS['sub']};sentral;electricity;interval;sub;kWh;1;")
    for site, mid in METERS["dh"].items():
        roll = str(DH_ROLLOVER) if site == "sentral" else ""
        lines.append(f"{mid};{site};district_heating;register;main;MWh;1;{roll}")
    lines.append(f"{METERS['recovered']};sentral;recovered_heat;interval;main;kWh;1;")
    lines.append(f"{METERS['cooling']};sentral;recovered_heat;interval;main;kWh;1;")
    # saved from Excel: UTF-8 with BOM
    write_text(INPUTS / "maalepunkter.csv", lines, encoding="utf-8-sig")


def hourly_weights(idx: pd.DatetimeIndex, temp_by_day: pd.Series, w_el: float,
                   rng: np.random.Generator) -> np.ndarray:
    """Relative hourly electricity load of a hospital (unnormalised)."""
    local = idx.tz_localize(None)
    hour = local.hour.to_numpy()
    weekend = local.day_of_week.to_numpy() >= 5
    holiday = np.asarray((local.month == 7) & (local.day > 5))       # fellesferie
    xmas = np.asarray((local.month == 12) & (local.day >= 23))
    # 24/7 base with a weekday day-time peak (outpatients, theatres, kitchen)
    day_shape = 0.80 + 0.45 * np.clip(np.sin(np.pi * (hour - 6) / 13), 0, None)
    weekend_shape = 0.80 + 0.15 * np.clip(np.sin(np.pi * (hour - 7) / 13), 0, None)
    shape = np.where(weekend, weekend_shape, day_shape)
    shape = np.where(holiday | xmas, 0.85 * shape + 0.12, shape)
    t = temp_by_day.reindex(local.normalize()).to_numpy()
    h = hdd(t)
    weather = (1 - w_el) + w_el * h / h.mean()
    # a little cooling load on warm summer days
    weather = weather + 0.04 * np.clip(t - 18, 0, None)
    noise = np.exp(rng.normal(0, 0.035, len(idx)))
    return shape * weather * noise


def write_elhub(weather: pd.DataFrame, energy: pd.DataFrame) -> dict:
    """One Elhub export per main electricity meter and year; returns the holes."""
    rng = np.random.default_rng(SEED + 2)
    # gaps and estimates, in local time: (site, year) -> list of (start, hours)
    missing = {
        ("nordby", 2021): [("2021-03-09 14:00", 36)],          # the 36-hour outage
        ("sentral", 2023): [("2023-06-12 10:00", 1), ("2023-09-03 02:00", 1),
                            ("2023-11-20 17:00", 1)],
        ("fjordklinikk", 2024): [("2024-02-07 04:00", 1)],
    }
    estimated = {
        ("sentral", 2022): [("2022-11-14 00:00", 72)],         # three estimated days
        ("nordby", 2024): [("2024-08-21 00:00", 24)],
    }
    report = {}
    for site, spec in SITES.items():
        temp_by_day = weather[weather.site == site].set_index("date").temp
        for y in YEARS:
            row = energy[(energy.site == site) & (energy.year == y)].iloc[0]
            idx = pd.date_range(pd.Timestamp(f"{y}-01-01", tz=TZ),
                                pd.Timestamp(f"{y + 1}-01-01", tz=TZ),
                                freq="h", inclusive="left")
            wts = hourly_weights(idx, temp_by_day, row.w_el, rng)
            kwh = row.electricity * wts / wts.sum()
            local = idx.tz_localize(None)
            quality = np.full(len(idx), "Avlest", dtype=object)
            for start, hours in estimated.get((site, y), []):
                sel = (local >= pd.Timestamp(start)) & \
                      (local < pd.Timestamp(start) + pd.Timedelta(hours=hours))
                # an estimate is a flat profile from the meter operator
                kwh[sel] = kwh[sel].mean()
                quality[sel] = "Estimert"
            keep = np.ones(len(idx), bool)
            for start, hours in missing.get((site, y), []):
                s = pd.Timestamp(start, tz=TZ)
                keep &= ~((idx >= s) & (idx < s + pd.Timedelta(hours=hours)))
            decimals = 2 if site == "fjordklinikk" else 1
            fra = idx.strftime("%d.%m.%Y %H:%M")
            til = (idx + pd.Timedelta(hours=1)).strftime("%d.%m.%Y %H:%M")
            vals = dec_comma(np.round(kwh, decimals), decimals)
            body = pd.Series(fra[keep]) + ";" + pd.Series(til[keep]) + ";" + \
                vals[keep] + ";" + quality[keep]
            lines = ["Fra;Til;KWH 60 Forbruk;Kvalitet"] + body.tolist()
            write_text(INPUTS / f"elhub_{spec['elhub']}_{y}.csv", lines)
            report[(site, y)] = dict(hours=len(idx), present=int(keep.sum()),
                                     kwh_in_file=float(np.round(kwh, decimals)[keep].sum()),
                                     estimated=int((quality[keep] == "Estimert").sum()))
    return report


def iso_with_offset(idx: pd.DatetimeIndex) -> pd.Series:
    """``2022-01-01T00:00+01:00``: local time with its UTC offset."""
    local = idx.tz_localize(None)
    utc = idx.tz_convert("UTC").tz_localize(None)
    offset_h = ((local - utc) / pd.Timedelta(hours=1)).astype(int)
    off = np.where(offset_h == 2, "+02:00", "+01:00")
    return pd.Series(local.strftime("%Y-%m-%dT%H:%M")) + off


def write_submeter(weather: pd.DataFrame) -> float:
    """Data-centre sub-meter at sentral, hourly from 2022 (installed then)."""
    rng = np.random.default_rng(SEED + 3)
    idx = pd.date_range(pd.Timestamp("2022-01-01", tz=TZ), pd.Timestamp("2026-01-01", tz=TZ),
                        freq="h", inclusive="left")
    local = idx.tz_localize(None)
    t = weather[weather.site == "sentral"].set_index("date").temp.reindex(
        local.normalize()).to_numpy()
    years = local.year.to_numpy() - 2022
    kw = DATACENTRE_KW * 1.04 ** years * (1 + 0.012 * np.clip(t - 12, 0, None)) \
        * np.exp(rng.normal(0, 0.02, len(idx)))
    df = pd.DataFrame({"meter_id": METERS["sub"], "timestamp": iso_with_offset(idx),
                       "value": np.round(kw, 1), "unit": "kWh"})
    df.to_csv(INPUTS / "undermaaler_datasenter_2022-2025.csv", index=False,
              float_format="%.1f", lineterminator="\n")
    return float(df.value.sum())


def daily_heat_profile(weather: pd.DataFrame, site: str, hot_water: float) -> pd.Series:
    """Daily share of a year's heat: hot water flat, the rest by degree days."""
    w = weather[weather.site == site].set_index("date").temp
    h = pd.Series(hdd(w.to_numpy()), index=w.index)
    out = []
    for y in YEARS:
        hy = h[h.index.year == y]
        out.append(hot_water / len(hy) + (1 - hot_water) * hy / hy.sum())
    return pd.concat(out)


def write_district_heating(weather: pd.DataFrame, energy: pd.DataFrame) -> None:
    """Register readings, cumulative MWh, read around the 15th and at new year."""
    rng = np.random.default_rng(SEED + 4)
    per_file = {"sentral": [], "others": []}
    for site, mid in METERS["dh"].items():
        prof = daily_heat_profile(weather, site, hot_water=0.15)
        annual = energy[energy.site == site].set_index("year").district_heating
        daily_mwh = prof * prof.index.year.map(annual).to_numpy() / 1000.0
        # cumulative counter at the start of each day (midnight), 2019-01-01 .. 2026-01-01
        cum = np.concatenate([[0.0], np.cumsum(daily_mwh.to_numpy())])
        starts = pd.DatetimeIndex(list(daily_mwh.index) + [pd.Timestamp("2026-01-01")])
        times = [pd.Timestamp(f"{y}-01-01") for y in YEARS + [2026]]
        with_time = site == "sentral"
        for y in YEARS:
            for m in range(1, 13):
                day = 15 + int(rng.integers(-3, 4))
                t = pd.Timestamp(y, m, day)
                if with_time:
                    t += pd.Timedelta(minutes=int(rng.integers(7 * 60, 14 * 60)))
                times.append(t)
        times = sorted(times)
        pos = (np.array([t.value for t in times]) - starts[0].value) / 86400e9
        value = DH_START_MWH[site] + np.interp(pos, np.arange(len(starts)), cum)
        if site == "sentral":
            value = np.mod(value, DH_ROLLOVER)
            assert (np.diff(value) < 0).sum() == 1, "the sentral counter must wrap exactly once"
        else:
            assert value.max() < DH_ROLLOVER
        fmt = "%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y"
        for t, v in zip(times, value):
            per_file["sentral" if with_time else "others"].append(
                f"{mid};{t.strftime(fmt)};{dec_comma([v], 3)[0]};MWh")
    header = "målepunkt;tidspunkt;verdi;enhet"
    for key, name in [("sentral", "fjernvarme_sentral_2019-2025.csv"),
                      ("others", "fjernvarme_nordby_fjordklinikk_2019-2025.csv")]:
        write_text(INPUTS / name, [header] + per_file[key])


def write_monitoring_xlsx(weather: pd.DataFrame) -> dict:
    """Monthly recovered heat at sentral: ventilation heat pumps and chillers (wide XLSX)."""
    rng = np.random.default_rng(SEED + 5)
    w = weather[weather.site == "sentral"].set_index("date").temp
    months = pd.date_range("2019-01-01", "2025-12-01", freq="MS")
    rows = []
    totals = {}
    for m in months:
        t = w[(w.index.year == m.year) & (w.index.month == m.month)]
        ty = w[w.index.year == m.year]
        heat = 0.2 / 12 + 0.8 * hdd(t.to_numpy()).sum() / hdd(ty.to_numpy()).sum()
        cool_w = np.clip(t.to_numpy() - 8, 0, None).sum() + 6 * len(t)
        cool_y = np.clip(ty.to_numpy() - 8, 0, None).sum() + 6 * len(ty)
        rec = RECOVERED_KWH[m.year] * heat * np.exp(rng.normal(0, 0.03))
        cool = COOLING_KWH * TREND["sentral"][m.year] * cool_w / cool_y
        rows.append([m.to_pydatetime(), round(float(rec)), round(float(cool))])
        totals.setdefault(m.year, [0, 0])
        totals[m.year][0] += round(float(rec))
        totals[m.year][1] += round(float(cool))
    write_xlsx(
        INPUTS / "energioppfolging_2019-2025.xlsx",
        meta=["Energiportalen EOS – månedsverdier", "Eksportert 20.01.2026 07:42 av driftsteknikk",
              "Enhet: kWh"],
        header=["Tidspunkt", METERS["recovered"], METERS["cooling"]],
        rows=rows, date_format="mmm yyyy",
        extra_sheet=("Instruksjoner", [
            "Slik bruker du eksporten",
            "1. Ikke endre kolonneoverskriftene (målepunkt-ID).",
            "2. Verdiene er forbruk per måned i kWh.",
            "3. Første kolonne er første dag i måneden.",
        ]))
    return totals


def activity_rows() -> pd.DataFrame:
    """All non-metered activity data, one row per site, period and activity."""
    rng = np.random.default_rng(SEED + 6)
    rows = []

    def add(site, period, activity, qty, unit, note=""):
        rows.append(dict(site=site, period=str(period), activity=activity,
                         quantity=qty, unit=unit, note=note))

    t = {y: y - 2019 for y in YEARS}
    for y in YEARS:
        covid = {2020: 0.9, 2021: 0.95}.get(y, 1.0)
        # fuel oil: a few tank fills per year
        for site, per_year in FUEL_OIL_L.items():
            total = per_year.get(y, 0)
            if not total:
                continue
            n = 3 if total > 10000 else 1
            months = sorted(rng.choice([1, 2, 3, 10, 11, 12], n, replace=False))
            parts = rng.dirichlet(np.ones(n) * 4) * total if n > 1 else np.array([total])
            for mo, q in zip(months, parts):
                q = round(float(q), -1)
                if site == "sentral" and y == 2019:
                    add(site, f"{y}-{mo:02d}", "fuel_oil", round(q / 1000, 2), "m³",
                        "Påfylling oljetank reservekjel")
                else:
                    add(site, f"{y}-{mo:02d}", "fuel_oil", q, "L", "Påfylling oljetank reservekjel")
        for site, litres in GENERATOR_DIESEL_L.items():
            add(site, y, "diesel", round(litres * rng.uniform(0.9, 1.1), -1), "l",
                "Testkjøring nødstrømsaggregat")
        # own vehicles: diesel falling as the fleet electrifies
        for site, (dl, pl) in {"sentral": (24000, 5500), "nordby": (9000, 2400),
                               "fjordklinikk": (1600, 700)}.items():
            add(site, y, "vehicle:diesel", round(dl * 0.955 ** t[y] * rng.uniform(0.97, 1.03)),
                "liter", "Drivstoffkort")
            add(site, y, "vehicle:petrol", round(pl * 0.97 ** t[y] * rng.uniform(0.95, 1.05)),
                "L", "Drivstoffkort")
        # anaesthetic gases
        des = {"sentral": {2019: 62, 2020: 41, 2021: 14},
               "nordby": {2019: 21, 2020: 15, 2021: 5}}
        for site, per_year in des.items():
            if y in per_year:
                add(site, y, "anaesthetic:desflurane",
                    round(per_year[y] * rng.uniform(0.97, 1.03), 1), "kg", "Sykehusapoteket")
        for site, base in {"sentral": 300, "nordby": 105}.items():
            add(site, y, "anaesthetic:sevoflurane",
                round(base * 1.045 ** t[y] * covid * rng.uniform(0.97, 1.03), 1), "kg",
                "Sykehusapoteket")
        for site, base in {"sentral": 2000, "nordby": 720, "fjordklinikk": 55}.items():
            add(site, y, "nitrous_oxide", round(base * 0.978 ** t[y] * rng.uniform(0.98, 1.02)),
                "kg", "Lystgass, sentralanlegg og flasker")
        # travel (booked centrally, reported on sentral)
        travel = {2019: 1.0, 2020: 0.32, 2021: 0.42, 2022: 0.74, 2023: 0.8, 2024: 0.8, 2025: 0.78}
        add("sentral", y, "flight_domestic", round(1_450_000 * travel[y], -3), "pkm",
            "Reisebyrårapport")
        add("sentral", y, "flight_international", round(620_000 * travel[y] ** 1.2, -3), "pkm",
            "Reisebyrårapport")
        add("sentral", y, "rail", round(140_000 * (1.06 ** t[y]) * covid, -2), "pkm",
            "Reisebyrårapport")
        add("sentral", y, "taxi", round(260_000 * travel[y] ** 0.5, -2), "km",
            "Taxiavtale, kjørte km")
        # waste, tonnes per year from the waste contractor
        waste = {"waste:residual": 800, "waste:food": 150, "waste:paper": 185,
                 "waste:plastic": 42, "waste:hazardous": 24, "waste:infectious": 118}
        trend = {"waste:residual": 0.975, "waste:food": 0.93, "waste:paper": 0.98,
                 "waste:plastic": 1.03, "waste:hazardous": 1.0, "waste:infectious": 0.99}
        size = {"sentral": 1.0, "nordby": 0.37, "fjordklinikk": 0.06}
        for site, s in size.items():
            for act, base in waste.items():
                q = base * s * trend[act] ** t[y] * rng.uniform(0.96, 1.04)
                if act == "waste:food" and y == 2020:
                    q *= 0.9
                unit = {"sentral": "tonn", "nordby": "t", "fjordklinikk": "tonne"}[site]
                add(site, y, act, round(q, 2), unit, "Avfallsrapport fra renovatør")
    # refrigerant top-ups after leaks (occasional)
    for site, period, gas, kg, note in [
            ("sentral", "2019-03", "R-404A", 11.5, "Lekkasje kjølerom kjøkken"),
            ("nordby", "2019-08", "R-410A", 4.2, "Service varmepumpe"),
            ("sentral", "2020-06", "R-134a", 18.0, "Lekkasje kjølemaskin KM2"),
            ("sentral", "2021-07", "R-407C", 6.0, "Etterfylling ventilasjonsaggregat"),
            ("fjordklinikk", "2021-11", "R-410A", 2.1, "Service varmepumpe"),
            ("nordby", "2022-05", "R-134a", 8.5, "Lekkasje kjølemaskin"),
            ("sentral", "2023-06", "R-410A", 5.0, "Ny varmepumpe, tilvekstbygg"),
            ("nordby", "2024-07", "R-407C", 3.2, "Etterfylling"),
            ("sentral", "2025-02", "R-134a", 4.0, "Lekkasje kjølemaskin KM1")]:
        add(site, period, f"refrigerant:{gas}", kg, "kg", note)
    df = pd.DataFrame(rows)
    df["year"] = df.period.str[:4].astype(int)
    return df.sort_values(["year", "site", "activity", "period"], kind="stable").reset_index(drop=True)


def fmt_num(x: float, comma: bool) -> str:
    s = f"{x:.10g}" if abs(x) < 1e15 else str(x)
    if "e" in s:
        s = f"{x:.2f}"
    return s.replace(".", ",") if comma else s


def write_activities(df: pd.DataFrame) -> None:
    nb = ["lokasjon", "periode", "aktivitet", "mengde", "enhet", "merknad"]
    en = ["site", "period", "activity", "quantity", "unit", "note"]
    cols = ["site", "period", "activity", "quantity", "unit", "note"]
    # 2019-2021: one English comma file (an old template)
    part = df[df.year <= 2021][cols].copy()
    part.columns = en
    part.to_csv(INPUTS / "activity_data_2019-2021.csv", index=False, lineterminator="\n")
    # 2022 and 2023: Norwegian semicolon files with decimal comma, BOM (Excel "CSV UTF-8")
    for y in (2022, 2023):
        part = df[df.year == y]
        lines = [";".join(nb)]
        for r in part.itertuples():
            lines.append(";".join([r.site, r.period, r.activity, fmt_num(r.quantity, True),
                                   r.unit, r.note]))
        write_text(INPUTS / f"aktivitetsdata_{y}.csv", lines, encoding="utf-8-sig")
    # 2024: XLSX from the reporting template, two metadata rows above the header
    part = df[df.year == 2024]
    write_xlsx(INPUTS / "aktivitetsdata_2024.xlsx",
               meta=["Miljørapportering Demo HF – aktivitetsdata", "Rapporteringsår: 2024"],
               header=[h.capitalize() for h in nb],
               rows=[[r.site, r.period, r.activity, float(r.quantity), r.unit, r.note]
                     for r in part.itertuples()],
               extra_sheet=("Instruksjoner", ["Én rad per lokasjon, periode og aktivitet.",
                                              "Bruk aktivitetsnavn fra faktorbiblioteket."]))
    # 2025: Norwegian headers, comma, decimal point
    part = df[df.year == 2025][cols].copy()
    part.columns = nb
    part.to_csv(INPUTS / "aktivitetsdata_2025.csv", index=False, lineterminator="\n")


def write_food_waste() -> pd.DataFrame:
    """Weekly food-waste registrations per site and category."""
    rng = np.random.default_rng(SEED + 8)
    fridays = pd.date_range("2019-01-04", "2025-12-31", freq="W-FRI")
    base_kg = {"sentral": 118_000, "nordby": 44_000, "fjordklinikk": 5_200}
    split = {"produksjon": 0.30, "servering": 0.42, "tallerken": 0.28}
    rows = []
    for site, annual in base_kg.items():
        for d in fridays:
            y = d.year
            covid = 0.88 if (y == 2020 and 3 <= d.month <= 6) else 1.0
            summer = 0.85 if d.month == 7 else 1.0
            for cat, share in split.items():
                kg = annual / 52.18 * share * 0.93 ** (y - 2019) * covid * summer \
                    * np.exp(rng.normal(0, 0.12))
                rows.append(dict(date=d, site=site, category=cat, kg=kg))
    df = pd.DataFrame(rows)
    # sentral and nordby: kitchen system export, ISO dates, kg
    part = df[df.site != "fjordklinikk"]
    out = pd.DataFrame({"dato": part.date.dt.strftime("%Y-%m-%d"), "lokasjon": part.site,
                        "kategori": part.category, "mengde": np.round(part.kg, 1),
                        "enhet": "kg"})
    out.to_csv(INPUTS / "matsvinn_sentral_nordby_2019-2025.csv", index=False,
               lineterminator="\n")
    # fjordklinikk: its own scale reports grams, English template, dd.mm.yyyy
    part = df[df.site == "fjordklinikk"]
    en_cat = {"produksjon": "production", "servering": "serving", "tallerken": "plate"}
    lines = ["date;site;category;quantity;unit"]
    for r in part.itertuples():
        lines.append(f"{r.date:%d.%m.%Y};{r.site};{en_cat[r.category]};{round(r.kg * 1000)};g")
    write_text(INPUTS / "food_waste_fjordklinikk_2019-2025.csv", lines)
    df["kg_written"] = np.where(df.site == "fjordklinikk", np.round(df.kg * 1000) / 1000,
                                np.round(df.kg, 1))
    return df


def write_operations() -> pd.DataFrame:
    """Patient days, meals and FTEs per year and site (Windows-1252 file)."""
    pdays = {"sentral": [166_200, 151_900, 160_400, 162_800, 169_300, 170_100, 171_500],
             "nordby": [62_400, 56_800, 60_100, 60_900, 61_300, 61_800, 62_200],
             "fjordklinikk": [5_150, 4_420, 4_980, 5_060, 5_120, 5_180, 5_240]}
    fte = {"sentral": 3480.4, "nordby": 1295.8, "fjordklinikk": 176.5}
    lines = ["år;lokasjon;liggedøgn;måltider;årsverk"]
    rows = []
    for i, y in enumerate(YEARS):
        for site in SITES:
            p = pdays[site][i]
            f = round(fte[site] * (1.008 ** i), 1)
            meals = int(round(p * 3.4 + f * 55, -2))
            lines.append(f"{y};{site};{p};{meals};{str(f).replace('.', ',')}")
            rows.append(dict(year=y, site=site, patient_days=p))
    write_text(INPUTS / "drift_2019-2025.csv", lines, encoding="cp1252")
    return pd.DataFrame(rows)


LISTED = {"DEHP": "117-81-7", "DBP": "84-74-2", "BPA": "80-05-7", "PFOA": "335-67-1",
          "D4": "556-67-2", "triklosan": "3380-34-5"}
BENIGN = {"vann": "7732-18-5", "etanol": "64-17-5", "glyserol": "56-81-5",
          "isopropanol": "67-63-0", "natriumklorid": "7647-14-5", "sitronsyre": "77-92-9",
          "hydrogenperoksid": "7722-84-1", "polyetylen": "9002-88-4",
          "polypropylen": "9003-07-0", "glukose": "50-99-7", "propylenglykol": "57-55-6",
          "cellulose": "9004-34-6", "natriumsulfat": "7757-82-6", "natriumbikarbonat": "144-55-8"}


def product_catalog(rng: np.random.Generator) -> tuple[list[dict], list[dict]]:
    """Free and not-free products, each with id, description, price and declaration."""
    not_free_t = [
        ("Infusjonssett PVC", ["DEHP"], "ja"), ("Ernæringssett PVC", ["DEHP"], ""),
        ("Slange myk PVC", ["DEHP", "DBP"], ""), ("Oksygenmaske PVC", ["DEHP"], "ja"),
        ("Termopapir rull", ["BPA"], ""), ("Matboks polykarbonat", ["BPA"], "ja"),
        ("Impregneringsspray tekstil", ["PFOA"], ""), ("Fettavvisende emballasje", ["PFOA"], "ja"),
        ("Hudkrem silikonbasert", ["D4", "vann", "glyserol"], ""),
        ("Håndsåpe antibakteriell", ["triklosan", "vann"], "nei"),
        ("Kontaktlim", ["DBP"], ""), ("Urinpose PVC", ["DEHP"], ""),
        ("Rengjøringsmiddel industri", [], "ja"), ("Avfettingsmiddel", [], "ja"),
        ("Gulvpolish", [], "ja"), ("Hansker vinyl", ["DEHP"], "ja"),
    ]
    free_t = [
        ("Hansker nitril pudderfri", []), ("Hånddesinfeksjon", ["etanol", "vann", "glyserol"]),
        ("Overflatedesinfeksjon", ["isopropanol", "vann"]), ("Kompress gasbind", ["cellulose"]),
        ("Sprøyte PP", ["polypropylen"]), ("Infusjonssett DEHP-fritt", []),
        ("Natriumklorid infusjon", ["natriumklorid", "vann"]),
        ("Glukose infusjon", ["glukose", "vann"]), ("Avkalkingsmiddel", ["sitronsyre", "vann"]),
        ("Hydrogenperoksid 3 %", ["hydrogenperoksid", "vann"]),
        ("Avfallssekk PE", ["polyetylen"]), ("Hudkrem parfymefri", ["glyserol", "vann"]),
        ("Engangsforkle PE", ["polyetylen"]), ("Papirhåndkle", ["cellulose"]),
        ("Oppvaskmiddel svanemerket", ["natriumbikarbonat", "vann"]),
        ("Kateter silikon", []), ("Bandasje elastisk", []), ("Munnbind kirurgisk", []),
        ("Kanyle steril", []), ("Vaskemiddel tekstil", ["natriumsulfat", "natriumbikarbonat"]),
        ("Fuktighetskrem", ["propylenglykol", "glyserol", "vann"]),
    ]
    variants = ["liten", "medium", "stor", "10 stk", "50 stk", "100 stk", "500 ml", "1 l",
                "5 l", "str. S", "str. M", "str. L"]

    def make(templates, n, start_id, free):
        out = []
        for i in range(n):
            name, subs, flag = (templates[i % len(templates)] + ("",))[:3] if free else \
                templates[i % len(templates)]
            variant = variants[(i // len(templates) + i) % len(variants)]
            cas = [LISTED.get(s) or BENIGN[s] for s in subs]
            # some declarations leave the CAS field empty
            if free and rng.random() < 0.3:
                cas = []
            if free:
                flag = "nei" if rng.random() < 0.6 else ""
            out.append(dict(product_id=str(start_id + 7 * i), description=f"{name}, {variant}",
                            price=float(np.round(rng.lognormal(4.2, 1.0), 2)),
                            flag=flag, cas=cas, free=free))
        return out

    free = make(free_t, 200, 400011, True)
    not_free = make(not_free_t, 120, 700013, False)
    rng.shuffle(free)
    rng.shuffle(not_free)
    return free, not_free


def write_products() -> pd.DataFrame:
    """Purchased products per year; the free share rises 55 % -> 68 %."""
    rng = np.random.default_rng(SEED + 9)
    free, not_free = product_catalog(rng)
    for p in free + not_free:
        for c in p["cas"]:
            assert is_valid_cas(c), c
        assert p["free"] == (p["flag"] != "ja" and not set(p["cas"]) & set(LISTED.values()))
    n_products = {2019: 200, 2020: 194, 2021: 204, 2022: 210, 2023: 214, 2024: 220, 2025: 226}
    share = {2019: 0.55, 2020: 0.565, 2021: 0.59, 2022: 0.615, 2023: 0.64, 2024: 0.66,
             2025: 0.68}
    rows = []
    for y in YEARS:
        n = n_products[y]
        n_free = round(share[y] * n)
        k = y - 2019
        chosen = free[3 * k: 3 * k + n_free] + not_free[2 * k: 2 * k + n - n_free]
        for p in chosen:
            for _ in range(int(rng.integers(1, 6))):
                qty = int(rng.integers(1, 40)) * (10 if p["price"] < 40 else 1)
                spend = round(qty * p["price"] * rng.uniform(0.95, 1.05), 2)
                rows.append(dict(year=y, product_id=p["product_id"], quantity=qty,
                                 description=p["description"], spend=spend, flag=p["flag"],
                                 cas=p["cas"], free=p["free"]))
    df = pd.DataFrame(rows)
    # 2019-2022: XLSX from the purchasing system, CAS separated by ';'
    part = df[df.year <= 2022]
    write_xlsx(INPUTS / "innkjop_2019-2022.xlsx",
               meta=["Innkjøpsrapport – produkter med stoffdeklarasjon",
                     "Uttrekk fra innkjøpssystemet 15.01.2023"],
               header=["År", "Varenummer", "Antall", "Beskrivelse", "Beløp",
                       "Inneholder_listet_stoff", "CAS"],
               rows=[[int(r.year), r.product_id, int(r.quantity), r.description, float(r.spend),
                      r.flag, "; ".join(r.cas)] for r in part.itertuples()],
               extra_sheet=("Instruksjoner", ["Beløp i NOK eks. mva.",
                                              "CAS-numre skilles med semikolon."]))
    # 2023-2025: CSV, English headers, CAS separated by '|'
    part = df[df.year >= 2023]
    yesno = {"ja": "yes", "nei": "no", "": ""}
    out = pd.DataFrame({"year": part.year, "product_id": part.product_id,
                        "quantity": part.quantity, "description": part.description,
                        "spend": part.spend.map(lambda v: f"{v:.2f}"),
                        "contains_listed_substance": part.flag.map(yesno),
                        "cas_numbers": part.cas.map("|".join)})
    out.to_csv(INPUTS / "products_2023-2025.csv", index=False, lineterminator="\n")
    return df


def write_temperatures(weather: pd.DataFrame) -> pd.DataFrame:
    """Daily means per site; a few days missing at fjordklinikk in 2021."""
    drop = pd.to_datetime(["2021-02-11", "2021-02-12", "2021-08-30", "2021-10-05"])
    w = weather[~((weather.site == "fjordklinikk") & weather.date.isin(drop))]
    lines = ["dato;lokasjon;middeltemperatur"]
    body = (w.date.dt.strftime("%Y-%m-%d") + ";" + w.site + ";"
            + pd.Series(dec_comma(w.temp, 1), index=w.index))
    write_text(INPUTS / "temperatur_2019-2025.csv", lines + body.tolist())
    return w


#: Energy certificates (issue 14): gjenvinningskraft from 2021, growing; trust-wide from the
#: power supplier and, from 2023, Nordby's own from the local plant; renewable guarantees
#: of origin for Fjordklinikken in 2025. Two files, which add up. MWh against ~20 GWh of
#: electricity a year: 6 % in 2021 to 36 % in 2025, never beyond a site's electricity.
CERTIFICATES = {
    "gjenvinningskraft_2021-2024.csv": [
        (2021, "gjenvinningskraft", 1200, "", "Vestkraft Handel AS"),
        (2022, "gjenvinningskraft", 2500, "", "Vestkraft Handel AS"),
        (2023, "gjenvinningskraft", 3800, "", "Vestkraft Handel AS"),
        (2023, "gjenvinningskraft", 400, "nordby", "Nordby Fjernvarme og Kraft AS"),
        (2024, "gjenvinningskraft", 5000, "", "Vestkraft Handel AS"),
        (2024, "gjenvinningskraft", 800, "nordby", "Nordby Fjernvarme og Kraft AS"),
    ],
    "opprinnelsesgarantier_2025.csv": [
        (2025, "gjenvinningskraft", 6200, "", "Vestkraft Handel AS"),
        (2025, "gjenvinningskraft", 1100, "nordby", "Nordby Fjernvarme og Kraft AS"),
        (2025, "fornybar", 300, "fjordklinikk", "Sørvik Kraft AS"),
    ],
}


def write_certificates() -> None:
    """Energy certificates, semicolon CSV with Norwegian headers and a BOM."""
    for name, rows in CERTIFICATES.items():
        lines = ["år;sertifikat;mengde;enhet;lokasjon;leverandør"]
        lines += [f"{y};{kind};{q};MWh;{site};{seller}" for y, kind, q, site, seller in rows]
        write_text(INPUTS / name, lines, encoding="utf-8-sig")


def write_config(normals: dict[str, int]) -> None:
    lines = ['[organisation]', 'name = "Demo HF"', 'baseline_year = 2019',
             'timezone = "Europe/Oslo"', 'language = "nb"', '']
    for site, spec in SITES.items():
        areas = ", ".join(f"{y} = {a}" for y, a in spec["area"].items())
        lines += ['[[sites]]', f'id = "{site}"', f'name = "{spec["name"]}"',
                  f'area_m2 = {{ {areas} }}', f'hdd_normal = {normals[site]}',
                  f'heating_share = {spec["heating_share"]}', '']
    lines += ['[accounting]', 'electricity_method = "location"', 'gwp = "AR5"',
              'target_scopes = [1, 2]']
    write_text(ROOT / "klimaregnskap.toml", lines)


# --------------------------------------------------------------------------
# Summary for the lead's sanity check
# --------------------------------------------------------------------------

# Rough factors (the shipped library's values where it has them)
EL_LOC = {2019: 0.017, 2020: 0.008, 2021: 0.011, 2022: 0.019, 2023: 0.015, 2024: 0.015,
          2025: 0.015}
GWP = {"R-134a": 1300, "R-404A": 3943, "R-407C": 1624, "R-410A": 1924,
       "desflurane": 1790, "sevoflurane": 216, "nitrous_oxide": 265}
FUEL = {"fuel_oil": 2.66, "diesel": 2.66, "vehicle:diesel": 2.66, "vehicle:petrol": 2.32}
TO_L = {"L": 1, "l": 1, "liter": 1, "m³": 1000}


def summary(energy, elhub, sub_kwh, monthly, acts, food, ops, products, normals) -> None:
    print("\nDemo HF — expected magnitudes (rough; shipped factors, DH 0 kg/kWh)")
    print(f"hdd_normal: {normals}")
    acts = acts.copy()
    acts["kg"] = 0.0
    for i, r in acts.iterrows():
        a = r.activity
        if a in FUEL:
            acts.at[i, "kg"] = r.quantity * TO_L[r.unit] * FUEL[a]
        elif a.startswith(("refrigerant:", "anaesthetic:")) or a == "nitrous_oxide":
            acts.at[i, "kg"] = r.quantity * GWP[a.split(":")[-1]]
    print(f"{'site':13}{'year':>5}{'area':>7}{'el MWh':>9}{'DH MWh':>8}{'cool':>6}{'oil':>6}"
          f"{'kWh/m2':>8}{'HDD/n':>7}{'cov%':>6}{'t S1+2':>8}")
    tot = {}
    for r in energy.itertuples():
        e = r.electricity + r.district_heating + r.district_cooling + r.fuel_oil + r.diesel
        el_file = elhub[(r.site, r.year)]["kwh_in_file"]
        s1 = acts[(acts.site == r.site) & (acts.year == r.year)].kg.sum() / 1000
        s2 = el_file * EL_LOC[r.year] / 1000
        a = area(r.site, r.year)
        cov = 100 * elhub[(r.site, r.year)]["present"] / elhub[(r.site, r.year)]["hours"]
        print(f"{r.site:13}{r.year:>5}{a:>7}{r.electricity / 1e3:>9.0f}"
              f"{r.district_heating / 1e3:>8.0f}{r.district_cooling / 1e3:>6.0f}"
              f"{(r.fuel_oil + r.diesel) / 1e3:>6.0f}{e / a:>8.1f}{r.hdd_ratio:>7.3f}"
              f"{cov:>6.1f}{s1 + s2:>8.0f}")
        t = tot.setdefault(r.year, dict(energy=0.0, em=0.0))
        t["energy"] += e
        t["em"] += s1 + s2
    fw = food.groupby(food.date.dt.year).kg_written.sum()
    free = products.groupby("year").apply(
        lambda d: d.groupby("product_id").free.first().mean(), include_groups=False)
    b = tot[2019]
    print(f"\n{'year':>5}{'energy GWh':>11}{'chg%':>7}{'tCO2e S1+2':>11}{'chg%':>7}"
          f"{'food t':>8}{'chg%':>7}{'free%':>7}{'recov GWh':>10}")
    for y in YEARS:
        t = tot[y]
        print(f"{y:>5}{t['energy'] / 1e6:>11.2f}{100 * (t['energy'] / b['energy'] - 1):>7.1f}"
              f"{t['em']:>11.0f}{100 * (t['em'] / b['em'] - 1):>7.1f}{fw[y] / 1e3:>8.1f}"
              f"{100 * (fw[y] / fw[2019] - 1):>7.1f}{100 * free[y]:>7.1f}"
              f"{monthly[y][0] / 1e6:>10.2f}")
    print(f"\n(data-centre sub-meter 2022-2025: {sub_kwh / 1e6:.2f} GWh, not in totals; "
          "delivered energy here counts all main-meter hours, the files lack the gap hours)")
    size = sum(p.stat().st_size for p in INPUTS.rglob("*") if p.is_file())
    n = sum(1 for p in INPUTS.rglob("*") if p.is_file())
    print(f"inputs/: {n} files, {size / 1e6:.2f} MB")
    assert size < 12e6, "inputs/ must stay under 12 MB"


def main() -> None:
    if INPUTS.exists():
        shutil.rmtree(INPUTS)
    INPUTS.mkdir()
    weather, normals = build_weather()
    energy = build_energy(weather, normals)
    write_config(normals)
    write_registry()
    elhub = write_elhub(weather, energy)
    sub_kwh = write_submeter(weather)
    write_district_heating(weather, energy)
    monthly = write_monitoring_xlsx(weather)
    acts = activity_rows()
    write_activities(acts)
    food = write_food_waste()
    ops = write_operations()
    products = write_products()
    write_temperatures(weather)
    write_certificates()
    summary(energy, elhub, sub_kwh, monthly, acts, food, ops, products, normals)


if __name__ == "__main__":
    main()
