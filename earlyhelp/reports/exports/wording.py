"""Words the three exports share, so the PDF, the Word paper and the workbook say the same."""

import datetime

# A table is written as the web page writes it (each cell's text, which cells and columns hold
# numbers), so a figure reads the same in every output.
from earlyhelp.reports.templatetags.report_charts import cell_text, table_view

__all__ = ["DRAFT_NOTICE", "cell_text", "long_date", "table_view"]

DRAFT_NOTICE = "DRAFT: not yet published. Figures may change before the report is published."


def long_date(iso_day: str) -> str:
    """An ISO date as GOV.UK writes dates ("26 November 2026"); other text is kept as it is."""
    try:
        day = datetime.date.fromisoformat(iso_day)
    except (TypeError, ValueError):
        return iso_day or ""
    return f"{day.day} {day:%B %Y}"
