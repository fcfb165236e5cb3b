"""Performance data: what the EHM data report says about Early Help activity, month by month.

The data report is a picture of every EHA as it stands now: its start, TAF meeting, last review,
number of reviews, next review, closure and step-down or step-up flags. What can be counted for
past months from that picture is counted; what cannot is said so, never guessed:

- EHAs open at the end of a month: started on or before the month's last day and not closed by
  then. Exact for every month, from the start and closure dates.
- Started, closed: by the month of the start date and of the closure date.
- Median duration: days from start to closure, of the EHAs closed in the month.
- Step-downs from social care: EHAs flagged as a step-down, by the month they started.
  Step-ups to social care: EHAs flagged as stepped up, by the month they closed (the data report
  has no date for the step-up itself; an open EHA with the flag is not in a month).
- Reviews on time: only as things stand now. The data report keeps only the latest next review
  date, so whether reviews were on time in past months cannot be worked out. Of the EHAs open on
  the date of the data, a review is on time when the next review date is that date or later.
- First review within 6 weeks of the TAF meeting: the data report has the last review date and
  the number of reviews, not the date of the first review. It is known only for EHAs with exactly
  one review (then the last review is the first), or with none when 6 weeks have passed since the
  TAF meeting with the EHA still open (then it was not held in time). Every other EHA is counted
  as "cannot tell".

EHAs the dates cannot place are left out of the monthly figures and counted in a note: closed
with no closure date, or closed before they started.

Everything is worked out by the database in a fixed number of queries whatever the number of
EHAs: counts grouped by month, district and type of lead agency (`protected_grid`), plus one
list of (start, closure) dates for the closures of the 24 months, for the medians.

Small numbers: the county-wide monthly figures are shown in full. Every other figure is about a
district, a type of lead agency or both (a breakdown, or the page narrowed by its filters), and
there every count from 1 to 4 is hidden, and so is any figure from which one could be worked
out, on this view or with any other the filters give: a second count in any sum with just one
hidden (a district is the sum of its types, the county of its districts; open at the end of a
month is the month before's plus those started less those closed; the meetings are their first
reviews' three parts), the median duration of a month whose closures are hidden, a percentage
whose counts are hidden. All the views are protected together (`ProtectedGrid`), as the voice
results' rule (`earlyhelp.voice.suppression`) protects one table: a second hidden count is the
smallest of 5 or more. A narrowed series with a hidden month is not drawn as an SPC chart: its
mean and limits would give the hidden months away.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, Count, F, Q
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from earlyhelp.accounts.filter_fields import NO_AGENCY_TYPE
from earlyhelp.cases.models import DataImport, EarlyHelpAssessment
from earlyhelp.core.months import add_months, first_of_month
from earlyhelp.core.spreadsheet_safety import neutralise
from earlyhelp.reports import spc
from earlyhelp.reports.document import Document, Section, Table
from earlyhelp.reports.exports.wording import long_date
from earlyhelp.reports.statistics import Proportion, median
from earlyhelp.voice.suppression import SMALLEST_GROUP

MONTHS = 24
FIRST_REVIEW_WITHIN = datetime.timedelta(weeks=6)
SUPPRESSED = "[c]"  # the Office for National Statistics' mark for a confidential figure
ABBREVIATIONS = (
    "EHA: Early Help assessment. EHM: Early Help Module. TAF: team around the family. "
    "SPC: statistical process control."
)

OPEN = EarlyHelpAssessment.Status.OPEN
CLOSED = EarlyHelpAssessment.Status.CLOSED

# EHAs whose dates place them in time: not closed without a closure date, not closed before
# they started.
_PLACEABLE = ~Q(status=CLOSED, closure_date__isnull=True) & (
    Q(closure_date__isnull=True) | Q(closure_date__gte=F("start_date"))
)


@dataclass(frozen=True)
class Window:
    """The months shown: the `MONTHS` calendar months up to the end of last month."""

    first: datetime.date  # first day of the first month
    last: datetime.date  # last day of the last month

    @classmethod
    def ending_before(cls, today: datetime.date, months: int = MONTHS) -> Window:
        last = first_of_month(today) - datetime.timedelta(days=1)
        return cls(first=add_months(first_of_month(last), -(months - 1)), last=last)

    @property
    def months(self) -> list[datetime.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [add_months(self.first, i) for i in range(count)]


def month_label(month: datetime.date) -> str:
    return month.strftime("%b %Y")


@dataclass
class FirstReviewMonth:
    month: datetime.date
    taf_meetings: int
    within: int
    not_within: int

    @property
    def cannot_tell(self) -> int:
        return self.taf_meetings - self.within - self.not_within


BREAKDOWN_COLUMNS = (
    ("open_at_end", "Open at month end"),
    ("started", "Started"),
    ("closed", "Closed"),
    ("step_downs", "Step-downs from social care"),
    ("step_ups", "Stepped up to social care"),
)
# No "open" column beside these three: they add up to it, so one hidden count could be worked
# out from the others in its row.
REVIEW_COLUMNS = (
    ("review_on_time", "Next review not yet due"),
    ("review_overdue", "Next review date passed"),
    ("no_next_review", "No next review date"),
)


# Selectors --------------------------------------------------------------------------------------


def assessments(*, district=None, agency_type=None):
    found = EarlyHelpAssessment.objects.all()
    if district is not None:
        found = found.filter(district=district)
    if agency_type is not None:
        found = found.filter(agency_type=agency_type)
    return found


def data_date(today: datetime.date) -> datetime.date:
    """The day the figures describe: when the latest data report finished importing (or today,
    if none has), never later than today."""
    finished = (
        DataImport.objects.filter(status=DataImport.Status.COMPLETED, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if finished is None:
        return today
    return min(timezone.localdate(finished), today)


def monthly_medians(found, window: Window) -> list[float | None]:
    """The median days from start to closure of the EHAs closed in each month (None where none
    closed): one query, of the closures' dates."""
    durations = defaultdict(list)
    for start, closure in (
        found.filter(_PLACEABLE)
        .filter(closure_date__gte=window.first, closure_date__lte=window.last)
        .values_list("start_date", "closure_date")
    ):
        durations[first_of_month(closure)].append((closure - start).days)
    return [median(durations[m]) if durations[m] else None for m in window.months]


FIRST_REVIEW_COUNTS = ("taf_meetings", "within", "not_within", "cannot_tell")
_PAIR = ("district__name", "agency_type__name")


def first_review_counts(found, window: Window, as_of: datetime.date) -> dict:
    """By month of the TAF meeting, for each district and type together ({(district name, type
    name): {"taf_meetings", "within", "not_within", "cannot_tell": [a count a month]}}): first
    reviews known to be within 6 weeks, and known not to be.

    Two queries: the meetings counted by month, and the dates of the EHAs with no review or one
    (the only ones that can be told), compared in Python because SQLite can add days to a date
    only through a Python function called for every row.
    """
    index = {_key(month): i for i, month in enumerate(window.months)}
    counts = defaultdict(lambda: {name: [0] * len(index) for name in FIRST_REVIEW_COUNTS})
    in_window = found.filter(taf_meeting_date__gte=window.first, taf_meeting_date__lte=window.last)
    for row in (
        in_window.annotate(month=_month_of("taf_meeting_date"))
        .values(*_PAIR, "month")
        .annotate(count=Count("id"))
        .order_by()
    ):
        key = (row["district__name"], row["agency_type__name"])
        counts[key]["taf_meetings"][index[row["month"]]] = row["count"]
    for district, agency_type, taf, last_review, reviews, closure in in_window.filter(
        number_of_reviews__in=(0, 1)
    ).values_list(
        *_PAIR, "taf_meeting_date", "last_review_date", "number_of_reviews", "closure_date"
    ):
        month = index[_key(taf)]
        deadline = taf + FIRST_REVIEW_WITHIN
        found_in = counts[(district, agency_type)]
        if reviews == 1 and last_review is not None:
            if taf <= last_review <= deadline:
                found_in["within"][month] += 1
            elif last_review > deadline:
                found_in["not_within"][month] += 1
        elif reviews == 0 and deadline < min(closure or as_of, as_of):
            # No review, and the EHA was still open when 6 weeks had passed.
            found_in["not_within"][month] += 1
    for found_in in counts.values():
        found_in["cannot_tell"] = [
            meetings - within - late
            for meetings, within, late in zip(
                found_in["taf_meetings"], found_in["within"], found_in["not_within"], strict=True
            )
        ]
    return dict(counts)


def first_reviews(found, window: Window, as_of: datetime.date) -> list[FirstReviewMonth]:
    """By month of the TAF meeting, for all of `found`: first reviews known to be within 6
    weeks, known not to be."""
    counts = list(first_review_counts(found, window, as_of).values())

    def total(name, m):
        return sum(found_in[name][m] for found_in in counts)

    return [
        FirstReviewMonth(
            month, total("taf_meetings", m), total("within", m), total("not_within", m)
        )
        for m, month in enumerate(window.months)
    ]


def _month_of(field: str):
    """The month of a date column as "yyyy-mm", from the first 7 characters of the ISO date.

    Cheaper than TruncMonth, which SQLite runs as a Python function for every row; both SQLite
    (dates stored as ISO text) and PostgreSQL (ISO DateStyle, its default) write dates this way.
    """
    return Substr(Cast(field, CharField()), 1, 7)


def _key(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


# Small numbers in a narrowed view ---------------------------------------------------------------

Shown = int | float | str | None  # a figure, or SUPPRESSED

SERIES_COUNTS = ("open_at_end", "started", "closed", "step_downs", "step_ups")


def is_small(count: int) -> bool:
    """A count that could be about a child or family one could recognise: 1 to 4."""
    return 0 < count < SMALLEST_GROUP


def _hide_small(counts: list[int]) -> list[Shown]:
    return [SUPPRESSED if is_small(count) else count for count in counts]


ALL = "all"  # a view's district or type of lead agency when it is not narrowed by it
View = tuple  # (district name or ALL, agency type name or ALL); a name may be None


@dataclass
class ProtectedGrid:
    """Every view the filters can give of the monthly counts (the county, each district, each
    type of lead agency, each district and type together), with what each view may show.

    Hiding a count in one view is not enough: its district's other types, or the county less the
    other districts, would give it away. So the views are protected together: a view's count is
    hidden if it is 1 to 4, and then in every sum it is part of (a district is the sum of its
    types, the county the sum of its districts and of its types, a month's open count the month
    before's plus those started less those closed) a second count is hidden too, until no sum
    has just one hidden count. The county's own figures are never hidden.
    """

    months: list[datetime.date]
    names: tuple[str, ...]  # the counts each view has, a list of one a month each
    counts: dict[View, dict[str, list[int]]]
    hidden: dict[View, dict[str, list[bool]]]
    left_out: dict[View, int]

    def shown(self, view: View) -> dict[str, list[Shown]]:
        if view not in self.counts:
            return {name: [0] * len(self.months) for name in self.names}
        return {
            name: [
                SUPPRESSED if hide else count
                for count, hide in zip(
                    self.counts[view][name], self.hidden[view][name], strict=True
                )
            ]
            for name in self.names
        }

    def districts(self, agency_type=ALL) -> list:
        return sorted({d for d, t in self.counts if d != ALL and t == agency_type}, key=str)

    def agency_types(self, district=ALL) -> list:
        return sorted({t for d, t in self.counts if t != ALL and d == district}, key=str)


def protected_grid(window: Window) -> ProtectedGrid:
    """The monthly counts of every view, from three queries over all EHAs whatever their number
    (before the window, starts by month, closures by month, each by district and type), and the
    counts each view must hide."""
    months = window.months
    index = {_key(month): i for i, month in enumerate(months)}
    pair = ("district__name", "agency_type__name")
    zero = {name: [0] * len(months) for name in SERIES_COUNTS}
    counts: dict[View, dict[str, list[int]]] = defaultdict(
        lambda: {k: list(v) for k, v in zero.items()}
    )
    base: dict[View, int] = defaultdict(int)
    left_out: dict[View, int] = defaultdict(int)

    everything = EarlyHelpAssessment.objects.all()
    for row in (
        everything.values(*pair)
        .annotate(
            started=Count("id", filter=_PLACEABLE & Q(start_date__lt=window.first)),
            closed=Count("id", filter=_PLACEABLE & Q(closure_date__lt=window.first)),
            left_out=Count("id", filter=~_PLACEABLE),
        )
        .order_by()
    ):
        key = (row["district__name"], row["agency_type__name"])
        base[key] += row["started"] - row["closed"]
        left_out[key] += row["left_out"]
        counts[key]  # every pair with an EHA is a view
    placeable = everything.filter(_PLACEABLE)
    for date_field, extra, flag in (
        ("start_date", "step_downs", "step_down_from_social_care"),
        ("closure_date", "step_ups", "stepped_up_to_social_care"),
    ):
        total = "started" if date_field == "start_date" else "closed"
        for row in (
            placeable.filter(
                **{f"{date_field}__gte": window.first, f"{date_field}__lte": window.last}
            )
            .annotate(month=_month_of(date_field))
            .values(*pair, "month")
            .annotate(count=Count("id"), flagged=Count("id", filter=Q(**{flag: True})))
            .order_by()
        ):
            key = (row["district__name"], row["agency_type__name"])
            counts[key][total][index[row["month"]]] = row["count"]
            counts[key][extra][index[row["month"]]] = row["flagged"]
    for key in list(counts):
        running, opened = base[key], []
        for m in range(len(months)):
            running += counts[key]["started"][m] - counts[key]["closed"][m]
            opened.append(running)
        counts[key]["open_at_end"] = opened

    pairs = list(counts)
    for d, t in pairs:
        for view in ((d, ALL), (ALL, t), (ALL, ALL)):
            left_out[view] += left_out[(d, t)]
    counts = _with_margins(counts, SERIES_COUNTS, len(months))

    def open_sums(view):
        # Open at the end of a month = the month before's + started - closed.
        for m in range(1, len(months)):
            yield [
                (view, "started", m),
                (view, "closed", m),
                (view, "open_at_end", m),
                (view, "open_at_end", m - 1),
            ]

    hidden = _hide(counts, pairs, SERIES_COUNTS, len(months), open_sums)
    return ProtectedGrid(months, SERIES_COUNTS, counts, hidden, dict(left_out))


def first_review_grid(window: Window, as_of: datetime.date) -> ProtectedGrid:
    """The first reviews of every view, protected together as `ProtectedGrid` says: within a
    month the meetings are those within, not within and cannot tell."""
    pairs_counts = first_review_counts(EarlyHelpAssessment.objects.all(), window, as_of)
    pairs = list(pairs_counts)
    counts = _with_margins(pairs_counts, FIRST_REVIEW_COUNTS, len(window.months))

    def parts_sums(view):
        for m in range(len(window.months)):
            yield [(view, name, m) for name in FIRST_REVIEW_COUNTS]

    hidden = _hide(counts, pairs, FIRST_REVIEW_COUNTS, len(window.months), parts_sums)
    return ProtectedGrid(window.months, FIRST_REVIEW_COUNTS, counts, hidden, {})


REVIEW_COUNTS = ("open_now", "review_on_time", "review_overdue", "no_next_review")


def review_grid(as_of: datetime.date) -> ProtectedGrid:
    """The reviews of the EHAs open now, on the data's date, for every view, protected together
    as `ProtectedGrid` says (the open EHAs are those not yet due, overdue and with no next
    review date): one query. Each count is a list of one."""
    rows = (
        EarlyHelpAssessment.objects.filter(status=OPEN)
        .values(*_PAIR)
        .annotate(
            open_now=Count("id"),
            review_on_time=Count("id", filter=Q(next_review_date__gte=as_of)),
            review_overdue=Count("id", filter=Q(next_review_date__lt=as_of)),
            no_next_review=Count("id", filter=Q(next_review_date__isnull=True)),
        )
        .order_by()
    )
    pair_counts = {
        (row["district__name"], row["agency_type__name"]): {n: [row[n]] for n in REVIEW_COUNTS}
        for row in rows
    }
    counts = _with_margins(pair_counts, REVIEW_COUNTS, 1)

    def parts_sums(view):
        yield [(view, name, 0) for name in REVIEW_COUNTS]

    hidden = _hide(counts, list(pair_counts), REVIEW_COUNTS, 1, parts_sums)
    return ProtectedGrid([as_of], REVIEW_COUNTS, counts, hidden, {})


def _with_margins(pair_counts: dict, names, length) -> dict[View, dict[str, list[int]]]:
    """The counts of each (district, type) pair, and of each district, each type and the county
    as sums of them."""
    counts = {pair: {name: list(pair_counts[pair][name]) for name in names} for pair in pair_counts}
    margins = defaultdict(lambda: {name: [0] * length for name in names})
    margins[(ALL, ALL)]  # the county is a view even with no EHA
    for (d, t), found_in in pair_counts.items():
        for view in ((d, ALL), (ALL, t), (ALL, ALL)):
            for name in names:
                total = margins[view][name]
                for m, count in enumerate(found_in[name]):
                    total[m] += count
    return {**counts, **margins}


def _hide(counts, pairs, names, length, view_sums) -> dict[View, dict[str, list[bool]]]:
    """Which counts each view hides: 1 to 4, then a second count in any sum with just one hidden
    (a margin and its parts, and each view's own `view_sums(view)`), until there is none."""
    county = (ALL, ALL)
    hidden = {
        view: {
            name: [view != county and is_small(count) for count in series[name]] for name in names
        }
        for view, series in counts.items()
    }
    # Each sum: its cells as (view, series name, month), the total first.
    districts = {d for d, _ in pairs}
    types = {t for _, t in pairs}
    sums = []
    for name in names:
        for m in range(length):
            sums.append([(county, name, m), *(((d, ALL), name, m) for d in districts)])
            sums.append([(county, name, m), *(((ALL, t), name, m) for t in types)])
            for d in districts:
                parts = [((d, t), name, m) for t in types if (d, t) in counts]
                sums.append([((d, ALL), name, m), *parts])
            for t in types:
                parts = [((d, t), name, m) for d in districts if (d, t) in counts]
                sums.append([((ALL, t), name, m), *parts])
    for view in counts:
        if view != county:
            sums.extend(view_sums(view))
    changed = True
    while changed:
        changed = False
        for cells in sums:
            if sum(hidden[v][n][m] for v, n, m in cells) != 1:
                continue
            visible = [(v, n, m) for v, n, m in cells if v != county and not hidden[v][n][m]]
            if not visible:
                continue  # only the county is left: its figures are shown as they are
            # As the breakdowns' rule does: the smallest count of 5 or more, so that the two
            # hidden together are at least 6; a zero only if there is no other. In a month's
            # open sum, that month's started or closed first: they are in no other month's sum,
            # where hiding an open count would call for another hidden count in the next month.
            v, n, m = min(visible, key=lambda cell: _hiding_order(counts, cell))
            hidden[v][n][m] = True
            changed = True
    return hidden


def _hiding_order(counts, cell) -> tuple:
    view, name, month = cell
    count = counts[view][name][month]
    return (name == "open_at_end", count == 0, count, str(cell))


def first_review_rows(grid: ProtectedGrid, view: View) -> list[list[Shown]]:
    """A view's first reviews as shown, a row a month: TAF meetings, within, not within, cannot
    tell (each hidden as the grid says) and the share within of those known. The share ("3 of
    7") gives both counts it is made of, so it is hidden when either is."""
    shown = grid.shown(view)
    rows = []
    for m, month in enumerate(grid.months):
        cells = [shown[name][m] for name in FIRST_REVIEW_COUNTS]
        meetings, within, not_within, _cannot_tell = cells
        if SUPPRESSED in (within, not_within):
            share = SUPPRESSED
        else:
            share = _first_review_share(FirstReviewMonth(month, meetings, within, not_within))
        rows.append([*cells, share])
    return rows


def _first_review_share(month: FirstReviewMonth) -> str:
    known = month.within + month.not_within
    return Proportion(month.within, known).text if known else "cannot tell"


# The document -----------------------------------------------------------------------------------


SERIES_SECTIONS = (
    # (key, title, measure, attribute, definition, y axis label)
    (
        "open",
        "EHAs open at month end",
        "Open EHAs",
        "open_at_end",
        "An EHA is open at the end of a month if it started on or before the month's last day and "
        "had not closed by then.",
        "",
    ),
    (
        "started",
        "EHAs started",
        "Started",
        "started",
        "EHAs counted by the month of their start date.",
        "",
    ),
    (
        "closed",
        "EHAs closed",
        "Closed",
        "closed",
        "EHAs counted by the month of their closure date.",
        "",
    ),
    (
        "duration",
        "Median duration of EHAs closed",
        "Median days",
        "median_days",
        "The median number of days from start to closure of the EHAs closed in the month (half "
        "took fewer days, half more). A month in which no EHA closed has no median.",
        "Days",
    ),
    (
        "step-downs",
        "Step-downs from social care",
        "Step-downs",
        "step_downs",
        "EHAs that are a step-down from children's social care, counted by the month they started.",
        "",
    ),
    (
        "step-ups",
        "Stepped up to social care",
        "Step-ups",
        "step_ups",
        "EHAs stepped up to children's social care, counted by the month they closed: the data "
        "report has no date for the step-up itself, so an open EHA with the flag is in no month.",
        "",
    ),
)

NOT_DRAWN = (
    f"Not drawn: some months have fewer than {SMALLEST_GROUP} and are not shown, so there is no "
    "chart, mean or process limits for this series here. The monthly figures are in the table."
)


def build_performance(
    *, today: datetime.date | None = None, district=None, agency_type=None
) -> Document:
    """The performance data as a report Document: a monthly SPC chart with its table for each
    series, the reviews, the first reviews, and the latest month by district and agency type.

    Narrowed to a district or a type of lead agency, small numbers are hidden as the module's
    docstring says."""
    today = today or timezone.localdate()
    window = Window.ending_before(today)
    as_of = data_date(today)
    narrowed = district is not None or agency_type is not None
    found = assessments(district=district, agency_type=agency_type)
    # Every view the filters can give is protected together, the county's too (its breakdowns
    # by district and type are other views' figures), so no two views give a hidden count away.
    grid = protected_grid(window)
    view = (
        ALL if district is None else district.name,
        ALL if agency_type is None else agency_type.name,
    )
    shown = grid.shown(view)
    medians = monthly_medians(found, window)
    if narrowed:
        # A month's median is hidden whenever its closures are: a median of fewer than 5 is
        # near enough one EHA's duration, and an empty one would say that none closed.
        medians = [
            SUPPRESSED if closed == SUPPRESSED else days
            for closed, days in zip(shown["closed"], medians, strict=True)
        ]
    shown["median_days"] = medians
    left_out = grid.left_out.get(view, 0)
    labels = [month_label(m) for m in window.months]
    latest = window.months[-1]
    scope = _scope(district, agency_type)
    span = f"{labels[0]} to {labels[-1]}"

    sections = [
        _about_section(scope, span, as_of, left_out, narrowed=narrowed),
        *(
            _series_section(key, title, measure, shown[attribute], labels, definition, y_label)
            for key, title, measure, attribute, definition, y_label in SERIES_SECTIONS
        ),
        _reviews_section(review_grid(as_of), view, as_of),
        _first_review_section(first_review_grid(window, as_of), view, as_of),
        _breakdown_section(grid, view, latest),
    ]
    return Document(
        title=f"Performance data{scope}",
        period_label=span,
        generated_on=today.isoformat(),
        sections=sections,
    )


def _scope(district, agency_type) -> str:
    parts = []
    if district is not None:
        parts.append(f"district {district.name}")
    if agency_type is not None:
        parts.append(f"EHAs led by {agency_type.name}")
    return f": {' and '.join(parts)}" if parts else ""


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _about_section(scope, span, as_of, left_out, *, narrowed) -> Section:
    narrowed_to = f"; narrowed to {scope.removeprefix(': ')}" if scope else ""
    paragraphs = [
        f"Figures for {span}, the {MONTHS} months to the end of last month, from the Early Help "
        f"Module (EHM) data report as it stood on {_long_date(as_of)}{narrowed_to}. They count "
        "Early Help assessments (EHAs) and their team around the family (TAF) meetings.",
        "Each monthly series is drawn as a statistical process control (SPC) chart of the kind "
        "called XmR, as in the NHS \u201cMaking Data Count\u201d approach. X is each month's "
        "figure; mR is the moving range, the size of the change from one month to the next. "
        "The chart shows the mean and two process limits, at the mean plus and minus "
        f"{spc.LIMIT_FACTOR} times the average change from one month to the next. While nothing "
        "changes in how the work is done, nearly every month falls between the limits.",
        "A month is marked as a signal that something has changed when it is part of one of "
        "these: a month beyond a process limit; a run of "
        f"{spc.RUN_LENGTH} or more months in a row on the same side of the mean (a month exactly "
        f"on the mean breaks the run); a trend of {spc.TREND_LENGTH} or more months in a row, "
        "each after the first higher than the one before it, or each lower "
        f"({spc.TREND_LENGTH} months make {spc.TREND_LENGTH - 1} rises or falls in a row, and a "
        "month equal to the one before breaks the trend); or 2 of 3 months in a row more than "
        "two-thirds of the way from the mean to a process limit, on the same side. Anything "
        "else is the ordinary variation from month to month.",
    ]
    if narrowed:
        paragraphs.append(
            "These figures are narrowed by the filters chosen, so they can be small enough to "
            f"be about a child or family someone could recognise. So every count from 1 to "
            f"{SMALLEST_GROUP - 1} is hidden (shown as {SUPPRESSED}), and so is any figure from "
            "which a hidden count could be worked out, here or together with the county's "
            "figures or another district's or type's: another count in the same month, the "
            "median duration of a month whose closures are hidden, or a percentage. A monthly "
            "series with a hidden month is not drawn as a chart."
        )
    else:
        paragraphs.append(
            "The monthly figures are for the whole county and are shown in full. In the tables "
            f"by district and type of lead agency, a count under {SMALLEST_GROUP} is hidden "
            f"(shown as {SUPPRESSED}), and so is any count from which a hidden one could be "
            "worked out, from the total or with the figures for another district or type."
        )
    if left_out:
        paragraphs.append(
            f"{left_out} EHA{'s are' if left_out != 1 else ' is'} left out of the monthly "
            "figures because the dates cannot place "
            f"{'them' if left_out != 1 else 'it'}: closed with no closure date, or closed "
            "before the start date."
        )
    return Section(key="about", title="About these figures", paragraphs=paragraphs)


def _series_section(key, title, measure, values, labels, definition, y_label="") -> Section:
    """A monthly series: its SPC chart beside its table, or, when some months are hidden, the
    table alone and a sentence saying why there is no chart."""
    if SUPPRESSED in values:
        table = Table(
            key=f"{key}-by-month",
            caption=f"{title} each month",
            columns=["Month", measure],
            rows=[[label, value] for label, value in zip(labels, values, strict=True)],
            notes=[_hidden_note()],
        )
        return Section(key=key, title=title, paragraphs=[definition, NOT_DRAWN], tables=[table])
    result = spc.xmr(values, labels=labels, floor_at_zero=True)
    table, chart = spc.xmr_table_and_chart(
        result,
        key=f"{key}-by-month",
        title=f"{title} each month",
        measure=measure,
        y_label=y_label or measure,
    )
    return Section(
        key=key,
        title=title,
        paragraphs=[definition],
        tables=[table],
        charts=[chart],
    )


def _hidden_note() -> str:
    return (
        f"{SUPPRESSED}: hidden, because the count is under {SMALLEST_GROUP} or would let a "
        "hidden count be worked out."
    )


def _reviews_section(grid: ProtectedGrid, view: View, as_of) -> Section:
    shown = grid.shown(view)
    total_open, on_time = shown["open_now"][0], shown["review_on_time"][0]
    paragraphs = [
        f"Of the EHAs open on {_long_date(as_of)}, a review is on time when the next review "
        "date is that day or later, and overdue when it has passed. The data report keeps only "
        "the latest next review date, so whether reviews were on time in past months cannot "
        "be worked out: these figures are for that day only.",
    ]
    if SUPPRESSED in (total_open, on_time) or any(
        is_small(count) for count in (total_open, on_time, total_open - on_time)
    ):
        paragraphs.append(
            f"Too few EHAs are open here to give the share on time: a count under "
            f"{SMALLEST_GROUP} is not shown."
        )
    elif total_open:
        paragraphs.append(
            Proportion(on_time, total_open).labelled("open EHAs with the next review not yet due")
            + "."
        )
    district, agency_type = view
    districts = [district] if district != ALL else grid.districts(agency_type)
    types = [agency_type] if agency_type != ALL else grid.agency_types(district)
    return Section(
        key="reviews",
        title="Reviews on time",
        paragraphs=paragraphs,
        tables=[
            _grid_table(
                "reviews-by-district",
                f"Reviews of open EHAs on {_long_date(as_of)}, by district",
                "District",
                grid,
                [(d, agency_type) for d in districts],
                view,
                "All districts",
                REVIEW_COLUMNS,
            ),
            _grid_table(
                "reviews-by-agency-type",
                f"Reviews of open EHAs on {_long_date(as_of)}, by type of lead agency",
                "Type of lead agency",
                grid,
                [(district, t) for t in types],
                view,
                "All types",
                REVIEW_COLUMNS,
            ),
        ],
    )


def _first_review_section(grid: ProtectedGrid, view: View, as_of) -> Section:
    weeks = FIRST_REVIEW_WITHIN.days // 7
    rows = [
        [month_label(month), *cells]
        for month, cells in zip(grid.months, first_review_rows(grid, view), strict=True)
    ]
    notes = [
        "Percentages are of the EHAs whose first review is known, with a 95% interval: "
        "the range the true figure is likely to lie in."
    ]
    if any(SUPPRESSED in row for row in rows):
        notes.append(_hidden_note())
    table = Table(
        key="first-review-by-month",
        caption=f"First review within {weeks} weeks of the TAF meeting, by month of the meeting",
        columns=[
            "Month of the TAF meeting",
            "TAF meetings",
            f"First review within {weeks} weeks",
            f"Not within {weeks} weeks",
            "Cannot tell",
            "Within, of those known",
        ],
        rows=rows,
        notes=notes,
    )
    return Section(
        key="first-review",
        title=f"First review within {weeks} weeks of the TAF meeting",
        paragraphs=[
            "The data report does not hold the date of the first review: only the last review "
            "date and the number of reviews. So the first review is known to be within "
            f"{weeks} weeks of the TAF meeting only for EHAs with exactly one review (the last "
            f"review is then the first); and known not to be for EHAs with one review more than "
            f"{weeks} weeks after the meeting, or with no review although they were still open "
            f"{weeks} weeks after it (by {_long_date(as_of)}). Every other EHA (two or more "
            f"reviews, a meeting less than {weeks} weeks ago, or closed within {weeks} weeks "
            "of it with no review) is counted as \u201ccannot tell\u201d. Older months "
            "have more EHAs that cannot be told, so this is not drawn as a monthly chart: the "
            "share that can be told changes with age, not with practice.",
        ],
        tables=[table],
    )


def _breakdown_section(grid: ProtectedGrid, view: View, month) -> Section:
    """The latest month by district and by type within the view, each count hidden as the
    protected grid says, so that it agrees with every other view."""
    district, agency_type = view
    districts = [district] if district != ALL else grid.districts(agency_type)
    types = [agency_type] if agency_type != ALL else grid.agency_types(district)
    label = f"{month:%B %Y}"
    return Section(
        key="breakdown",
        title=f"{label} by district and type of lead agency",
        paragraphs=[
            f"The latest month, {label}, for each district and each type of lead agency, with "
            "the same definitions as the monthly charts."
        ],
        tables=[
            _grid_table(
                "latest-month-by-district",
                f"{label}, by district",
                "District",
                grid,
                [(d, agency_type) for d in districts],
                view,
                "All districts",
            ),
            _grid_table(
                "latest-month-by-agency-type",
                f"{label}, by type of lead agency",
                "Type of lead agency",
                grid,
                [(district, t) for t in types],
                view,
                "All types",
            ),
        ],
    )


def _grid_table(
    key, caption, heading, grid, views, total_view, total_label, columns=BREAKDOWN_COLUMNS
) -> Table:
    """A row for each view with something to count (the latest of each count), then the total
    view's row. The county's total hides a count under 5, as the breakdowns always have."""

    def latest(view):
        shown = grid.shown(view)
        cells = [shown[attribute][-1] for attribute, _ in columns]
        if view == (ALL, ALL):
            cells = [SUPPRESSED if is_small(cell) else cell for cell in cells]
        return cells

    body = []
    for view in views:
        cells = latest(view)
        if any(cells):  # a group with nothing to count, hidden or not, is left out
            name = view[0] if heading == "District" else view[1]
            body.append([name or NO_AGENCY_TYPE, *cells])
    body.append([total_label, *latest(total_view)])
    return Table(
        key=key,
        caption=caption,
        columns=[heading, *(label for _, label in columns)],
        rows=body,
        notes=[_hidden_note()] if any(SUPPRESSED in row for row in body) else [],
    )


# Download ---------------------------------------------------------------------------------------


def csv_text(document: Document) -> str:
    """Every table of the document in one CSV: its caption, header, rows and notes, then a blank
    line. Text that a spreadsheet would run as a formula is neutralised; numbers stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(document.title)])
    computed_on = long_date(document.generated_on)
    writer.writerow([neutralise(f"{document.period_label}, computed on {computed_on}")])
    writer.writerow([neutralise(ABBREVIATIONS)])
    writer.writerow([])
    for table in document.all_tables():
        writer.writerow([neutralise(table.caption)])
        writer.writerow([neutralise(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
        for note in table.notes:
            writer.writerow([neutralise(note)])
        writer.writerow([])
    return buffer.getvalue()


def _csv_cell(cell):
    """A whole number as a whole number ("499", not "499.0"), however it was computed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    return neutralise(cell)
