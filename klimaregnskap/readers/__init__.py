"""Readers: every file format -> validated, unit-tagged frames (DESIGN §3, §7).

All decoding lives in this package, factor and substance files too. Import
from the modules themselves; this package file imports nothing, so that the
fast load path (:mod:`.readings_csv`, numpy and pyarrow only) stays light.

- :mod:`.base`: :class:`~.base.ReaderContext`, :class:`~.base.ReadResult`,
  :func:`~.base.file_sha256`
- :mod:`.dispatch`: :func:`~.dispatch.read_input` and
  :func:`~.dispatch.detect_kind` (a file's kind from its columns)
- :mod:`.columns`: column names and their Norwegian aliases
- :mod:`.tables`: the one CSV/XLSX/XLS decoder (cells, row numbers, numbers, dates)
- one module per kind of input: :mod:`.activity`, :mod:`.food_waste`,
  :mod:`.operations`, :mod:`.products`, :mod:`.temperatures`, :mod:`.meters`
  (registry, readings, Elhub), :mod:`.readings_csv` (the fast path),
  :mod:`.timestamps`
"""
