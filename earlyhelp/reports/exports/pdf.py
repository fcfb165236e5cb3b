"""The report as a tagged PDF (PDF/UA-1), made by core.pdf.render_pdf as the audit PDF is: an
HTML template (reports/pdf/report.html) and a print stylesheet beside it, the system's fonts,
the document's language and title in the file's metadata, and nothing fetched while rendering.

Each table prints its caption and its column headers (repeated on every page it runs onto) and
is followed by its charts as inline SVG, each with its title and its description in words.
A draft says DRAFT at the top and foot of every page, a superseded version SUPERSEDED and the
version that corrected it (a `Marking`, wording.py).
"""

from pathlib import Path

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from earlyhelp.core.pdf import PRINT_STYLESHEET, render_pdf
from earlyhelp.reports.document import Document
from earlyhelp.reports.presentation import table_view

from .layout import blocks
from .wording import Marking, long_date, marking_of

FIGURE_LENGTH = 28  # "123 of 456: 27%, 23%-31%" fits; longer text may wrap
_STYLESHEET = (
    Path(__file__).resolve().parent.parent / "templates" / "reports" / "pdf" / "report.css"
)


def pdf_bytes(document: Document, *, draft: bool = False, marking: Marking | None = None) -> bytes:
    return render_pdf(
        "reports/pdf/report.html",
        _context(document, marking=marking_of(marking, draft)),
        stylesheets=(PRINT_STYLESHEET, _STYLESHEET),
    )


def _context(document: Document, *, marking: Marking | None) -> dict:
    return {
        "document": document,
        "marking": marking,
        "generated_on": long_date(document.generated_on),
        "sections": [
            _section(section, number) for number, section in enumerate(document.sections, 1)
        ],
        "partnership_name": settings.PARTNERSHIP_NAME,
        "service_name": settings.SERVICE_NAME,
    }


def _section(section, number):
    return {
        # Numbered so two sections whose keys slugify alike still have their own anchors.
        "anchor": f"section-{number}-{slugify(section.key)}",
        "title": section.title,
        "paragraphs": section.paragraphs,
        "blocks": [
            {
                "table": _table(block.table) if block.table else None,
                "charts": [
                    _chart(chart, id_prefix=f"chart-{number}-{place}-{index}")
                    for index, chart in enumerate(block.charts, 1)
                ],
            }
            for place, block in enumerate(blocks(section), 1)
        ],
    }


def _table(table):
    view = table_view(table)
    return {
        "caption": table.caption,
        "columns": view.header,
        "rows": [[_cell(cell) for cell in row] for row in view.rows],
        "notes": table.notes,
    }


def _cell(cell):
    # Short text with a number in it is a figure, such as "6 of 8: 75%, 41%\u201393%".
    figure = len(cell.text) <= FIGURE_LENGTH and any(c.isdigit() for c in cell.text)
    return {"text": cell.text, "numeric": cell.numeric, "figure": figure}


def _chart(chart, *, id_prefix):
    from earlyhelp.reports.charts import chart_svg

    return {
        "title": chart.title,
        "description": chart.description,
        # Safe to mark: chart_svg escapes the title, the description and every label it writes.
        "svg": mark_safe(chart_svg(chart, id_prefix=id_prefix)),  # noqa: S308
    }
