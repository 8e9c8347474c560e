"""The vocabulary as data: tables a reviewer reads without reading Python.

- ``columns.csv``: every column of every kind of file the readers know, with
  whether it is required, its Norwegian name and the other spellings
  accepted, its unit and meaning (read by :mod:`klimaregnskap.readers.columns`;
  it drives the readers, ``init``'s templates and the README's input
  reference).
"""
