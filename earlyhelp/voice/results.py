"""The figures from families' voices, computed from the stored answers: the Early Help Service
User Feedback (from private links) and the closure forms.

For a period (a calendar quarter such as 2026-Q3, or any dates) each kind of answer has:

- how many were asked and how many answered: for family feedback, the invitations sent in the
  period and how many of them have been answered; for closure forms, the EHAs that closed in the
  period and how many of them have a closure form. Every answer is counted in the period its
  invitation was sent (or its EHA closed), so a rate never passes 100%;
- the answers to each question: how many chose each option (with its count and denominator),
  and for a 0 to 10 scale its average, median and distribution. Free text is only counted here:
  its words reach results only as quotes the QA lead has moderated and marked publishable;
- the same by district, by type of agency and for the last four quarters, with small-number
  suppression (voice/suppression.py) applied to every group;
- the publishable quotes.

Nothing derived from fewer than SMALLEST_GROUP answers is shown, for the QA lead and partnership
viewers alike. Each kind of answer is read with one query, whatever the number of answers, and
counted here in Python.
"""

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.local_days import on_days

from .models import FeedbackInvitation, Questionnaire, QuestionnaireVersion, Quote
from .suppression import SMALLEST_GROUP, suppress

FEWER_THAN = f"fewer than {SMALLEST_GROUP}"
# A group of 5 or more hidden as well, so that a smaller one cannot be worked out from the total.
HIDDEN = "not shown"
NOT_RECORDED = "Not recorded"
QUARTERS_SHOWN = 4
QUARTER_MONTHS = {
    1: "January to March",
    2: "April to June",
    3: "July to September",
    4: "October to December",
}

FEEDBACK = "feedback"
CLOSURE = "closure"


# Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str
    quarter: str = ""  # "2026-Q3" when the period is a calendar quarter

    def __contains__(self, day):
        return self.start <= day <= self.end


def quarter_containing(day: datetime.date) -> Period:
    number = (day.month - 1) // 3 + 1
    start = datetime.date(day.year, 3 * number - 2, 1)
    following = (
        datetime.date(day.year + 1, 1, 1)
        if number == 4
        else datetime.date(day.year, 3 * number + 1, 1)
    )
    key = f"{day.year}-Q{number}"
    return Period(
        start=start,
        end=following - datetime.timedelta(days=1),
        label=f"{key} ({QUARTER_MONTHS[number]} {day.year})",
        quarter=key,
    )


def parse_quarter(text: str) -> Period | None:
    """The quarter written as "2026-Q3", or None if the text is not one."""
    year, _, number = (text or "").strip().upper().partition("-Q")
    if not (
        year.isascii() and year.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4"}
    ):
        return None
    return quarter_containing(datetime.date(int(year), 3 * int(number) - 2, 1))


def quarters_ending(day: datetime.date, count: int = QUARTERS_SHOWN) -> list[Period]:
    """`count` quarters, oldest first, the last of them the one holding `day`."""
    quarters = [quarter_containing(day)]
    while len(quarters) < count:
        quarters.insert(0, quarter_containing(quarters[0].start - datetime.timedelta(days=1)))
    return quarters


def dates_period(start: datetime.date, end: datetime.date) -> Period:
    return Period(start=start, end=end, label=f"{_day(start)} to {_day(end)}")


def _day(day):
    return f"{day.day} {day:%B %Y}"


# What results are made of: tables -----------------------------------------------------------


@dataclass
class Table:
    """One table of figures, shown on the page and written to the downloads as it is.

    The first column names the row; the other cells are numbers, or text saying why a figure is
    not shown. `facts` are (label, value) pairs that belong with the table (an average, say).
    """

    title: str
    sheet: str  # a short name, for the workbook's sheet
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    caption: str = ""
    facts: list[tuple] = field(default_factory=list)
    note: str = ""


@dataclass
class QuestionFigures:
    id: str
    text: str
    type: str
    section: str
    answered: int
    denominator: int
    table: Table | None  # None when there are too few answers to show
    # The answers given, for a question with a table (never free text): for a headline drawn
    # from them (the quarterly report's). Left out of the repr, as the answers are not figures.
    given: list = field(default_factory=list, repr=False)

    @property
    def is_free_text(self):
        return self.type == "free_text"


@dataclass
class ShownQuote:
    pk: int
    response_id: int
    question_id: str
    question: str
    text: str
    moderated_at: datetime.datetime | None = None


@dataclass
class KindFigures:
    """Everything for one kind of answer (family feedback, or closure forms) in one period."""

    key: str
    title: str
    asked_label: str  # what the denominator counts: "Invitations sent", "EHAs closed"
    asked: int
    responses: int
    summary: Table
    questions: list[QuestionFigures]  # the free-text ones have no table of their own
    free_text: Table | None  # how many answered each free-text question
    by_district: Table
    by_agency_type: Table
    by_quarter: Table
    quotes: list[ShownQuote]
    quotes_table: Table | None

    @property
    def enough(self):
        return self.responses >= SMALLEST_GROUP

    def tables(self):
        yield self.summary
        for question in self.questions:
            if question.table is not None:
                yield question.table
        if self.free_text is not None:
            yield self.free_text
        yield self.by_district
        yield self.by_agency_type
        yield self.by_quarter
        if self.quotes_table is not None:
            yield self.quotes_table


@dataclass
class VoiceResults:
    period: Period
    quarters: list[Period]
    kinds: list[KindFigures]

    def tables(self):
        for kind in self.kinds:
            yield from kind.tables()


# Reading the answers --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    """One family asked: when (the day that puts it in a period), where, and its answers if it
    answered."""

    day: datetime.date
    district: str
    agency_type: str
    answers: dict | None
    version_id: int | None


def _feedback_records(span: Period) -> list[_Record]:
    """Every invitation sent in the span, with its answers if it was answered: one query."""
    rows = (
        FeedbackInvitation.objects.annotate(sent=Coalesce("sent_at", "letter_printed_at"))
        .filter(on_days("sent", span.start, span.end))
        # The answers in the order the responses are kept (newest first): the order in which a
        # headline drawn from them (the report's most chosen answer) meets a tie.
        .order_by("-response__submitted_on", "-response__pk")
        .values_list(
            "sent",
            "assessment__district__name",
            "assessment__agency_type__name",
            "response__answers",
            "response__version_id",
        )
    )
    return [
        _Record(
            day=timezone.localdate(sent) if timezone.is_aware(sent) else sent.date(),
            district=district or NOT_RECORDED,
            agency_type=agency_type or NOT_RECORDED,
            answers=answers if version_id is not None else None,
            version_id=version_id,
        )
        for sent, district, agency_type, answers, version_id in rows
    ]


def _closure_records(span: Period) -> list[_Record]:
    """Every EHA that closed in the span, with its closure form's answers if it has one: one
    query. An EHA without a closure date counts on the day its closure form was completed."""
    in_span = Q(closure_date__gte=span.start, closure_date__lte=span.end) | (
        Q(closure_date__isnull=True) & on_days("closure_form__completed_at", span.start, span.end)
    )
    rows = EarlyHelpAssessment.objects.filter(in_span).values_list(
        "closure_date",
        "closure_form__completed_at",
        "district__name",
        "agency_type__name",
        "closure_form__answers",
        "closure_form__version_id",
    )
    return [
        _Record(
            day=closed_on or timezone.localdate(completed_at),
            district=district or NOT_RECORDED,
            agency_type=agency_type or NOT_RECORDED,
            answers=(answers or {}) if version_id is not None else None,
            version_id=version_id,
        )
        for closed_on, completed_at, district, agency_type, answers, version_id in rows
    ]


def _questions(versions: list[QuestionnaireVersion]) -> list[dict]:
    """Every question asked in any version, newest version's order first, with the options of
    every version that asked it (the newest version's wording)."""
    merged: dict[str, dict] = {}
    for version in sorted(versions, key=lambda v: (v.effective_date, v.pk), reverse=True):
        for section, question in version.questions():
            held = merged.get(question["id"])
            if held is None:
                merged[question["id"]] = {
                    **question,
                    "options": list(question.get("options", [])),
                    "section": section["title"],
                }
            else:
                held["options"] += [
                    o for o in question.get("options", []) if o not in held["options"]
                ]
    return list(merged.values())


# Counting ----------------------------------------------------------------------------------


def _per_cent(count, of):
    return round(100 * count / of) if of else 0


def _score(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 10 else None


def _rounded(number):
    """To one decimal place; a whole number without one (a median of 8.0 is 8)."""
    number = round(number, 1)
    return int(number) if number == int(number) else number


def _question_figures(question, answers: list[dict], sheet: str) -> QuestionFigures:
    denominator = len(answers)
    given = [a[question["id"]] for a in answers if a.get(question["id"]) not in (None, "", [])]
    figures = QuestionFigures(
        id=question["id"],
        text=question["text"],
        type=question["type"],
        section=question["section"],
        answered=len(given),
        denominator=denominator,
        table=None,
    )
    if denominator < SMALLEST_GROUP or question["type"] == "free_text":
        return figures
    caption = f"Answered in {len(given)} of {denominator} responses"
    table = Table(
        title=question["text"],
        sheet=sheet,
        columns=["Answer", "Responses", "Per cent of those who answered"],
        caption=caption,
    )
    kind = question["type"]
    if kind == "scale_0_10":
        scores = [s for s in (_score(v) for v in given) if s is not None]
        counts = Counter(scores)
        table.rows = [[str(n), counts[n], _per_cent(counts[n], len(scores))] for n in range(11)]
        if scores:
            table.facts = [
                ("Average (mean)", _rounded(statistics.mean(scores))),
                ("Median", _rounded(statistics.median(scores))),
            ]
        ends = "; ".join(filter(None, [question.get("low_label"), question.get("high_label")]))
        table.note = ends[:1].upper() + ends[1:] if ends else ""
        figures.given = given
    else:
        counts = Counter()
        for value in given:
            counts.update(value if isinstance(value, list) else [value])
        options = list(question["options"])
        options += sorted(str(o) for o in counts if o not in options)
        table.rows = [
            [option, counts[option], _per_cent(counts[option], len(given))] for option in options
        ]
        figures.given = given
        if kind == "multiple_choice":
            table.note = (
                "People could choose more than one answer, so the per cents may add up to more "
                "than 100."
            )
    figures.table = table
    return figures


def _group_row(label, records, scale_questions):
    asked = len(records)
    answered = [r.answers for r in records if r.answers is not None]
    row = [label, len(answered), asked, _per_cent(len(answered), asked)]
    for question in scale_questions:
        scores = [_score(a.get(question["id"])) for a in answered]
        scores = [s for s in scores if s is not None]
        row.append(_rounded(statistics.mean(scores)) if scores else "no answers")
    return row


def _grouped(groups: dict, *, title, sheet, dimension, asked_label, scale_questions, other):
    """A table of groups ({label: records}, in the order to show them), each group under
    SMALLEST_GROUP answers suppressed or merged with the others as `suppress` says."""
    columns = [dimension, "Responses", asked_label, "Response rate (per cent)"]
    columns += [f"Average score: {q['text']}" for q in scale_questions]
    table = Table(title=title, sheet=sheet, columns=columns)
    responses = {
        label: sum(r.answers is not None for r in records) for label, records in groups.items()
    }
    shown, merged_label = suppress(responses)
    merged = [label for label, count in responses.items() if 0 < count < SMALLEST_GROUP]
    for label, records in groups.items():
        # A group with no responses has no one to protect: it shows who was asked, and 0.
        if (label in shown and label != merged_label) or responses[label] == 0:
            table.rows.append(_group_row(label, records, scale_questions))
        elif merged_label is None:
            why = FEWER_THAN if responses[label] < SMALLEST_GROUP else HIDDEN
            table.rows.append([label, why, len(records), *[why] * (len(columns) - 3)])
    if merged_label is not None:
        together = [r for label in merged for r in groups[label]]
        names = ", ".join(str(label) for label in merged)
        label = f"Other {other} ({names}: {FEWER_THAN} responses each)"
        table.rows.append(_group_row(label, together, scale_questions))
    if any(
        isinstance(cell, str) and cell in (FEWER_THAN, HIDDEN)
        for row in table.rows
        for cell in row[1:]
    ):
        table.note = (
            f"Figures for a group with {FEWER_THAN} responses are not shown, so that no family "
            "can be recognised. Where only one group would be hidden, the next smallest is "
            "hidden too, so that it cannot be worked out from the total."
        )
    elif merged_label is not None:
        table.note = (
            f"Groups with {FEWER_THAN} responses each are shown together, so that no family "
            "can be recognised."
        )
    return table


def _by(records, attribute):
    groups = {}
    for record in sorted(records, key=lambda r: getattr(r, attribute).lower()):
        groups.setdefault(getattr(record, attribute), []).append(record)
    return groups


@dataclass(frozen=True)
class _Kind:
    key: str
    questionnaire: str
    title: str
    prefix: str
    asked_label: str
    rate_label: str


KINDS = [
    _Kind(
        key=FEEDBACK,
        questionnaire=Questionnaire.Kind.FEEDBACK,
        title="Family feedback",
        prefix="Feedback",
        asked_label="Invitations sent",
        rate_label="Invitations answered",
    ),
    _Kind(
        key=CLOSURE,
        questionnaire=Questionnaire.Kind.CLOSURE,
        title="Closure forms",
        prefix="Closure",
        asked_label="EHAs closed",
        rate_label="EHAs closed with a closure form",
    ),
]


def _kind_figures(kind: _Kind, records, versions, period, quarters, quotes) -> KindFigures:
    in_period = [r for r in records if r.day in period]
    answered = [r.answers for r in in_period if r.answers is not None]
    questions = _questions(versions)
    scale_questions = [q for q in questions if q["type"] == "scale_0_10"]
    responses = len(answered)
    enough = responses >= SMALLEST_GROUP
    summary = Table(
        title=f"{kind.title}: {period.label}",
        sheet=f"{kind.prefix} summary",
        columns=["", "Number"],
        rows=[
            [kind.asked_label, len(in_period)],
            ["Responses", responses if enough else FEWER_THAN],
            [
                "Response rate (per cent)",
                _per_cent(responses, len(in_period)) if enough else HIDDEN,
            ],
        ],
    )
    if enough:
        summary.caption = f"{kind.rate_label}: {responses} of {len(in_period)}"
    else:
        summary.note = (
            f"There are {FEWER_THAN} responses in this period. Figures from them are not shown, "
            "so that no family can be recognised."
        )
    figures = []
    for question in questions:
        sheet = f"{kind.prefix} Q{sum(f.table is not None for f in figures) + 1}"
        figures.append(_question_figures(question, answered, sheet))
    free_text = None
    if enough and any(f.is_free_text for f in figures):
        free_text = Table(
            title=f"{kind.title}: questions answered in the family's own words",
            sheet=f"{kind.prefix} free text",
            columns=["Question", "Answered", "Responses"],
            rows=[[f.text, f.answered, f.denominator] for f in figures if f.is_free_text],
            note=(
                "Answers in people's own words are only counted here. Their words are published "
                "only as quotes that the QA lead has checked and marked publishable."
            ),
        )
    by_quarter = {quarter.label: [r for r in records if r.day in quarter] for quarter in quarters}
    group_options = {"asked_label": kind.asked_label, "scale_questions": scale_questions}
    quotes_table = None
    if quotes:
        quotes_table = Table(
            title=f"{kind.title}: publishable quotes",
            sheet=f"{kind.prefix} quotes",
            columns=["Question", "Quote"],
            rows=[[q.question, q.text] for q in quotes],
        )
    return KindFigures(
        key=kind.key,
        title=kind.title,
        asked_label=kind.asked_label,
        asked=len(in_period),
        responses=responses,
        summary=summary,
        questions=figures,
        free_text=free_text,
        by_district=_grouped(
            _by(in_period, "district"),
            title=f"{kind.title} by district",
            sheet=f"{kind.prefix} by district",
            dimension="District",
            other="districts",
            **group_options,
        ),
        by_agency_type=_grouped(
            _by(in_period, "agency_type"),
            title=f"{kind.title} by type of lead agency",
            sheet=f"{kind.prefix} by agency type",
            dimension="Type of lead agency",
            other="agency types",
            **group_options,
        ),
        by_quarter=_grouped(
            by_quarter,
            title=f"{kind.title} in the last {len(quarters)} quarters",
            sheet=f"{kind.prefix} by quarter",
            dimension="Quarter",
            other="quarters",
            **group_options,
        ),
        quotes=quotes,
        quotes_table=quotes_table,
    )


def _publishable_quotes(period: Period, versions) -> list[ShownQuote]:
    """Moderated quotes marked publishable, from answers to invitations sent in the period, in
    the order of the questions: one query."""
    texts, order = {}, {}
    for index, question in enumerate(_questions(versions)):
        texts[question["id"]] = question["text"]
        order[question["id"]] = index
    quotes = (
        Quote.objects.filter(publishable=True)
        .annotate(
            sent=Coalesce(
                "response__invitation__sent_at", "response__invitation__letter_printed_at"
            )
        )
        .filter(on_days("sent", period.start, period.end))
        .exclude(moderated_text="")
        .order_by("moderated_at", "pk")
        .values_list("pk", "response_id", "question_id", "moderated_text", "moderated_at")
    )
    shown = [
        ShownQuote(
            pk=pk,
            response_id=response_id,
            question_id=question_id,
            question=texts.get(question_id, question_id),
            text=text,
            moderated_at=moderated_at,
        )
        for pk, response_id, question_id, text, moderated_at in quotes
    ]
    return sorted(shown, key=lambda q: order.get(q.question_id, len(order)))


def voice_results(
    period: Period,
    quarters: list[Period] | None = None,
    kinds: tuple[str, ...] = (FEEDBACK, CLOSURE),
) -> VoiceResults:
    """Every figure for the period, and for the last four quarters up to the one in which the
    period ends, of the kinds of answer asked for (FEEDBACK, CLOSURE; both unless told). A fixed
    number of queries, whatever the number of answers: one, then one more for each kind and one
    for family feedback's quotes."""
    quarters = quarters or quarters_ending(period.end)
    chosen = [kind for kind in KINDS if kind.key in kinds]
    span = Period(
        start=min(period.start, quarters[0].start),
        end=max(period.end, quarters[-1].end),
        label="",
    )
    versions = {}
    for version in QuestionnaireVersion.objects.select_related("questionnaire").filter(
        questionnaire__kind__in=[kind.questionnaire for kind in chosen]
    ):
        versions.setdefault(version.questionnaire.kind, []).append(version)
    figures = []
    for kind in chosen:
        records = _feedback_records(span) if kind.key == FEEDBACK else _closure_records(span)
        kind_versions = versions.get(kind.questionnaire, [])
        figures.append(
            _kind_figures(
                kind,
                records,
                kind_versions,
                period,
                quarters,
                _publishable_quotes(period, kind_versions) if kind.key == FEEDBACK else [],
            )
        )
    return VoiceResults(period=period, quarters=quarters, kinds=figures)


def family_feedback(period: Period) -> KindFigures:
    """Family feedback alone for the period (no closure forms, no other quarters): invitations
    sent and answered, the response rate, each question's answers and the publishable quotes, by
    the same rules and suppression as the results page. Three queries."""
    return voice_results(period, quarters=[period], kinds=(FEEDBACK,)).kinds[0]
