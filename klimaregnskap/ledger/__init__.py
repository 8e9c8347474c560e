"""The project's ledger: an embedded DuckDB file inside the project folder.

All SQL of the package lives in this package: :mod:`.core` holds the schema and writes imports
(one transaction per file, history kept), :mod:`.standing` the rules of which
rows stand (derived from the current files, DESIGN §3), :mod:`.queries` reads
what the pipeline needs, aggregated in the database.
"""

from klimaregnskap.ledger.queries import (first_steps_median, interval_sums, reading_spans,
                                          interval_year_stats, last_data_year, readings_of,
                                          data_years,
                                          register_readings, registry, window_coverage)
from klimaregnskap.ledger.core import (LEDGER_NAME, SCHEMA_VERSION, TABLES, ImportRecord,
                                        check_register_continuity, connect, content_of, current,
                                        current_files, current_imports, current_records,
                                        find_import, history, identical_files, import_log,
                                        imports, known_hashes, last_report, ledger_path,
                                        make_current, overridden, record_report,
                                        repeated_additive_keys, store, store_chunks, withdraw)
from klimaregnskap.ledger.standing import RULES

__all__ = ["LEDGER_NAME", "SCHEMA_VERSION", "TABLES", "ImportRecord", "check_register_continuity",
           "connect", "current", "current_records", "find_import", "history", "import_log", "imports",
           "known_hashes", "ledger_path", "store", "store_chunks", "registry", "interval_sums",
           "register_readings", "interval_year_stats", "first_steps_median", "reading_spans",
           "window_coverage", "readings_of", "last_data_year", "RULES", "content_of",
           "current_files", "current_imports", "identical_files", "last_report", "make_current",
           "overridden", "record_report", "repeated_additive_keys", "withdraw", "data_years"]
