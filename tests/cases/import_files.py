"""Hand-made data report files for the import tests, and what those tests read back of the
schema."""

import csv
import io

from django.db import connection
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

HEADERS = [
    "EHA Reference",
    "Family Reference",
    "District",
    "Lead Agency",
    "Agency Type",
    "Coordinator Name",
    "Coordinator Email",
    "Coordinator Manager Email",
    "Start Date",
    "TAF Meeting Date",
    "Plan In Place",
    "Last Review Date",
    "Number Of Reviews",
    "Next Review Date",
    "Status",
    "Closure Date",
    "Closure Reason",
    "Step Down From Social Care",
    "Stepped Up To Social Care",
    "Children In Family",
    "Genogram Recorded",
    "Chronology Recorded",
]


def row(**changes):
    """A valid open EHA, with any column changed by keyword (spaces as underscores)."""
    values = {
        "EHA Reference": "EHA-000001",
        "Family Reference": "FAM-000001",
        "District": "Carlisle",
        "Lead Agency": "Carlisle Early Help Team",
        "Agency Type": "Family Support",
        "Coordinator Name": "Jo Bloggs",
        "Coordinator Email": "jo.bloggs@agency.test",
        "Coordinator Manager Email": "manager@agency.test",
        "Start Date": "01/02/2025",
        "TAF Meeting Date": "20/02/2025",
        "Plan In Place": "Yes",
        "Last Review Date": "01/05/2025",
        "Number Of Reviews": "2",
        "Next Review Date": "01/08/2025",
        "Status": "Open",
        "Closure Date": "",
        "Closure Reason": "",
        "Step Down From Social Care": "No",
        "Stepped Up To Social Care": "No",
        "Children In Family": "3",
        "Genogram Recorded": "Yes",
        "Chronology Recorded": "No",
    }
    for key, value in changes.items():
        values[key.replace("_", " ")] = value
    return values


def csv_bytes(rows, headers=HEADERS, encoding="utf-8", line_end="\n"):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(headers)
    for values in rows:
        if values is None:
            writer.writerow([])
        else:
            writer.writerow([values.get(h, "") for h in headers])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        if values is None:
            sheet.append([])
        else:
            sheet.append([_excel_safe(values.get(h)) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _excel_safe(value):
    # A workbook cannot hold control characters at all, so Excel never produces them.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def eha_indexes():
    """Every index and foreign key on the EHA and family tables: (table, name) -> (columns,
    unique, the key's target). A bulk load sets the plain indexes aside, and on PostgreSQL
    foreign keys to reference data and the family table's plain index too."""
    from earlyhelp.cases.models import EarlyHelpAssessment, Family

    indexes = {}
    with connection.cursor() as cursor:
        for model in (EarlyHelpAssessment, Family):
            table = model._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            indexes |= {
                (table, name): (tuple(found["columns"]), found["unique"], found["foreign_key"])
                for name, found in constraints.items()
                if found["index"] or found["foreign_key"]
            }
    return indexes
