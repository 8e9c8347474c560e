"""Generate the demo trust's general ledger and account mapping (issue 14).

Run from the repository root::

    .venv/bin/python tools/make_demo_purchases.py

Writes only ``inputs/hovedbok_2019-2025.csv`` (semicolon, decimal comma, the
way a Norwegian accounting system exports it) and ``inputs/kontomapping.csv``;
the rest of ``inputs/`` is ``tools/make_demo.py``'s. Deterministic (a fixed
seed): running it twice gives byte-identical files.

The story: a mid-size trust buys goods and services for about 1 billion NOK a
year (2025), most of it pharmaceuticals, medical consumables and building
maintenance; wages, depreciation, financial items and the bills of what is
counted from physical data (electricity, district heating, fuel oil, waste,
travel) are excluded with their reasons. Spend grows with prices (about 4 % a
year), with a consumables peak in 2020 (the pandemic). There is a credit note
(2024, consumables), an IT licence invoiced in USD and a piece of equipment in
EUR.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
YEARS = range(2019, 2026)
#: nominal growth per year (prices), applied from 2019
GROWTH = 0.04

#: account, name, 2025 spend [million NOK], suppliers, pandemic factor 2020
ACCOUNTS = [
    (4000, "Legemidler", 190.0, ["Sykehusapotekene HF", "Alliance Healthcare"], 1.05),
    (4010, "Legemidler, H-resept", 85.0, ["Sykehusapotekene HF"], 1.0),
    (4020, "Blodprodukter og plasma", 25.0, ["Octapharma AS"], 1.0),
    (4100, "Medisinsk forbruksmateriell", 95.0, ["Mediq Norge AS", "OneMed AS", "Medline"], 1.3),
    (4110, "Sterilvarer", 40.0, ["Mölnlycke Health Care", "Mediq Norge AS"], 1.2),
    (4120, "Implantater", 45.0, ["Medtronic Norge AS", "Zimmer Biomet"], 0.8),
    (4130, "Hansker og smittevern", 20.0, ["OneMed AS"], 2.5),
    (4200, "Laboratorierekvisita", 30.0, ["VWR International AS"], 1.1),
    (4210, "Reagenser", 40.0, ["Roche Diagnostics Norge AS", "Siemens Healthineers"], 1.4),
    (4300, "Matvarer", 35.0, ["ASKO Øst AS", "Tine SA"], 0.95),
    (4310, "Kantinevarer", 10.0, ["ASKO Øst AS"], 0.7),
    (4500, "Tekstiler og arbeidstøy", 10.0, ["Berendsen Tekstil Service AS"], 1.1),
    (4510, "Vaskeritjenester", 20.0, ["Sykehusvaskeriet Øst"], 1.1),
    (5000, "Lønn til ansatte", 2600.0, ["lønnskjøring"], 1.0),
    (5090, "Feriepenger", 310.0, ["lønnskjøring"], 1.0),
    (5400, "Arbeidsgiveravgift", 420.0, ["Skatteetaten"], 1.0),
    (5420, "Pensjonskostnader", 380.0, ["KLP"], 1.0),
    (6000, "Avskrivning bygninger", 140.0, ["bokføring"], 1.0),
    (6010, "Avskrivning utstyr", 110.0, ["bokføring"], 1.0),
    (6300, "Leie av lokaler", 18.0, ["Sykehusbygg HF"], 1.0),
    (6340, "Strøm", 42.0, ["Hafslund Strøm AS"], 1.0),
    (6341, "Fjernvarme", 22.0, ["Hafslund Oslo Celsio AS"], 1.0),
    (6342, "Fyringsolje", 1.0, ["Circle K Norge AS"], 1.0),
    (6360, "Renhold", 35.0, ["ISS Facility Services AS"], 1.3),
    (6370, "Avfallshåndtering", 12.0, ["Norsk Gjenvinning AS"], 1.2),
    (6500, "Medisinsk-teknisk utstyr", 80.0, ["GE HealthCare", "Philips Norge AS"], 1.4),
    (6550, "Møbler og inventar", 12.0, ["Kinnarps AS"], 0.7),
    (6600, "Reparasjon og vedlikehold bygg", 85.0, ["Caverion Norge AS", "Bravida"], 0.9),
    (6610, "Ombygging og prosjekter", 25.0, ["Veidekke Entreprenør AS"], 0.8),
    (6700, "Konsulenttjenester", 30.0, ["Deloitte AS", "Sopra Steria"], 1.0),
    (6720, "Innleie av helsepersonell", 20.0, ["Medical Staff AS"], 1.6),
    (6790, "IT-drift og lisenser", 55.0, ["Sykehuspartner HF", "Microsoft"], 1.1),
    (6800, "Kontorrekvisita", 6.0, ["Staples Norge AS"], 0.8),
    (6820, "Trykksaker", 4.0, ["07 Media AS"], 0.8),
    (6860, "Datautstyr", 40.0, ["Atea AS", "Dell"], 1.2),
    (6900, "Telefon og datakommunikasjon", 15.0, ["Telenor Norge AS"], 1.1),
    (7000, "Transport av varer og prøver", 25.0, ["Bring", "Postnord"], 1.2),
    (7100, "Reisekostnader", 20.0, ["Berg-Hansen", "SAS"], 0.3),
    (7500, "Forsikringspremier", 15.0, ["Gjensidige"], 1.0),
    (8150, "Rentekostnader", 30.0, ["Helse Sør-Øst RHF"], 1.0),
]

#: one account, a range or a prefix -> spend category or exclude, with a reason
MAPPING = [
    ("40*", "spend:pharmaceuticals", ""),
    ("4100-4199", "spend:medical_consumables", ""),
    ("42*", "spend:laboratory_supplies", ""),
    ("4300-4399", "spend:food_catering", ""),
    ("45*", "spend:textiles_laundry", ""),
    ("5000-5999", "exclude", "lønn og sosiale kostnader: ikke innkjøp av varer og tjenester"),
    ("6000-6099", "exclude", "avskrivninger: ikke innkjøp (investeringen telles når den kjøpes)"),
    ("63*", "spend:consulting_other_services", ""),
    ("6340", "exclude", "strøm: telt fra målerne (Elhub), ville blitt talt to ganger"),
    ("6341", "exclude", "fjernvarme: telt fra målerne, ville blitt talt to ganger"),
    ("6342", "exclude", "fyringsolje: telt fra aktivitetsdata (liter), ville blitt talt to ganger"),
    ("6360", "spend:cleaning", ""),
    ("6370", "exclude", "avfall: telt fra avfallsfraksjonene (tonn), ville blitt talt to ganger"),
    ("65*", "spend:medical_equipment", ""),
    ("6550-6559", "spend:furniture", ""),
    ("6600-6699", "spend:construction_maintenance", ""),
    ("6700-6799", "spend:consulting_other_services", ""),
    ("6790", "spend:it_services", ""),
    ("68*", "spend:office_supplies", ""),
    ("6860", "spend:it_equipment", ""),
    ("69*", "spend:it_services", ""),
    ("70*", "spend:transport_services", ""),
    ("7100-7199", "exclude", "reiser: telt fra reiseregisteret (personkm), ville blitt talt to ganger"),
    ("7500-7599", "exclude", "forsikring: finansielle tjenester, ikke med i sektorens klimaregnskap"),
    ("8*", "exclude", "finansposter: ikke innkjøp av varer og tjenester"),
]


def nok(x: float) -> str:
    """12 345,67 with a space between thousands and a decimal comma."""
    s = f"{x:,.2f}".replace(",", " ").replace(".", ",")
    return s


def ledger_rows() -> list[str]:
    rng = np.random.default_rng(20241)
    out = ["år;konto;beløp;valuta;leverandør;beskrivelse"]
    for year in YEARS:
        price = (1 + GROWTH) ** (year - 2025)
        for acc, name, m2025, suppliers, pandemic in ACCOUNTS:
            level = m2025 * 1e6 * price * (pandemic if year == 2020 else 1.0)
            if acc == 6342:  # fuel oil for backup boilers, phased out by 2023
                level = 0.0 if year >= 2023 else 3e6 * price
            if acc == 7100 and year == 2021:
                level *= 0.5  # travel still low after the pandemic
            if level == 0:
                continue
            shares = rng.dirichlet(np.ones(len(suppliers)) * 4)
            for sup, share in zip(suppliers, shares):
                amount = round(level * share * rng.uniform(0.97, 1.03), 2)
                out.append(f"{year};{acc};{nok(amount)};;{sup};{name}")
    # a credit note: returned consumables (2024)
    out.append("2024;4100;-1 250 000,00;;Mediq Norge AS;Kreditnota, returnerte varer")
    # an IT licence invoiced in USD and equipment in EUR
    for year in YEARS:
        out.append(f"{year};6790;{nok(180000 * (1.03 ** (year - 2019)))};USD;"
                   "Microsoft Ireland;Lisenser (USD)")
    out.append("2022;6500;250 000,00;EUR;Dräger Medical GmbH;Anestesiapparat (EUR)")
    return out


def mapping_rows() -> list[str]:
    return ["konto;kategori;begrunnelse"] + [f"{p};{c};{r}" for p, c, r in MAPPING]


def main() -> None:
    inputs = ROOT / "inputs"
    (inputs / "hovedbok_2019-2025.csv").write_text("\n".join(ledger_rows()) + "\n",
                                                  encoding="utf-8")
    (inputs / "kontomapping.csv").write_text("\n".join(mapping_rows()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
