"""Telling people things: an entry in their list in the service, and an e-mail.

Every e-mail this service sends about its work is written here, one fixed text per kind of
notification. None of them takes any data from the record it is about — no family, child or EHA
reference, no names, no dates — only what kind of thing happened and a link to sign in. So an
e-mail read on a phone over someone's shoulder, or sent to a wrong address, gives nothing away.
The in-app `text` can be more precise, because only the signed-in recipient reads it.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmailText:
    subject: str
    body: str


# kind -> the e-mail's subject and its one paragraph. Add a kind here before using it.
EMAILS = {
    "escalation": EmailText(
        "An audit has been escalated to you",
        "An Early Help audit has found the help Inadequate or has raised unresolved "
        "safeguarding issues, and you are recorded as the coordinator's line manager. Please "
        "sign in to read it, acknowledge it and record what you have done.",
    ),
    "escalation_without_account": EmailText(
        "An audit has been escalated to you",
        "An Early Help audit has found the help Inadequate or has raised unresolved "
        "safeguarding issues, and the Early Help data report names you as the coordinator's "
        "manager. You do not have an account with this service: please contact the Early Help "
        "Team today, who will tell you about it and record your response.",
    ),
    "escalation_no_line_manager": EmailText(
        "An escalation has no line manager on record",
        "An audit has been escalated, but no line manager is on record for the coordinator, "
        "so nobody else has been told. Please sign in, find the right manager and tell them.",
    ),
    "escalation_manager_has_no_account": EmailText(
        "An escalated audit's manager has no account",
        "An audit has been escalated to a manager who has no account with this service. They "
        "have been e-mailed and asked to contact the Early Help Team. Please sign in to record "
        "their acknowledgement and response.",
    ),
    "escalation_chase": EmailText(
        "Reminder: an escalated audit is waiting for you",
        "An audit escalated to you has not been acknowledged yet. Please sign in to "
        "acknowledge it and record what you have done.",
    ),
    "escalation_raised": EmailText(
        "An escalation has not been acknowledged",
        "An escalated audit has not been acknowledged by the line manager, even after a "
        "reminder. Please sign in to see it in the escalation register.",
    ),
    "escalation_update": EmailText(
        "An escalation has been updated",
        "A line manager has acknowledged or responded to an escalated audit. Please sign in "
        "to read the response.",
    ),
    "audit_shared": EmailText(
        "Feedback from an Early Help audit",
        "The Early Help Team has shared an audit of an Early Help Assessment with you. Please "
        "sign in to read the feedback and record your response.",
    ),
    "feedback_response": EmailText(
        "A response to your audit feedback",
        "Someone you shared an audit with has responded to the feedback. Please sign in to "
        "read their response.",
    ),
    "audit_due_soon": EmailText(
        "An audit is due soon",
        "An audit assigned to you is due within the next few days. Please sign in to see it.",
    ),
    "audits_assigned": EmailText(
        "Audits have been assigned to you",
        "New audits have been assigned to you. Please sign in to see them in your list of audits.",
    ),
    "draft_sample_ready": EmailText(
        "Next month's draft dip sample is ready",
        "A draft dip sample has been drawn for next month. Please sign in to check it, make any "
        "changes, assign auditors and confirm it.",
    ),
    "drift_found": EmailText(
        "New drifting plans found",
        "The daily check of the case data has found Early Help plans that may be drifting. "
        "Please sign in to see the drift worklist.",
    ),
    "action_assigned": EmailText(
        "An action has been given to you",
        "An action from the Early Help quality assurance work has been given to you. Please sign "
        "in to see what it is and when it is due.",
    ),
    "action_due_soon": EmailText(
        "An action is due soon",
        "An action you own is due within the next week. Please sign in to record progress or "
        "the evidence that it is done.",
    ),
    "action_overdue": EmailText(
        "An action is overdue",
        "An action you own is past its due date. Please sign in to record progress, or ask the "
        "QA lead for a new date.",
    ),
    "action_done": EmailText(
        "An action is ready for sign-off",
        "The owner of an action has recorded the evidence that it is done. Please sign in to "
        "check the evidence and sign it off.",
    ),
    "action_sent_back": EmailText(
        "An action needs more evidence",
        "The QA lead has looked at the evidence for an action you own and sent it back: it needs "
        "more before it can be signed off. Please sign in to see why.",
    ),
    "action_signed_off": EmailText(
        "Your action has been signed off",
        "The QA lead has signed off an action you own as done. Please sign in to see it.",
    ),
    "audit_overdue": EmailText(
        "An audit is overdue",
        "An audit assigned to you is past its due date. Please sign in to see it, or ask the "
        "QA lead for a new date.",
    ),
}


def notify(kind, *, recipient=None, email="", text, url="", key=""):
    """Tells one person: a notification in the service (for someone with an account) and an
    e-mail. Returns the notification, or None when `key` says it has been sent before.

    `key` names the occasion (such as "escalation:12:chase"); the same occasion for the same
    person is recorded once only, so a job that runs twice tells nobody twice.
    """
    if kind not in EMAILS:
        raise ValueError(f"Unknown kind of notification: {kind!r}")
    if recipient is None and not email:
        raise ValueError("A notification needs a person or an e-mail address")
    if recipient is not None and not recipient.is_active:
        return None
    if key:
        key = f"{key}:{recipient.pk if recipient is not None else email.lower()}"
        if Notification.objects.filter(key=key).exists():
            return None
    try:
        # A savepoint, so that losing a race to the same key leaves the caller's work intact.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, email=email, kind=kind, text=text[:300], url=url, key=key
            )
    except IntegrityError:
        return None
    from .tasks import send_notification_email

    # Enqueued in the same transaction: with the database queue the worker sees the task only
    # once the notification it sends is committed, and never if the work is rolled back.
    send_notification_email.enqueue(notification.pk)
    return notification


def email_for(notification) -> tuple[str, str]:
    """The subject and body of a notification's e-mail."""
    words = EMAILS[notification.kind]
    link = settings.SERVICE_URL.rstrip("/") + (
        notification.url if notification.recipient_id and notification.url else "/"
    )
    body = (
        f"{words.body}\n\n"
        f"{link}\n\n"
        "This e-mail does not say which family it is about, to keep their information safe: "
        "you will see that once you have signed in.\n\n"
        f"{settings.SERVICE_NAME}\n{settings.PARTNERSHIP_NAME}\n"
        f"Contact the Early Help Team: {settings.SERVICE_CONTACT_EMAIL}\n"
    )
    return f"{words.subject}: {settings.SERVICE_NAME}", body


def send_email(notification_id):
    """Sends a notification's e-mail once. Run by the task worker."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        address = notification.recipient.email if notification.recipient else notification.email
        subject, body = email_for(notification)
        send_mail(subject, body, None, [address])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    log.info("Sent the %s e-mail of notification %s", notification.kind, notification.pk)
    return True


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def for_user(user):
    return Notification.objects.filter(recipient=user)


def mark_read(user, notification_id=None):
    """Marks one of this person's notifications, or all of them, as read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
