"""How ``gammel.xls`` was made (run once; the file is committed, this is not run by tests).

``.xls`` (Excel 97-2003, BIFF8) cannot be written with the project's
dependencies (openpyxl writes XLSX only), so the tests read this one tiny
committed workbook. It was written with ``xlwt`` 1.3.0 in a throwaway
virtual environment::

    python3 -m venv /tmp/xlwtenv && /tmp/xlwtenv/bin/pip install xlwt
    /tmp/xlwtenv/bin/python tests/readers/data/workbooks/make_gammel_xls.py

Content (tests/readers/test_tables.py and tests/test_importing_readers.py
assert it):

* sheet ``2024``: a title row, a blank row, the Norwegian activity header on
  spreadsheet row 3, then two rows: ``a``, the date cell 2024-03-15,
  ``diesel``, 120.5, ``L`` (row 4) and ``a``, the number 2024,
  ``waste:residual``, 3, ``tonn`` (row 5);
* sheet ``2025``: the same header on row 1 and one row
  (``a``, 2025, ``diesel``, 10, ``L``), laid out as activity data but
  not read (only the first sheet is).
"""

import datetime as dt
from pathlib import Path

import xlwt

book = xlwt.Workbook()
first = book.add_sheet("2024")
date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
header = ["Lokasjon", "Periode", "Aktivitet", "Mengde", "Enhet"]
first.write(0, 0, "Klimaregnskap Demo HF")
for c, name in enumerate(header):
    first.write(2, c, name)
for c, v in enumerate(["a", dt.datetime(2024, 3, 15), "diesel", 120.5, "L"]):
    first.write(3, c, v, date_style) if isinstance(v, dt.datetime) else first.write(3, c, v)
for c, v in enumerate(["a", 2024, "waste:residual", 3, "tonn"]):
    first.write(4, c, v)
second = book.add_sheet("2025")
for c, name in enumerate(header):
    second.write(0, c, name)
for c, v in enumerate(["a", 2025, "diesel", 10, "L"]):
    second.write(1, c, v)
book.save(str(Path(__file__).with_name("gammel.xls")))
