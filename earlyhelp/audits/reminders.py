"""Daily reminders to auditors: audits due within a few days, and audits past their due date.

Each reminder's key includes the due date, so an auditor is reminded once per due date: twice
if the QA lead moves the date, never twice for the same one.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat

from earlyhelp.core.notifications import notify
from earlyhelp.core.scheduling import daily_job

from .models import Audit

OPEN = (Audit.Status.PLANNED, Audit.Status.IN_PROGRESS)


def _remind(audit, kind, text, occasion):
    return notify(
        kind,
        recipient=audit.auditor,
        text=text,
        url=reverse("audits:overview", args=[audit.pk]),
        key=f"audit:{audit.pk}:{occasion}:{audit.due_date.isoformat()}",
    )


@daily_job("remind auditors of audits due soon")
def remind_due_soon(today: datetime.date) -> int:
    horizon = today + datetime.timedelta(days=settings.AUDIT_DUE_SOON_DAYS)
    audits = Audit.objects.filter(
        status__in=OPEN, due_date__gte=today, due_date__lte=horizon, auditor__is_active=True
    ).select_related("auditor", "assessment")
    sent = 0
    for audit in audits:
        due = dateformat.format(audit.due_date, "j F Y")
        text = f"Your audit of {audit.assessment.reference} is due on {due}."
        sent += _remind(audit, "audit_due_soon", text, "due-soon") is not None
    return sent


@daily_job("remind auditors of overdue audits")
def remind_overdue(today: datetime.date) -> int:
    audits = Audit.objects.filter(
        status__in=OPEN, due_date__lt=today, auditor__is_active=True
    ).select_related("auditor", "assessment")
    sent = 0
    for audit in audits:
        due = dateformat.format(audit.due_date, "j F Y")
        text = f"Your audit of {audit.assessment.reference} was due on {due} and is overdue."
        sent += _remind(audit, "audit_overdue", text, "overdue") is not None
    return sent
