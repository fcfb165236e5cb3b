"""Findings from audits for a period, and closing the learning loop.

**Findings.** For a period (a calendar quarter such as 2026-Q3, or any two dates) the audits
counted are those submitted in it (by the day of `submitted_at`) that are submitted, shared or
closed. From them: compliance per standard and per section (how many ratings of each option),
the bottom lines missed (audits where a bottom line was not evidenced), the judgement mix, and
the learning themes tagged on them with the change against the previous period of the same
length (the previous quarter for a quarter). Audits of different framework versions are counted
together by each standard's reference (`ref_id`), as the framework spells it. Every figure is
counted in the database; the number of queries does not depend on the number of audits.

Every figure can be narrowed to the audits of EHAs in a district and/or led by a type of agency
(`findings(period, district=..., agency_type=...)`, as the dashboard's filters do); the
drill-down filters (`Figure.filters`) are not narrowed. `compliance(period, ...)` is Met of
applicable over a whole period by the same rules (the dashboard's period before).

Each figure knows the audits behind it as a filter (`Figure`): `audits_behind` turns it into a
queryset, which the drill-down page narrows to the audits the person may see.

"Met" is the first applicable rating option of each version (the best): compliance is the share
of applicable ratings that are Met. Ratings not applicable are counted but left out of the share.

**Closing the loop** (`loop_for_theme`, `loop_for_recommendation`): the finding, the actions
linked to it, their evidence and sign-off, and what audits show on the actions' standards before
and after: before = audits submitted in the `months` (6) before the first action was created;
after = audits submitted after the last action was completed, up to today. Fewer than
SMALLEST_SIDE audits on either side is too few to show a change.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.utils import timezone

from earlyhelp.audits.models import Audit, BottomLineCheck, StandardRating
from earlyhelp.core.local_days import on_days
from earlyhelp.core.months import months_before
from earlyhelp.standards.models import BottomLine, JudgementGrade, RatingOption, Standard
from earlyhelp.voice.results import (
    Period,
    dates_period,
    parse_quarter,
    quarter_containing,
)

from .models import Action, AuditTheme, LearningTheme

REPORTED_STATUSES = (Audit.Status.SUBMITTED, Audit.Status.SHARED, Audit.Status.CLOSED)
SMALLEST_SIDE = 5
BEFORE_MONTHS = 6
NO_JUDGEMENT = "No judgement recorded"

__all__ = [
    "Period",
    "audits_behind",
    "audits_in",
    "compliance",
    "dates_period",
    "findings",
    "loop_for_recommendation",
    "loop_for_theme",
    "parse_quarter",
    "previous_period",
    "quarter_containing",
    "reported_audits",
    "reported_rows",
    "submitted_between",
]


# Periods -----------------------------------------------------------------------------------------


def previous_period(period: Period) -> Period:
    """The period of the same length just before: the previous quarter for a quarter."""
    if period.quarter:
        return quarter_containing(period.start - datetime.timedelta(days=1))
    days = (period.end - period.start).days + 1
    end = period.start - datetime.timedelta(days=1)
    return dates_period(end - datetime.timedelta(days=days - 1), end)


def reported_audits(district=None, agency_type=None):
    """The audits the findings count, narrowed (when given) to those of EHAs in a district
    and/or led by a type of agency."""
    return _narrowed(Audit.objects.filter(status__in=REPORTED_STATUSES), district, agency_type)


def reported_rows(rows, district=None, agency_type=None):
    """Rows with an `audit` (theme tags, say) of the audits the findings count, narrowed as
    `reported_audits` narrows them, joined to their audit: for comparing two periods in one
    query."""
    rows = rows.filter(audit__status__in=REPORTED_STATUSES)
    return _narrowed(rows, district, agency_type, "audit__")


def _narrowed(rows, district, agency_type, prefix=""):
    if district is not None:
        rows = rows.filter(**{f"{prefix}assessment__district": district})
    if agency_type is not None:
        rows = rows.filter(**{f"{prefix}assessment__agency_type": agency_type})
    return rows


def submitted_between(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Submitted on a local day from `start` to `end`, both included (core.local_days: compared
    as stored, never with `__date`)."""
    return on_days(f"{prefix}submitted_at", start, end)


def audits_in(period: Period, district=None, agency_type=None):
    return reported_audits(district, agency_type).filter(
        submitted_between(period.start, period.end)
    )


# The rating options: which are Met, which applicable ---------------------------------------------


@dataclass(frozen=True)
class Options:
    """The rating options of the versions in use: label and applicability by id, the Met ids,
    and the labels in the order of the newest version (applicable first)."""

    by_id: dict
    met_ids: frozenset
    labels: list
    not_applicable_labels: frozenset

    @property
    def met_label(self):
        return self.labels[0] if self.labels else "Met"

    def applicable(self, counts: dict) -> int:
        """Of ratings counted by label, how many were applicable (by the label's rule)."""
        return sum(n for label, n in counts.items() if label not in self.not_applicable_labels)


def _options(version_ids) -> Options:
    rows = list(
        RatingOption.objects.filter(version__in=version_ids)
        .order_by("-version__effective_date", "-version_id", "order")
        .values("pk", "version_id", "label", "applicable", "order")
    )
    by_id, met_ids, first_applicable = {}, set(), {}
    labels, seen = [], set()
    not_applicable = set()
    for row in rows:
        by_id[row["pk"]] = row
        if row["applicable"] and row["version_id"] not in first_applicable:
            first_applicable[row["version_id"]] = row["pk"]
            met_ids.add(row["pk"])
        if not row["applicable"]:
            not_applicable.add(row["label"])
    for applicable in (True, False):
        for row in rows:
            if row["applicable"] is applicable and row["label"] not in seen:
                seen.add(row["label"])
                labels.append(row["label"])
    return Options(by_id, frozenset(met_ids), labels, frozenset(not_applicable))


def _met_ids():
    return _options(RatingOption.objects.values("version_id").distinct()).met_ids


def versions_in(period: Period, district=None, agency_type=None):
    """The framework versions of the audits counted in the period, as a queryset."""
    audits = audits_in(period, district, agency_type)
    return audits.order_by().values_list("framework_version_id", flat=True).distinct()


@dataclass
class RatingCounts:
    """The ratings of the audits of a period, by standard (`ref_id`): how many of each option's
    label, and how many Met (by each version's own Met)."""

    options: Options
    by_standard: dict  # ref_id -> {label: count}
    met_by_standard: dict  # ref_id -> count

    @property
    def met(self) -> int:
        return sum(self.met_by_standard.values())

    @property
    def applicable(self) -> int:
        return sum(self.options.applicable(counts) for counts in self.by_standard.values())


def rating_counts(period: Period, versions, district=None, agency_type=None) -> RatingCounts:
    """The ratings given in the audits of the period (narrowed as `reported_audits` narrows),
    counted by standard and option with the options of `versions`: two queries. The audits are
    a subquery (`audit__in`): on SQLite at 20,000 audits that is faster than joining each
    rating to its audit (0.14 s against 0.15 s for the findings, bench.reports)."""
    options = _options(versions)
    by_standard = defaultdict(lambda: defaultdict(int))
    met_by_standard = defaultdict(int)
    rows = (
        StandardRating.objects.filter(
            audit__in=audits_in(period, district, agency_type), rating__isnull=False
        )
        .values("standard__ref_id", "rating_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        option = options.by_id.get(row["rating_id"])
        if option is None:
            continue
        by_standard[row["standard__ref_id"]][option["label"]] += row["n"]
        if row["rating_id"] in options.met_ids:
            met_by_standard[row["standard__ref_id"]] += row["n"]
    return RatingCounts(options, by_standard, met_by_standard)


def compliance(period: Period, district=None, agency_type=None) -> tuple[int, int]:
    """(Met, applicable) over every rating of the audits of the period, by the findings' rules:
    two queries, even for a period without audits (the versions stay a subquery: an empty list
    would skip the options' query)."""
    counts = rating_counts(
        period, versions_in(period, district, agency_type), district, agency_type
    )
    return counts.met, counts.applicable


# Figures and what is behind them -----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number and the filter of the audits behind it (for the drill-down page)."""

    count: int
    filters: dict = field(default_factory=dict)

    @property
    def query(self) -> str:
        return urlencode(self.filters)


def period_filters(period: Period) -> dict:
    if period.quarter:
        return {"quarter": period.quarter}
    return {
        "date_from_0": period.start.day,
        "date_from_1": period.start.month,
        "date_from_2": period.start.year,
        "date_to_0": period.end.day,
        "date_to_1": period.end.month,
        "date_to_2": period.end.year,
    }


def audits_behind(
    period: Period, *, standard="", section="", rating="", bottom_line="", judgement="", theme=None
):
    """The audits behind one figure of `findings(period)`, as a queryset (not yet narrowed to
    what a person may see). Each rule is one of the figure's filters."""
    audits = audits_in(period)
    if standard or section:
        ratings = StandardRating.objects.filter(rating__isnull=False)
        if standard:
            ratings = ratings.filter(standard__ref_id=standard)
        if section:
            ratings = ratings.filter(standard__section__ref_id=section)
        if rating:
            ratings = ratings.filter(rating__label=rating)
        audits = audits.filter(pk__in=ratings.values("audit_id"))
    if bottom_line:
        missed = BottomLineCheck.objects.filter(bottom_line__ref_id=bottom_line, evidenced=False)
        audits = audits.filter(pk__in=missed.values("audit_id"))
    if judgement:
        if judgement == NO_JUDGEMENT:
            audits = audits.filter(judgement__isnull=True)
        else:
            audits = audits.filter(judgement__label=judgement)
    if theme is not None:
        audits = audits.filter(pk__in=AuditTheme.objects.filter(theme=theme).values("audit_id"))
    return audits


# Findings ----------------------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    ref_id: str
    text: str
    cells: list  # one Figure per rating label, in Options.labels' order
    rated: int
    applicable: int
    met: int
    filters: dict

    @property
    def percent_met(self):
        return round(100 * self.met / self.applicable) if self.applicable else None


@dataclass
class SectionFigures:
    row: ComplianceRow
    standards: list


@dataclass
class Findings:
    period: Period
    previous: Period
    audit_count: int
    previous_audit_count: int
    labels: list
    met_label: str
    sections: list
    bottom_lines: list  # (ref_id, text, Figure missed, checked)
    judgements: list  # (label, Figure)
    themes: list  # (theme, Figure now, previous count, change)

    @property
    def standards(self):
        return [standard for section in self.sections for standard in section.standards]


def _newest_first(rows):
    """Rows of several versions, newest version first, so the first of each ref_id wins."""
    return sorted(rows, key=lambda row: (row["effective"], row["version_pk"]), reverse=True)


def findings(period: Period, district=None, agency_type=None) -> Findings:
    """Every figure of the period, counted over the audits of EHAs in `district` and/or led by
    `agency_type` when given (all of them when not). The same queries whatever the number of
    audits."""
    base = period_filters(period)
    previous = previous_period(period)
    # Read once: as a subquery it would be run again inside most of the queries below.
    versions = list(versions_in(period, district, agency_type))
    counts = reported_audits(district, agency_type).aggregate(
        now=Count("pk", filter=submitted_between(period.start, period.end)),
        before=Count("pk", filter=submitted_between(previous.start, previous.end)),
    )
    ratings = rating_counts(period, versions, district, agency_type)
    options = ratings.options
    labels = options.labels
    in_now = submitted_between(period.start, period.end, "audit__")

    # Standards and sections by ref_id: text and order from the newest version that has them.
    standard_rows = Standard.objects.filter(section__version__in=versions).values(
        "ref_id",
        "text",
        "order",
        section_ref=F("section__ref_id"),
        section_title=F("section__title"),
        section_order=F("section__order"),
        effective=F("section__version__effective_date"),
        version_pk=F("section__version_id"),
    )
    standards, sections = {}, {}
    for row in _newest_first(list(standard_rows)):
        standards.setdefault(row["ref_id"], row)
        sections.setdefault(
            row["section_ref"], {"title": row["section_title"], "order": row["section_order"]}
        )

    by_standard, met_by_standard = ratings.by_standard, ratings.met_by_standard

    def make_row(ref_id, text, counts, met, filters):
        cells = [Figure(counts.get(label, 0), {**filters, "rating": label}) for label in labels]
        rated = sum(counts.values())
        return ComplianceRow(ref_id, text, cells, rated, options.applicable(counts), met, filters)

    grouped = defaultdict(list)
    for row in standards.values():
        grouped[row["section_ref"]].append(row)
    section_list = []
    for section_ref in sorted(sections, key=lambda ref: (sections[ref]["order"], ref)):
        rows = sorted(grouped[section_ref], key=lambda row: (row["order"], row["ref_id"]))
        standard_figures = [
            make_row(
                row["ref_id"],
                row["text"],
                by_standard[row["ref_id"]],
                met_by_standard[row["ref_id"]],
                {**base, "standard": row["ref_id"]},
            )
            for row in rows
        ]
        totals = defaultdict(int)
        for row in rows:
            for label, n in by_standard[row["ref_id"]].items():
                totals[label] += n
        section_row = make_row(
            section_ref,
            sections[section_ref]["title"],
            totals,
            sum(met_by_standard[row["ref_id"]] for row in rows),
            {**base, "section": section_ref},
        )
        section_list.append(SectionFigures(section_row, standard_figures))

    # Bottom lines: how many audits did not evidence each.
    line_text = {}
    line_rows = BottomLine.objects.filter(version__in=versions).values(
        "ref_id",
        "title",
        "text",
        "order",
        effective=F("version__effective_date"),
        version_pk=F("version_id"),
    )
    for row in _newest_first(list(line_rows)):
        line_text.setdefault(row["ref_id"], row)
    checks = {
        row["bottom_line__ref_id"]: row
        for row in BottomLineCheck.objects.filter(
            audit__in=audits_in(period, district, agency_type)
        )
        .values("bottom_line__ref_id")
        .annotate(
            checked=Count("audit_id", distinct=True),
            missed=Count("audit_id", distinct=True, filter=Q(evidenced=False)),
        )
    }
    bottom_lines = []
    for ref_id in sorted(line_text, key=lambda ref: (line_text[ref]["order"], ref)):
        row = line_text[ref_id]
        check = checks.get(ref_id, {"checked": 0, "missed": 0})
        bottom_lines.append(
            (
                ref_id,
                row["title"] or row["text"],
                Figure(check["missed"], {**base, "bottom_line": ref_id}),
                check["checked"],
            )
        )

    # Judgement mix, in the newest version's order of grades.
    grade_rows = JudgementGrade.objects.filter(version__in=versions).values(
        "label", "order", effective=F("version__effective_date"), version_pk=F("version_id")
    )
    # The newest version's grades in its order, then any others' grades not among them.
    grade_labels = []
    for row in sorted(
        _newest_first(list(grade_rows)),
        key=lambda row: (-row["effective"].toordinal(), -row["version_pk"], row["order"]),
    ):
        if row["label"] not in grade_labels:
            grade_labels.append(row["label"])
    judged = {
        row["judgement__label"] or NO_JUDGEMENT: row["n"]
        for row in audits_in(period, district, agency_type)
        .values("judgement__label")
        .annotate(n=Count("pk"))
        .order_by()
    }
    judgements = [
        (label, Figure(judged.get(label, 0), {**base, "judgement": label}))
        for label in grade_labels
    ]
    if judged.get(NO_JUDGEMENT):
        judgements.append(
            (NO_JUDGEMENT, Figure(judged[NO_JUDGEMENT], {**base, "judgement": NO_JUDGEMENT}))
        )

    # Themes: audits tagged in this period and the one before.
    in_before = submitted_between(previous.start, previous.end, "audit__")
    theme_rows = (
        reported_rows(AuditTheme.objects, district, agency_type)
        .filter(in_now | in_before)
        .values("theme_id", "theme__name")
        .annotate(
            now=Count("audit_id", distinct=True, filter=in_now),
            before=Count("audit_id", distinct=True, filter=in_before),
        )
        .order_by("-now", "theme__name")
    )
    themes = [
        (
            LearningTheme(pk=row["theme_id"], name=row["theme__name"]),
            Figure(row["now"], {**base, "theme": row["theme_id"]}),
            row["before"],
            row["now"] - row["before"],
        )
        for row in theme_rows
    ]

    return Findings(
        period=period,
        previous=previous,
        audit_count=counts["now"],
        previous_audit_count=counts["before"],
        labels=labels,
        met_label=options.met_label,
        sections=section_list,
        bottom_lines=bottom_lines,
        judgements=judgements,
        themes=themes,
    )


# Closing the loop --------------------------------------------------------------------------------


@dataclass
class Side:
    """Compliance on one side of the comparison: Met among applicable ratings, and the audits."""

    met: int
    applicable: int
    audits: int
    start: datetime.date | None
    end: datetime.date | None

    @property
    def percent(self):
        return round(100 * self.met / self.applicable) if self.applicable else None

    @property
    def too_small(self) -> bool:
        return self.audits < SMALLEST_SIDE


@dataclass
class Comparison:
    label: str  # a standard's ref_id, or "All these standards"
    before: Side
    after: Side | None

    @property
    def too_small(self) -> bool:
        return self.after is None or self.before.too_small or self.after.too_small

    @property
    def change(self):
        """Percentage points, or None when there is nothing fair to compare."""
        if self.too_small or self.before.percent is None or self.after.percent is None:
            return None
        return self.after.percent - self.before.percent


@dataclass
class Loop:
    kind: str  # "theme" or "recommendation"
    subject: object
    theme_counts: list  # (Period, count) for a theme: the last four quarters
    theme_total: int
    actions: list
    standard_refs: list
    before_start: datetime.date | None
    before_end: datetime.date | None
    after_start: datetime.date | None
    waiting_for: list  # actions not yet done (so there is no "after" yet)
    comparisons: list
    months: int
    smallest: int = SMALLEST_SIDE

    @property
    def overall(self):
        return self.comparisons[-1] if self.comparisons else None


def _completed_on(action):
    moment = action.completed_at or action.signed_off_at
    return timezone.localtime(moment).date() if moment else None


def _loop(kind, subject, actions, today, months, theme=None):
    today = today or timezone.localdate()
    actions = list(
        actions.select_related("owner", "agency", "signed_off_by", "theme", "audit__assessment")
    )
    live = [action for action in actions if action.status != Action.Status.CANCELLED]
    refs = []
    for action in live:
        for ref in action.standard_refs or []:
            if ref not in refs:
                refs.append(ref)
    waiting = [action for action in live if action.status != Action.Status.DONE]
    before_start = before_end = after_start = None
    if live:
        first_created = min(timezone.localtime(action.created_at).date() for action in live)
        before_end = first_created - datetime.timedelta(days=1)
        before_start = months_before(first_created, months)
        if not waiting:
            finished = [_completed_on(action) for action in live]
            if all(finished):
                after_start = max(finished) + datetime.timedelta(days=1)
            else:
                waiting = [a for a in live if not _completed_on(a)]

    comparisons = []
    if refs and before_start:
        comparisons = _compare(refs, before_start, before_end, after_start, today)

    theme_counts, theme_total = [], 0
    if theme is not None:
        theme_counts, theme_total = _theme_counts(theme, today)
    return Loop(
        kind=kind,
        subject=subject,
        theme_counts=theme_counts,
        theme_total=theme_total,
        actions=actions,
        standard_refs=refs,
        before_start=before_start,
        before_end=before_end,
        after_start=after_start,
        waiting_for=waiting,
        comparisons=comparisons,
        months=months,
    )


def _compare(refs, before_start, before_end, after_start, today):
    met_ids = _met_ids()
    before = submitted_between(before_start, before_end, "audit__")
    after = submitted_between(after_start, today, "audit__") if after_start else Q(pk=None)
    met = Q(rating_id__in=met_ids)
    ratings = StandardRating.objects.filter(
        standard__ref_id__in=refs,
        audit__status__in=REPORTED_STATUSES,
        rating__applicable=True,
    ).filter(before | after)
    figures = {
        "before_met": Count("pk", filter=before & met),
        "before_applicable": Count("pk", filter=before),
        "before_audits": Count("audit_id", distinct=True, filter=before),
        "after_met": Count("pk", filter=after & met),
        "after_applicable": Count("pk", filter=after),
        "after_audits": Count("audit_id", distinct=True, filter=after),
    }
    per_standard = {
        row["standard__ref_id"]: row
        for row in ratings.values("standard__ref_id").annotate(**figures)
    }
    together = ratings.aggregate(**figures)
    empty = dict.fromkeys(figures, 0)

    def comparison(label, row):
        before_side = Side(
            row["before_met"],
            row["before_applicable"],
            row["before_audits"],
            before_start,
            before_end,
        )
        after_side = (
            Side(row["after_met"], row["after_applicable"], row["after_audits"], after_start, today)
            if after_start
            else None
        )
        return Comparison(label, before_side, after_side)

    found = [comparison(ref, per_standard.get(ref, empty)) for ref in refs]
    if len(refs) > 1:
        found.append(comparison("All these standards", together))
    return found


def _theme_counts(theme, today):
    from earlyhelp.voice.results import quarters_ending

    quarters = quarters_ending(today, 4)
    tags = AuditTheme.objects.filter(theme=theme, audit__status__in=REPORTED_STATUSES)
    figures = {
        f"q{index}": Count(
            "audit_id", distinct=True, filter=submitted_between(q.start, q.end, "audit__")
        )
        for index, q in enumerate(quarters)
    }
    row = tags.aggregate(total=Count("audit_id", distinct=True), **figures)
    return [(q, row[f"q{index}"]) for index, q in enumerate(quarters)], row["total"]


def loop_for_theme(theme, today=None, months=BEFORE_MONTHS) -> Loop:
    return _loop("theme", theme, Action.objects.filter(theme=theme), today, months, theme=theme)


def loop_for_recommendation(recommendation, today=None, months=BEFORE_MONTHS) -> Loop:
    return _loop(
        "recommendation",
        recommendation,
        Action.objects.filter(recommendation=recommendation),
        today,
        months,
    )


def you_said_we_did():
    """ "You said, we did": actions that answer something families told us, done, newest first;
    with the signed-off ones marked. One query."""
    from .models import Action

    return list(
        Action.objects.exclude(you_said="")
        .filter(status=Action.Status.DONE)
        .select_related("agency", "agency_type")
        .order_by("-completed_at", "-pk")
    )
