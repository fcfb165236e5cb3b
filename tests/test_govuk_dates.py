"""Dates and times are written the GOV.UK way."""

import datetime

import pytest

from earlyhelp.core.templatetags.govuk import govuk_datetime


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (14, 30, "5 March 2026 at 2:30pm"),
        (9, 5, "5 March 2026 at 9:05am"),
        (17, 0, "5 March 2026 at 5pm"),
        (12, 0, "5 March 2026 at midday"),
        (0, 0, "5 March 2026 at midnight"),
        (0, 15, "5 March 2026 at 12:15am"),
    ],
)
def test_times_are_written_as_gov_uk_writes_them(hour, minute, expected):
    assert govuk_datetime(datetime.datetime(2026, 3, 5, hour, minute)) == expected


def test_aware_times_are_shown_in_uk_time():
    summer_utc = datetime.datetime(2026, 7, 1, 13, 0, tzinfo=datetime.UTC)
    assert govuk_datetime(summer_utc, "short") == "1 Jul 2026 at 2pm"


def test_nothing_gives_nothing():
    assert govuk_datetime(None) == ""
