"""The demo data report: every row passes the importer's rules, and the whole looks like three
years of a real partnership's Early Help (durations, reviews, step-downs, drifting plans)."""

import csv
import io
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from itertools import pairwise

import pytest
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.demo import COUNTY_AGENCIES, DISTRICT_AGENCIES, load_demo_partnership
from earlyhelp.accounts.models import AgencyType, District, User
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.demo_report import write_demo_report

HEADERS = [
    "EHA Reference",
    "Family Reference",
    "District",
    "Lead Agency",
    "Agency Type",
    "Coordinator Name",
    "Coordinator Email",
    "Coordinator Manager Email",
    "Start Date",
    "TAF Meeting Date",
    "Plan In Place",
    "Last Review Date",
    "Number Of Reviews",
    "Next Review Date",
    "Status",
    "Closure Date",
    "Closure Reason",
    "Step Down From Social Care",
    "Stepped Up To Social Care",
    "Children In Family",
    "Genogram Recorded",
    "Chronology Recorded",
]
DISTRICTS = ["Allerdale", "Barrow-in-Furness", "Carlisle", "Copeland", "Eden", "South Lakeland"]
AGENCY_TYPES = [
    "Health Visiting",
    "School Nursing",
    "School",
    "Early Years",
    "Family Support",
    "Police",
    "Housing",
    "Voluntary Sector",
    "Youth Service",
]
CLOSURE_REASONS = {
    "Outcomes achieved",
    "Needs met by universal services",
    "Family disengaged",
    "Family declined further support",
    "Stepped up to social care",
    "Moved out of area",
    "Transferred to another agency",
}
YES_NO_COLUMNS = [
    "Plan In Place",
    "Step Down From Social Care",
    "Stepped Up To Social Care",
    "Genogram Recorded",
    "Chronology Recorded",
]
YES_NO = {"Yes", "No", ""}
DATE_COLUMNS = ["Start Date", "TAF Meeting Date", "Last Review Date", "Closure Date"]
TODAY = date(2026, 3, 15)
# The framework's drift: open longer than nine months, or regular reviews not held.
NINE_MONTHS = 274
THREE_MONTHS = 92
DEMO_COORDINATOR = "coordinator@demo.example"


def _demo_agencies():
    """Agency name -> (type, district or None), as the demo partnership names them."""
    agencies = {
        pattern.format(district=district): (agency_type, district)
        for district in DISTRICTS
        for pattern, agency_type in DISTRICT_AGENCIES
    }
    agencies.update({name: (kind, district) for name, kind, district in COUNTY_AGENCIES})
    return agencies


def _report_text(**options):
    out = io.StringIO()
    write_demo_report(out, **options)
    return out.getvalue()


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _date(value):
    return datetime.strptime(value, "%d/%m/%Y").date() if value else None


def _load_demo_partnership():
    # Browser tests flush the database, migrations' reference rows included; the demo needs them.
    for name in DISTRICTS:
        District.objects.get_or_create(name=name)
    for name in AGENCY_TYPES:
        AgencyType.objects.get_or_create(name=name)
    load_demo_partnership()


def _coordinators():
    """E-mail -> (name, agency name, line manager's e-mail) of every demo coordinator."""
    users = User.objects.filter(role_assignments__role=Role.COORDINATOR).select_related(
        "agency", "line_manager"
    )
    return {
        user.email: (user.full_name, user.agency.name, user.line_manager.email) for user in users
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default report for the demo partnership, made once; the partnership is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        _load_demo_partnership()
        text = _report_text(today=TODAY)
        coordinators = _coordinators()
        transaction.set_rollback(True)
    return text, _rows(text), coordinators


@pytest.fixture(scope="module")
def rows(demo):
    return demo[1]


def _problems(row, today):
    """Every way this row breaks the importer's rules."""
    problems = []
    for column in [*DATE_COLUMNS, "Next Review Date"]:
        if row[column] and not re.fullmatch(r"\d\d/\d\d/\d{4}", row[column]):
            problems.append(f"{column} is not dd/mm/yyyy")
    dates = {column: _date(row[column]) for column in DATE_COLUMNS}
    start = dates["Start Date"]
    if start is None:
        return [*problems, "no Start Date"]
    for column, value in dates.items():
        if value and value > today:
            problems.append(f"{column} is after today")
        if value and value < start:
            problems.append(f"{column} is before the start")
    if row["Status"] not in {"Open", "Closed"}:
        problems.append("Status is neither Open nor Closed")
    if (row["Status"] == "Closed") != bool(row["Closure Date"]):
        problems.append("Closure Date present when not Closed, or missing when Closed")
    problems.extend(f"{c} is not Yes/No/blank" for c in YES_NO_COLUMNS if row[c] not in YES_NO)
    if not row["Number Of Reviews"].isdigit():
        problems.append("Number Of Reviews is not a whole number")
    if not row["Children In Family"].isdigit() or int(row["Children In Family"]) < 1:
        problems.append("Children In Family is not a whole number of at least 1")
    return problems


def _check_demo_partnership_links(row, agencies):
    agency_type, district = agencies[row["Lead Agency"]]
    assert row["District"] in DISTRICTS
    assert row["Agency Type"] == agency_type
    assert district in (None, row["District"]), "a district agency works in its own district"


def _is_drifting(row, today):
    start = _date(row["Start Date"])
    last_seen = _date(row["Last Review Date"]) or start
    return (today - start).days > NINE_MONTHS or (today - last_seen).days > THREE_MONTHS


def _open(rows):
    return [row for row in rows if row["Status"] == "Open"]


def _closed(rows):
    return [row for row in rows if row["Status"] == "Closed"]


# The file itself.


def test_header_is_exactly_the_data_report_columns(demo):
    text = demo[0]
    assert text.split("\n", 1)[0].split(",") == HEADERS


def test_has_three_thousand_rows_one_line_each_by_default(demo, rows):
    text = demo[0]
    assert len(rows) == 3000
    assert "\r" not in text
    assert text.endswith("\n")
    assert text.count("\n") == 3001


@pytest.mark.django_db
def test_the_same_seed_gives_a_byte_identical_file():
    _load_demo_partnership()
    first = _report_text(seed=7, today=TODAY).encode()
    assert _report_text(seed=7, today=TODAY).encode() == first
    assert _report_text(seed=8, today=TODAY).encode() != first


# The importer's rules, row by row.


def test_every_row_keeps_the_importers_rules(rows):
    problems = [(n, p) for n, row in enumerate(rows, start=2) for p in _problems(row, TODAY)]
    assert problems == []


def test_eha_references_are_unique_and_look_like_ehm_ones(rows):
    references = [row["EHA Reference"] for row in rows]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"EHA-\d{6}", reference) for reference in references)


def test_lead_agencies_are_the_demo_agencies_in_their_own_districts(rows):
    agencies = _demo_agencies()
    for row in rows:
        _check_demo_partnership_links(row, agencies)
    assert {row["District"] for row in rows} == set(DISTRICTS)


def test_coordinators_are_demo_coordinators_of_the_lead_agency(demo, rows):
    coordinators = demo[2]
    for row in rows:
        name, agency, manager = coordinators[row["Coordinator Email"]]
        assert (row["Coordinator Name"], row["Lead Agency"]) == (name, agency)
        assert row["Coordinator Manager Email"] == manager


def test_the_demo_coordinator_and_line_manager_have_cases(rows):
    theirs = [row for row in rows if row["Coordinator Email"] == DEMO_COORDINATOR]
    assert 20 <= len(theirs) <= 30
    for row in theirs:
        assert row["Coordinator Manager Email"] == "line.manager@demo.example"
        assert row["Lead Agency"] == "Carlisle Health Visiting Team"
        assert row["District"] == "Carlisle"


def test_only_references_dates_flags_and_lists_no_names_of_children_or_parents(rows):
    """Data minimisation: outside the coordinator's work contact nothing is free text."""
    free = {"Coordinator Name", "Coordinator Email", "Coordinator Manager Email"}
    listed = set(DISTRICTS) | set(_demo_agencies()) | set(AGENCY_TYPES) | CLOSURE_REASONS
    shape = re.compile(r"(EHA|FAM)-\d+|\d\d/\d\d/\d{4}|\d+|Yes|No|Open|Closed|")
    for row in rows:
        for column, value in row.items():
            assert column in free or value in listed or shape.fullmatch(value), (column, value)


# What makes it believable.


def test_start_dates_spread_over_three_years_slightly_more_recent(rows):
    ages = Counter((TODAY - _date(row["Start Date"])).days // 365 for row in rows)
    assert set(ages) == {0, 1, 2}
    assert all(count >= 0.25 * len(rows) for count in ages.values())
    assert ages[0] > ages[2]


def test_about_a_third_are_open_and_most_closed_after_three_to_twelve_months(rows):
    assert 0.20 <= len(_open(rows)) / len(rows) <= 0.40
    durations = [
        (_date(row["Closure Date"]) - _date(row["Start Date"])).days for row in _closed(rows)
    ]
    within = sum(91 <= days <= 366 for days in durations)
    assert within >= 0.7 * len(durations)
    assert sum(days > 2 * 365 for days in durations) >= 1, "a long tail to two or three years"
    assert max(durations) <= 3 * 365


def test_taf_meetings_are_held_two_to_six_weeks_after_the_start(rows):
    gaps = [
        (_date(row["TAF Meeting Date"]) - _date(row["Start Date"])).days
        for row in rows
        if row["TAF Meeting Date"]
    ]
    assert sum(14 <= gap <= 42 for gap in gaps) >= 0.9 * len(gaps)
    assert 0.02 * len(rows) <= len(rows) - len(gaps) <= 0.2 * len(rows), "some not recorded"


def test_reviews_every_six_to_twelve_weeks_match_the_duration(rows):
    for row in rows:
        reviews = int(row["Number Of Reviews"])
        last = _date(row["Last Review Date"])
        assert (reviews == 0) == (last is None)
        if reviews:
            span = (last - _date(row["Start Date"])).days
            # The first review comes 6 weeks after a TAF meeting held within 6 weeks of the start.
            assert 42 * (reviews - 1) <= span <= 91 + 84 * (reviews - 1)


def test_open_ehas_have_their_next_review_after_the_last(rows):
    for row in _open(rows):
        previous = _date(row["Last Review Date"]) or _date(row["Start Date"])
        assert _date(row["Next Review Date"]) > previous
    assert all(not row["Next Review Date"] for row in _closed(rows))


def test_a_minority_of_open_plans_drift(rows):
    open_rows = _open(rows)
    drifting = [row for row in open_rows if _is_drifting(row, TODAY)]
    assert 0.05 * len(open_rows) <= len(drifting) <= 0.25 * len(open_rows)


def test_closure_reasons_are_realistic_and_agree_with_step_up(rows):
    for row in _open(rows):
        assert row["Closure Reason"] == ""
        assert row["Stepped Up To Social Care"] != "Yes"
    reasons = Counter(row["Closure Reason"] for row in _closed(rows))
    assert set(reasons) <= CLOSURE_REASONS
    assert reasons.most_common(1)[0][0] == "Outcomes achieved"
    for row in rows:
        stepped_up = row["Stepped Up To Social Care"] == "Yes"
        assert stepped_up == (row["Closure Reason"] == "Stepped up to social care")


def test_about_one_in_ten_is_a_step_down_from_social_care(rows):
    step_downs = sum(row["Step Down From Social Care"] == "Yes" for row in rows)
    assert 0.05 * len(rows) <= step_downs <= 0.15 * len(rows)


def test_genograms_and_chronologies_are_recorded_for_most(rows):
    for column in ["Genogram Recorded", "Chronology Recorded"]:
        values = Counter(row[column] for row in rows)
        assert values["Yes"] > 0.6 * len(rows)
        assert values[""] > 0, "sometimes not recorded at all"


def test_some_families_are_referred_again_after_their_last_eha_closed(rows):
    by_family = defaultdict(list)
    for row in rows:
        by_family[row["Family Reference"]].append(row)
    again = [ehas for ehas in by_family.values() if len(ehas) > 1]
    assert 0.03 * len(rows) <= sum(len(ehas) - 1 for ehas in again) <= 0.15 * len(rows)
    for ehas in again:
        ehas.sort(key=lambda row: _date(row["Start Date"]))
        for earlier, later in pairwise(ehas):
            assert earlier["Status"] == "Closed"
            assert _date(earlier["Closure Date"]) < _date(later["Start Date"])
            assert earlier["District"] == later["District"]


# Without the demo partnership.


@pytest.mark.django_db
def test_without_demo_users_the_file_is_still_valid_with_no_coordinators():
    rows = _rows(_report_text(rows=300))
    today = timezone.localdate()
    assert len(rows) == 300
    assert [(n, p) for n, row in enumerate(rows, 2) for p in _problems(row, today)] == []
    coordinator_columns = ["Coordinator Name", "Coordinator Email", "Coordinator Manager Email"]
    assert all(row[column] == "" for row in rows for column in coordinator_columns)
