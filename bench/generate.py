"""A fast generator of realistic EHM data reports for the import benchmark.

Rows look like the demo partnership's (Cumbria's six districts, demo-like agency names,
coordinators with e-mail addresses, three years of start dates, reviews, closures) and follow
the column rules in docs/import-format.md. A handful of rows (one in `INVALID_EVERY`) are
deliberately invalid, one defect each, so the importer's rejecting path is exercised too.

The same seed always gives the same file. `write_reports` can write, in the same pass, a second
file in which one row in ten differs from the first file in one or two fields, for the
"re-import with 10% of rows changed" measurement.

Dates are handled as day ordinals and formatted through a lookup table: generating 400,000 rows
takes a few seconds, not minutes.
"""

import csv
import datetime
import random
import re
from dataclasses import dataclass, field

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
(
    REFERENCE,
    FAMILY,
    DISTRICT,
    LEAD_AGENCY,
    AGENCY_TYPE,
    COORDINATOR_NAME,
    COORDINATOR_EMAIL,
    MANAGER_EMAIL,
    START,
    TAF,
    PLAN,
    LAST_REVIEW,
    REVIEWS,
    NEXT_REVIEW,
    STATUS,
    CLOSURE,
    CLOSURE_REASON,
    STEP_DOWN,
    STEPPED_UP,
    CHILDREN,
    GENOGRAM,
    CHRONOLOGY,
) = range(len(HEADERS))

DISTRICT_WEIGHTS = {
    "Allerdale": 20,
    "Barrow-in-Furness": 15,
    "Carlisle": 22,
    "Copeland": 14,
    "Eden": 10,
    "South Lakeland": 19,
}
DISTRICT_AGENCIES = [
    ("{district} Health Visiting Team", "Health Visiting", 18),
    ("{district} School Nursing Service", "School Nursing", 8),
    ("{district} Early Help Team", "Family Support", 25),
    ("{district} Children's Centre", "Early Years", 12),
    ("{district} Community Primary School", "School", 4),
    ("{district} Academy", "School", 3),
]
COUNTY_AGENCIES = [
    ("Cumbria Constabulary Early Help Hub", "Police", None, 3),
    ("Fellside Housing Association", "Housing", "Copeland", 8),
    ("Solway Homes", "Housing", "Allerdale", 8),
    ("Lakes Family Action", "Voluntary Sector", "South Lakeland", 8),
    ("Border Young Carers", "Voluntary Sector", "Carlisle", 8),
    ("Furness Youth Project", "Youth Service", "Barrow-in-Furness", 8),
]
FIRST_NAMES = [
    "Aidan",
    "Bethany",
    "Callum",
    "Danielle",
    "Ewan",
    "Fiona",
    "Gareth",
    "Hannah",
    "Isla",
    "Jack",
    "Kirsty",
    "Liam",
    "Megan",
    "Niamh",
    "Owen",
    "Rachel",
]
LAST_NAMES = [
    "Armstrong",
    "Bell",
    "Carr",
    "Dixon",
    "Graham",
    "Hodgson",
    "Irving",
    "Little",
    "Nixon",
    "Pattinson",
    "Routledge",
    "Stoddart",
    "Thompson",
    "Walker",
    "Wilson",
    "Young",
]
CLOSURE_REASONS = {
    "Outcomes achieved": 52,
    "Needs met by universal services": 12,
    "Family disengaged": 9,
    "Family declined further support": 7,
    "Stepped up to social care": 11,
    "Moved out of area": 6,
    "Transferred to another agency": 3,
}
CHILDREN_WEIGHTS = {1: 34, 2: 31, 3: 18, 4: 10, 5: 5, 6: 2}

COORDINATORS_PER_AGENCY = 3
YEARS_OF_DATA = 3
INVALID_EVERY = 1000  # one row in this many has a defect (0.1%)
CHANGE_EVERY = 10  # one row in this many differs in the "changed" file (10%)
DATE_FORMAT = "%d/%m/%Y"
DOMAIN = "demo.example"

# The defects of invalid rows, in turn; each is one rejected row.
DEFECTS = [
    "impossible start date",
    "unknown district",
    "closed without closure date",
    "invalid coordinator e-mail",
    "duplicate EHA reference",
]


@dataclass
class ReportStats:
    """What a generated file holds, so the benchmark knows what the importer should report."""

    rows: int = 0
    valid: int = 0
    invalid: int = 0
    changed: int = 0  # valid rows that differ in the changed file
    agencies: set = field(default_factory=set)
    defects: dict = field(default_factory=dict)


def _weighted_table(weights, size=1000):
    """A list in which each choice appears in proportion to its weight: picking a uniformly
    random index is a weighted draw, and far cheaper than random.choices per row."""
    total = sum(weights.values())
    table = []
    for choice, weight in weights.items():
        table.extend([choice] * max(1, round(size * weight / total)))
    return table


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _agencies_by_district(rng):
    """For each district, a weighted table of (agency name, agency type, coordinators)."""
    tables = {}
    for district in DISTRICT_WEIGHTS:
        weights = {}
        for pattern, agency_type, weight in DISTRICT_AGENCIES:
            weights[(pattern.format(district=district), agency_type)] = weight
        for name, agency_type, home, weight in COUNTY_AGENCIES:
            if home in (None, district):
                weights[(name, agency_type)] = weight
        tables[district] = _weighted_table(weights)
    people = {}
    for table in tables.values():
        for name, _ in dict.fromkeys(table):  # in a fixed order: same seed, same file
            if name in people:
                continue
            domain = f"{_slug(name)}.{DOMAIN}"
            manager = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            manager_email = f"{_slug(manager)}@{domain}"
            people[name] = []
            for n in range(1, COORDINATORS_PER_AGENCY + 1):
                person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                people[name].append((person, f"{_slug(person)}.{n}@{domain}", manager_email))
    return {
        district: [(name, agency_type, people[name]) for name, agency_type in table]
        for district, table in tables.items()
    }


class _Dates:
    """Day ordinals to dd/mm/yyyy, through a table made once."""

    def __init__(self, first, last):
        self.base = first.toordinal()
        self.strings = [
            (first + datetime.timedelta(days=n)).strftime(DATE_FORMAT)
            for n in range((last - first).days + 1)
        ]

    def __call__(self, ordinal):
        return self.strings[ordinal - self.base]


def _yes_no(r, chance_yes, chance_blank=0.04):
    x = r()
    if x < chance_blank:
        return ""
    return "Yes" if x < chance_blank + (1 - chance_blank) * chance_yes else "No"


class _RowMaker:
    def __init__(self, seed, today):
        self.rng = random.Random(seed)  # noqa: S311 - made-up test data, not secrets
        self.last = today.toordinal()  # no recorded date after this day
        window = 365 * YEARS_OF_DATA
        first = today - datetime.timedelta(days=window + 10)
        self.window = window
        self.date = _Dates(first, today + datetime.timedelta(days=200))
        self.districts = _weighted_table(DISTRICT_WEIGHTS)
        self.agencies = _agencies_by_district(self.rng)
        self.reasons = _weighted_table(CLOSURE_REASONS)
        self.children = [str(n) for n in _weighted_table(CHILDREN_WEIGHTS)]
        self.families = 0
        self.recent_families = []  # (family reference, district) for re-referrals

    def family(self, district):
        r = self.rng.random
        if self.recent_families and r() < 0.08:
            return self.recent_families[int(r() * len(self.recent_families))]
        self.families += 1
        family = (f"FAM{self.families:07d}", district)
        if len(self.recent_families) < 500:
            self.recent_families.append(family)
        else:
            self.recent_families[int(r() * 500)] = family
        return family

    def row(self, number):
        r = self.rng.random
        randint = self.rng.randint
        date = self.date
        district = self.districts[int(r() * len(self.districts))]
        family, district = self.family(district)
        agencies = self.agencies[district]
        agency, agency_type, people = agencies[int(r() * len(agencies))]
        coordinator = ("", "", "") if r() < 0.02 else people[int(r() * len(people))]

        start = self.last - int(self.window * r() ** 1.3)
        kind = r()
        if kind < 0.07:
            duration = randint(21, 90)
        elif kind < 0.9:
            duration = int(self.rng.triangular(90, 380, 170))
        else:
            duration = int(self.rng.triangular(365, 1100, 450))
        closure = start + duration if start + duration <= self.last else None
        end = closure or self.last
        taf = start + randint(14, 42)
        if taf > end or r() < 0.06:
            taf = None
        first_due = (taf or start + 28) + randint(35, 49)
        if first_due <= end and r() >= 0.08:
            reviews = (end - first_due) // 63 + 1
            last_review = first_due + (reviews - 1) * 63
        elif first_due <= end:  # a lapsed plan: one review, then none
            reviews, last_review = 1, first_due
        else:
            reviews, last_review = 0, None
        next_review = None
        if closure is None:
            next_review = (last_review + 63) if last_review else first_due
        reason = self.reasons[int(r() * len(self.reasons))] if closure else ""
        step_down = "Yes" if r() < 0.10 else "No"
        stepped_up = "Yes" if reason == "Stepped up to social care" else "No"
        return [
            f"EHA{number:07d}",
            family,
            district,
            agency,
            agency_type if r() < 0.9 else "",
            *coordinator,
            date(start),
            date(taf) if taf else "",
            _yes_no(r, 0.92 if taf else 0.3),
            date(last_review) if last_review else "",
            str(reviews),
            date(next_review) if next_review else "",
            "Open" if closure is None else "Closed",
            date(closure) if closure else "",
            reason,
            step_down,
            stepped_up,
            self.children[int(r() * len(self.children))],
            _yes_no(r, 0.7),
            _yes_no(r, 0.6),
        ]


def _spoil(cells, defect, previous_reference):
    """Gives a row one defect, so the importer must reject it."""
    if defect == "impossible start date":
        cells[START] = "31/02/2025"
    elif defect == "unknown district":
        cells[DISTRICT] = "Narnia"
    elif defect == "closed without closure date":
        cells[STATUS] = "Closed"
        cells[CLOSURE] = ""
    elif defect == "invalid coordinator e-mail":
        cells[COORDINATOR_EMAIL] = "not-an-email-address"
    else:
        cells[REFERENCE] = previous_reference
    return cells


def _change(cells, number, rng):
    """A copy of a row that differs in one or two fields, each a real change of value."""
    changed = list(cells)
    kind = number // CHANGE_EVERY % 3
    if kind == 0:
        changed[CHILDREN] = str(int(cells[CHILDREN]) + 1)
    elif kind == 1:
        changed[REVIEWS] = str(int(cells[REVIEWS]) + 1)
        changed[GENOGRAM] = "No" if cells[GENOGRAM] == "Yes" else "Yes"
    else:
        name = cells[COORDINATOR_NAME]
        while changed[COORDINATOR_NAME] == name:
            changed[COORDINATOR_NAME] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        changed[PLAN] = "No" if cells[PLAN] == "Yes" else "Yes"
    return changed


def write_reports(path, rows, *, changed_path=None, seed=2026, today=None, batch=5000):
    """Writes a data report of `rows` EHAs to `path` (UTF-8 with a byte-order mark and CRLF line
    ends, as Excel's "CSV UTF-8" saves it) and, if `changed_path` is given, the same report with
    one row in ten changed. Returns ReportStats."""
    today = today or datetime.date.today() - datetime.timedelta(days=1)
    maker = _RowMaker(seed, today)
    change_rng = random.Random(seed + 1)  # noqa: S311 - made-up test data, not secrets
    stats = ReportStats(rows=rows, defects=dict.fromkeys(DEFECTS, 0))
    defect_turn = 0
    previous_reference = None
    files = [open(path, "w", encoding="utf-8-sig", newline="")]  # noqa: SIM115
    if changed_path:
        files.append(open(changed_path, "w", encoding="utf-8-sig", newline=""))  # noqa: SIM115
    try:
        writers = [csv.writer(f) for f in files]
        for writer in writers:
            writer.writerow(HEADERS)
        original, changed = [], []
        for index in range(rows):
            number = index + 1
            cells = maker.row(number)
            if index % INVALID_EVERY == INVALID_EVERY // 2:
                defect = DEFECTS[defect_turn % len(DEFECTS)]
                defect_turn += 1
                cells = _spoil(cells, defect, previous_reference)
                stats.invalid += 1
                stats.defects[defect] += 1
                other = cells
            else:
                stats.valid += 1
                stats.agencies.add(cells[LEAD_AGENCY])
                other = cells
                if changed_path and index % CHANGE_EVERY == 3:
                    other = _change(cells, number, change_rng)
                    stats.changed += 1
            previous_reference = cells[REFERENCE]
            original.append(cells)
            changed.append(other)
            if len(original) == batch:
                writers[0].writerows(original)
                if changed_path:
                    writers[1].writerows(changed)
                original, changed = [], []
        writers[0].writerows(original)
        if changed_path:
            writers[1].writerows(changed)
    finally:
        for f in files:
            f.close()
    return stats


def main(argv=None):
    """`python -m bench.generate PATH ROWS [--changed PATH] [--seed N]`: writes the file(s) and
    prints what they hold as one JSON object."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(prog="python -m bench.generate")
    parser.add_argument("path")
    parser.add_argument("rows", type=int)
    parser.add_argument("--changed", help="also write the file with 10%% of rows changed here")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    stats = write_reports(args.path, args.rows, changed_path=args.changed, seed=args.seed)
    sys.stdout.write(
        json.dumps(
            {
                "rows": stats.rows,
                "valid": stats.valid,
                "invalid": stats.invalid,
                "changed": stats.changed,
                "agencies": len(stats.agencies),
                "defects": stats.defects,
            }
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
