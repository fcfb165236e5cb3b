"""Escalation: "Where the Early Help is found to be 'Inadequate' and/or there are unresolved
safeguarding issues raised by the process, then the Early Help Officer will directly inform the
EHA co-ordinators line manager."

An escalation is made in the same transaction as the submission, and someone is always told:
the line manager on the coordinator's account; else the manager e-mail address in the data
report (and the QA lead, to record the response, since that manager has no account); else the
QA lead, told that no line manager is on record.
"""

from django.urls import reverse

from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.core.notifications import notify

from .models import AuditEvent, Escalation

INADEQUATE = "Inadequate"


def needs_escalation(audit) -> tuple[bool, bool]:
    """(judged Inadequate, unresolved safeguarding issues) for a submitted audit."""
    inadequate = audit.judgement is not None and audit.judgement.label == INADEQUATE
    return inadequate, bool(audit.unresolved_safeguarding)


def qa_leads():
    return User.objects.filter(is_active=True, role_assignments__role=Role.QA_LEAD).distinct()


def line_manager_for(assessment) -> tuple[User | None, str, str]:
    """(the manager's account or None, the address told, how we know) for an EHA."""
    coordinator = assessment.coordinator
    if coordinator is not None and coordinator.line_manager_id is not None:
        manager = coordinator.line_manager
        if manager.is_active:
            return manager, manager.email, Escalation.ToldHow.USER_RECORD
    address = assessment.coordinator_manager_email
    if address:
        manager = User.objects.filter(email__iexact=address, is_active=True).first()
        return manager, address, Escalation.ToldHow.DATA_REPORT
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
