"""Moderating free-text answers: the QA lead reads what families (and children, in the closure
form's own section) wrote, takes out anything that could identify anyone, and marks the result
publishable or not. Only the QA lead ever sees the words as they were written; results show only
the moderated wording of quotes marked publishable.

The answers are read from the stored responses (a fixed number of queries, whatever their
number): every free-text answer of the family feedback form, and the free-text answers of the
closure form's section for the child or young person.

A Quote belongs to a family feedback response, so closure form answers can be read here but not
published as quotes.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import ClosureForm, FeedbackResponse, Questionnaire, QuestionnaireVersion, Quote

FEEDBACK = "feedback"
CLOSURE = "closure"
KINDS = {
    FEEDBACK: "Family feedback",
    CLOSURE: "Closure form: the child's own words",
}

WAITING = "waiting"
PUBLISHABLE = "publishable"
NOT_PUBLISHABLE = "not_publishable"
READ_ONLY = "read_only"
STATUSES = {
    WAITING: "Waiting to be moderated",
    PUBLISHABLE: "Publishable",
    NOT_PUBLISHABLE: "Not publishable",
    READ_ONLY: "To read only",
}


@dataclass
class FreeTextAnswer:
    kind: str
    pk: int  # the feedback response's or the closure form's
    question_id: str
    question: str
    section: str
    text: str
    day: datetime.date
    quote: Quote | None = None

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def may_publish(self):
        return self.kind == FEEDBACK

    @property
    def status(self):
        if not self.may_publish:
            return READ_ONLY
        if self.quote is None:
            return WAITING
        return PUBLISHABLE if self.quote.publishable else NOT_PUBLISHABLE

    @property
    def status_label(self):
        return STATUSES[self.status]

    @property
    def key(self):
        return (self.kind, self.pk, self.question_id)


def _free_text_questions(version: QuestionnaireVersion, child_only: bool) -> list:
    return [
        (section, question)
        for section, question in version.questions()
        if question["type"] == "free_text" and (section.get("for_child") or not child_only)
    ]


def _versions(kind: str) -> dict:
    return {
        version.pk: version
        for version in QuestionnaireVersion.objects.filter(questionnaire__kind=kind)
    }


def _answers_in(rows, versions, kind, child_only, quotes=None):
    found = []
    for pk, version_id, answers, day in rows:
        version = versions.get(version_id)
        if version is None:
            continue
        for section, question in _free_text_questions(version, child_only):
            text = (answers or {}).get(question["id"])
            if not isinstance(text, str) or not text.strip():
                continue
            found.append(
                FreeTextAnswer(
                    kind=kind,
                    pk=pk,
                    question_id=question["id"],
                    question=question["text"],
                    section=section["title"],
                    text=text,
                    day=day,
                    quote=(quotes or {}).get((pk, question["id"])),
                )
            )
    return found


def _feedback_answers(pk=None) -> list[FreeTextAnswer]:
    responses = FeedbackResponse.objects.order_by("-submitted_on", "-pk")
    quotes = Quote.objects.select_related("moderated_by")
    if pk is not None:
        responses = responses.filter(pk=pk)
        quotes = quotes.filter(response_id=pk)
    rows = responses.values_list("pk", "version_id", "answers", "submitted_on")
    held = {(quote.response_id, quote.question_id): quote for quote in quotes}
    return _answers_in(
        rows, _versions(Questionnaire.Kind.FEEDBACK), FEEDBACK, child_only=False, quotes=held
    )


def _closure_answers(pk=None) -> list[FreeTextAnswer]:
    forms = ClosureForm.objects.order_by("-completed_at", "-pk")
    if pk is not None:
        forms = forms.filter(pk=pk)
    rows = [
        (form_pk, version_id, answers, timezone.localdate(completed_at))
        for form_pk, version_id, answers, completed_at in forms.values_list(
            "pk", "version_id", "answers", "completed_at"
        )
    ]
    return _answers_in(rows, _versions(Questionnaire.Kind.CLOSURE), CLOSURE, child_only=True)


def free_text_answers(kind: str | None = None, status: str | None = None) -> list:
    """Every free-text answer, newest first: family feedback, then closure forms."""
    found = []
    if kind in (None, FEEDBACK):
        found += _feedback_answers()
    if kind in (None, CLOSURE):
        found += _closure_answers()
    if status:
        found = [answer for answer in found if answer.status == status]
    return found


def find_answer(kind: str, pk: int, question_id: str) -> FreeTextAnswer | None:
    """One answer, or None if there is no such answer to moderate."""
    if kind == FEEDBACK:
        candidates = _feedback_answers(pk)
    elif kind == CLOSURE:
        candidates = _closure_answers(pk)
    else:
        return None
    return next((a for a in candidates if a.question_id == question_id), None)


def next_waiting(after: FreeTextAnswer | None = None) -> FreeTextAnswer | None:
    """The next family feedback answer waiting to be moderated (the newest first), other than
    `after`."""
    for answer in free_text_answers(FEEDBACK, WAITING):
        if after is None or answer.key != after.key:
            return answer
    return None


class NotPublishable(Exception):
    """This answer cannot become a quote (it is not a family feedback answer)."""


def save_quote(answer: FreeTextAnswer, *, text: str, publishable: bool, by) -> Quote:
    """Records the QA lead's moderation of one answer: the wording to publish and whether it may
    be published. Moderating an answer again replaces what was recorded before."""
    if not answer.may_publish:
        raise NotPublishable
    with transaction.atomic():
        quote, _ = Quote.objects.update_or_create(
            response_id=answer.pk,
            question_id=answer.question_id,
            defaults={
                "moderated_text": text.strip(),
                "publishable": publishable,
                "moderated_by": by,
                "moderated_at": timezone.now(),
            },
        )
    return quote
