"""Calendar months, counted as people count them: "open longer than nine months", "the six
months before", the last day of a month. One place for every stage (cases, sampling, learning)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months later (or earlier), kept inside the month: 31 May less three
    months is 28 (or 29) February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (31 March less 1 is 28 or 29 February)."""
    return add_months(day, -months)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def last_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_month(text: str) -> datetime.date:
    """ "2026-12" → 1 December 2026. Raises ValueError with a message a person can act on."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValueError(f"{text!r} is not a month written as yyyy-mm, such as 2026-12") from None
