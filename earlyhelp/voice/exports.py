"""The voice results as downloads: one CSV file with every table in turn, or a workbook with each
table on its own sheet. They hold exactly the tables of the results page, so a person downloads
only what they may see there: aggregates and moderated, publishable quotes.

Every piece of text goes through `neutralise`, so a quote or a label that starts with =, +, - or
@ is read by a spreadsheet as text, never run as a formula.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from earlyhelp.core.spreadsheet_safety import neutralise

TITLE = "Early Help voice results"
SHEET_NAME_LIMIT = 31  # Excel's
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _safe(value):
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def file_part(period) -> str:
    """The period as part of a file name: 2026-Q3, or 2026-04-01-to-2026-06-30."""
    return period.quarter or f"{period.start.isoformat()}-to-{period.end.isoformat()}"


def _blocks(table):
    """The rows that write one table: its title, caption and facts, its columns, its rows, and
    its note."""
    yield [table.title]
    if table.caption:
        yield [table.caption]
    for label, value in table.facts:
        yield [label, value]
    yield list(table.columns)
    yield from table.rows
    if table.note:
        yield [table.note]


def csv_text(results) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow([_safe(TITLE)])
    writer.writerow(["Period", _safe(results.period.label)])
    for table in results.tables():
        writer.writerow([])
        for row in _blocks(table):
            writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()


def _sheet_name(wanted, taken):
    name = wanted.translate(_NOT_IN_SHEET_NAMES).strip("' ")[:SHEET_NAME_LIMIT] or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" {number}"
        candidate = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def xlsx_bytes(results) -> bytes:
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    taken = {"about"}
    bold = Font(bold=True)
    about.append([_safe(TITLE)])
    about["A1"].font = bold
    about.append(["Period", _safe(results.period.label)])
    about.append([])
    about.append(["Sheet", "Table"])
    sheets = []
    for table in results.tables():
        name = _sheet_name(table.sheet, taken)
        sheets.append((name, table))
        about.append([_safe(name), _safe(table.title)])
    for name, table in sheets:
        sheet = workbook.create_sheet(name)
        for row in _blocks(table):
            sheet.append([_safe(cell) for cell in row])
            if row == list(table.columns):
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        sheet["A1"].font = bold
        sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
