"""Demo case data: the demo data report, written to var/demo/ and loaded through the importer
exactly as a data officer's upload would be."""

from django.conf import settings

from .demo_report import write_demo_report
from .models import DataImport
from .services import import_from_command

DEMO_REPORT_NAME = "demo-ehm-data-report.csv"


def load_demo_cases():
    """Imports the demo data report once; returns its summary, or None if it was loaded before."""
    if DataImport.objects.filter(file_name=DEMO_REPORT_NAME).exists():
        return None
    path = settings.VAR_DIR / "demo" / DEMO_REPORT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        write_demo_report(out)
    with path.open("rb") as binary:
        summary, _ = import_from_command(binary, file_name=DEMO_REPORT_NAME)
    return summary
