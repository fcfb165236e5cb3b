"""Escalation: "Where the Early Help is found to be 'Inadequate' and/or there are unresolved
safeguarding issues raised by the process, then the Early Help Officer will directly inform the
EHA co-ordinators line manager."

An escalation is made in the same transaction as the submission, and someone is always told:
the line manager on the coordinator's account; else the manager e-mail address in the data
report (and the QA lead, to record the response, since that manager has no account); else the
QA lead, told that no line manager is on record.

Then the line manager acknowledges it, records their response and what was done, and marks it
resolved (the QA lead records these for a manager who has no account). An escalation not
acknowledged after ESCALATION_CHASE_WORKING_DAYS working days is chased, and after twice as many
raised to the QA leads (the daily job at the end). The QA lead's escalation register and the line
manager's own list are read through `visible_escalations` and `register`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.core.listing import page_number as choose_page
from earlyhelp.core.notifications import notify
from earlyhelp.core.scheduling import daily_job
from earlyhelp.core.working_days import working_days_between

from .models import AuditEvent, Escalation

INADEQUATE = "Inadequate"


def needs_escalation(audit) -> tuple[bool, bool]:
    """(judged Inadequate, unresolved safeguarding issues) for a submitted audit."""
    inadequate = audit.judgement is not None and audit.judgement.label == INADEQUATE
    return inadequate, bool(audit.unresolved_safeguarding)


def qa_leads():
    return User.objects.filter(is_active=True, role_assignments__role=Role.QA_LEAD).distinct()


def can_answer(manager) -> bool:
    """Whether this account can open the escalation pages to answer: an active line manager.
    (An account without the role would be sent a link that refuses them.)"""
    return manager is not None and manager.is_active and manager.has_role(Role.LINE_MANAGER)


def line_manager_for(assessment) -> tuple[User | None, str, str]:
    """(the manager's account or None, the address told, how we know) for an EHA.

    A manager whose account cannot answer (it does not hold the line manager role) is told at
    their address as a manager without an account, and the QA lead records their response.
    """
    coordinator = assessment.coordinator
    if coordinator is not None and coordinator.line_manager_id is not None:
        manager = coordinator.line_manager
        if manager.is_active:
            account = manager if can_answer(manager) else None
            return account, manager.email, Escalation.ToldHow.USER_RECORD
    address = assessment.coordinator_manager_email
    if address:
        manager = User.objects.filter(email__iexact=address, is_active=True).first()
        return (manager if can_answer(manager) else None), address, Escalation.ToldHow.DATA_REPORT
    return None, "", Escalation.ToldHow.NONE


def escalation_url(escalation) -> str:
    return reverse("escalations:detail", args=[escalation.pk])


def escalate_if_needed(*, audit, by):
    """Makes the escalation of a just-submitted audit and tells the right people, or does
    nothing when neither reason applies. An audit reopened and submitted again keeps its one
    escalation (the people told already know)."""
    inadequate, safeguarding = needs_escalation(audit)
    if not (inadequate or safeguarding):
        return None
    existing = Escalation.objects.filter(audit=audit).first()
    if existing is not None:
        return existing
    manager, address, how = line_manager_for(audit.assessment)
    escalation = Escalation.objects.create(
        audit=audit,
        inadequate=inadequate,
        unresolved_safeguarding=safeguarding,
        line_manager=manager,
        told_email=address,
        told_how=how,
        created_by=by,
    )
    url = escalation_url(escalation)
    reference = audit.assessment.reference
    reasons = " and ".join(escalation.reasons)
    if manager is not None:
        notify(
            "escalation",
            recipient=manager,
            text=f"The audit of {reference} is escalated to you: {reasons}.",
            url=url,
            key=f"escalation:{escalation.pk}:told",
        )
        told = f"Escalated to {manager} ({address})."
    elif address:
        notify(
            "escalation_without_account",
            email=address,
            text="",
            key=f"escalation:{escalation.pk}:told",
        )
        for lead in qa_leads():
            notify(
                "escalation_manager_has_no_account",
                recipient=lead,
                text=f"The audit of {reference} is escalated to {address}, who has no account: "
                "record their response.",
                url=url,
                key=f"escalation:{escalation.pk}:no-account",
            )
        told = f"Escalated by e-mail to {address} (no account); the QA lead was told."
    else:
        for lead in qa_leads():
            notify(
                "escalation_no_line_manager",
                recipient=lead,
                text=f"The audit of {reference} is escalated ({reasons}), but no line manager "
                "is on record.",
                url=url,
                key=f"escalation:{escalation.pk}:no-manager",
            )
        told = "No line manager on record: the QA lead was told."
    AuditEvent.objects.create(audit=audit, kind=AuditEvent.Kind.ESCALATED, by=by, note=told)
    return escalation


# Who may see and answer an escalation ----------------------------------------------------------


def visible_escalations(user):
    """The escalations this person may see: the QA lead every one, a line manager those made to
    them, and nobody else any (they are told an escalation does not exist)."""
    escalations = Escalation.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return escalations.none()
    if user.has_role(Role.QA_LEAD):
        return escalations
    if user.has_role(Role.LINE_MANAGER):
        return escalations.filter(line_manager=user)
    return escalations.none()


def recorded_on_behalf(escalation) -> bool:
    """Whether the QA lead answers for the manager: nobody with an account can answer it."""
    return not can_answer(escalation.line_manager)


def may_record(user, escalation) -> bool:
    """Whether this person may acknowledge the escalation and record the response: the line
    manager it was made to, or the QA lead for a manager who has no account. Nobody once it is
    resolved."""
    if escalation.status == Escalation.Status.RESOLVED or not user.is_active:
        return False
    if escalation.line_manager_id == user.pk and user.has_role(Role.LINE_MANAGER):
        return True
    return user.has_role(Role.QA_LEAD) and recorded_on_behalf(escalation)


class NotAllowed(Exception):
    """This person may not answer this escalation."""


class EscalationResolved(Exception):
    """The escalation is resolved, so it can no longer be changed."""


class ResponseNeeded(Exception):
    """An escalation cannot be resolved without a response."""


# Answering an escalation -----------------------------------------------------------------------


def _for_whom(escalation, by) -> str:
    """How the history says who answered: "by the line manager" or, for the QA lead recording
    a manager's words, on whose behalf."""
    if escalation.line_manager_id == by.pk:
        return ""
    told = escalation.told_email or "the line manager (none on record)"
    return f" on behalf of {told}"


def _tell_about_change(escalation, by, what, key=""):
    """Tells the auditor (on the audit's page, which shows the escalation) and the QA leads (on
    the escalation's page) what changed, except the person who changed it."""
    audit = escalation.audit
    text = f"The escalation of the audit of {audit.assessment.reference} has been {what}."
    people = [(audit.auditor, reverse("audits:overview", args=[audit.pk]))]
    people += [(lead, escalation_url(escalation)) for lead in qa_leads()]
    told = set()
    for person, url in people:
        if person.pk == by.pk or person.pk in told:
            continue
        told.add(person.pk)
        notify("escalation_update", recipient=person, text=text, url=url, key=key)


def _record_event(escalation, by, note):
    AuditEvent.objects.create(
        audit_id=escalation.audit_id, kind=AuditEvent.Kind.ESCALATION_UPDATED, by=by, note=note
    )


@transaction.atomic
def acknowledge(escalation, by) -> bool:
    """Records that the manager has seen the escalation. False when it already was (a second
    click, or someone else first): nothing is recorded twice."""
    if not may_record(by, escalation):
        raise NotAllowed
    now = timezone.now()
    # Conditional: of two clicks, only the first finds the escalation still open.
    changed = Escalation.objects.filter(pk=escalation.pk, status=Escalation.Status.OPEN).update(
        status=Escalation.Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by
    )
    escalation.refresh_from_db()
    if not changed:
        return False
    _record_event(escalation, by, f"Acknowledged{_for_whom(escalation, by)}.")
    _tell_about_change(
        escalation, by, "acknowledged", key=f"escalation:{escalation.pk}:acknowledged"
    )
    return True


@transaction.atomic
def record_response(escalation, by, response, action_taken, resolved: bool) -> bool:
    """Records the manager's response and what was done, acknowledging the escalation if it was
    not yet, and resolves it when `resolved`. A resolved escalation cannot be changed again.
    Returns False when nothing changed (the same words sent twice)."""
    response, action_taken = response.strip(), action_taken.strip()
    if resolved and not response:
        raise ResponseNeeded
    # Locked until the transaction ends, so two sends of the form are recorded one after the
    # other: the second sees the first's changes (and, if it resolved it, is refused).
    current = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if current.status == Escalation.Status.RESOLVED:
        escalation.refresh_from_db()
        raise EscalationResolved
    if not may_record(by, current):
        raise NotAllowed
    acknowledging = current.status == Escalation.Status.OPEN
    changed_words = (response, action_taken) != (current.response, current.action_taken)
    if not (acknowledging or changed_words or resolved):
        escalation.refresh_from_db()
        return False
    now = timezone.now()
    current.response, current.action_taken = response, action_taken
    fields = ["response", "action_taken", "status"]
    if acknowledging:
        current.acknowledged_at, current.acknowledged_by = now, by
        fields += ["acknowledged_at", "acknowledged_by"]
    if resolved:
        current.status = Escalation.Status.RESOLVED
        current.resolved_at, current.resolved_by = now, by
        fields += ["resolved_at", "resolved_by"]
    else:
        current.status = Escalation.Status.ACKNOWLEDGED
    current.save(update_fields=fields)
    done = [
        "acknowledged" if acknowledging else "",
        "responded to" if changed_words else "",
        "resolved" if resolved else "",
    ]
    what = _and([word for word in done if word])
    _record_event(current, by, f"{what.capitalize()}{_for_whom(current, by)}.")
    key = f"escalation:{current.pk}:resolved" if resolved else ""
    _tell_about_change(current, by, what, key=key)
    escalation.refresh_from_db()
    return True


def _and(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# Ages, overdue and the register ----------------------------------------------------------------


def chase_after() -> int:
    return settings.ESCALATION_CHASE_WORKING_DAYS


def age_in_working_days(escalation, today=None) -> int:
    """Working days since the escalation was made, until it was resolved or until today."""
    today = today or timezone.localdate()
    end = timezone.localdate(escalation.resolved_at) if escalation.resolved_at else today
    return working_days_between(timezone.localdate(escalation.created_at), end)


def is_overdue(escalation, today=None) -> bool:
    """Still not acknowledged after the working days allowed for it."""
    return (
        escalation.status == Escalation.Status.OPEN
        and age_in_working_days(escalation, today) >= chase_after()
    )


def overdue_boundary(today) -> datetime.datetime:
    """Escalations made before this moment and not yet acknowledged are overdue today: the
    start of the day after the latest day with the allowed working days between it and today.
    Lets the database put overdue escalations first, bank holidays and all."""
    day = today
    while working_days_between(day, today) < chase_after():
        day -= datetime.timedelta(days=1)
    next_day = day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))


# The register's filter values, besides the statuses themselves.
OVERDUE = "overdue"
REGISTER_PAGE_SIZE = 50


def _ranked(escalations, today):
    boundary = overdue_boundary(today)
    S = Escalation.Status
    return escalations.annotate(
        rank=Case(
            When(status=S.OPEN, created_at__lt=boundary, then=Value(0)),
            When(status=S.OPEN, then=Value(1)),
            When(status=S.ACKNOWLEDGED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )


def register_queryset(user, status="", today=None):
    """The escalations this person may see, overdue first, then those not yet acknowledged,
    then acknowledged (the oldest first in each), then resolved (the latest first); `status` is
    one of the statuses or "overdue" to show only those."""
    today = today or timezone.localdate()
    escalations = _ranked(visible_escalations(user), today)
    if status == OVERDUE:
        escalations = escalations.filter(rank=0)
    elif status:
        escalations = escalations.filter(status=status)
    return escalations.select_related(
        "audit__assessment", "audit__judgement", "line_manager"
    ).order_by(
        "rank",
        Case(When(rank__lt=3, then="created_at")).asc(nulls_last=True),
        "-resolved_at",
        "pk",
    )


def summary(user, today=None) -> dict:
    """How many of this person's escalations are in each state, in one query."""
    today = today or timezone.localdate()
    S = Escalation.Status
    counts = visible_escalations(user).aggregate(
        overdue=Count("pk", filter=Q(status=S.OPEN, created_at__lt=overdue_boundary(today))),
        open=Count("pk", filter=Q(status=S.OPEN)),
        acknowledged=Count("pk", filter=Q(status=S.ACKNOWLEDGED)),
        resolved=Count("pk", filter=Q(status=S.RESOLVED)),
    )
    counts["total"] = counts["open"] + counts["acknowledged"] + counts["resolved"]
    return counts


@dataclass(frozen=True)
class Register:
    page: Page
    missing_page: int | None  # the page asked for, when there is no such page

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def rows(self):
        return self.page.object_list


def register(user, status="", page_number=None, today=None) -> Register:
    """One page of the register, each row with its age and whether it is overdue."""
    today = today or timezone.localdate()
    paginator = Paginator(register_queryset(user, status, today), REGISTER_PAGE_SIZE)
    number, missing = choose_page(page_number, paginator)
    page = paginator.page(number)
    rows = list(page.object_list)
    for escalation in rows:
        escalation.age = age_in_working_days(escalation, today)
        escalation.overdue = escalation.rank == 0
    page.object_list = rows
    return Register(page=page, missing_page=missing)


# The daily job: chasing and raising ------------------------------------------------------------


def _chase(escalation) -> int:
    """Reminds the manager once; returns how many were told."""
    claimed = Escalation.objects.filter(
        pk=escalation.pk, status=Escalation.Status.OPEN, chased_at__isnull=True
    ).update(chased_at=timezone.now())
    if not claimed:
        return 0
    key = f"escalation:{escalation.pk}:chase"
    reference = escalation.audit.assessment.reference
    if can_answer(escalation.line_manager):
        sent = notify(
            "escalation_chase",
            recipient=escalation.line_manager,
            text=f"The escalation of the audit of {reference} is waiting for you to acknowledge.",
            url=escalation_url(escalation),
            key=key,
        )
        return int(sent is not None)
    if escalation.told_email:
        # A manager without an account is asked again to contact the Early Help Team.
        sent = notify("escalation_without_account", email=escalation.told_email, text="", key=key)
        return int(sent is not None)
    return 0  # nobody to remind: the QA leads were told at once, and are told again later


def _raise(escalation, days) -> int:
    """Tells the QA leads once that the escalation is still not acknowledged."""
    claimed = Escalation.objects.filter(
        pk=escalation.pk, status=Escalation.Status.OPEN, raised_at__isnull=True
    ).update(raised_at=timezone.now())
    if not claimed:
        return 0
    reference = escalation.audit.assessment.reference
    sent = 0
    for lead in qa_leads():
        told = notify(
            "escalation_raised",
            recipient=lead,
            text=f"The escalation of the audit of {reference} has not been acknowledged after "
            f"{days} working days.",
            url=escalation_url(escalation),
            key=f"escalation:{escalation.pk}:raised",
        )
        sent += told is not None
    return sent


@daily_job("chase unacknowledged escalations")
def chase_unacknowledged(today: datetime.date) -> int:
    """Reminds the line manager of an escalation still not acknowledged after the working days
    allowed, and raises it to the QA leads after twice as many. Acknowledging stops both; each
    is done once however often the job runs."""
    limit = chase_after()
    waiting = Escalation.objects.filter(
        status=Escalation.Status.OPEN, raised_at__isnull=True
    ).select_related("audit__assessment", "line_manager")
    done = 0
    for escalation in waiting:
        age = working_days_between(timezone.localdate(escalation.created_at), today)
        if age >= limit and escalation.chased_at is None:
            done += _chase(escalation)
        if age >= 2 * limit:
            done += _raise(escalation, age)
    return done
