"""The daily jobs of this stage: next month's draft sample, and the drift scan."""

import datetime

from django.urls import reverse

from earlyhelp.audits.escalation import qa_leads
from earlyhelp.core.months import add_months, first_of_month
from earlyhelp.core.notifications import notify
from earlyhelp.core.scheduling import daily_job
from earlyhelp.core.working_days import is_working_day

from . import drift, services
from .models import DipSample


def first_working_day(month: datetime.date) -> datetime.date:
    day = first_of_month(month)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


@daily_job("prepare next month's draft dip sample")
def prepare_next_sample(today: datetime.date) -> int:
    """On the first working day of a month, draws next month's sample as a draft (unless one
    exists already) and tells the QA lead."""
    if today != first_working_day(today):
        return 0
    month = add_months(first_of_month(today), 1)
    if DipSample.objects.filter(month=month, theme_key="").exclude(status="cancelled").exists():
        return 0
    sample = services.draw_draft(month=month, today=today)
    for lead in qa_leads():
        notify(
            "draft_sample_ready",
            recipient=lead,
            text=f"The draft dip sample for {month:%B %Y} is ready to check and confirm.",
            url=reverse("sampling:detail", args=[sample.pk]),
            key=f"sample:{sample.pk}:draft-ready",
        )
    return 1


@daily_job("scan the case data for drift")
def scan_for_drift(today: datetime.date) -> int:
    return drift.scan(today)
