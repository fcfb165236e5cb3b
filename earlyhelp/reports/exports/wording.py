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


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_text(value) -> str:
    """A table cell as it is printed, written as the web page writes it
    (reports/templatetags/report_charts.py): thousands separated, at most two decimal places."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def numeric_columns(table) -> list[bool]:
    """Whether each column holds numbers (every value a number or empty, at least one a
    number), so its heading is aligned with its figures."""
    flags = []
    for index in range(len(table.columns)):
        values = [row[index] for row in table.rows if index < len(row) and row[index] is not None]
        flags.append(bool(values) and all(is_number(value) for value in values))
    return flags
