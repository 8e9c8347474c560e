"""klimaregnskap: unit-aware climate and sustainability accounting for hospital trusts.

Data flows one way: files -> readers -> ledger -> accounting -> indicators ->
targets -> report.
"""

__version__ = "0.1.0"
