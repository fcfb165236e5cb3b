"""The report as a Word board paper (python-docx): the title and period, a real Heading 1 for
each section (so Word's navigation pane lists them), the sections' sentences, every table with
its caption before it and a header row that repeats on each page, and each chart as a picture
right after its table with the chart's description as its alternative text.

A draft says DRAFT in the header of every page and in a notice under the title; a superseded
version likewise says SUPERSEDED and which version corrected it (a `Marking`, wording.py).
"""

import io

from django.conf import settings
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from earlyhelp.reports.document import Chart, Document, Table
from earlyhelp.reports.presentation import table_view

from .layout import blocks
from .wording import Marking, long_date, marking_of

PICTURE_WIDTH = Mm(160)  # the width between A4's margins below


def docx_bytes(document: Document, *, draft: bool = False, marking: Marking | None = None) -> bytes:
    marking = marking_of(marking, draft)
    word = WordDocument()
    _set_up(word, document, marking=marking)
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.period_label)
    word.add_paragraph(f"Figures computed on {long_date(document.generated_on)}.")
    if marking:
        word.add_paragraph().add_run(marking.notice).bold = True
    for section in document.sections:
        word.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            word.add_paragraph(paragraph)
        for block in blocks(section):
            if block.table is not None:
                _add_table(word, block.table)
            for chart in block.charts:
                _add_chart(word, chart)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_up(word, document, *, marking):
    properties = word.core_properties
    marked = f"{marking.word}: " if marking else ""
    properties.title = f"{marked}{document.title}, {document.period_label}"
    properties.author = settings.PARTNERSHIP_NAME
    properties.subject = document.period_label
    properties.language = "en-GB"
    properties.comments = f"Made by {settings.SERVICE_NAME}."
    # Word and screen readers take the text's language from the styles, not the properties.
    _language(word.styles["Normal"].element, "en-GB")
    page = word.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(25)
    if marking:
        header = page.header.paragraphs[0]
        header.add_run(marking.header).bold = True
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _language(style_element, tag):
    run_properties = style_element.get_or_add_rPr()
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)


def _add_table(word, table: Table):
    word.add_paragraph(table.caption, style="Caption")
    view = table_view(table)
    grid = word.add_table(rows=1, cols=len(view.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    _describe(grid, table.caption)
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, column in zip(header.cells, view.header, strict=True):
        cell.paragraphs[0].add_run(column.text).bold = True
        _align(cell, column)
    for row in view.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=False):
            cell.text = value.text
            _align(cell, value)
    for note in table.notes:
        word.add_paragraph(note)


def _align(cell, view_cell):
    if view_cell.numeric:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_as_header(row):
    """Marks the row as the table's header: Word repeats it on every page the table runs onto,
    and screen readers announce its cells as column headers."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _describe(grid, caption):
    # The table's own title, which Word shows as its alternative text.
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption)
    properties = grid._tbl.tblPr
    # Schema order: tblCaption comes after the table's look (tblLook), the last of the others.
    properties.append(title)


def _add_chart(word, chart: Chart):
    from earlyhelp.reports.charts import chart_png

    word.add_paragraph(chart.title, style="Caption")
    run = word.add_paragraph().add_run()
    picture = run.add_picture(io.BytesIO(chart_png(chart)), width=PICTURE_WIDTH)
    picture._inline.docPr.set("descr", chart.description)
    picture._inline.docPr.set("title", chart.title)
    word.add_paragraph(chart.description)
