import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from earlyhelp.cases.importing import ImportRefused
from earlyhelp.cases.services import import_from_command

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Import an EHM data report (CSV or XLSX), one row per EHA. Exits 0 when the file was "
        "read (even if some rows were rejected) and 2 when it was refused (nothing written)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; report what would happen."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print exactly one JSON object with the result."
        )

    def handle(self, *args, path, dry_run, json: bool, verbosity, **options):
        as_json = json
        progress = self._progress if verbosity >= 2 else None
        try:
            with path.open("rb") as binary:
                summary, _ = import_from_command(
                    binary, file_name=path.name, dry_run=dry_run, progress=progress
                )
        except FileNotFoundError:
            self.stderr.write(f"Refused: there is no file at {path}")
            sys.exit(EXIT_REFUSED)
        except ImportRefused as refusal:
            self.stderr.write(f"Refused: {refusal} Nothing was imported.")
            sys.exit(EXIT_REFUSED)
        if as_json:
            self.stdout.write(_json_dumps(summary.as_dict()))
            return
        self._report(summary, dry_run)

    def _progress(self, rows):
        self.stderr.write(f"rows read: {rows}")
        self.stderr.flush()

    def _report(self, summary, dry_run):
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {summary.rows} rows: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.rejected} rejected."
        )
        if summary.new_agencies:
            self.stdout.write("New agencies: " + ", ".join(summary.new_agencies))
        if summary.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(summary.ignored_columns))
        for row, column, message in summary.errors:
            self.stdout.write(f"Row {row}, {column}: {message}")


def _json_dumps(value):
    return json.dumps(value, ensure_ascii=False)
