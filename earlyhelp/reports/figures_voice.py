"""The quarterly report's figures from people's voices: family feedback (invitations sent in the
period, how many were answered, the headline answer to each question, the moderated quotes
marked publishable) and the staff survey rounds that closed in the period. Family feedback is
counted by voice/results.py (`family_feedback`: invitations, responses, suppression under
SMALLEST_GROUP, publishable quotes), as on the results page and the dashboard; the report adds
only each question's headline. Free text reaches the report only as moderated quotes."""

from __future__ import annotations

from collections import Counter

from earlyhelp.voice.models import StaffSurveyResponse
from earlyhelp.voice.questionnaires import AGREE_SCALE
from earlyhelp.voice.results import KindFigures, Period, family_feedback
from earlyhelp.voice.staff_survey import response_rate
from earlyhelp.voice.suppression import SMALLEST_GROUP

from .document import Section, Table
from .figures_tables import PROPORTION_COLUMNS, proportion_cells
from .statistics import Proportion, mean, median

QUOTES_SHOWN = 3
AGREE = set(AGREE_SCALE[:2])  # "Strongly agree" and "Agree"


def _answer_rows(feedback: KindFigures) -> list:
    """The headline of each question with a table (none from fewer than SMALLEST_GROUP
    responses, none for free text), drawn from the answers given to it."""
    rows = []
    for question in feedback.questions:
        if question.table is None:
            continue
        what, proportion, sentence = _headline(
            {"type": question.type, "text": question.text}, question.given
        )
        if not sentence:
            continue
        label = f"{question.text} \u2013 {what}"
        if proportion is not None:
            rows.append(
                [label, proportion.count, proportion.denominator, *proportion_cells(proportion)]
            )
        else:
            rows.append([label, None, None, None, None, None, sentence])
    return rows


def family_feedback_section(period: Period) -> Section:
    """Counts, the response rate, suppression and the publishable quotes as voice/results.py
    decides them (voice.family_feedback); the report adds each question's headline answer."""
    feedback = family_feedback(period)
    sent, answered = feedback.asked, feedback.responses
    # In the order they were moderated, as the report has always listed them.
    quotes = [q.text for q in sorted(feedback.quotes, key=lambda q: (q.moderated_at, q.pk))]
    notes = []
    if feedback.enough:
        rate = Proportion(answered, sent)
        rows = [
            ["Invitations sent", sent, None, None, None, None, ""],
            ["Invitations answered", answered, sent, *proportion_cells(rate)],
            ["Publishable quotes", len(quotes), None, None, None, None, ""],
            *_answer_rows(feedback),
        ]
        paragraphs = [f"Families answered {rate.labelled('invitations')}."]
    else:
        rows = [["Invitations sent", sent, None, None, None, None, ""]]
        notes.append(
            f"Fewer than {SMALLEST_GROUP} families answered: the number and the response rate "
            "are not shown, so that no family can be recognised."
        )
        paragraphs = [
            f"{sent} families were invited to give feedback; fewer than {SMALLEST_GROUP} "
            "answered, too few to show."
        ]
        quotes = []
    shown = quotes[:QUOTES_SHOWN]
    if shown:
        paragraphs.append(
            "What families said (moderated quotes): "
            + " ".join(f"\u201c{text}\u201d" for text in shown)
        )
    return Section(
        key="family-feedback",
        title="What families told us",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="family-feedback",
                caption=f"Family feedback: invitations sent in {period.label} and answered",
                columns=["Family feedback", "Number", "Of", *PROPORTION_COLUMNS],
                rows=rows,
                notes=notes,
            )
        ],
    )


def _headline(question: dict, given: list) -> tuple[str, Proportion | None, str]:
    """(what is counted, its proportion, a sentence) for one question's answers."""
    answered = [value for value in given if value not in (None, "", [])]
    if question["type"] == "agree_scale":
        proportion = Proportion(sum(1 for value in answered if value in AGREE), len(answered))
        return "Agree or strongly agree", proportion, proportion.labelled("agree")
    if question["type"] == "scale_0_10":
        scores = [int(value) for value in answered if str(value).isdigit()]
        if not scores:
            return "Scores", None, "no answers"
        return (
            "Scores",
            None,
            f"mean {round(mean(scores), 1):g}, median {median(scores):g} ({len(scores)} answers)",
        )
    if question["type"] in ("yes_no", "single_choice", "multiple_choice") and answered:
        chosen = Counter()
        for value in answered:
            chosen.update(value if isinstance(value, list) else [value])
        top, count = chosen.most_common(1)[0]
        proportion = Proportion(count, len(answered))
        return f"Answered \u201c{top}\u201d", proportion, proportion.labelled(f"\u201c{top}\u201d")
    return "", None, ""


def staff_survey_section(period: Period) -> Section:
    """The rounds that closed in the period, with every response's answers read in one query
    (a round has at most a few hundred). Rounds under SMALLEST_GROUP responses show only that."""
    responses = (
        StaffSurveyResponse.objects.filter(
            round__closes_on__gte=period.start, round__closes_on__lte=period.end
        )
        .select_related("round", "round__version")
        .only(
            "answers",
            "round__name",
            "round__closes_on",
            "round__staff_asked",
            "round__version__definition",
        )
        .order_by("round__closes_on", "round_id", "pk")
    )
    by_round: dict[int, list] = {}
    rounds = {}
    for response in responses:
        by_round.setdefault(response.round_id, []).append(response.answers)
        rounds[response.round_id] = response.round
    rows, notes, paragraphs = [], [], []
    for round_id, answers in by_round.items():
        survey_round = rounds[round_id]
        if len(answers) < SMALLEST_GROUP:
            notes.append(
                f"{survey_round.name}: fewer than {SMALLEST_GROUP} responses, so its answers "
                "are not shown."
            )
            continue
        rate, rate_sentence = response_rate(survey_round, len(answers))
        paragraphs.append(f"{survey_round.name} closed with {len(answers)} responses.")
        if survey_round.staff_asked is not None:
            paragraphs.append(f"{survey_round.name}: {rate_sentence}.")
        headline = "Response rate, of the staff asked"
        cells = (
            [headline, rate.count, rate.denominator, *proportion_cells(rate)]
            if rate
            else ["", len(answers), None, None, None, None, ""]
        )
        rows.append([survey_round.name, "Responses", *cells])
        for _, question in survey_round.version.questions():
            if question["type"] == "free_text":
                continue
            what, proportion, sentence = _headline(
                question, [a.get(question["id"]) for a in answers]
            )
            if not sentence:
                continue
            cells = (
                [proportion.count, proportion.denominator, *proportion_cells(proportion)]
                if proportion
                else [None, None, None, None, None, sentence]
            )
            rows.append([survey_round.name, question["text"], what, *cells])
    if not by_round:
        paragraphs.append("No staff survey round closed in the period with any responses.")
    return Section(
        key="staff-survey",
        title="What staff told us",
        paragraphs=paragraphs,
        tables=[
            Table(
                key="staff-survey",
                caption=f"Staff survey rounds that closed in {period.label}: headline answers",
                columns=[
                    "Round",
                    "Question",
                    "Headline",
                    "Number",
                    "Of those who answered",
                    *PROPORTION_COLUMNS,
                ],
                rows=rows,
                notes=notes,
            )
        ],
    )
