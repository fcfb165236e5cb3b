"""The staff survey: "What do our staff tell us about working in this organisation?"

The QA lead opens a round (dates and an audience) and shares its one link. Anyone with the link
may answer while the round is open, without signing in. Answers are anonymous by design: a
response holds its round, the questionnaire version, the type of agency the person chose to give
(or none), the answers and the day, and nothing else: no person, no network address, no time of
day. Nothing here is given the request or the person answering.

Results are shown by type of agency only where small-number suppression allows
(voice/suppression.py), and not at all until a round has SMALLEST_GROUP responses. Free-text
answers are counted in the results; their words are for the QA lead only (`comments`).
"""

import datetime
import secrets
import statistics
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction

from earlyhelp.accounts.models import Agency, AgencyType
from earlyhelp.reports.statistics import Proportion

from .forms import checked_answers
from .models import StaffSurveyResponse, StaffSurveyRound
from .questionnaires import current_version
from .suppression import SMALLEST_GROUP, merged_groups, suppress

LINK_CODE_BYTES = 16  # 128 bits: the link cannot be guessed
ALL_RESPONSES = "All responses"
NOT_SAID = "Preferred not to say"


class SurveyError(Exception):
    """A round cannot be opened, closed or answered as asked. The message says why, for people."""


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"


class Status(StrEnum):
    NOT_OPEN_YET = "Not open yet"
    OPEN = "Open"
    CLOSED = "Closed"


def status(survey_round: StaffSurveyRound, today: datetime.date) -> Status:
    """The link works from the day the round opens to the day it closes, both included."""
    if today > survey_round.closes_on:
        return Status.CLOSED
    if today < survey_round.opens_on:
        return Status.NOT_OPEN_YET
    return Status.OPEN


# Opening and closing a round ---------------------------------------------------------------------


def open_round(
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    agency_types=(),
    agencies=(),
    *,
    by,
    today: datetime.date | None = None,
    staff_asked: int | None = None,
) -> StaffSurveyRound:
    """Opens a round of the current staff survey for an audience: types of agency and/or
    agencies (neither means everyone in the partnership), with how many staff are sent its link
    where that is known."""
    from django.utils import timezone

    today = today or timezone.localdate()
    name = (name or "").strip()
    if not name:
        raise SurveyError("Enter a name for the survey round")
    if opens_on < today:
        raise SurveyError("The opening date must be today or in the future")
    if closes_on < opens_on:
        raise SurveyError("The closing date must be the same as or after the opening date")
    _check_staff_asked(staff_asked)
    with transaction.atomic():
        survey_round = StaffSurveyRound.objects.create(
            name=name,
            version=current_version("staff_survey", on=opens_on),
            opens_on=opens_on,
            closes_on=closes_on,
            link_code=secrets.token_urlsafe(LINK_CODE_BYTES),
            staff_asked=staff_asked,
            created_by=by,
        )
        survey_round.agency_types.set(agency_types)
        survey_round.agencies.set(agencies)
    return survey_round


def _check_staff_asked(staff_asked):
    if staff_asked is not None and staff_asked < 1:
        raise SurveyError("The number of staff asked must be 1 or more")


def record_staff_asked(survey_round: StaffSurveyRound, staff_asked: int | None):
    """Records (or, with None, forgets) how many staff were sent the round's link: often known
    only once the link has gone out. Any time, the round open or closed."""
    _check_staff_asked(staff_asked)
    survey_round.staff_asked = staff_asked
    survey_round.save(update_fields=["staff_asked"])
    return survey_round


def response_rate(survey_round: StaffSurveyRound, responses: int):
    """(Proportion of the staff asked who answered, or None, and a sentence): the rate only
    where the number asked is recorded and at least the number of responses (more responses
    than people asked means the link was passed on, and the rate would mean nothing)."""
    asked = survey_round.staff_asked
    if asked is None:
        return None, f"{responses} responses; how many staff were asked is not recorded"
    if responses > asked:
        return None, (
            f"{responses} responses, more than the {asked} staff asked: the link was passed on, "
            "so no response rate is given"
        )
    rate = Proportion(responses, asked)
    return rate, rate.labelled("staff asked answered")


def close_early(survey_round: StaffSurveyRound, today: datetime.date) -> StaffSurveyRound:
    """Stops the link working at once: the round's last day becomes yesterday. A round that had
    not opened before today keeps its dates in order: it opens and closes yesterday, and no one
    can ever answer it."""
    if status(survey_round, today) == Status.CLOSED:
        raise SurveyError("This survey round has already closed")
    yesterday = today - datetime.timedelta(days=1)
    survey_round.closes_on = yesterday
    survey_round.opens_on = min(survey_round.opens_on, yesterday)
    survey_round.save(update_fields=["opens_on", "closes_on"])
    return survey_round


# The link and answering --------------------------------------------------------------------------


def round_for_link(code: str, today: datetime.date):
    """(round, None) if the link can be answered today, else (round or None, LinkProblem)."""
    survey_round = None
    if code and len(code) <= StaffSurveyRound._meta.get_field("link_code").max_length:
        survey_round = (
            StaffSurveyRound.objects.select_related("version").filter(link_code=code).first()
        )
    if survey_round is None:
        return None, LinkProblem.UNKNOWN
    current = status(survey_round, today)
    if current == Status.NOT_OPEN_YET:
        return survey_round, LinkProblem.NOT_OPEN_YET
    if current == Status.CLOSED:
        return survey_round, LinkProblem.CLOSED
    return survey_round, None


def agency_types_offered(survey_round: StaffSurveyRound) -> list[AgencyType]:
    """The types of agency a person may say they work for: the round's audience (its types,
    and the types of its agencies), or every type in use if the round is for everyone."""
    type_ids = set(survey_round.agency_types.values_list("pk", flat=True))
    type_ids |= set(
        survey_round.agencies.exclude(agency_type=None).values_list("agency_type", flat=True)
    )
    if type_ids:
        return list(AgencyType.objects.filter(pk__in=type_ids).order_by("name"))
    return list(AgencyType.objects.filter(is_active=True).order_by("name"))


def answer(
    survey_round: StaffSurveyRound,
    agency_type: AgencyType | None,
    answers: dict,
    today: datetime.date,
) -> StaffSurveyResponse:
    """Stores one anonymous response: the round, its version, the type of agency given (or
    none), the answers and the day. Nothing about the person is passed in, so nothing can be
    kept."""
    if status(survey_round, today) != Status.OPEN:
        raise SurveyError("This survey round is not open")
    if agency_type is not None and agency_type.pk not in {
        offered.pk for offered in agency_types_offered(survey_round)
    }:
        raise SurveyError("Select the type of agency you work for from the list")
    answers = checked_answers(survey_round.version, answers)
    return StaffSurveyResponse.objects.create(
        round=survey_round,
        version=survey_round.version,
        agency_type=agency_type,
        answers=answers,
        submitted_on=today,
    )


# Lists -------------------------------------------------------------------------------------------


def describe_audience(agency_types, agencies) -> str:
    """The audience in words, from the round's prefetched types and agencies."""
    parts = []
    if agency_types:
        parts.append(", ".join(sorted(str(t) for t in agency_types)))
    if agencies:
        parts.append(", ".join(sorted(str(a) for a in agencies)))
    return "; ".join(parts) or "Everyone in the partnership"


# Results -----------------------------------------------------------------------------------------


@dataclass
class Distribution:
    """One question's answers in one group."""

    answered: int = 0
    counts: list[int] = field(default_factory=list)  # per option, in the options' order
    mean: float | None = None  # 0 to 10 scales only
    median: float | None = None

    def percentages(self) -> list[int]:
        return [round(100 * count / self.answered) if self.answered else 0 for count in self.counts]


@dataclass
class QuestionResult:
    id: str
    text: str
    type: str
    section: str
    options: list[str]
    by_group: list[Distribution]  # in the order of Results.groups

    @property
    def rows(self):
        """(option, [(count, percentage) per group]) for a table."""
        percentages = [group.percentages() for group in self.by_group]
        return [
            (
                option,
                [
                    (group.counts[index], shares[index])
                    for group, shares in zip(self.by_group, percentages, strict=True)
                ],
            )
            for index, option in enumerate(self.options)
        ]


@dataclass
class Results:
    total: int
    shown: bool  # False until the round has SMALLEST_GROUP responses
    groups: list[tuple[str, int]]  # (label, responses): all responses first, then each group
    merged_label: str | None
    merged: list[str]  # the groups merged into merged_label
    some_withheld: bool  # a group was suppressed: its responses are only in "All responses"
    questions: list[QuestionResult]


def _distribution(question: dict, answers: list) -> Distribution:
    options = question["options"]
    given = [a for a in answers if a not in (None, "", [])]
    result = Distribution(answered=len(given), counts=[0] * len(options))
    if question["type"] == "free_text":
        result.counts = []
        return result
    index = {option: i for i, option in enumerate(options)}
    for value in given:
        for chosen in value if isinstance(value, list) else [value]:
            if chosen in index:
                result.counts[index[chosen]] += 1
    if question["type"] == "scale_0_10":
        numbers = [int(v) for v in given if isinstance(v, str) and v.isdigit()]
        if numbers:
            result.mean = round(statistics.fmean(numbers), 1)
            result.median = statistics.median(numbers)
    return result


def results(survey_round: StaffSurveyRound) -> Results:
    """Every question's answers, overall and by type of agency, with small-number suppression:
    no group under SMALLEST_GROUP is shown on its own, and nothing at all is shown until the
    round has that many responses. Free text is counted, never quoted. Two queries, however
    many responses."""
    rows = list(
        StaffSurveyResponse.objects.filter(round=survey_round).values_list(
            "agency_type__name", "answers"
        )
    )
    total = len(rows)
    if total < SMALLEST_GROUP:
        return Results(total, False, [(ALL_RESPONSES, total)], None, [], False, [])

    by_type: dict[str, list[dict]] = {}
    for type_name, answers in rows:
        by_type.setdefault(type_name or NOT_SAID, []).append(answers)
    counts = {label: len(members) for label, members in sorted(by_type.items())}
    # "Preferred not to say" after the types, by name.
    if NOT_SAID in counts:
        counts[NOT_SAID] = counts.pop(NOT_SAID)
    shown, merged_label = suppress(counts)
    merged = merged_groups(counts)
    members = {label: by_type[label] for label in shown if label != merged_label}
    if merged_label:
        members[merged_label] = [answers for label in merged for answers in by_type[label]]
    columns = [[answers for _, answers in rows], *members.values()]

    questions = []
    for section, question in survey_round.version.questions():
        questions.append(
            QuestionResult(
                id=question["id"],
                text=question["text"],
                type=question["type"],
                section=section["title"],
                options=list(question["options"]) if question["type"] != "free_text" else [],
                by_group=[
                    _distribution(question, [a.get(question["id"]) for a in column])
                    for column in columns
                ],
            )
        )
    return Results(
        total=total,
        shown=True,
        groups=[(ALL_RESPONSES, total), *shown.items()],
        merged_label=merged_label,
        merged=merged,
        some_withheld=len(members) - bool(merged_label) + len(merged) < len(counts),
        questions=questions,
    )


def comments(survey_round: StaffSurveyRound) -> list[tuple[dict, list[str]]]:
    """The free-text answers, for the QA lead only: (question, [answers]) per free-text
    question. Sorted by their words, never by when they came or with their type of agency, so
    the list says nothing about who wrote what. Empty until the round has SMALLEST_GROUP
    responses."""
    answers = list(
        StaffSurveyResponse.objects.filter(round=survey_round).values_list("answers", flat=True)
    )
    if len(answers) < SMALLEST_GROUP:
        return []
    found = []
    for _, question in survey_round.version.questions():
        if question["type"] != "free_text":
            continue
        texts = sorted(
            (a[question["id"]].strip() for a in answers if str(a.get(question["id"], "")).strip()),
            key=str.casefold,
        )
        found.append((question, texts))
    return found


def rounds_for_list():
    """Every round, newest first, with its audience and number of responses."""
    from django.db.models import Count

    return (
        StaffSurveyRound.objects.annotate(response_count=Count("responses"))
        .prefetch_related("agency_types", "agencies")
        .order_by("-opens_on", "-pk")
    )


def agencies_for_audience():
    """The agencies the QA lead may choose for an audience, by type then name."""
    return Agency.objects.filter(is_active=True).select_related("agency_type")
