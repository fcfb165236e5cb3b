"""Template helpers for rendering a report Document on the web.

    {% load report_charts %}
    {% chart_svg chart %}              the chart as inline SVG
    {% table_view table as view %}     header and cells with their numeric flags and display text
    {% charts_for section table as charts %}   the section's charts drawn from that table
    {% unplaced_charts section as charts %}    charts whose table is not in the section

The decisions (which cells are numbers, how they are written, which chart goes with which table)
are made in earlyhelp/reports/presentation.py, which the PDF and the Word paper use too; the tags
only hand them to templates, so the templates stay dumb.
"""

from django import template
from django.utils.safestring import mark_safe

from earlyhelp.reports import charts
from earlyhelp.reports.presentation import charts_for, table_view, unplaced_charts

register = template.Library()
register.simple_tag(table_view)
register.simple_tag(charts_for)
register.simple_tag(unplaced_charts)


@register.simple_tag
def chart_svg(chart):
    # Safe to mark: charts.chart_svg escapes the title, description and every label from data.
    return mark_safe(charts.chart_svg(chart))  # noqa: S308
