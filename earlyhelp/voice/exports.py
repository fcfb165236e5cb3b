"""The voice results as downloads: one CSV file with every table in turn, or a workbook with each
table on its own sheet. They hold exactly the tables of the results page, so a person downloads
only what they may see there: aggregates and moderated, publishable quotes.

Every value goes through `safe_cell`, so a quote or a label that starts with =, +, - or @ is read
by a spreadsheet as text, never run as a formula; the sheets are named by `sheet_names` (both in
earlyhelp/core/spreadsheet_safety.py).
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from earlyhelp.core.spreadsheet_safety import safe_cell, sheet_names

TITLE = "Early Help voice results"
ABOUT = "About"


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
    writer.writerow([safe_cell(TITLE)])
    writer.writerow(["Period", safe_cell(results.period.label)])
    for table in results.tables():
        writer.writerow([])
        for row in _blocks(table):
            writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def xlsx_bytes(results) -> bytes:
    workbook = Workbook()
    about = workbook.active
    about.title = ABOUT
    bold = Font(bold=True)
    about.append([safe_cell(TITLE)])
    about["A1"].font = bold
    about.append(["Period", safe_cell(results.period.label)])
    about.append([])
    about.append(["Sheet", "Table"])
    tables = list(results.tables())
    sheets = list(zip(sheet_names([t.sheet for t in tables], taken=[ABOUT]), tables, strict=True))
    for name, table in sheets:
        about.append([safe_cell(name), safe_cell(table.title)])
    for name, table in sheets:
        sheet = workbook.create_sheet(name)
        for row in _blocks(table):
            sheet.append([safe_cell(cell) for cell in row])
            if row == list(table.columns):
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        sheet["A1"].font = bold
        sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
