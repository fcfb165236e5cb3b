"""Template helpers for rendering a report Document on the web.

    {% load report_charts %}
    {% chart_svg chart %}              the chart as inline SVG
    {% table_view table as view %}     header and cells with their numeric flags and display text
    {% charts_for section table as charts %}   the section's charts drawn from that table
    {% unplaced_charts section as charts %}    charts whose table is not in the section

The decisions (which cells are numbers, how they are written, which chart goes with which table)
are made here, in Python, so the templates stay dumb.
"""

from dataclasses import dataclass

from django import template
from django.utils.safestring import mark_safe

from earlyhelp.reports import charts

register = template.Library()


@register.simple_tag
def chart_svg(chart):
    # Safe to mark: charts.chart_svg escapes the title, description and every label from data.
    return mark_safe(charts.chart_svg(chart))  # noqa: S308


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


@register.simple_tag
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


@register.simple_tag
def charts_for(section, table) -> list:
    return [chart for chart in section.charts if chart.table_key == table.key]


@register.simple_tag
def unplaced_charts(section) -> list:
    keys = {table.key for table in section.tables}
    return [chart for chart in section.charts if chart.table_key not in keys]
