"""Bringing in the EHM data report: one row per EHA, from CSV or Excel (docs/import-format.md).

`run_import` is the one entry point, used by the command line and the web journey alike.
"""

from .importer import ImportRefused, ImportSummary, run_import

__all__ = ["ImportRefused", "ImportSummary", "run_import"]
