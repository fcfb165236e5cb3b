"""Dates and times as the GOV.UK style guide writes them: "5 March 2026 at 2:30pm"."""

from django import template
from django.utils import timezone

register = template.Library()


def govuk_time(moment) -> str:
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


@register.filter
def govuk_datetime(value, month="full"):
    """A date and time in local time; `month="short"` gives "5 Mar 2026"."""
    if not value:
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    month_format = "%b" if month == "short" else "%B"
    return f"{moment.day} {moment.strftime(month_format)} {moment.year} at {govuk_time(moment)}"
