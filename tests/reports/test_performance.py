"""Performance data: each monthly figure against a hand-built set of EHAs, the reviews and first
reviews as far as the data report can tell them, filters, small-number suppression, who may see
the page, downloads, and a number of queries that does not grow with the data."""

import csv
import datetime
import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.reports import performance
from earlyhelp.reports.performance import SUPPRESSED, Window, build_performance

from ..cases.factories import DataImportFactory, EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 15)  # the window is November 2024 to October 2026
OPEN, CLOSED = EarlyHelpAssessment.Status.OPEN, EarlyHelpAssessment.Status.CLOSED


def eha(start, closure=None, **fields):
    fields.setdefault("status", CLOSED if closure else OPEN)
    return EarlyHelpAssessmentFactory(start_date=start, closure_date=closure, **fields)


def district(name):
    return District.objects.get_or_create(name=name)[0]


def agency_type(name):
    return AgencyType.objects.get_or_create(name=name)[0]


def series_for():
    """The county's monthly counts as worked out, before any is hidden, and its medians."""
    window = Window.ending_before(TODAY)
    grid = performance.protected_grid(window)
    county = (performance.ALL, performance.ALL)
    return SimpleNamespace(
        **grid.counts[county],
        median_days=performance.monthly_medians(performance.assessments(), window),
        left_out=grid.left_out[county],
    )


@pytest.fixture
def known_ehas():
    """Eight EHAs whose monthly figures are worked out by hand in the tests below."""
    return {
        # Started before the window; closed 20 January 2025 after 224 days.
        "before": eha(D(2024, 6, 10), D(2025, 1, 20)),
        # Started in the first month of the window and still open.
        "long": eha(D(2024, 11, 5)),
        # Started and closed on 31 January 2025: never open at a month's end; 0 days.
        "same_day": eha(D(2025, 1, 31), D(2025, 1, 31)),
        # A step-down that was stepped up: open at the end of February only; 58 days.
        "stepped": eha(
            D(2025, 2, 1),
            D(2025, 3, 31),
            step_down_from_social_care=True,
            stepped_up_to_social_care=True,
        ),
        # Started on the last day of the window.
        "last_day": eha(D(2026, 10, 31)),
        # Started this month: after the window.
        "this_month": eha(D(2026, 11, 2)),
        # Dates that cannot be placed: left out.
        "no_closure_date": eha(D(2025, 3, 1), None, status=CLOSED),
        "closed_before_start": eha(D(2025, 5, 10), D(2025, 5, 1)),
    }


def month_index(year, month):
    return (year - 2024) * 12 + month - 11


# The window ---------------------------------------------------------------------------------------


def test_the_window_is_the_24_months_to_the_end_of_last_month():
    window = Window.ending_before(TODAY)

    assert window.first == D(2024, 11, 1)
    assert window.last == D(2026, 10, 31)
    assert len(window.months) == 24
    assert window.months[-1] == D(2026, 10, 1)


def test_on_the_first_of_a_month_last_month_is_the_last_in_the_window():
    assert Window.ending_before(D(2026, 1, 1)).last == D(2025, 12, 31)


# The monthly series -------------------------------------------------------------------------------


def test_open_at_month_end_counts_ehas_started_by_then_and_not_yet_closed(known_ehas):
    expected = [1] * 24
    expected[month_index(2024, 11)] = 2  # "before" and "long"
    expected[month_index(2024, 12)] = 2
    expected[month_index(2025, 2)] = 2  # "long" and "stepped"
    expected[month_index(2026, 10)] = 2  # "long" and "last_day"

    assert series_for().open_at_end == expected


def test_an_eha_closed_on_the_last_day_of_a_month_is_not_open_at_its_end(known_ehas):
    # "stepped" closed on 31 March 2025; "same_day" opened and closed on 31 January 2025.
    series = series_for()

    assert series.open_at_end[month_index(2025, 3)] == 1
    assert series.open_at_end[month_index(2025, 1)] == 1


def test_started_and_closed_count_by_the_month_of_their_dates(known_ehas):
    series = series_for()

    started = {i: n for i, n in enumerate(series.started) if n}
    closed = {i: n for i, n in enumerate(series.closed) if n}
    assert started == {
        month_index(2024, 11): 1,
        month_index(2025, 1): 1,
        month_index(2025, 2): 1,
        month_index(2026, 10): 1,
    }
    assert closed == {month_index(2025, 1): 2, month_index(2025, 3): 1}


def test_median_duration_is_of_the_ehas_closed_in_the_month(known_ehas):
    series = series_for()

    assert series.median_days[month_index(2025, 1)] == 112  # median of 224 and 0
    assert series.median_days[month_index(2025, 3)] == 58
    assert series.median_days[month_index(2025, 2)] is None  # none closed


def test_step_downs_count_by_start_month_and_step_ups_by_closure_month(known_ehas):
    series = series_for()

    assert {i for i, n in enumerate(series.step_downs) if n} == {month_index(2025, 2)}
    assert {i for i, n in enumerate(series.step_ups) if n} == {month_index(2025, 3)}
    assert sum(series.step_downs) == sum(series.step_ups) == 1


def test_ehas_whose_dates_cannot_be_placed_are_left_out_and_counted(known_ehas):
    assert series_for().left_out == 2


def test_the_document_says_how_many_were_left_out(known_ehas):
    about = build_performance(today=TODAY).section("about")

    assert any("2 EHAs are left out" in p for p in about.paragraphs)


def test_each_monthly_series_is_an_spc_chart_beside_its_table(known_ehas):
    document = build_performance(today=TODAY)

    for key in ("open", "started", "closed", "duration", "step-downs", "step-ups"):
        section = document.section(key)
        (chart,) = section.charts
        assert chart.kind == "spc"
        assert section.table(chart.table_key) is not None
        assert len(chart.labels) == 24
    open_table = document.section("open").table("open-by-month")
    assert open_table.rows[0][:2] == ["Nov 2024", 2]
    assert open_table.rows[-1][:2] == ["Oct 2026", 2]


def test_a_signal_is_explained_in_words_with_its_chart():
    # Seven EHAs a month start from May to October 2026 and none before: a shift above the mean.
    for month in range(5, 11):
        for _ in range(7):
            eha(D(2026, month, 3), D(2026, month, 20))

    chart = build_performance(today=TODAY).section("started").charts[0]

    assert chart.signals
    assert "A shift: the 6 months" not in chart.description  # six is not a run
    assert "above the upper process limit" in chart.description


# Reviews on time and first reviews ----------------------------------------------------------------


def test_reviews_on_time_are_counted_on_the_date_of_the_data():
    DataImportFactory(finished_at=timezone.make_aware(datetime.datetime(2026, 11, 10, 9)))
    on_the_day = D(2026, 11, 10)
    eha(D(2026, 1, 1), next_review_date=on_the_day)  # due that day: on time
    eha(D(2026, 1, 1), next_review_date=D(2026, 12, 1))  # on time
    eha(D(2026, 1, 1), next_review_date=D(2026, 11, 9))  # passed: overdue
    eha(D(2026, 1, 1))  # no next review date
    eha(D(2026, 1, 1), D(2026, 2, 1), next_review_date=D(2026, 1, 15))  # closed: not counted

    section = build_performance(today=TODAY).section("reviews")
    table = section.table("reviews-by-district")

    assert table.columns == [
        "District",
        "Next review not yet due",
        "Next review date passed",
        "No next review date",
    ]
    # Four open in one district (Carlisle), so its counts are under 5 and hidden; the total
    # row gives the county, hidden too where under 5.
    assert table.rows == [
        ["Carlisle", SUPPRESSED, SUPPRESSED, SUPPRESSED],
        ["All districts", SUPPRESSED, SUPPRESSED, SUPPRESSED],
    ]
    assert "10 November 2026" in section.paragraphs[0]
    assert "Too few EHAs are open here" in section.paragraphs[1]


def test_reviews_on_time_are_counted_exactly_when_there_are_enough():
    DataImportFactory(finished_at=timezone.make_aware(datetime.datetime(2026, 11, 10, 9)))
    for _ in range(5):
        eha(D(2026, 1, 1), next_review_date=D(2026, 11, 10))  # due that day: on time
    for _ in range(5):
        eha(D(2026, 1, 1), next_review_date=D(2026, 11, 9))  # passed: overdue
    for _ in range(5):
        eha(D(2026, 1, 1))  # no next review date
    for _ in range(5):
        eha(D(2026, 1, 1), D(2026, 2, 1), next_review_date=D(2026, 1, 15))  # closed

    section = build_performance(today=TODAY).section("reviews")

    assert section.table("reviews-by-district").rows[0] == ["Carlisle", 5, 5, 5]
    assert section.paragraphs[1].startswith(
        "5 of 15 open EHAs with the next review not yet due: 33%"
    )


def test_reviews_on_time_table_shows_counts_of_5_or_more():
    for _ in range(5):
        eha(D(2026, 1, 1), next_review_date=D(2026, 12, 1))

    table = build_performance(today=TODAY).section("reviews").table("reviews-by-district")

    assert table.rows[0] == ["Carlisle", 5, 0, 0]


def test_without_any_data_report_the_data_date_is_today():
    assert performance.data_date(TODAY) == TODAY


def test_first_review_within_six_weeks_is_counted_only_where_the_data_can_tell():
    taf = D(2026, 9, 1)
    eha(D(2026, 8, 1), taf_meeting_date=taf, number_of_reviews=1, last_review_date=D(2026, 10, 13))
    eha(D(2026, 8, 1), taf_meeting_date=taf, number_of_reviews=1, last_review_date=D(2026, 10, 14))
    eha(D(2026, 8, 1), taf_meeting_date=D(2026, 9, 10), number_of_reviews=0)
    eha(D(2026, 8, 1), taf_meeting_date=D(2026, 9, 10), number_of_reviews=2)
    # Closed 20 days after its meeting with no review: it never needed one, so cannot tell.
    eha(
        D(2026, 8, 1),
        D(2026, 9, 30),
        taf_meeting_date=D(2026, 9, 10),
        number_of_reviews=0,
    )
    # October: a meeting 26 days before the data (too soon to tell), and no review count.
    eha(D(2026, 8, 1), taf_meeting_date=D(2026, 10, 20), number_of_reviews=0)
    eha(D(2026, 8, 1), taf_meeting_date=D(2026, 10, 5))

    months = performance.first_reviews(
        performance.assessments(), Window.ending_before(TODAY), TODAY
    )
    by_month = {m.month: m for m in months}

    september = by_month[D(2026, 9, 1)]
    # 1 September + 42 days = 13 October: within; 14 October: not; no review after 6 weeks: not.
    assert (september.taf_meetings, september.within, september.not_within) == (5, 1, 2)
    assert september.cannot_tell == 2
    october = by_month[D(2026, 10, 1)]
    assert (october.taf_meetings, october.within, october.not_within) == (2, 0, 0)
    assert october.cannot_tell == 2


def test_first_review_table_gives_the_share_of_those_known_with_its_interval():
    taf = D(2026, 9, 1)
    eha(D(2026, 8, 1), taf_meeting_date=taf, number_of_reviews=1, last_review_date=D(2026, 9, 20))
    eha(D(2026, 8, 1), taf_meeting_date=taf, number_of_reviews=3, last_review_date=D(2026, 11, 1))

    table = build_performance(today=TODAY).section("first-review").table("first-review-by-month")
    september = next(row for row in table.rows if row[0] == "Sep 2026")

    assert september[:5] == ["Sep 2026", 2, 1, 0, 1]
    assert september[5].startswith("1 of 1: 100%")


# The latest month by district and type of agency, with small numbers hidden ----------------------


def test_breakdown_hides_counts_under_5_and_the_next_smallest_so_none_can_be_worked_out():
    for name, count in (("Allerdale", 6), ("Barrow", 3), ("Carlisle", 7)):
        for _ in range(count):
            eha(D(2026, 1, 1), district=district(name))

    table = build_performance(today=TODAY).section("breakdown").table("latest-month-by-district")
    open_column = {row[0]: row[1] for row in table.rows}

    # Barrow's 3 is hidden; alone it could be worked out from the total, so the smallest shown
    # (Allerdale's 6) is hidden too.
    assert open_column == {
        "Allerdale": SUPPRESSED,
        "Barrow": SUPPRESSED,
        "Carlisle": 7,
        "All districts": 16,
    }
    assert table.notes


def test_breakdown_by_agency_type_counts_the_latest_month():
    school = agency_type("School")
    for _ in range(5):
        eha(D(2026, 10, 2), agency_type=school)
    for _ in range(5):
        eha(D(2026, 9, 1), D(2026, 10, 3), agency_type=school, stepped_up_to_social_care=True)

    table = build_performance(today=TODAY).section("breakdown").table("latest-month-by-agency-type")
    school_row = next(row for row in table.rows if row[0] == "School")

    # Open at end, started, closed, step-downs, step-ups in October 2026.
    assert school_row == ["School", 5, 5, 5, 0, 5]


def test_breakdown_names_ehas_with_no_agency_type():
    for _ in range(5):
        eha(D(2026, 1, 1), agency_type=None)

    table = build_performance(today=TODAY).section("breakdown").table("latest-month-by-agency-type")

    assert table.rows[0][:2] == ["Agencies of no recorded type", 5]


# Filters ------------------------------------------------------------------------------------------


def test_filters_narrow_every_figure_to_the_district_and_agency_type():
    allerdale, school = district("Allerdale"), agency_type("School")
    for _ in range(5):
        eha(D(2026, 10, 1), district=allerdale, agency_type=school)
        eha(D(2026, 10, 1), district=allerdale)
        eha(D(2026, 10, 1), agency_type=school)

    both = build_performance(today=TODAY, district=allerdale, agency_type=school)
    just_district = build_performance(today=TODAY, district=allerdale)

    assert both.section("started").table("started-by-month").rows[-1][1] == 5
    assert just_district.section("started").table("started-by-month").rows[-1][1] == 10
    assert both.title == "Performance data: district Allerdale and EHAs led by School"


# Small numbers when the figures are narrowed ------------------------------------------------------


@pytest.fixture
def youth_service_starts_two_in_october():
    """The tester's case: county-wide, Youth Service started 2 EHAs in October 2026 (hidden in
    the breakdown by type of lead agency); other types started enough to be shown."""
    youth = agency_type("Youth Service")
    eha(D(2026, 10, 5), agency_type=youth)
    eha(D(2026, 10, 6), agency_type=youth)
    eha(D(2026, 3, 2), agency_type=youth)
    for _ in range(6):
        eha(D(2026, 10, 7), agency_type=agency_type("School"))
    return youth


def test_a_count_hidden_in_the_breakdown_is_hidden_when_narrowed_to_its_agency_type(
    youth_service_starts_two_in_october,
):
    youth = youth_service_starts_two_in_october
    county = build_performance(today=TODAY)
    by_type = county.section("breakdown").table("latest-month-by-agency-type")
    assert next(row for row in by_type.rows if row[0] == "Youth Service")[2] == SUPPRESSED

    narrowed = build_performance(today=TODAY, agency_type=youth)
    started = dict(narrowed.section("started").table("started-by-month").rows)

    assert started["Oct 2026"] == SUPPRESSED
    assert started["Mar 2026"] == SUPPRESSED
    assert started["Nov 2024"] == 0  # no one to protect


def test_narrowed_counts_from_1_to_4_are_hidden_in_every_monthly_table():
    carlisle = district("Carlisle")
    for n in range(1, 5):  # 1, 2, 3 and 4 started (and closed) in four months
        for _ in range(n):
            eha(D(2025, n, 3), D(2025, n, 20), step_down_from_social_care=True)

    document = build_performance(today=TODAY, district=carlisle)

    for key in ("open", "started", "closed", "duration", "step-downs", "step-ups"):
        for table in document.section(key).tables:
            for row in table.rows:
                assert not any(isinstance(c, int) and 0 < c < 5 for c in row[1:]), (key, row)
    started = dict(document.section("started").table("started-by-month").rows)
    assert [started[f"{m} 2025"] for m in ("Jan", "Feb", "Mar", "Apr")] == [SUPPRESSED] * 4


def test_the_county_wide_monthly_figures_are_not_hidden(youth_service_starts_two_in_october):
    table = build_performance(today=TODAY).section("started").table("started-by-month")

    assert {row[0]: row[1] for row in table.rows}["Mar 2026"] == 1


def test_a_narrowed_series_with_a_hidden_month_is_not_drawn_and_says_why(
    youth_service_starts_two_in_october,
):
    narrowed = build_performance(today=TODAY, agency_type=youth_service_starts_two_in_october)
    section = narrowed.section("started")

    assert section.charts == []
    assert section.paragraphs[-1].startswith(
        "Not drawn: some months have fewer than 5 and are not shown"
    )
    # No mean or process limits either: with 23 months shown they would give the 24th away.
    assert section.table("started-by-month").columns == ["Month", "Started"]


def test_a_narrowed_series_with_no_hidden_month_is_still_drawn():
    school = agency_type("School")
    for _ in range(5):
        eha(D(2026, 10, 2), agency_type=school)

    section = build_performance(today=TODAY, agency_type=school).section("started")

    (chart,) = section.charts
    assert chart.kind == "spc"


def _october(document, key):
    return {row[0]: row[1] for row in document.section(key).tables[0].rows}


def _ten_open_then_two_start_and_seven_close():
    """September ends with 10 EHAs open; in October 2 start and 7 close."""
    for _ in range(7):
        eha(D(2026, 8, 3), D(2026, 10, 10))
    for _ in range(3):
        eha(D(2026, 8, 3))
    eha(D(2026, 10, 2))
    eha(D(2026, 10, 3))


def test_open_at_month_end_cannot_give_away_a_hidden_start():
    # September ends with 10 open; in October 2 start and 7 close, so 5 are open at its end.
    # Shown with the open counts, the 7 closed would give away the 2 started: 5 - 10 + 7.
    carlisle = district("Carlisle")
    _ten_open_then_two_start_and_seven_close()

    document = build_performance(today=TODAY, district=carlisle)
    opened, started, closed = (_october(document, k) for k in ("open", "started", "closed"))

    assert started["Oct 2026"] == SUPPRESSED
    in_the_sum = [opened["Sep 2026"], opened["Oct 2026"], started["Oct 2026"], closed["Oct 2026"]]
    assert in_the_sum.count(SUPPRESSED) >= 2


def test_a_count_hidden_in_one_view_cannot_be_worked_out_from_the_county_and_another():
    # County-wide 8 started in October: Youth Service 2, School 6. Narrowed to School, a 6
    # shown would give away Youth Service's 2 (8 - 6).
    youth, school = agency_type("Youth Service"), agency_type("School")
    eha(D(2026, 10, 5), agency_type=youth)
    eha(D(2026, 10, 6), agency_type=youth)
    for _ in range(6):
        eha(D(2026, 10, 7), agency_type=school)

    county = _october(build_performance(today=TODAY), "started")
    narrowed = _october(build_performance(today=TODAY, agency_type=school), "started")

    assert county["Oct 2026"] == 8
    assert narrowed["Oct 2026"] == SUPPRESSED


def _spread_of_ehas():
    """EHAs in two districts and three types, some months busy and some with a handful."""
    names = [("Allerdale", "School"), ("Allerdale", "Health"), ("Barrow", "School")]
    names += [("Barrow", "Youth Service"), ("Allerdale", "Youth Service")]
    for n, (d, t) in enumerate(names):
        for month in range(1, 11):
            for k in range((n * 3 + month) % 7):
                closure = D(2026, month, 25) if k % 2 else None
                eha(D(2026, month, 2), closure, district=district(d), agency_type=agency_type(t))


def test_no_sum_of_the_protected_views_has_a_single_hidden_count():
    _spread_of_ehas()
    grid = performance.protected_grid(Window.ending_before(TODAY))
    shown = {view: grid.shown(view) for view in grid.counts}
    districts, types = grid.districts(), grid.agency_types()
    county = (performance.ALL, performance.ALL)

    def check(cells):
        hidden = [cell == SUPPRESSED for cell in cells]
        assert sum(hidden) != 1, cells

    for view, series in shown.items():
        if view != county:
            for name in performance.SERIES_COUNTS:
                assert not [c for c in series[name] if isinstance(c, int) and 0 < c < 5]
        for m in range(1, 24):
            opened = series["open_at_end"]
            check([opened[m], opened[m - 1], series["started"][m], series["closed"][m]])
    for name in performance.SERIES_COUNTS:
        for m in range(24):
            check([shown[county][name][m], *(shown[(d, "all")][name][m] for d in districts)])
            check([shown[county][name][m], *(shown[("all", t)][name][m] for t in types)])
            for d in districts:
                parts = [shown[(d, t)][name][m] for t in types if (d, t) in shown]
                check([shown[(d, "all")][name][m], *parts])
            for t in types:
                parts = [shown[(d, t)][name][m] for d in districts if (d, t) in shown]
                check([shown[("all", t)][name][m], *parts])
    assert any(SUPPRESSED in series["started"] for series in shown.values())
    assert SUPPRESSED not in shown[county]["started"]


def test_each_type_in_the_county_breakdown_reads_the_same_when_narrowed_to_it():
    _spread_of_ehas()
    keys = ("open", "started", "closed", "step-downs", "step-ups")

    table = build_performance(today=TODAY).section("breakdown").table("latest-month-by-agency-type")

    assert any(SUPPRESSED in row for row in table.rows)
    for name, *cells in table.rows[:-1]:
        narrowed = build_performance(today=TODAY, agency_type=agency_type(name))
        assert [_october(narrowed, key)["Oct 2026"] for key in keys] == cells, name


def test_reviews_hidden_in_one_view_cannot_be_worked_out_from_the_county_and_another():
    # County-wide 8 open with the next review not yet due: Youth Service 2, School 6.
    youth, school = agency_type("Youth Service"), agency_type("School")
    for kind, count in ((youth, 2), (school, 6)):
        for _ in range(count):
            eha(D(2026, 1, 1), next_review_date=D(2027, 1, 1), agency_type=kind)

    county = build_performance(today=TODAY).section("reviews")
    narrowed = build_performance(today=TODAY, agency_type=school).section("reviews")

    assert county.table("reviews-by-agency-type").rows[-1] == ["All types", 8, 0, 0]
    assert narrowed.table("reviews-by-agency-type").rows[-1][1] == SUPPRESSED
    assert narrowed.table("reviews-by-district").rows[-1][1] == SUPPRESSED
    assert "Too few EHAs are open here" in narrowed.paragraphs[1]


def test_a_median_of_fewer_than_5_closed_is_hidden_when_narrowed_and_shown_from_5():
    school = agency_type("School")
    for _ in range(4):
        eha(D(2026, 8, 3), D(2026, 9, 12), agency_type=school)
    for _ in range(9):
        eha(D(2026, 8, 3), D(2026, 10, 12), agency_type=school)
        eha(D(2026, 8, 3), agency_type=school)

    median = _october(build_performance(today=TODAY, agency_type=school), "duration")

    assert median["Sep 2026"] == SUPPRESSED
    assert median["Oct 2026"] == 70


def _first_reviews_in_september(within, not_within, cannot_tell, kind):
    taf = D(2026, 9, 1)
    for _ in range(within):
        eha(
            D(2026, 8, 1),
            taf_meeting_date=taf,
            number_of_reviews=1,
            last_review_date=D(2026, 9, 20),
            agency_type=kind,
        )
    for _ in range(not_within):
        eha(
            D(2026, 8, 1),
            taf_meeting_date=taf,
            number_of_reviews=1,
            last_review_date=D(2026, 10, 30),
            agency_type=kind,
        )
    for _ in range(cannot_tell):
        eha(D(2026, 8, 1), taf_meeting_date=taf, number_of_reviews=2, agency_type=kind)


def _september_first_reviews(**filters):
    table = build_performance(today=TODAY, **filters).section("first-review").tables[0]
    return next(row[1:] for row in table.rows if row[0] == "Sep 2026")


@pytest.mark.parametrize(
    ("within", "not_within", "cannot_tell", "expected"),
    [
        # 3 within: hidden, with the 2 not within and the share "3 of 5" made from them.
        (3, 2, 0, [5, SUPPRESSED, SUPPRESSED, 0, SUPPRESSED]),
        # 4 cannot tell: hidden, and the smallest other count of 5 or more with it (or the
        # three parts would give it away from the meetings), so the share too.
        (5, 0, 4, [9, SUPPRESSED, 0, SUPPRESSED, SUPPRESSED]),
        # Nothing small: everything shown.
        (5, 5, 0, [10, 5, 5, 0, "5 of 10: 50%, 24%\u201376%"]),
    ],
)
def test_narrowed_first_reviews_hide_small_counts_and_the_shares_made_from_them(
    within, not_within, cannot_tell, expected
):
    school = agency_type("School")
    _first_reviews_in_september(within, not_within, cannot_tell, school)

    assert _september_first_reviews(agency_type=school) == expected


def test_first_reviews_hidden_in_one_view_cannot_be_worked_out_from_the_county_and_another():
    youth, school = agency_type("Youth Service"), agency_type("School")
    _first_reviews_in_september(2, 0, 5, youth)
    _first_reviews_in_september(6, 0, 5, school)

    county = _september_first_reviews()
    narrowed = _september_first_reviews(agency_type=school)

    assert county[:4] == [18, 8, 0, 10]
    assert narrowed[1] == SUPPRESSED  # else 8 - 6 gives Youth Service's 2 within


def test_the_narrowed_breakdown_agrees_with_the_monthly_series():
    carlisle = district("Carlisle")
    _ten_open_then_two_start_and_seven_close()

    document = build_performance(today=TODAY, district=carlisle)
    table = document.section("breakdown").table("latest-month-by-district")
    october = [
        _october(document, key)["Oct 2026"]
        for key in ("open", "started", "closed", "step-downs", "step-ups")
    ]

    assert table.rows == [["Carlisle", *october], ["All districts", *october]]
    assert october[1] == SUPPRESSED


def test_the_narrowed_downloads_hide_the_same_counts(
    client_for, youth_service_starts_two_in_october
):
    query = {"agency_type": youth_service_starts_two_in_october.pk}
    client = client_for(Role.PARTNERSHIP_VIEWER)

    rows = list(
        csv.reader(io.StringIO(client.get("/performance/download/csv/", query).content.decode()))
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/performance/download/xlsx/", query).content)
    )

    assert ["Oct 2026", SUPPRESSED] in rows
    assert ["Mar 2026", SUPPRESSED] in rows
    xlsx_rows = [
        list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
    ]
    assert ["Oct 2026", SUPPRESSED] in [row[:2] for row in xlsx_rows]
    assert ["Oct 2026", 2] not in [row[:2] for row in xlsx_rows]


def test_the_narrowed_page_says_why_a_chart_is_missing_and_what_is_hidden(
    client_for, youth_service_starts_two_in_october
):
    response = client_for(Role.QA_LEAD).get(
        "/performance/", {"agency_type": youth_service_starts_two_in_october.pk}
    )
    page = BeautifulSoup(response.content, "html.parser")
    started = page.find(id="section-started")

    assert started.find("figure") is None
    assert "Not drawn: some months have fewer than 5" in started.get_text()
    about = page.find(id="section-about").get_text()
    assert "every count from 1 to 4 is hidden" in about
    assert "No figure here is about one child or family" not in page.get_text()


# The words on the page ----------------------------------------------------------------------------


def test_the_trend_rule_is_worded_as_the_spc_module_counts_it():
    about = " ".join(build_performance(today=TODAY).section("about").paragraphs)

    # 6 months in a row, each after the first higher than the one before: 5 rises.
    assert "6 or more months in a row, each after the first higher than the one before it" in about
    assert "6 months make 5 rises or falls in a row" in about
    assert "each higher, or each lower, than the month before" not in about


def test_the_page_spells_out_each_abbreviation_before_using_it_and_explains_xmr(client_for):
    response = client_for(Role.QA_LEAD).get("/performance/")
    text = " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())

    for spelled_out, short in (
        ("Early Help Module (EHM)", "EHM"),
        ("Early Help assessments (EHAs)", "EHA"),
        ("team around the family (TAF)", "TAF"),
        ("statistical process control (SPC)", "SPC"),
    ):
        assert short not in text[: text.index(spelled_out)], short
    assert "X is each month's figure; mR is the moving range" in text


def test_dates_read_as_day_month_year_on_the_page_and_in_the_csv(client_for):
    DataImportFactory(finished_at=timezone.make_aware(datetime.datetime(2026, 11, 10, 9)))
    client = client_for(Role.QA_LEAD)

    page = BeautifulSoup(client.get("/performance/").content, "html.parser").main.get_text()
    download = client.get("/performance/download/csv/").content.decode()

    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    assert not iso.search(page)
    assert not iso.search(download)
    today = timezone.localdate()
    assert f"computed on {today.day} {today:%B %Y}" in download


def test_the_csv_writes_whole_numbers_as_whole_numbers(client_for):
    for _ in range(7):
        eha(D(2025, 3, 3), D(2025, 9, 3))

    download = client_for(Role.QA_LEAD).get("/performance/download/csv/").content.decode()
    cells = [cell for row in csv.reader(io.StringIO(download)) for cell in row]

    assert not [cell for cell in cells if re.fullmatch(r"-?\d+\.0", cell)]
    assert "7" in cells


# Queries ------------------------------------------------------------------------------------------


def _queries_to_build():
    with CaptureQueriesContext(connection) as captured:
        build_performance(today=TODAY, district=district("Carlisle"))
    return len(captured.captured_queries)


def _many_ehas(count):
    template = EarlyHelpAssessmentFactory(start_date=D(2025, 1, 1))
    rows = []
    for n in range(count):
        closure = D(2025, 1 + n % 12, 28) if n % 2 else None
        rows.append(
            EarlyHelpAssessmentFactory.build(
                family=template.family,
                lead_agency=template.lead_agency,
                start_date=D(2024, 12, 1 + n % 28),
                closure_date=closure,
                status=CLOSED if closure else OPEN,
                taf_meeting_date=D(2025, 1, 10),
                number_of_reviews=n % 3,
                next_review_date=D(2026, 12, 1),
            )
        )
    EarlyHelpAssessment.objects.bulk_create(rows)


def test_the_number_of_queries_does_not_grow_with_the_number_of_ehas():
    _many_ehas(10)
    district("Carlisle")
    few = _queries_to_build()
    _many_ehas(200)
    many = _queries_to_build()

    assert few == many
    assert many <= 10


# The page and its downloads -----------------------------------------------------------------------


READERS = [Role.QA_LEAD, Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER]
REFUSED = [Role.AUDITOR, Role.COORDINATOR, Role.LINE_MANAGER, Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", READERS)
def test_qa_leads_partnership_viewers_and_data_officers_may_read_the_performance_data(
    client_for, role
):
    response = client_for(role).get("/performance/")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True) == "Performance data"


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_may_not_read_the_performance_data(client_for, role):
    assert client_for(role).get("/performance/").status_code == 403
    assert client_for(role).get("/performance/download/csv/").status_code == 403


def test_the_page_shows_no_eha_or_family_reference(client_for):
    assessment = eha(D(2026, 10, 1), next_review_date=D(2020, 1, 1))

    html = client_for(Role.PARTNERSHIP_VIEWER).get("/performance/").content.decode()

    assert assessment.reference not in html
    assert assessment.family.reference not in html
    assert "/cases/" not in html


def test_the_page_draws_each_chart_beside_its_table(client_for):
    response = client_for(Role.QA_LEAD).get("/performance/")
    page = BeautifulSoup(response.content, "html.parser")

    figure = page.find("figure", attrs={"data-table": "open-by-month"})

    assert figure.find("svg")["role"] == "img"
    assert figure.find_next("table")["id"] == "table-open-by-month"


def test_the_filter_form_narrows_the_page_and_the_download_links_keep_the_filter(client_for):
    allerdale = district("Allerdale")

    response = client_for(Role.QA_LEAD).get("/performance/", {"district": allerdale.pk})
    page = BeautifulSoup(response.content, "html.parser")

    assert "district Allerdale" in page.find(id="period").get_text()
    links = [a["href"] for a in page.select("#downloads a")]
    assert links == [
        f"/performance/download/csv/?district={allerdale.pk}",
        f"/performance/download/xlsx/?district={allerdale.pk}",
    ]


def test_a_district_that_does_not_exist_is_an_error_on_the_form(client_for):
    response = client_for(Role.QA_LEAD).get("/performance/", {"district": "99999"})
    page = BeautifulSoup(response.content, "html.parser")

    assert "Select a district from the list" in page.get_text()
    assert page.find(id="period") is None


def test_csv_download_has_every_table_and_neutralises_formula_text(client_for):
    for _ in range(5):
        eha(D(2026, 10, 1), district=district("=HYPERLINK(1)"))

    response = client_for(Role.PARTNERSHIP_VIEWER).get("/performance/download/csv/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    first_cells = [row[0] for row in rows if row]
    assert "EHAs open at month end each month" in first_cells
    assert "First review within 6 weeks of the TAF meeting, by month of the meeting" in first_cells
    assert "'=HYPERLINK(1)" in first_cells
    assert "=HYPERLINK(1)" not in first_cells


def test_xlsx_download_opens_with_a_sheet_for_each_table(client_for):
    for _ in range(5):
        eha(D(2026, 10, 1))

    response = client_for(Role.DATA_OFFICER).get("/performance/download/xlsx/")

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    document = build_performance(today=timezone.localdate())
    assert len(workbook.sheetnames) >= len(document.all_tables())
    values = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert "Open at month end" in values


def test_an_unknown_download_format_is_not_found(client_for):
    assert client_for(Role.QA_LEAD).get("/performance/download/pdf/").status_code == 404
