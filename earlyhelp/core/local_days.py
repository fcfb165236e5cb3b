"""Local days as ranges of moments.

A question such as "submitted in 2026-Q3" is about local days (Europe/London), while the moments
are stored in UTC. Comparing `field__date` converts every row before comparing, which on SQLite
means a Python function call per row (over a second for a quarter of 20,000 audits) and on
either database passes the index by. So a span of days is compared as the half-open range of
moments from the first day's local midnight to the midnight after the last day.
"""

import datetime

from django.db.models import Q
from django.utils import timezone


def midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of `day`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def midnight_after(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` ends, local time."""
    return midnight(day + datetime.timedelta(days=1))


def on_days(field: str, start: datetime.date, end: datetime.date) -> Q:
    """`field` (a date and time, or a lookup path to one) on a local day from `start` to `end`,
    both included."""
    return Q(**{f"{field}__gte": midnight(start), f"{field}__lt": midnight_after(end)})
