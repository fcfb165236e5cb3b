"""A span of local days as a range of stored moments: what people call "in September" in
Cumbria, whatever UTC says."""

import datetime

from django.utils import timezone

from earlyhelp.core.local_days import midnight, midnight_after, on_days

UTC = datetime.UTC


def test_a_summer_day_starts_at_2300_utc_the_day_before():
    assert midnight(datetime.date(2026, 10, 1)) == datetime.datetime(2026, 9, 30, 23, tzinfo=UTC)


def test_a_winter_day_starts_at_midnight_utc():
    assert midnight_after(datetime.date(2026, 11, 30)) == datetime.datetime(2026, 12, 1, tzinfo=UTC)


def test_the_range_includes_the_first_moment_and_stops_before_the_day_after():
    where = on_days("submitted_at", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    bounds = dict(where.children)
    assert bounds["submitted_at__gte"] == timezone.make_aware(datetime.datetime(2026, 7, 1))
    assert bounds["submitted_at__lt"] == timezone.make_aware(datetime.datetime(2026, 10, 1))
    assert set(bounds) == {"submitted_at__gte", "submitted_at__lt"}
