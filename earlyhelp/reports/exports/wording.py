"""Words the three exports share, so the PDF, the Word paper and the workbook say the same."""

import datetime

DRAFT_NOTICE = "DRAFT: not yet published. Figures may change before the report is published."


def long_date(iso_day: str) -> str:
    """An ISO date as GOV.UK writes dates ("26 November 2026"); other text is kept as it is."""
    try:
        day = datetime.date.fromisoformat(iso_day)
    except (TypeError, ValueError):
        return iso_day or ""
    return f"{day.day} {day:%B %Y}"
