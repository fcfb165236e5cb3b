"""The scheduled job that prepares next month's draft sample on the first working day."""

import datetime

import pytest
from django.core import mail

from earlyhelp.accounts.roles import Role
from earlyhelp.sampling.jobs import first_working_day, prepare_next_sample
from earlyhelp.sampling.models import DipSample

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory


@pytest.mark.parametrize(
    ("month", "first"),
    [
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 1)),  # a Tuesday
        (datetime.date(2026, 11, 1), datetime.date(2026, 11, 2)),  # Sunday → Monday
        (datetime.date(2027, 1, 1), datetime.date(2027, 1, 4)),  # bank holiday, weekend → Monday
        (datetime.date(2026, 8, 1), datetime.date(2026, 8, 3)),  # Saturday → Monday
    ],
)
def test_the_first_working_day_skips_weekends_and_bank_holidays(month, first):
    assert first_working_day(month) == first


def test_on_the_first_working_day_next_months_draft_is_drawn_and_the_qa_lead_told(db):
    lead = UserFactory(roles=[Role.QA_LEAD])
    for _ in range(10):
        EarlyHelpAssessmentFactory()
    assert prepare_next_sample(datetime.date(2026, 12, 1)) == 1
    sample = DipSample.objects.get()
    assert sample.month == datetime.date(2027, 1, 1)
    assert sample.status == DipSample.Status.DRAFT
    assert sample.items.count() == 8
    assert [m.to for m in mail.outbox] == [[lead.email]]


def test_no_draft_on_other_days_and_none_twice(db):
    UserFactory(roles=[Role.QA_LEAD])
    EarlyHelpAssessmentFactory()
    assert prepare_next_sample(datetime.date(2026, 12, 2)) == 0
    assert prepare_next_sample(datetime.date(2026, 12, 1)) == 1
    assert prepare_next_sample(datetime.date(2026, 12, 1)) == 0
    assert DipSample.objects.count() == 1
    assert len(mail.outbox) == 1
