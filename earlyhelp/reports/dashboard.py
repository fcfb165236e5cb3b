"""The dashboard's figures: the six questions of the framework answered with the latest figures.

    dashboard(period, district=None, agency_type=None, today=None) -> Dashboard

Each question is a card of lines; every proportion is written with its count, its denominator and
its 95% Wilson interval (statistics.Proportion). The audit figures (quality, impact, standards,
bottom lines, themes) are the findings of the period (learning/findings.py counts them, narrowed to
the district or the type of lead agency of the audited EHA when asked); the dashboard adds only
what the findings do not count: compliance in the period before (findings.compliance), and good
or better and the impact scores.

The voices (staff survey, family feedback) and the learning loop (actions, recommendations, You
said, we did) are read from their own modules and are not narrowed: each says so beside it.

Small numbers: when the figures are narrowed to a district or type of agency, a count of 1 to 4
(or a proportion of fewer than 5) is replaced by "fewer than 5 - not shown". The staff survey and
family feedback apply their own rule (voice/suppression.py) whatever the filter.

No child-level data: nothing here names a family, an EHA, a person or an audit. The number of
queries does not depend on the amount of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from earlyhelp.learning import findings as learning_findings
from earlyhelp.learning.actions import LIVE_STATUSES
from earlyhelp.learning.models import Action, Recommendation
from earlyhelp.learning.recommendations import status_counts
from earlyhelp.voice import results as voice
from earlyhelp.voice import staff_survey
from earlyhelp.voice.models import StaffSurveyRound
from earlyhelp.voice.questionnaires import AGREE_SCALE
from earlyhelp.voice.results import Period, quarter_containing
from earlyhelp.voice.suppression import SMALLEST_GROUP

from .document import Chart, Series
from .figures_tables import FEWER_THAN_5, grades
from .statistics import SMALLEST_SAMPLE_FOR_CHANGE, Proportion, change_sentence, median

QUESTIONS = [
    "What do we know about the quality of our services? How do we know it?",
    "Is anyone better off as a result of our intervention?",
    "What do our staff tell us about working in this organisation",
    "What do children, young people and families tell us about their experiences of working "
    "with us?",
    "What are we doing well that we need to do more of?",
    "What do we need to do to improve?",
]

SUPPRESSED = FEWER_THAN_5
NOT_NARROWED = "not filtered by district or agency type"
AS_OF_TODAY = "as of today, not the quarter; not filtered by district or agency type"
AGREED = tuple(AGREE_SCALE[:2])  # "Strongly agree", "Agree"
SHOWN_EACH_WAY = 3  # standards, bottom lines and themes listed as best and worst
QUOTES_SHOWN = 2


# What the page shows ---------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    value: str
    note: str = ""  # a qualification beside the figure: "not filtered by district ..."


@dataclass
class Evidence:
    label: str
    url_name: str
    query: str = ""  # added to the address, e.g. "?quarter=2026-Q3"
    args: tuple = ()


@dataclass
class Card:
    number: int
    question: str
    lines: list[Line] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)  # changes against the previous period
    quotes: list[str] = field(default_factory=list)
    table: dict | None = None  # {"caption", "columns", "rows"}
    chart: Chart | None = None  # drawn from the table's numbers, shown beside it
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class StandardFigure:
    ref_id: str
    text: str
    met: int
    applicable: int

    @property
    def proportion(self) -> Proportion:
        return Proportion(self.met, self.applicable)


@dataclass
class AuditFigures:
    """Counts over the (narrowed) audits submitted in the period and the period before."""

    audits: int
    previous_audits: int
    good_or_better: int
    previous_good_or_better: int
    judged: int
    previous_judged: int
    impact_scores: dict  # score -> audits, this period
    previous_impact_scores: dict
    met: int
    applicable: int
    previous_met: int
    previous_applicable: int
    standards: list[StandardFigure]  # this period, with at least one applicable rating
    bottom_lines: list  # (ref_id, title, missed, checked), this period
    themes: list  # (name, now, before)

    @property
    def impact_improved(self) -> Proportion:
        return _improved(self.impact_scores)

    @property
    def previous_impact_improved(self) -> Proportion:
        return _improved(self.previous_impact_scores)

    @property
    def impact_median(self):
        return _median_of_counts(self.impact_scores)


@dataclass
class Dashboard:
    period: Period
    previous: Period
    narrowed: bool
    any_audits: bool  # False on a fresh database: nothing to show yet
    audit_figures: AuditFigures
    cards: list[Card]


# Small numbers ---------------------------------------------------------------------------------


def _hidden(count, narrowed) -> bool:
    return narrowed and 0 < count < SMALLEST_GROUP


def shown_count(count: int, narrowed: bool) -> str:
    return SUPPRESSED if _hidden(count, narrowed) else str(count)


def shown_proportion(count: int, denominator: int, narrowed: bool, label: str = "") -> str:
    if _hidden(count, narrowed) or _hidden(denominator, narrowed):
        return SUPPRESSED
    return Proportion(count, denominator).labelled(label)


def _change(what, before: Proportion, after: Proportion, narrowed) -> str:
    """The change sentence, unless it would give a count that is not shown."""
    counts = (before.count, before.denominator, after.count, after.denominator)
    if any(_hidden(n, narrowed) for n in counts):
        return ""
    return change_sentence(what, before, after)


# Periods ---------------------------------------------------------------------------------------


def latest_complete_quarter(today: datetime.date | None = None) -> Period:
    today = today or timezone.localdate()
    return quarter_containing(quarter_containing(today).start - datetime.timedelta(days=1))


# The audit figures -----------------------------------------------------------------------------


def _improved(scores: dict) -> Proportion:
    # 0 on the impact scale means no difference to the child, or things are worse.
    scored = sum(scores.values())
    return Proportion(sum(n for score, n in scores.items() if score > 0), scored)


def _median_of_counts(scores: dict):
    return median(score for score, n in sorted(scores.items()) for _ in range(n))


def audit_figures(period: Period, district=None, agency_type=None) -> AuditFigures:
    """The findings of the period (learning/findings.py), narrowed as asked, with what the
    dashboard adds to them: compliance in the period before, and good or better and the impact
    scores of both periods. A fixed number of queries, whatever the number of audits."""
    previous = learning_findings.previous_period(period)
    found = learning_findings.findings(period, district, agency_type)
    previous_met, previous_applicable = learning_findings.compliance(
        previous, district, agency_type
    )
    now = learning_findings.submitted_between(period.start, period.end)
    before = learning_findings.submitted_between(previous.start, previous.end)
    # Good or better as the quarterly report counts it: grades at or above each version's Good.
    good = Q(judgement_id__in=grades().good_or_better_ids)
    judged = Q(judgement__isnull=False)
    counts = dict.fromkeys(
        ["good_or_better", "previous_good_or_better", "judged", "previous_judged"], 0
    )
    impact, previous_impact = {}, {}
    # One GROUP BY impact score for both periods (the row without a score included).
    for row in (
        learning_findings.reported_audits(district, agency_type)
        .filter(now | before)
        .values("impact_score")
        .annotate(
            now=Count("pk", filter=now),
            before=Count("pk", filter=before),
            good_or_better=Count("pk", filter=now & good),
            previous_good_or_better=Count("pk", filter=before & good),
            judged=Count("pk", filter=now & judged),
            previous_judged=Count("pk", filter=before & judged),
        )
        .order_by()
    ):
        for key in counts:
            counts[key] += row[key]
        if row["impact_score"] is None:
            continue
        if row["now"]:
            impact[row["impact_score"]] = row["now"]
        if row["before"]:
            previous_impact[row["impact_score"]] = row["before"]

    standards = sorted(
        (
            StandardFigure(row.ref_id, row.text, row.met, row.applicable)
            for row in found.standards
            if row.applicable
        ),
        key=lambda standard: standard.ref_id,
    )
    return AuditFigures(
        audits=found.audit_count,
        previous_audits=found.previous_audit_count,
        **counts,
        impact_scores=impact,
        previous_impact_scores=previous_impact,
        met=sum(row.met for row in found.standards),
        applicable=sum(row.applicable for row in found.standards),
        previous_met=previous_met,
        previous_applicable=previous_applicable,
        standards=standards,
        bottom_lines=[
            (ref_id, title, missed.count, checked)
            for ref_id, title, missed, checked in found.bottom_lines
            if checked
        ],
        themes=[(theme.name, now.count, before) for theme, now, before, _ in found.themes],
    )


# The cards -------------------------------------------------------------------------------------


def _quarter_query(period: Period) -> str:
    return f"?quarter={period.quarter}" if period.quarter else ""


def _quality_card(f: AuditFigures, period, previous, narrowed) -> Card:
    card = Card(1, QUESTIONS[0])
    card.lines = [
        Line("Audits completed", shown_count(f.audits, narrowed)),
        Line(
            "Audits completed in the previous quarter"
            if period.quarter
            else "Audits completed in the period before",
            shown_count(f.previous_audits, narrowed),
        ),
        Line(
            "Judged Good or better (of audits with a judgement)",
            shown_proportion(f.good_or_better, f.judged, narrowed),
        ),
        Line(
            "Compliance with the standards (Met of applicable ratings)",
            shown_proportion(f.met, f.applicable, narrowed),
        ),
    ]
    card.sentences = [
        s
        for s in (
            _change(
                "Judged Good or better",
                Proportion(f.previous_good_or_better, f.previous_judged),
                Proportion(f.good_or_better, f.judged),
                narrowed,
            ),
            _change(
                "Compliance with the standards",
                Proportion(f.previous_met, f.previous_applicable),
                Proportion(f.met, f.applicable),
                narrowed,
            ),
        )
        if s
    ]
    ranked = _ranked(f.standards)
    if len(ranked) >= 2:
        best, worst = ranked[-1], ranked[0]
        card.lines += [
            Line(
                f"Standard most met: {best.ref_id} {best.text}",
                shown_proportion(best.met, best.applicable, narrowed),
            ),
            Line(
                f"Standard least met: {worst.ref_id} {worst.text}",
                shown_proportion(worst.met, worst.applicable, narrowed),
            ),
        ]
    query = _quarter_query(period)
    card.evidence = [
        Evidence("Findings: compliance, judgements and themes", "findings:index", query),
        Evidence("Quarterly reports", "report-list"),
        Evidence("Dip samples", "sampling:list"),
    ]
    return card


def _ranked(standards):
    """The standards rated in at least 5 audits, least met first (by share; of equal shares, the
    more often rated is the surer, so it comes last): one rated once or twice is not named as the
    best or the worst met."""
    rated = [s for s in standards if s.applicable >= SMALLEST_SAMPLE_FOR_CHANGE]
    return sorted(rated, key=lambda s: (s.met / s.applicable, s.applicable, s.ref_id))


def _better_off_card(f: AuditFigures, period, narrowed) -> Card:
    card = Card(2, QUESTIONS[1])
    improved = f.impact_improved
    scored = improved.denominator
    card.lines = [
        Line(
            "Audits scoring some impact on the child's lived experience (above 0 on the impact "
            "scale, where 0 is no difference or worse)",
            shown_proportion(improved.count, scored, narrowed),
        ),
        Line(
            "Median impact score (0 to 10)",
            SUPPRESSED
            if _hidden(scored, narrowed)
            else ("none to count" if f.impact_median is None else _number(f.impact_median)),
        ),
    ]
    sentence = _change("Audits scoring some impact", f.previous_impact_improved, improved, narrowed)
    card.sentences = [sentence] if sentence else []
    if scored and not _hidden(scored, narrowed):
        card.table = {
            "caption": "Audits by impact score",
            "columns": ["Impact score", "Audits"],
            "rows": [
                [str(score), shown_count(f.impact_scores.get(score, 0), narrowed)]
                for score in range(11)
            ],
        }
        if not narrowed:
            # Not when narrowed: a bar would show a count the table hides.
            counts = [f.impact_scores.get(score, 0) for score in range(11)]
            card.chart = Chart(
                kind="bar",
                title="Audits by impact score",
                description="Bar chart of the audits at each impact score from 0 to 10: "
                + "; ".join(f"score {score}: {n}" for score, n in enumerate(counts))
                + ".",
                table_key="dashboard-impact",
                labels=[str(score) for score in range(11)],
                series=[Series("Audits", counts)],
                y_label="Audits",
            )
    card.evidence = [
        Evidence("Findings", "findings:index", _quarter_query(period)),
        Evidence("Quarterly reports", "report-list"),
    ]
    return card


def _number(value):
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _latest_round(period: Period):
    return (
        StaffSurveyRound.objects.select_related("version")
        .filter(opens_on__lte=period.end)
        .order_by("-opens_on", "-pk")
        .first()
    )


def _staff_card(period) -> Card:
    card = Card(3, QUESTIONS[2])
    survey_round = _latest_round(period)
    if survey_round is None:
        card.lines = [Line("Staff survey", "no round of the staff survey yet", NOT_NARROWED)]
        return card
    results = staff_survey.results(survey_round)
    round_name = (
        f"{survey_round.name} ({survey_round.opens_on:%-d %B %Y} to "
        f"{survey_round.closes_on:%-d %B %Y})"
    )
    card.lines = [Line("Latest staff survey", round_name, "anonymous; " + NOT_NARROWED)]
    if not results.shown:
        card.lines.append(Line("Responses", SUPPRESSED))
        return card
    rate, sentence = staff_survey.response_rate(survey_round, results.total)
    card.lines.append(Line("Responses", sentence if rate else str(results.total)))
    for question in results.questions:
        everyone = question.by_group[0]
        if question.type == "agree_scale" and everyone.answered:
            agreed = sum(
                count
                for option, count in zip(question.options, everyone.counts, strict=True)
                if option in AGREED
            )
            card.lines.append(
                Line(f"Agree: {question.text}", Proportion(agreed, everyone.answered).text)
            )
        elif question.type == "scale_0_10" and everyone.median is not None:
            card.lines.append(Line(f"Median score: {question.text}", _number(everyone.median)))
    card.evidence = [
        Evidence("Staff survey results", "staff_survey:round", args=(survey_round.pk,))
    ]
    return card


def _families_card(period) -> Card:
    card = Card(4, QUESTIONS[3])
    feedback = voice.family_feedback(period)
    if feedback.enough:
        rate = Proportion(feedback.responses, feedback.asked).text
    else:
        rate = SUPPRESSED if feedback.responses else "none to count"
    card.lines = [
        Line("Family feedback: invitations answered", rate, NOT_NARROWED),
    ]
    for question in feedback.questions:
        table = question.table
        if table is None:
            continue
        if question.type == "agree_scale":
            agreed = sum(row[1] for row in table.rows if row[0] in AGREED)
            card.lines.append(
                Line(f"Agree: {question.text}", Proportion(agreed, question.answered).text)
            )
        elif question.type == "scale_0_10":
            facts = dict(table.facts)
            if "Median" in facts:
                card.lines.append(Line(f"Median score: {question.text}", str(facts["Median"])))
    # Moderated and marked publishable by the QA lead: names and places already taken out. From
    # fewer than 5 families none is shown, as in the quarterly report: a quote from one of 3
    # families is too easily traced to them.
    if feedback.enough:
        card.quotes = [quote.text for quote in feedback.quotes[:QUOTES_SHOWN]]
    card.evidence = [
        Evidence("Family feedback results", "voice_results:index", _quarter_query(period)),
        Evidence("You said, we did", "findings:you-said"),
    ]
    return card


def _doing_well_card(f: AuditFigures, period, narrowed, you_said: int) -> Card:
    card = Card(5, QUESTIONS[4])
    # Well met: more often met than not, among those rated in at least 5 audits.
    ranked = [s for s in _ranked(f.standards) if 2 * s.met > s.applicable]
    for standard in reversed(ranked[-SHOWN_EACH_WAY:]):
        card.lines.append(
            Line(
                f"Well met: {standard.ref_id} {standard.text}",
                shown_proportion(standard.met, standard.applicable, narrowed),
            )
        )
    fewer = [(name, now, before) for name, now, before in f.themes if now < before]
    for name, now, before in sorted(fewer, key=lambda t: (t[1] - t[2], t[0]))[:SHOWN_EACH_WAY]:
        card.lines.append(
            Line(
                f"Learning theme found less often: {name}",
                _theme_counts(now, before, narrowed),
            )
        )
    if f.audits and not ranked:
        card.lines.append(Line("Standards", "no applicable ratings in this period"))
    card.lines.append(
        Line(
            "You said, we did: actions done that answer what families told us",
            str(you_said),
            NOT_NARROWED,
        )
    )
    card.evidence = [
        Evidence("Findings", "findings:index", _quarter_query(period)),
        Evidence("You said, we did", "findings:you-said"),
    ]
    return card


def _theme_counts(now, before, narrowed) -> str:
    return (
        f"audits tagged: {shown_count(now, narrowed)} this period, "
        f"{shown_count(before, narrowed)} the period before"
    )


def _improve_card(f: AuditFigures, period, narrowed, loop) -> Card:
    card = Card(6, QUESTIONS[5])
    for standard in _ranked(f.standards)[:SHOWN_EACH_WAY]:
        card.lines.append(
            Line(
                f"Least met: {standard.ref_id} {standard.text}",
                shown_proportion(standard.met, standard.applicable, narrowed),
            )
        )
    missed = sorted(
        (line for line in f.bottom_lines if line[2]), key=lambda line: (-line[2], line[0])
    )
    for ref_id, title, count, checked in missed[:SHOWN_EACH_WAY]:
        card.lines.append(
            Line(
                f"Bottom line not evidenced: {ref_id} {title}",
                shown_proportion(count, checked, narrowed, "audits"),
            )
        )
    for name, now, before in [t for t in f.themes if t[1]][:SHOWN_EACH_WAY]:
        card.lines.append(
            Line(
                f"Learning theme: {name}",
                _theme_counts(now, before, narrowed),
            )
        )
    # The learning loop as it stands today, whatever quarter the audit figures are for.
    card.lines += [
        Line("Actions open today", str(loop["open"]), AS_OF_TODAY),
        Line("Actions overdue today", str(loop["overdue"]), AS_OF_TODAY),
        Line(
            "Recommendations open or accepted and being acted on today",
            str(loop["recommendations"]),
            AS_OF_TODAY,
        ),
    ]
    card.evidence = [
        Evidence("Findings", "findings:index", _quarter_query(period)),
        Evidence("Actions", "actions:list"),
        Evidence("Recommendations", "recommendations:list"),
    ]
    return card


def learning_loop_counts(today: datetime.date) -> dict:
    """Open and overdue actions, and recommendations not yet closed: two queries."""
    live = Q(status__in=LIVE_STATUSES)
    actions = Action.objects.aggregate(
        open=Count("pk", filter=live),
        overdue=Count("pk", filter=live & Q(due_date__lt=today)),
    )
    counts = status_counts()
    return {
        **actions,
        "recommendations": counts[Recommendation.Status.OPEN]
        + counts[Recommendation.Status.ACCEPTED],
    }


def dashboard(
    period: Period, district=None, agency_type=None, today: datetime.date | None = None
) -> Dashboard:
    """Every card of the dashboard for the period, narrowed where it can be. A fixed number of
    queries, whatever the number of audits, EHAs and answers."""
    today = today or timezone.localdate()
    narrowed = district is not None or agency_type is not None
    previous = learning_findings.previous_period(period)
    any_audits = learning_findings.reported_audits().exists()
    f = audit_figures(period, district, agency_type)
    you_said = len(learning_findings.you_said_we_did())
    cards = [
        _quality_card(f, period, previous, narrowed),
        _better_off_card(f, period, narrowed),
        _staff_card(period),
        _families_card(period),
        _doing_well_card(f, period, narrowed, you_said),
        _improve_card(f, period, narrowed, learning_loop_counts(today)),
    ]
    return Dashboard(period, previous, narrowed, any_audits, f, cards)
