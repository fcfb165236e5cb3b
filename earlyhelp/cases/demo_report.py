"""A believable EHM data report for the demo partnership: about three years of Early Help
Assessments, written as the CSV file the Early Help Team would get from EHM.

It goes through the importer like any real report, so the demo also exercises the import. The
file holds references, dates and flags only; the one name in it is the coordinator's, a made-up
practitioner from the demo partnership (data minimisation: nothing about children or parents).
"""

import csv
import heapq
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.accounts.demo import COUNTY_AGENCIES, DISTRICT_AGENCIES, demo_email
from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role

from .importing.columns import COLUMNS

# The data report's columns, in the importer's own order.
HEADERS = [column.header for column in COLUMNS]

# Roughly each district's share of Cumbria's children, so the bigger towns carry more EHAs.
DISTRICT_WEIGHTS = {
    "Allerdale": 20,
    "Barrow-in-Furness": 15,
    "Carlisle": 22,
    "Copeland": 14,
    "Eden": 10,
    "South Lakeland": 19,
}
# How often each kind of agency takes the lead: mostly family support, health and schools.
LEAD_WEIGHTS = {
    "Family Support": 25,
    "Health Visiting": 18,
    "School": 7,
    "Early Years": 12,
    "School Nursing": 8,
    "Police": 3,
    "Housing": 8,
    "Voluntary Sector": 8,
    "Youth Service": 8,
}
OUTCOMES_ACHIEVED = "Outcomes achieved"
STEPPED_UP = "Stepped up to social care"
# Why EHAs close, most often because the plan worked.
CLOSURE_REASONS = {
    OUTCOMES_ACHIEVED: 52,
    "Needs met by universal services": 12,
    "Family disengaged": 9,
    "Family declined further support": 7,
    STEPPED_UP: 11,
    "Moved out of area": 6,
    "Transferred to another agency": 3,
}
# An EHA that ends within weeks rarely ends because the plan worked.
EARLY_CLOSURE_REASONS = {
    "Family declined further support": 4,
    "Family disengaged": 3,
    "Moved out of area": 2,
    STEPPED_UP: 2,
}
CHILDREN_WEIGHTS = {1: 34, 2: 31, 3: 18, 4: 10, 5: 5, 6: 2}

YEARS_OF_DATA = 3
DEMO_COORDINATOR_CASES = 25
RE_REFERRAL_RATE = 0.08
STEP_DOWN_RATE = 0.10
# Plans whose reviews stop being held: the ones still open are the drifting ones.
LAPSED_REVIEW_RATE = 0.08
TAF_NOT_RECORDED_RATE = 0.06
DATE_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class Agency:
    name: str
    agency_type: str
    district: str | None  # None: works across the county


@dataclass(frozen=True)
class Coordinator:
    name: str
    email: str
    manager_email: str


NO_COORDINATOR = Coordinator("", "", "")


@dataclass
class Course:
    """The dates of one EHA from start to closure (or to today while it is open)."""

    start: date
    taf: date | None = None
    reviews: list = field(default_factory=list)
    next_review: date | None = None
    closure: date | None = None
    early_closure: bool = False


def demo_agencies():
    """The demo partnership's agencies, named as earlyhelp.accounts.demo names them."""
    agencies = [
        Agency(pattern.format(district=district), agency_type, district)
        for district in DISTRICT_WEIGHTS
        for pattern, agency_type in DISTRICT_AGENCIES
    ]
    agencies.extend(Agency(*entry) for entry in COUNTY_AGENCIES)
    return agencies


def demo_coordinators():
    """Coordinators by agency name, read from the demo partnership's users (empty without them).

    Ordered by e-mail so that the same seed draws the same people on every run.
    """
    users = (
        User.objects.filter(is_active=True, role_assignments__role=Role.COORDINATOR)
        .exclude(agency=None)
        .select_related("agency", "line_manager")
        .order_by("email")
    )
    by_agency = {}
    for user in users:
        manager = user.line_manager.email if user.line_manager else ""
        coordinator = Coordinator(user.full_name, user.email, manager)
        by_agency.setdefault(user.agency.name, []).append(coordinator)
    return by_agency


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date(day):
    return day.strftime(DATE_FORMAT) if day else ""


def _yes_no(rng, chance_yes, chance_blank=0.04):
    """Yes/No as EHM exports it; sometimes blank, because nobody recorded it."""
    if rng.random() < chance_blank:
        return ""
    return "Yes" if rng.random() < chance_yes else "No"


def _start_dates(rng, rows, today):
    """Start dates over the last three years, a little more recent (referrals have grown)."""
    window = 365 * YEARS_OF_DATA
    ages = sorted((int(window * rng.random() ** 1.3) for _ in range(rows)), reverse=True)
    return [today - timedelta(days=age) for age in ages]


def _duration(rng):
    """Days from start to closure: mostly 3 to 12 months, a few weeks for some, years for a few."""
    kind = rng.random()
    if kind < 0.07:
        return rng.randint(21, 90), True
    if kind < 0.9:
        return int(rng.triangular(90, 380, 170)), False
    return int(rng.triangular(365, 1100, 450)), False


def _reviews(rng, first_due, end, lapses):
    """Review dates every 6 to 12 weeks up to `end`; returns them and the next one due.

    A lapsed plan stops being reviewed after a review or two, leaving the next review overdue.
    """
    reviews, due = [], first_due
    stop_after = rng.randint(0, 2) if lapses else None
    while due <= end and len(reviews) != stop_after:
        reviews.append(due)
        due += timedelta(days=rng.randint(42, 84))
    return reviews, due


def _course(rng, start, today):
    duration, early = _duration(rng)
    ends = start + timedelta(days=duration)
    closure = ends if ends <= today else None
    end = closure or today
    taf = start + timedelta(days=rng.randint(14, 42))
    if taf > end or rng.random() < TAF_NOT_RECORDED_RATE:
        taf = None
    # The framework sets the first review six weeks after the TAF meeting.
    first_due = (taf or start + timedelta(days=28)) + timedelta(days=rng.randint(35, 49))
    reviews, next_due = _reviews(rng, first_due, end, rng.random() < LAPSED_REVIEW_RATE)
    next_review = next_due if closure is None else None
    return Course(start, taf, reviews, next_review, closure, early)


def _closure_reason(rng, course):
    if course.closure is None:
        return ""
    return _weighted(rng, EARLY_CLOSURE_REASONS if course.early_closure else CLOSURE_REASONS)


class _Picker:
    """Chooses the district, lead agency and coordinator of each EHA."""

    def __init__(self, rng, coordinators):
        self.rng = rng
        self.agencies = demo_agencies()
        self.coordinators = {name: list(people) for name, people in coordinators.items()}
        self.demo_coordinator, self.demo_agency = self._take_demo_coordinator()

    def _take_demo_coordinator(self):
        # The demo coordinator gets a fixed share of cases, not a random one, so they are taken
        # out of the random draw.
        email = demo_email("coordinator")
        for agency in self.agencies:
            people = self.coordinators.get(agency.name, [])
            for person in people:
                if person.email == email:
                    people.remove(person)
                    return person, agency
        return None, None

    def lead(self, for_demo_coordinator, district=None):
        """(district, agency, coordinator); a district agency always works in its district."""
        if for_demo_coordinator and self.demo_coordinator:
            return self.demo_agency.district, self.demo_agency, self.demo_coordinator
        district = district or _weighted(self.rng, DISTRICT_WEIGHTS)
        local = [a for a in self.agencies if a.district in (district, None)]
        agency = self.rng.choices(local, weights=[LEAD_WEIGHTS[a.agency_type] for a in local])[0]
        people = self.coordinators.get(agency.name)
        return district, agency, self.rng.choice(people) if people else NO_COORDINATOR


class _Families:
    """Hands out family references; about one EHA in twelve is a family referred again.

    A family is referred again only once its last EHA has closed, and stays in its district.
    """

    def __init__(self, rng):
        self.rng = rng
        self.number = rng.randint(300000, 400000)
        self.closing = []  # heap of (closure date, reference, district, children)
        self.closed = []  # families whose last EHA closed before the current start date

    def next(self, start, may_be_known=True):
        """(family reference, district or None, children) for an EHA starting on `start`."""
        while self.closing and self.closing[0][0] < start:
            self.closed.append(heapq.heappop(self.closing)[1:])
        if may_be_known and self.closed and self.rng.random() < RE_REFERRAL_RATE:
            # Swap the chosen one to the end, so taking it out costs nothing.
            index = self.rng.randrange(len(self.closed))
            self.closed[index], self.closed[-1] = self.closed[-1], self.closed[index]
            return self.closed.pop()
        self.number += self.rng.randint(1, 5)
        return f"FAM-{self.number}", None, _weighted(self.rng, CHILDREN_WEIGHTS)

    def seen(self, course, reference, district, children):
        if course.closure:
            heapq.heappush(self.closing, (course.closure, reference, district, children))


def _row(rng, reference, course, who, family):
    district, agency, coordinator = who
    family_reference, children = family
    reason = _closure_reason(rng, course)
    reviewed = course.reviews[-1] if course.reviews else None
    return [
        reference,
        family_reference,
        district,
        agency.name,
        agency.agency_type,
        coordinator.name,
        coordinator.email,
        coordinator.manager_email,
        _date(course.start),
        _date(course.taf),
        _yes_no(rng, 0.95 if course.taf else 0.15),
        _date(reviewed),
        str(len(course.reviews)),
        _date(course.next_review),
        "Open" if course.closure is None else "Closed",
        _date(course.closure),
        reason,
        _yes_no(rng, STEP_DOWN_RATE, chance_blank=0.02),
        "Yes" if reason == STEPPED_UP else "No",
        str(children),
        _yes_no(rng, 0.85),
        _yes_no(rng, 0.8),
    ]


def demo_report_rows(*, rows=3000, seed=2026, today=None):
    """The data rows (lists of strings, in HEADERS order), oldest EHA first."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not secrets
    picker = _Picker(rng, demo_coordinators())
    families = _Families(rng)
    demo_cases = set(rng.sample(range(rows), min(DEMO_COORDINATOR_CASES, rows)))
    number = rng.randint(100000, 200000)
    report = []
    for index, start in enumerate(_start_dates(rng, rows, today)):
        for_demo = index in demo_cases
        family_reference, district, children = families.next(start, may_be_known=not for_demo)
        who = picker.lead(for_demo, district)
        course = _course(rng, start, today)
        families.seen(course, family_reference, who[0], children)
        number += rng.randint(1, 3)  # EHM numbers are shared with other records, so they skip
        report.append(_row(rng, f"EHA-{number}", course, who, (family_reference, children)))
    return report


def write_demo_report(out, *, rows=3000, seed=2026, today=None):
    """Write the demo data report as CSV to the text stream `out`."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(demo_report_rows(rows=rows, seed=seed, today=today))
