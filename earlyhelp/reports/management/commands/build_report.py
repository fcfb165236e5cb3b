"""`python manage.py build_report --period 2026-Q3 --format pdf --output report.pdf`

Builds the draft quarterly report from the data as it is now (figures.build_report) and writes it
as a tagged PDF, a Word board paper or an Excel workbook, for scripted use. The period is a
quarter (2026-Q3) or two dates (2026-07-01..2026-09-30).

The file is written whole or not at all: the report is built first, then written to a temporary
file beside the output and renamed over it, so a failed build leaves no half-written file.
Bad input (a period, format or path that cannot be used) exits with status 2 and says why.
"""

import datetime
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.voice.results import Period, dates_period, parse_quarter

USAGE_ERROR = 2  # what command-line tools exit with when they are used wrongly
FORMATS = ("pdf", "docx", "xlsx")
FORMAT_NAMES = {"pdf": "a tagged PDF", "docx": "a Word document", "xlsx": "an Excel workbook"}


def parse_period(text: str) -> Period | None:
    """A quarter ("2026-Q3") or two ISO dates joined by ".." ("2026-07-01..2026-09-30")."""
    start, dots, end = (text or "").strip().partition("..")
    if not dots:
        return parse_quarter(text)
    try:
        first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        return None
    return dates_period(first, last) if first <= last else None


def render(document, file_format: str) -> bytes:
    # Imported here so that `manage.py help` does not load WeasyPrint, Word and matplotlib.
    if file_format == "pdf":
        from earlyhelp.reports.exports.pdf import pdf_bytes

        return pdf_bytes(document, draft=True)
    if file_format == "docx":
        from earlyhelp.reports.exports.docx import docx_bytes

        return docx_bytes(document, draft=True)
    from earlyhelp.reports.exports.xlsx import xlsx_bytes

    return xlsx_bytes(document, draft=True)


def write_whole(path: Path, content: bytes) -> None:
    """Writes `content` to `path` all at once: a reader sees the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Builds the draft quarterly QA report from the current data and writes it as a PDF, "
        "Word or Excel file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            required=True,
            help='A quarter such as "2026-Q3", or two dates: "2026-07-01..2026-09-30".',
        )
        parser.add_argument("--format", required=True, help="pdf, docx or xlsx.")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, **options):
        period, wanted, output = options["period"], options["format"], options["output"]
        chosen = parse_period(period)
        if chosen is None:
            raise CommandError(
                f'"{period}" is not a period: give a quarter such as 2026-Q3, or two dates '
                "such as 2026-07-01..2026-09-30 (the first not after the second).",
                returncode=USAGE_ERROR,
            )
        file_format = wanted.strip().lower()
        if file_format not in FORMATS:
            raise CommandError(
                f'"{wanted}" is not a format: give pdf, docx or xlsx.', returncode=USAGE_ERROR
            )
        path = Path(output)
        self._check_writable(path)

        from earlyhelp.reports.figures import build_report

        content = render(build_report(chosen), file_format)
        try:
            write_whole(path, content)
        except OSError as error:
            raise CommandError(
                f"Could not write {path}: {error.strerror or error}.", returncode=USAGE_ERROR
            ) from error
        self.stdout.write(
            f"Wrote the draft report for {chosen.label} as {FORMAT_NAMES[file_format]} to {path}."
        )

    def _check_writable(self, path: Path) -> None:
        """Refuses a path that cannot be written before the report is built, not after."""
        folder = path.parent
        if path.is_dir():
            problem = "it is a folder"
        elif not folder.is_dir():
            problem = f"the folder {folder} does not exist"
        elif not os.access(folder, os.W_OK | os.X_OK):
            problem = f"the folder {folder} cannot be written to"
        elif path.exists() and not os.access(path, os.W_OK):
            problem = "the file cannot be replaced"
        else:
            return
        raise CommandError(f"Cannot write {path}: {problem}.", returncode=USAGE_ERROR)
