"""``klimaregnskap init``: a new project folder with a configuration and input templates.

Templates go to ``templates/`` (not ``inputs/``), so their example rows are
never imported by accident; copy a template into ``inputs/`` and fill it in.
There is one per input kind of DESIGN §3, as CSV and XLSX, with the Norwegian
headers of ``vocabulary/columns.csv`` and one example row.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from klimaregnskap.calc.normalisation import DEFAULT_HEATING_SHARE
from klimaregnskap.config import CONFIG_NAME
from klimaregnskap.errors import KlimaError
from klimaregnskap.readers.columns import columns_of

CONFIG_TEMPLATE = '''[organisation]
name = "{name}"
baseline_year = 2019          # reference year of the targets
timezone = "Europe/Oslo"      # naive timestamps in inputs are local time here
language = "nb"               # report language: nb or en

[[sites]]
id = "hovedbygg"              # used in input files
name = "Hovedbygget"
area_m2 = {{ 2019 = 50000 }}    # heated gross area (BRA); a year holds until the next
hdd_normal = 4300             # normal-year heating degree days (base 17 °C)
heating_share = {heating_share}           # share of delivered energy that varies with weather

[accounting]
electricity_method = "location"   # location, market or european_mix
gwp = "AR5"                       # AR5 or AR6
target_scopes = [1, 2]

# [targets.emissions]             # override a shipped target
# year = 2030
# level = -40                     # % change from the baseline

# [[baseline_adjustments]]
# indicator = "emissions"
# amount = "120 tCO2e"
# year = 2023
# reason = "Site taken over from another trust"
'''

#: template file stem -> the kind of input it is a template of
TEMPLATE_KINDS = {
    "aktivitetsdata": "activity",
    "matsvinn": "food_waste",
    "drift": "operations",
    "innkjop": "products",
    "temperaturer": "temperatures",
    "malere": "meter_registry",
    "maleravlesninger": "meter_readings",
    "tiltak": "measures",
    "maleravlesninger_bred": "meter_readings_wide",
    # an Elhub export: the file name must hold the meter's 18-digit målepunkt-ID
    "elhub_707057500000000001": "elhub",
    "hovedbok": "purchases",
    "kontomapping": "account_mapping",
    "opprinnelsesgarantier": "certificates",
}

#: kind -> column -> the example value of the template's row
EXAMPLES = {
    "activity": {"site": "hovedbygg", "period": "2024-01", "activity": "fuel_oil",
                 "quantity": 1200, "unit": "L", "note": "Reservekjel",
                 "category": "Energi"},
    "food_waste": {"date": "2024-01-08", "site": "hovedbygg", "category": "tallerken",
                   "quantity": 35.5, "unit": "kg"},
    "operations": {"year": 2024, "site": "hovedbygg", "patient_days": 120000,
                   "meals_served": 350000, "fte": 2400},
    "products": {"year": 2024, "product_id": "100234", "quantity": 50,
                 "description": "Hansker, nitril", "spend": 12500,
                 "contains_listed_substance": "nei", "cas_numbers": "7732-18-5"},
    "temperatures": {"date": "2024-01-01", "site": "hovedbygg", "mean_temperature": -3.4},
    "meter_registry": {"meter_id": "707057500000000001", "site": "hovedbygg",
                       "carrier": "electricity", "kind": "interval", "role": "main",
                       "unit": "kWh", "multiplier": 1, "rollover": "", "installed": "",
                       "removed": ""},
    "meter_readings": {"meter_id": "707057500000000001", "timestamp": "01.01.2024 00:00",
                       "value": 512.4, "unit": "kWh", "quality": "målt"},
    "measures": {"id": "T1", "name": "LED-belysning", "indicator": "energy", "effect": -350,
                 "start_year": 2025, "unit": "MWh", "full_effect_year": 2026,
                 "status": "vedtatt", "site": "hovedbygg", "carrier": "electricity",
                 "investment": 2500000, "annual_cost_change": -300000, "lifetime_years": 15,
                 "owner": "Teknisk sjef"},
    # wide form: the first column holds the interval starts, every further column is
    # headed by a registered meter id (here the meter registry's example meter)
    "meter_readings_wide": {"timestamp": "01.01.2024 00:00", "707057500000000001": 512.4},
    # Elhub's own layout (Fra;Til;KWH 60 Forbruk;Kvalitet), as the export comes
    "elhub": {"fra": "01.01.2024 00:00", "til": "01.01.2024 01:00", "kwh*": 512.4,
              "kvalitet": "Avlest"},
    "purchases": {"year": 2024, "account": 4650, "amount": 125000, "currency": "NOK",
                  "supplier": "Medisinsk AS", "description": "Sterile hansker",
                  "category": ""},
    "account_mapping": {"account": "4600-4699", "category": "spend:medical_consumables",
                        "reason": ""},
    "certificates": {"year": 2024, "certificate": "gjenvinningskraft", "quantity": 5000,
                     "unit": "MWh",
                     "site": "", "supplier": "Kraftleverandør AS"},
}


def _template(kind: str) -> tuple[list[str], list]:
    """Header (the Norwegian names of ``vocabulary/columns.csv``) and example row.

    The wide form's header is the timestamp column and the meters' ids; Elhub's
    is its own (``Fra``, ``Til``, ``KWH 60 Forbruk``, ``Kvalitet``).
    """
    if kind == "meter_readings_wide":
        ts = columns_of(kind)[0]
        return ([ts.name_nb] + list(EXAMPLES[kind])[1:],
                [EXAMPLES[kind][ts.column]] + list(EXAMPLES[kind].values())[1:])
    cols = [c for c in columns_of(kind) if c.template or kind == "elhub"]
    return [c.name_nb for c in cols], [EXAMPLES[kind][c.column] for c in cols]


#: file stem -> (header in Norwegian, example row)
TEMPLATES = {stem: _template(kind) for stem, kind in TEMPLATE_KINDS.items()}


def create_project(directory: str | Path, name: str = "Mitt HF") -> list[Path]:
    """Create a project folder: config, ``inputs/``, ``factors/``, ``reports/``, ``templates/``.

    Parameters
    ----------
    directory : str or Path
    name : str
        Organisation name.

    Returns
    -------
    list of Path
        Files and folders created.

    Raises
    ------
    KlimaError
        When the folder already holds a configuration.
    """
    d = Path(directory)
    cfg = d / CONFIG_NAME
    if cfg.exists():
        raise KlimaError(f"{cfg} already exists; not overwriting an existing project")
    created = []
    for sub in ("inputs", "factors", "reports", "templates"):
        (d / sub).mkdir(parents=True, exist_ok=True)
        created.append(d / sub)
    cfg.write_text(CONFIG_TEMPLATE.format(name=name.replace('"', '\\"'),
                                          heating_share=DEFAULT_HEATING_SHARE), encoding="utf-8")
    created.append(cfg)
    for stem, (header, example) in TEMPLATES.items():
        csv = d / "templates" / f"{stem}.csv"
        csv.write_text(";".join(header) + "\n" + ";".join(
            str(v).replace(".", ",") if isinstance(v, float) else str(v) for v in example) + "\n",
            # the BOM makes Excel open the file as UTF-8 (æ, ø, å intact); readers accept it
            encoding="utf-8-sig")
        wb = Workbook()
        ws = wb.active
        ws.title = stem[:31]
        ws.append(header)
        ws.append(example)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for col, h in zip(ws.columns, header):
            ws.column_dimensions[col[0].column_letter].width = max(12, len(h) + 4)
        info = wb.create_sheet("Instruksjoner")
        info.append([f"Fyll inn én rad per registrering under overskriftene i arket '{stem}'. "
                     "Kopier filen til inputs/ når den er ferdig."])
        xlsx = d / "templates" / f"{stem}.xlsx"
        wb.save(xlsx)
        created += [csv, xlsx]
    (d / "factors" / "README.md").write_text(
        "Own factor files (activity,year,value,unit,scope,method,source) placed here replace the "
        "shipped series of the same activity, kind and method.\n", encoding="utf-8")
    return created
