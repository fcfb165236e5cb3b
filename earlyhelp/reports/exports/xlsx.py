"""The report as an Excel workbook: a Contents sheet, a Summary of the sections' sentences, then
every table on its own sheet, its numbers kept as numbers so an analyst can work with them.

Every piece of text goes through `neutralise`, so a label or quote that starts with =, +, - or @
is read as text, never run as a formula; characters a workbook cannot hold are dropped.
"""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.hyperlink import Hyperlink

from earlyhelp.core.spreadsheet_safety import neutralise
from earlyhelp.reports.document import Document

from .wording import long_date

CONTENTS = "Contents"
SUMMARY = "Summary"
SHEET_NAME_LIMIT = 31  # Excel's
CELL_TEXT_LIMIT = 32767  # Excel's: a longer text makes Excel "repair" the file
# Excel refuses these in a sheet name, and a name may not start or end with an apostrophe.
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
# "History" is reserved by Excel for its change tracking.
_RESERVED_SHEET_NAMES = {CONTENTS.lower(), SUMMARY.lower(), "history"}

_BOLD = Font(bold=True)
_HEADING = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")


def safe(value):
    """A cell value that cannot run as a formula or break the file; numbers stay numbers."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_TEXT_LIMIT])
    return value


def sheet_names(keys: list[str], taken: set[str]) -> list[str]:
    """A sheet name for each table key: Excel's characters and length, none the same as another
    (Excel compares names without regard to case), none in `taken` (lower case)."""
    taken = set(taken)
    names = []
    for key in keys:
        wanted = ILLEGAL_CHARACTERS_RE.sub("", key).translate(_NOT_IN_SHEET_NAMES)
        wanted = " ".join(wanted.split()).strip("'")[:SHEET_NAME_LIMIT].strip() or "Table"
        name, number = wanted, 2
        while name.lower() in taken:
            suffix = f" ({number})"
            name = wanted[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
            number += 1
        taken.add(name.lower())
        names.append(name)
    return names


def xlsx_bytes(document: Document) -> bytes:
    workbook = Workbook()
    contents = workbook.active
    contents.title = CONTENTS
    tables = document.all_tables()
    names = sheet_names([table.key for table in tables], _RESERVED_SHEET_NAMES)
    _write_contents(contents, document, list(zip(names, tables, strict=True)))
    _write_summary(workbook.create_sheet(SUMMARY), document)
    for name, table in zip(names, tables, strict=True):
        _write_table(workbook.create_sheet(name), table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_contents(sheet, document, named_tables):
    sheet.append([safe(document.title)])
    sheet["A1"].font = _HEADING
    sheet.append(["Period", safe(document.period_label)])
    sheet.append(["Generated", safe(long_date(document.generated_on))])
    sheet.append([])
    sheet.append(["Sheet", "What it holds"])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    listed = [(SUMMARY, "What each section of the report says")]
    listed += [(name, table.caption) for name, table in named_tables]
    for name, caption in listed:
        sheet.append([safe(name), safe(caption)])
        # Each sheet's name in the list opens that sheet (an apostrophe in it is doubled).
        link = sheet.cell(row=sheet.max_row, column=1)
        quoted = name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1")
        link.style = "Hyperlink"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def _write_summary(sheet, document):
    sheet.append([safe(document.title)])
    sheet["A1"].font = _HEADING
    for section in document.sections:
        sheet.append([])
        sheet.append([safe(section.title)])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        for paragraph in section.paragraphs:
            sheet.append([safe(paragraph)])
            sheet.cell(row=sheet.max_row, column=1).alignment = _WRAP
    sheet.column_dimensions["A"].width = 110


def _write_table(sheet, table):
    sheet.append([safe(table.caption)])
    sheet["A1"].font = _BOLD
    sheet.append([safe(column) for column in table.columns])
    for cell in sheet[2]:
        cell.font = _BOLD
    for row in table.rows:
        sheet.append([safe(value) for value in row])
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([safe(note)])
    sheet.freeze_panes = "A3"  # the caption and the column headers stay in view
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFGHIJKLMNOPQRSTUVWXYZ"[: max(len(table.columns) - 1, 0)]:
        sheet.column_dimensions[letter].width = 18
