"""Working days: Monday to Friday, less the bank holidays of England and Wales or the deployment's
own list."""

import datetime

import pytest
from django.test.utils import override_settings

from earlyhelp.core.working_days import (
    ENGLAND_AND_WALES,
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-11-30", True),  # Monday
        ("2026-12-04", True),  # Friday
        ("2026-12-05", False),  # Saturday
        ("2026-12-06", False),  # Sunday
        ("2026-12-25", False),  # Christmas Day, a Friday
        ("2026-12-28", False),  # Boxing Day's substitute, a Monday
        ("2026-12-29", True),
        ("2027-03-26", False),  # Good Friday
        ("2027-03-29", False),  # Easter Monday
    ],
)
def test_weekends_and_bank_holidays_are_not_working_days(day, working):
    assert is_working_day(d(day)) is working


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        ("2026-12-01", 0, "2026-12-01"),
        ("2026-12-01", 1, "2026-12-02"),  # Tuesday to Wednesday
        ("2026-12-04", 1, "2026-12-07"),  # Friday to Monday
        ("2026-12-05", 1, "2026-12-07"),  # from a Saturday
        ("2026-12-03", 2, "2026-12-07"),  # Thursday, over the weekend
        ("2026-12-24", 1, "2026-12-29"),  # Thursday over Christmas and its substitute day
        ("2027-12-24", 1, "2027-12-29"),  # Friday, over the weekend and two substitute days
        ("2027-03-25", 1, "2027-03-30"),  # over Easter
        ("2026-11-27", 10, "2026-12-11"),
    ],
)
def test_adding_working_days_skips_weekends_and_bank_holidays(start, count, expected):
    assert add_working_days(d(start), count) == d(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-12-01", "2026-12-01", 0),
        ("2026-12-02", "2026-12-01", 0),  # the end before the start
        ("2026-12-01", "2026-12-02", 1),
        ("2026-12-04", "2026-12-06", 0),  # Friday to Sunday
        ("2026-12-04", "2026-12-07", 1),  # Friday to Monday
        ("2026-12-24", "2026-12-29", 1),
        ("2027-12-24", "2027-12-29", 1),
        ("2026-11-27", "2026-12-11", 10),
    ],
)
def test_counting_working_days_between_two_dates(start, end, expected):
    assert working_days_between(d(start), d(end)) == expected


def test_counting_and_adding_agree():
    start = d("2026-12-18")
    for count in range(15):
        assert working_days_between(start, add_working_days(start, count)) == count


def test_the_published_list_is_used_by_default():
    assert bank_holidays() == ENGLAND_AND_WALES
    assert d("2026-12-25") in ENGLAND_AND_WALES
    assert d("2026-12-28") in ENGLAND_AND_WALES
    assert all(day.weekday() < 5 for day in ENGLAND_AND_WALES)


@override_settings(BANK_HOLIDAYS=["2026-12-01", datetime.date(2026, 12, 2)])
def test_the_bank_holidays_setting_replaces_the_list():
    assert bank_holidays() == {d("2026-12-01"), d("2026-12-02")}
    assert not is_working_day(d("2026-12-01"))
    assert not is_working_day(d("2026-12-02"))
    # The published holidays no longer count: Christmas Day 2026 is a working Friday.
    assert is_working_day(d("2026-12-25"))
    assert add_working_days(d("2026-11-30"), 1) == d("2026-12-03")
    assert working_days_between(d("2026-11-30"), d("2026-12-03")) == 1
    assert is_working_day(d("2026-12-05")) is False  # weekends stay weekends


@override_settings(BANK_HOLIDAYS=[])
def test_an_empty_bank_holidays_setting_means_none():
    assert bank_holidays() == frozenset()
    assert is_working_day(d("2026-12-25"))
    assert add_working_days(d("2026-12-24"), 1) == d("2026-12-25")
