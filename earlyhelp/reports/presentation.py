"""How a report's tables and charts are shown, the same on the web page, in the PDF and in the
Word paper: each cell's text, which cells and columns hold numbers (right-aligned), and which
charts go with which table.

Plain functions, so that the exports use them as they are and the template tags
(reports/templatetags/report_charts.py) only make them available to templates.
"""

from dataclasses import dataclass


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_text(value) -> str:
    """A cell as it reads on the page: thousands separated, at most two decimal places."""
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


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class TableView:
    header: list[Cell]
    rows: list[list[Cell]]


def table_view(table) -> TableView:
    """The table with each cell's text and whether it is a number (right-aligned).

    A column's heading is right-aligned when every value in it is a number or empty, and at
    least one is a number.
    """
    numeric_columns = []
    for index in range(len(table.columns)):
        values = [row[index] for row in table.rows if index < len(row) and row[index] is not None]
        numeric_columns.append(bool(values) and all(is_number(v) for v in values))
    header = [
        Cell(str(name), index > 0 and numeric_columns[index])
        for index, name in enumerate(table.columns)
    ]
    rows = [[Cell(cell_text(value), is_number(value)) for value in row] for row in table.rows]
    return TableView(header=header, rows=rows)


def charts_for(section, table) -> list:
    """The section's charts drawn from this table, shown with it."""
    return [chart for chart in section.charts if chart.table_key == table.key]


def unplaced_charts(section) -> list:
    """The section's charts whose table is not in the section, shown after its tables."""
    keys = {table.key for table in section.tables}
    return [chart for chart in section.charts if chart.table_key not in keys]
