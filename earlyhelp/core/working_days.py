"""Working days: Monday to Friday, less bank holidays (England and Wales).

Escalations are chased after a number of working days, so a Friday escalation is not chased on
Sunday. The bank holidays are the published ones; a deployment can replace the list with the
BANK_HOLIDAYS setting (dates as yyyy-mm-dd).
"""

import datetime

from django.conf import settings

# gov.uk/bank-holidays, England and Wales.
ENGLAND_AND_WALES = frozenset(
    datetime.date.fromisoformat(day)
    for year in (
        "2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26",
        "2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28",
        "2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28",
    )
    for day in year.split()
)


def bank_holidays() -> frozenset:
    configured = getattr(settings, "BANK_HOLIDAYS", None)
    if configured is None:
        return ENGLAND_AND_WALES
    return frozenset(
        day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
        for day in configured
    )


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start`, up to and including `end` (0 when end is not after start)."""
    holidays = bank_holidays()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`."""
    holidays = bank_holidays()
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day
