"""Feedback to practitioners: "Following audit, the Early Help Team will provide feedback directly
to manager or agency involved based on the findings."

The auditor (or the QA lead) shares a submitted audit with the EHA's coordinator, the
coordinator's line manager and the lead agency's manager, where each has an account that can read
it. Each is told, reads the audit (only audits shared with them: selectors.may_open) and records
whether they agree with the judgement, their reflection and what they will do; the auditor is told
of each response. The audit closes when everyone it was shared with has responded, or, by the
daily job, once FEEDBACK_CLOSE_AFTER_DAYS have passed, with the reason recorded.

Every change is a conditional UPDATE (only a submitted audit can be shared, only a share without a
response can take one, only a shared audit can close), so two clicks or two processes record
nothing twice.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.core.notifications import notify
from earlyhelp.core.scheduling import daily_job

from .models import Audit, AuditEvent, AuditShare

Relationship = AuditShare.Relationship

# The roles that may read an audit shared with them (selectors.may_open, the overview's rule).
READING_ROLES = (Role.COORDINATOR, Role.LINE_MANAGER)

EVERYONE_RESPONDED = "Feedback acknowledged by everyone it was shared with"


class FeedbackRefused(Exception):
    """Something that cannot be done, with a message to show the person who tried."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Who is told ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone the feedback is for, and whether they can be told."""

    relationship: str
    user: User | None
    problem: str = ""  # why they cannot be told, when they cannot

    @property
    def label(self) -> str:
        return Relationship(self.relationship).label


def _active_user_with_email(address):
    if not address:
        return None
    return User.objects.filter(email__iexact=address, is_active=True).first()


def _can_read(user) -> str:
    """Why this account cannot be given the feedback, or "" when it can."""
    if not user.is_active:
        return "their account is no longer active"
    if not user.has_role(*READING_ROLES):
        return "their account has neither the coordinator nor the line manager role"
    return ""


def candidates(audit) -> list[Candidate]:
    """Everyone the feedback on this audit is for, in order: the coordinator, the coordinator's
    line manager, the lead agency's manager; each with the reason they cannot be told, if any.

    The coordinator is the account linked to the EHA, else the account with the coordinator's
    e-mail address in the data report; their line manager is the one on their account, else the
    account with the manager's e-mail address in the data report.
    """
    eha = audit.assessment
    coordinator = eha.coordinator or _active_user_with_email(eha.coordinator_email)
    manager = None
    if coordinator is not None and coordinator.line_manager_id is not None:
        manager = coordinator.line_manager
    if manager is None or not manager.is_active:
        manager = _active_user_with_email(eha.coordinator_manager_email) or manager
    agency = eha.lead_agency
    agency_manager = agency.manager if agency is not None and agency.manager_id else None

    found = []
    for relationship, user, missing in (
        (Relationship.COORDINATOR, coordinator, "the coordinator has no account"),
        (Relationship.LINE_MANAGER, manager, "no line manager with an account is on record"),
        (Relationship.AGENCY_MANAGER, agency_manager, "the lead agency has no manager set"),
    ):
        if user is None:
            found.append(Candidate(relationship, None, missing))
        else:
            found.append(Candidate(relationship, user, _can_read(user)))
    return found


def share_recipients(audit) -> list[tuple[User, str]]:
    """(person, relationship) for each person this audit would be shared with: active accounts
    that can read it, each person once (someone who is both the coordinator's line manager and
    the agency's manager is told once, as the line manager)."""
    recipients, seen = [], set()
    for candidate in candidates(audit):
        if candidate.user is None or candidate.problem or candidate.user.pk in seen:
            continue
        seen.add(candidate.user.pk)
        recipients.append((candidate.user, candidate.relationship))
    return recipients


# Who may do what ---------------------------------------------------------------------------------


def may_share(user, audit) -> bool:
    """The audit's auditor or the QA lead, once the audit is submitted and not yet shared."""
    return audit.status == Audit.Status.SUBMITTED and is_auditor_or_lead(user, audit)


def is_auditor_or_lead(user, audit) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_role(Role.QA_LEAD):
        return True
    return user.has_role(Role.AUDITOR) and audit.auditor_id == user.pk


def may_respond(user, share) -> bool:
    return (
        share is not None
        and share.person_id == user.pk
        and share.responded_at is None
        and share.audit.status == Audit.Status.SHARED
    )


def audit_url(audit) -> str:
    return reverse("audits:overview", args=[audit.pk])


def _names(shares_or_pairs) -> str:
    names = [
        f"{person} ({Relationship(relationship).label.lower()})"
        for person, relationship in shares_or_pairs
    ]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# Sharing -----------------------------------------------------------------------------------------


def _refuse_unless_submitted(audit):
    if audit.status in (Audit.Status.SHARED, Audit.Status.CLOSED):
        raise FeedbackRefused("This audit has already been shared.")
    if audit.status != Audit.Status.SUBMITTED:
        raise FeedbackRefused(
            "This audit cannot be shared yet: only a submitted audit can be shared."
        )


@transaction.atomic
def share(audit, by) -> list[AuditShare]:
    """Shares a submitted audit with everyone it is for, tells each of them, and records it.

    Refused (FeedbackRefused, nothing written) when the person may not share it, when the audit
    is not submitted (or has been shared already), or when nobody can be told.
    """
    if not is_auditor_or_lead(by, audit):
        raise FeedbackRefused("Only the audit's auditor or the QA lead can share it.")
    audit.refresh_from_db(fields=["status"])
    _refuse_unless_submitted(audit)
    recipients = share_recipients(audit)
    if not recipients:
        problems = "; ".join(
            f"{c.label.lower()}: {c.problem}" if c.user else c.problem for c in candidates(audit)
        )
        raise FeedbackRefused(
            f"This audit cannot be shared because nobody can be told about it ({problems}). "
            "Ask an administrator to add the coordinator's account or their line manager."
        )
    now = timezone.now()
    changed = Audit.objects.filter(pk=audit.pk, status=Audit.Status.SUBMITTED).update(
        status=Audit.Status.SHARED, shared_at=now
    )
    if not changed:  # someone else shared or reopened it a moment ago
        audit.refresh_from_db(fields=["status"])
        _refuse_unless_submitted(audit)
        raise FeedbackRefused("This audit changed as you shared it: try again.")
    shares = AuditShare.objects.bulk_create(
        AuditShare(
            audit=audit, person=person, relationship=relationship, shared_at=now, shared_by=by
        )
        for person, relationship in recipients
    )
    AuditEvent.objects.create(
        audit=audit,
        kind=AuditEvent.Kind.SHARED,
        by=by,
        at=now,
        note=f"Shared with {_names(recipients)}.",
    )
    reference = audit.assessment.reference
    for person, _ in recipients:
        notify(
            "audit_shared",
            recipient=person,
            text=f"The audit of {reference} has been shared with you: read it and respond.",
            url=audit_url(audit),
            key=f"audit:{audit.pk}:shared",
        )
    audit.status, audit.shared_at = Audit.Status.SHARED, now
    return shares


def record_first_read(share) -> bool:
    """Records when the person it was shared with first opened the audit (once)."""
    if share.first_read_at is not None:
        return False
    now = timezone.now()
    changed = AuditShare.objects.filter(pk=share.pk, first_read_at__isnull=True).update(
        first_read_at=now
    )
    if changed:
        share.first_read_at = now
    return bool(changed)


# Responding --------------------------------------------------------------------------------------


@transaction.atomic
def respond(*, share, by, agrees, reflection, will_do) -> AuditShare:
    """Records the response of the person an audit was shared with, tells the auditor, and
    closes the audit when everyone it was shared with has responded. Once only."""
    if share.person_id != by.pk:
        raise FeedbackRefused("Only the person the audit was shared with can respond to it.")
    if agrees not in AuditShare.Agreement.values:
        raise FeedbackRefused("Select whether you agree with the judgement.")
    # One response at a time per audit, so the last two responders cannot both miss closing it.
    audit = (
        Audit.objects.select_for_update()
        .select_related("assessment", "auditor")
        .get(pk=share.audit_id)
    )
    now = timezone.now()
    changed = AuditShare.objects.filter(
        pk=share.pk, responded_at__isnull=True, audit__status=Audit.Status.SHARED
    ).update(
        agrees_with_judgement=agrees,
        reflection=reflection,
        will_do=will_do,
        responded_at=now,
    )
    if not changed:
        share.refresh_from_db()
        if share.responded_at is not None:
            raise FeedbackRefused("You have already responded to this feedback.")
        raise FeedbackRefused(
            "The feedback on this audit has closed, so it can no longer take a response."
        )
    AuditShare.objects.filter(pk=share.pk, first_read_at__isnull=True).update(first_read_at=now)
    share.refresh_from_db()
    AuditEvent.objects.create(
        audit=audit,
        kind=AuditEvent.Kind.RESPONDED,
        by=by,
        at=now,
        note=f"As the {share.get_relationship_display().lower()}: "
        f"agrees with the judgement: {share.get_agrees_with_judgement_display()}.",
    )
    notify(
        "feedback_response",
        recipient=audit.auditor,
        text=f"{by} has responded to your feedback on the audit of {audit.assessment.reference}.",
        url=audit_url(audit),
        key=f"audit-share:{share.pk}:responded",
    )
    if not AuditShare.objects.filter(audit=audit, responded_at__isnull=True).exists():
        _close(audit, by=by, reason=EVERYONE_RESPONDED, at=now)
    return share


def _close(audit, *, by, reason, at, note="") -> bool:
    closed = Audit.objects.filter(pk=audit.pk, status=Audit.Status.SHARED).update(
        status=Audit.Status.CLOSED, closed_at=at, closure_reason=reason
    )
    if closed:
        AuditEvent.objects.create(
            audit=audit, kind=AuditEvent.Kind.CLOSED, by=by, at=at, note=note or reason
        )
        audit.status, audit.closed_at, audit.closure_reason = Audit.Status.CLOSED, at, reason
    return bool(closed)


# Closing when nobody answers ------------------------------------------------------------------


def closes_on(shared_at) -> datetime.date:
    """The day the daily job closes an audit shared at this moment, if some have not responded."""
    shared_on = timezone.localtime(shared_at).date()
    return shared_on + datetime.timedelta(days=settings.FEEDBACK_CLOSE_AFTER_DAYS)


def close_after(today: datetime.date) -> datetime.datetime:
    """Audits shared before this moment have had their time to respond on `today`: those shared
    FEEDBACK_CLOSE_AFTER_DAYS days before today or earlier."""
    last_day = today - datetime.timedelta(days=settings.FEEDBACK_CLOSE_AFTER_DAYS - 1)
    return timezone.make_aware(datetime.datetime.combine(last_day, datetime.time.min))


def unanswered_reason(days, silent) -> str:
    return (
        f"Closed after {days} days without a response from {_names(silent)}."
        if silent
        else EVERYONE_RESPONDED
    )


@daily_job("close audits whose feedback has had no response")
def close_unanswered(today: datetime.date) -> int:
    """Closes every shared audit whose time to respond has passed, naming who did not respond.
    Idempotent: a closed audit is not shared any more, so a second run finds nothing."""
    days = settings.FEEDBACK_CLOSE_AFTER_DAYS
    due = (
        Audit.objects.filter(status=Audit.Status.SHARED, shared_at__lt=close_after(today))
        .select_related("auditor")
        .order_by("pk")
    )
    closed = 0
    for audit in due:
        silent = [
            (share.person, share.relationship)
            for share in audit.shares.filter(responded_at__isnull=True).select_related("person")
        ]
        reason = unanswered_reason(days, silent)
        # The history needs a person: the audit's auditor, whose feedback it was; the note says
        # that the service closed it.
        closed += _close(
            audit,
            by=audit.auditor,
            reason=reason,
            at=timezone.now(),
            note=f"Closed automatically by the service. {reason}",
        )
    return closed
