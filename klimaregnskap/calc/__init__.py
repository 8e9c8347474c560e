"""The rules of DESIGN §4 as plain functions over frames and arrays.

One module per domain concept, named so that a reader finds a rule from the
file name alone: ``registers`` (register meters), ``metering``, ``quality``,
``factors``, ``electricity`` (the electricity method), ``accounting``,
``energy``, ``normalisation``, ``food_waste``, ``products``, ``indicators``,
``completeness`` and ``targets``. Nothing here reads files or runs SQL: the
readers decode, the ledger queries, and :mod:`klimaregnskap.pipeline` calls
these functions in order.
"""
