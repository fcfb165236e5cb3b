"""Invitations to the Early Help Service User Feedback form, and the answers they bring back.

Two ways in: a family that agreed at closure is invited the way it chose (e-mail, text message or
a letter), and the QA lead can draw a random selection of recently closed families, who are sent
a letter by the lead agency. Each invitation is a private link (voice/tokens.py): single use,
working until the end of its `expires_on` day, with one reminder a week before that.

The family's e-mail and text message are written here, in fixed words: only the link and the last
day it works vary. They name no family, child, agency or reference, like the staff e-mails in
core/notifications.py; they are not notifications (the family has no account) so they are sent
here, by the daily job, and never twice (the row is claimed with a conditional update first).

Contact details on the closure form are "kept only until the invitation is sent": we read that as
until the one reminder has gone, so that the reminder can be sent. They are erased at the first
of: the reminder sent, the form answered, or the link expired.

Nothing here logs a token, a link, an e-mail address or a telephone number.
"""

import datetime
import hashlib
import logging
import random
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import dateformat, timezone

from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.scheduling import daily_job
from earlyhelp.sampling.allocation import new_seed

from . import sms
from .forms import checked_answers
from .models import ClosureForm, FeedbackInvitation, FeedbackResponse, FeedbackSelection
from .tokens import digest, looks_like_a_token, new_nonce, token_for

log = logging.getLogger(__name__)

Method = FeedbackInvitation.Method
Source = FeedbackInvitation.Source

DEFAULT_LINK_DAYS = 28
REMINDER_DAYS_BEFORE_EXPIRY = 7

# Why a link cannot be answered.
UNKNOWN, USED, EXPIRED = "unknown", "used", "expired"
# Why answers were refused.
EMPTY = "empty"

# The list's statuses.
WAITING, SENT, ANSWERED = "waiting", "sent", "answered"
STATUSES = {
    WAITING: "Waiting to send",
    SENT: "Sent",
    ANSWERED: "Answered",
    EXPIRED: "Expired",
}


def link_days() -> int:
    return getattr(settings, "FEEDBACK_LINK_DAYS", DEFAULT_LINK_DAYS)


def token_of(invitation: FeedbackInvitation) -> str:
    """The invitation's token, derived again from its nonce (it is never stored)."""
    return token_for(invitation.nonce)


def _service_url(path: str) -> str:
    return settings.SERVICE_URL.rstrip("/") + path


def link_for(token: str) -> str:
    """The private link: SERVICE_URL/feedback/<token>/."""
    return _service_url(reverse("family_feedback:form", args=[token]))


def short_link() -> str:
    """The page where a code from a letter is typed: SERVICE_URL/feedback/."""
    return _service_url(reverse("family_feedback:start"))


def last_day(invitation: FeedbackInvitation) -> str:
    return dateformat.format(invitation.expires_on, "l j F Y")


def create_invitation(assessment, *, source, method, today, selection=None) -> FeedbackInvitation:
    """A new invitation with its own nonce; its link works until `today` + FEEDBACK_LINK_DAYS.
    Raises IntegrityError if the EHA already has one (one invitation per EHA)."""
    nonce = new_nonce()
    return FeedbackInvitation.objects.create(
        assessment=assessment,
        source=source,
        selection=selection,
        method=method,
        nonce=nonce,
        token_digest=digest(token_for(nonce)),
        expires_on=today + datetime.timedelta(days=link_days()),
    )


# Families who agreed at closure ----------------------------------------------------------------


@daily_job("invite families who agreed to give feedback")
def invite_consenting_families(today: datetime.date) -> int:
    """An invitation for each closure form whose family agreed to be asked, the way they chose.
    Idempotent: an EHA has at most one invitation, and forms that have one are not looked at."""
    forms = (
        ClosureForm.objects.filter(feedback_consent=True, assessment__feedback_invitation=None)
        .exclude(contact_method="")
        .select_related("assessment")
        .order_by("pk")
    )
    made = 0
    for form in forms:
        try:
            with transaction.atomic():
                create_invitation(
                    form.assessment, source=Source.CONSENT, method=form.contact_method, today=today
                )
        except IntegrityError:  # invited meanwhile, by another run or a random selection
            continue
        made += 1
    return made


# The family's e-mail and text message: fixed words, only the link and the last day vary --------

INVITATION_SUBJECT = "How was your Early Help support?"
REMINDER_SUBJECT = "Reminder: how was your Early Help support?"

_EMAIL_OPENING = (
    "Hello,\n\n"
    "The Early Help service that worked with your family would like to hear how it went. "
    "Please tell us what you think, using this link:\n\n"
)
_REMINDER_OPENING = (
    "Hello,\n\n"
    "We recently asked how your family's Early Help support went. If you would like to tell "
    "us, there is still time. Please use this link:\n\n"
)
_EMAIL_CLOSING = (
    "\n\nThe link works until the end of {last_day}. It works once: after you send your "
    "answers, it cannot be used again.\n\n"
    "Answering is up to you. Nothing about your support changes whether you answer or not. "
    "Reports about the service never show your name or who you are.\n\n"
    "Please do not reply to this e-mail. If you have a question, contact the Early Help Team: "
    "{contact}\n\n"
    "{partnership}\n"
)
_TEXT = (
    "Early Help: the service that worked with your family would like to hear how it went. It "
    "is up to you, and reports never name you. The link works until {last_day}: {link}"
)
_REMINDER_TEXT = (
    "Early Help reminder: you can still tell us how your family's support went. It is up to "
    "you, and reports never name you. The link works until {last_day}: {link}"
)


def email_text(token: str, expires_on: datetime.date, *, reminder=False) -> tuple[str, str]:
    """(subject, body) of the family's e-mail."""
    opening = _REMINDER_OPENING if reminder else _EMAIL_OPENING
    closing = _EMAIL_CLOSING.format(
        last_day=dateformat.format(expires_on, "l j F Y"),
        contact=settings.SERVICE_CONTACT_EMAIL,
        partnership=settings.PARTNERSHIP_NAME,
    )
    subject = REMINDER_SUBJECT if reminder else INVITATION_SUBJECT
    return subject, opening + link_for(token) + closing


def text_message(token: str, expires_on: datetime.date, *, reminder=False) -> str:
    words = _REMINDER_TEXT if reminder else _TEXT
    return words.format(last_day=dateformat.format(expires_on, "j M Y"), link=link_for(token))


def _deliver(invitation, contact, *, reminder):
    token = token_of(invitation)
    if invitation.method == Method.EMAIL:
        subject, body = email_text(token, invitation.expires_on, reminder=reminder)
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [contact]).send()
    else:
        sms.send_text(contact, text_message(token, invitation.expires_on, reminder=reminder))


def _contact(invitation) -> str:
    form = getattr(invitation.assessment, "closure_form", None)
    if form is None:
        return ""
    return form.contact_email if invitation.method == Method.EMAIL else form.contact_phone


def _send_one(invitation, *, reminder) -> int:
    """Claims the invitation (sent_at or reminder_sent_at from empty to now), then sends; a
    failure to send gives the claim back, for the next run. Returns 1 if sent, else 0."""
    contact = _contact(invitation)
    if not contact:
        log.warning("Feedback invitation %s has no %s to send to", invitation.pk, invitation.method)
        return 0
    field = "reminder_sent_at" if reminder else "sent_at"
    try:
        with transaction.atomic():
            claimed = FeedbackInvitation.objects.filter(
                pk=invitation.pk, used_at__isnull=True, **{f"{field}__isnull": True}
            ).update(**{field: timezone.now()})
            if not claimed:
                return 0
            _deliver(invitation, contact, reminder=reminder)
    except Exception as error:  # one failed message must not stop the others
        # The error's type only: its text may hold the address it was sent to.
        log.error(
            "Feedback invitation %s could not be sent (%s); it will be tried again tomorrow",
            invitation.pk,
            type(error).__name__,
        )
        return 0
    return 1


def _sendable():
    return FeedbackInvitation.objects.filter(
        method__in=[Method.EMAIL, Method.TEXT], used_at__isnull=True
    ).select_related("assessment__closure_form")


@daily_job("send feedback invitations and reminders")
def send_due(today: datetime.date) -> int:
    """Sends every e-mail and text message invitation not sent yet (while its link works), and
    the one reminder a week before a link expires if it has not been answered; then erases the
    contact details no longer needed. Letters are not sent by the service: the QA lead prints
    them and the lead agency posts them. Returns how many messages were sent. Idempotent: each
    message is claimed before it is sent, so a second run sends nothing again."""
    sent, just_sent = 0, set()
    for invitation in _sendable().filter(sent_at__isnull=True, expires_on__gte=today):
        if _send_one(invitation, reminder=False):
            sent += 1
            just_sent.add(invitation.pk)
    due = _sendable().filter(
        sent_at__isnull=False,
        reminder_sent_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY),
    )
    for invitation in due.exclude(pk__in=just_sent):  # never with the invitation itself
        sent += _send_one(invitation, reminder=True)
    erase_contact_details(today)
    return sent


def erase_contact_details(today: datetime.date) -> int:
    """Blanks the e-mail address and telephone number on the closure forms whose invitation no
    longer needs them: its reminder has gone, it has been answered, or its link has expired."""
    done = Q(assessment__feedback_invitation__reminder_sent_at__isnull=False)
    done |= Q(assessment__feedback_invitation__used_at__isnull=False)
    done |= Q(assessment__feedback_invitation__expires_on__lt=today)
    return ClosureForm.objects.filter(done, contact_erased_at__isnull=True).update(
        contact_email="", contact_phone="", contact_erased_at=timezone.now()
    )


# A random selection of recently closed families ------------------------------------------------


class SelectionError(Exception):
    """The selection cannot be made; the message says why, for the page."""


class SelectionChanged(SelectionError):
    """The families a seed chooses are not the ones shown in the preview (the case data changed
    in between)."""


def selection_pool(closed_from: datetime.date, closed_to: datetime.date):
    """The EHAs that may be drawn: closed in the period, not yet invited, and with no closure
    form. A closure form records the family's own answer: those who agreed are invited the way
    they chose, and those who said no are never asked."""
    return EarlyHelpAssessment.objects.filter(
        status=EarlyHelpAssessment.Status.CLOSED,
        closure_date__gte=closed_from,
        closure_date__lte=closed_to,
        feedback_invitation=None,
        closure_form=None,
    )


@dataclass(frozen=True)
class SelectionPreview:
    closed_from: datetime.date
    closed_to: datetime.date
    how_many: int | None
    percentage: int | None
    seed: int
    population: int
    chosen: list  # EHAs, in reference order

    @property
    def fingerprint(self) -> str:
        """Names the chosen EHAs, to check on confirming that they are still the ones shown."""
        ids = ",".join(str(eha.pk) for eha in self.chosen)
        return hashlib.sha256(f"{self.seed}:{ids}".encode()).hexdigest()[:32]


def _size(population: int, how_many, percentage) -> int:
    if how_many is not None:
        return min(how_many, population)
    # Rounded up, so that a percentage of a small population still chooses someone.
    return min(population, -(-population * percentage // 100))


def preview_selection(
    closed_from, closed_to, how_many=None, percentage=None, seed=None
) -> SelectionPreview:
    """The families a selection would choose, without saving anything. The same seed and the
    same case data always choose the same families: the pool is sorted by EHA reference and
    sampled with Python's `random.Random(seed)`."""
    if (how_many is None) == (percentage is None):
        raise SelectionError("Give either a number of families or a percentage")
    if how_many is not None and how_many < 1:
        raise SelectionError("The number of families must be 1 or more")
    if percentage is not None and not 1 <= percentage <= 100:
        raise SelectionError("The percentage must be between 1 and 100")
    if closed_to < closed_from:
        raise SelectionError("The end of the period must be the same as or after its start")
    seed = new_seed() if seed is None else seed
    pool = list(
        selection_pool(closed_from, closed_to)
        .select_related("lead_agency", "district")
        .order_by("reference")
    )
    # Reproducible by design, not secret: anyone with the seed may check the draw.
    chosen = random.Random(seed).sample(pool, _size(len(pool), how_many, percentage))  # noqa: S311
    return SelectionPreview(
        closed_from=closed_from,
        closed_to=closed_to,
        how_many=how_many,
        percentage=percentage,
        seed=seed,
        population=len(pool),
        chosen=sorted(chosen, key=lambda eha: eha.reference),
    )


def draw_random_selection(
    closed_from,
    closed_to,
    how_many=None,
    percentage=None,
    seed=None,
    *,
    by,
    today=None,
    expect: str | None = None,
) -> FeedbackSelection:
    """Saves a random selection and a letter invitation for each family it chooses (the lead
    agency posts the letter: the service holds no address). `expect` is the fingerprint of the
    preview the QA lead confirmed: if the same seed now chooses differently, nothing is saved."""
    today = today or timezone.localdate()
    with transaction.atomic():
        preview = preview_selection(closed_from, closed_to, how_many, percentage, seed)
        if expect is not None and preview.fingerprint != expect:
            raise SelectionChanged(
                "The closed EHAs have changed since you checked this selection, so the same "
                "seed now chooses different families. Check the new selection below."
            )
        if not preview.chosen:
            raise SelectionError(
                "No family can be chosen: no EHA closed in this period is waiting for an "
                "invitation. Choose another period."
            )
        selection = FeedbackSelection.objects.create(
            closed_from=closed_from,
            closed_to=closed_to,
            how_many=how_many,
            percentage=percentage,
            seed=preview.seed,
            population=preview.population,
            chosen=len(preview.chosen),
            created_by=by,
        )
        try:
            for eha in preview.chosen:
                create_invitation(
                    eha,
                    source=Source.RANDOM,
                    method=Method.LETTER,
                    today=today,
                    selection=selection,
                )
        except IntegrityError:
            raise SelectionChanged(
                "One of the chosen families was invited while the selection was being saved. "
                "Nothing has been saved: check the selection again."
            ) from None
    return selection


# Letters ---------------------------------------------------------------------------------------


def letters_to_print():
    """Letter invitations not printed yet and not answered, each agency's together."""
    return (
        FeedbackInvitation.objects.filter(
            method=Method.LETTER, letter_printed_at__isnull=True, used_at__isnull=True
        )
        .select_related("assessment__lead_agency")
        .order_by("assessment__lead_agency__name", "assessment__reference")
    )


def mark_printed(invitations, today: datetime.date) -> None:
    """Records that these letters were printed. A letter printed for the first time gives the
    family the full FEEDBACK_LINK_DAYS from the day it was printed (the letter states the last
    day), so its link's expiry moves later if it would otherwise come sooner."""
    latest = today + datetime.timedelta(days=link_days())
    now = timezone.now()
    for invitation in invitations:
        if invitation.letter_printed_at is None:
            invitation.letter_printed_at = now
            invitation.expires_on = max(invitation.expires_on, latest)
            FeedbackInvitation.objects.filter(
                pk=invitation.pk, letter_printed_at__isnull=True
            ).update(letter_printed_at=now, expires_on=invitation.expires_on)


# Opening a link and answering ------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    invitation: FeedbackInvitation | None
    reason: str | None  # None: it may be answered; else UNKNOWN, USED or EXPIRED

    @property
    def ok(self) -> bool:
        return self.reason is None


def open_invitation(token: str, today: datetime.date) -> Opened:
    """The invitation a token opens, or why it cannot be answered. A link works all day on its
    `expires_on` and is expired from the next day."""
    if not looks_like_a_token(token):
        return Opened(None, UNKNOWN)
    invitation = (
        FeedbackInvitation.objects.select_related("assessment__lead_agency")
        .filter(token_digest=digest(token))
        .first()
    )
    if invitation is None:
        return Opened(None, UNKNOWN)
    if invitation.used_at is not None:
        return Opened(invitation, USED)
    if today > invitation.expires_on:
        return Opened(invitation, EXPIRED)
    return Opened(invitation, None)


class FeedbackRefused(Exception):
    """The answers were not taken: `reason` is USED, EXPIRED or EMPTY."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


NOTHING_ANSWERED = "Answer at least one question before you send your feedback"


def submit(invitation, answers: dict, version, today: datetime.date) -> FeedbackResponse:
    """Keeps the family's answers. Single use: the invitation is marked used with a conditional
    update (used_at empty → now, while the link works), so of two submissions at once only one
    can count. The closure form's contact details are erased at once."""
    if not answers:
        raise FeedbackRefused(EMPTY, NOTHING_ANSWERED)
    answers = checked_answers(version, answers)
    with transaction.atomic():
        claimed = FeedbackInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, expires_on__gte=today
        ).update(used_at=timezone.now())
        if not claimed:
            current = FeedbackInvitation.objects.get(pk=invitation.pk)
            if current.used_at is not None:
                raise FeedbackRefused(USED, "You have already sent your feedback")
            raise FeedbackRefused(EXPIRED, "This link has expired")
        response = FeedbackResponse.objects.create(
            invitation=invitation,
            assessment_id=invitation.assessment_id,
            version=version,
            answers=answers,
            submitted_on=today,
        )
        ClosureForm.objects.filter(
            assessment_id=invitation.assessment_id, contact_erased_at__isnull=True
        ).update(contact_email="", contact_phone="", contact_erased_at=timezone.now())
    return response


# The QA lead's list ----------------------------------------------------------------------------


def status_filters(today: datetime.date) -> dict:
    """{status: condition}. The four do not overlap. A letter not printed yet is waiting to
    send whatever its expiry date, because printing it gives it its full time."""
    unused = Q(used_at__isnull=True)
    gone_out = Q(sent_at__isnull=False) | Q(letter_printed_at__isnull=False)
    unprinted_letter = Q(method=Method.LETTER, letter_printed_at__isnull=True)
    return {
        WAITING: unused
        & Q(sent_at__isnull=True, letter_printed_at__isnull=True)
        & (Q(expires_on__gte=today) | Q(method=Method.LETTER)),
        SENT: unused & gone_out & Q(expires_on__gte=today),
        ANSWERED: Q(used_at__isnull=False),
        EXPIRED: unused & Q(expires_on__lt=today) & ~unprinted_letter,
    }


def status_of(invitation, today: datetime.date) -> str:
    if invitation.used_at:
        return ANSWERED
    gone_out = invitation.sent_at or invitation.letter_printed_at
    if not gone_out and invitation.method == Method.LETTER:
        return WAITING
    if today > invitation.expires_on:
        return EXPIRED
    return SENT if gone_out else WAITING


def counts(today: datetime.date) -> dict:
    """How many invitations are in each status, in one query."""
    filters = status_filters(today)
    result = FeedbackInvitation.objects.aggregate(
        **{status: Count("pk", filter=condition) for status, condition in filters.items()},
        total=Count("pk"),
        to_print=Count(
            "pk",
            filter=Q(method=Method.LETTER, letter_printed_at__isnull=True, used_at__isnull=True),
        ),
    )
    return result


def invitation_list(status: str, today: datetime.date):
    invitations = FeedbackInvitation.objects.select_related("assessment").order_by(
        "-created_at", "-pk"
    )
    if status:
        invitations = invitations.filter(status_filters(today)[status])
    return invitations
