"""The report as an Excel workbook: a Contents sheet, a Summary of the sections' sentences, then
every table on its own sheet, its numbers kept as numbers so an analyst can work with them. A
draft or superseded version says so on the Contents sheet, under the title, as the PDF and the
Word paper say it on every page.

Every value goes through `safe_cell`, so a label or quote that starts with =, +, - or @ is read as
text, never run as a formula, and characters a workbook cannot hold are dropped; the sheets are
named by `sheet_names` (both in earlyhelp/core/spreadsheet_safety.py).
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.hyperlink import Hyperlink

from earlyhelp.core.spreadsheet_safety import safe_cell, sheet_names
from earlyhelp.reports.document import Document

from .wording import Marking, long_date, marking_of

CONTENTS = "Contents"
SUMMARY = "Summary"

_BOLD = Font(bold=True)
_HEADING = Font(bold=True, size=14)
_MARKING = Font(bold=True, color="D4351C")  # GOV.UK red
_WRAP = Alignment(wrap_text=True, vertical="top")


def xlsx_bytes(document: Document, *, draft: bool = False, marking: Marking | None = None) -> bytes:
    workbook = Workbook()
    contents = workbook.active
    contents.title = CONTENTS
    tables = document.all_tables()
    names = sheet_names([table.key for table in tables], taken=[CONTENTS, SUMMARY])
    _write_contents(
        contents,
        document,
        list(zip(names, tables, strict=True)),
        marking=marking_of(marking, draft),
    )
    _write_summary(workbook.create_sheet(SUMMARY), document)
    for name, table in zip(names, tables, strict=True):
        _write_table(workbook.create_sheet(name), table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_contents(sheet, document, named_tables, *, marking):
    sheet.append([safe_cell(document.title)])
    sheet["A1"].font = _HEADING
    if marking:
        sheet.append([safe_cell(marking.header), safe_cell(marking.notice)])
        sheet.cell(row=sheet.max_row, column=1).font = _MARKING
    sheet.append(["Period", safe_cell(document.period_label)])
    sheet.append(["Generated", safe_cell(long_date(document.generated_on))])
    sheet.append([])
    sheet.append(["Sheet", "What it holds"])
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    listed = [(SUMMARY, "What each section of the report says")]
    listed += [(name, table.caption) for name, table in named_tables]
    for name, caption in listed:
        sheet.append([safe_cell(name), safe_cell(caption)])
        # Each sheet's name in the list opens that sheet (an apostrophe in it is doubled).
        link = sheet.cell(row=sheet.max_row, column=1)
        quoted = name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1")
        link.style = "Hyperlink"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def _write_summary(sheet, document):
    sheet.append([safe_cell(document.title)])
    sheet["A1"].font = _HEADING
    for section in document.sections:
        sheet.append([])
        sheet.append([safe_cell(section.title)])
        sheet.cell(row=sheet.max_row, column=1).font = _BOLD
        for paragraph in section.paragraphs:
            sheet.append([safe_cell(paragraph)])
            sheet.cell(row=sheet.max_row, column=1).alignment = _WRAP
    sheet.column_dimensions["A"].width = 110


def _write_table(sheet, table):
    sheet.append([safe_cell(table.caption)])
    sheet["A1"].font = _BOLD
    sheet.append([safe_cell(column) for column in table.columns])
    for cell in sheet[2]:
        cell.font = _BOLD
    for row in table.rows:
        sheet.append([safe_cell(value) for value in row])
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([safe_cell(note)])
    sheet.freeze_panes = "A3"  # the caption and the column headers stay in view
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFGHIJKLMNOPQRSTUVWXYZ"[: max(len(table.columns) - 1, 0)]:
        sheet.column_dimensions[letter].width = 18
