"""`{% load report_charts %}` then `{% chart_svg chart %}`: a report chart as inline SVG."""

from django import template
from django.utils.safestring import mark_safe

from earlyhelp.reports import charts

register = template.Library()


@register.simple_tag
def chart_svg(chart):
    # Safe to mark: charts.chart_svg escapes the title, description and every label from data.
    return mark_safe(charts.chart_svg(chart))  # noqa: S308
