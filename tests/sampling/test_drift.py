"""Drift rules at their boundary days: the day before the limit, the day, and the day after."""

import datetime

import pytest
from django.core import mail

from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.models import Notification
from earlyhelp.sampling import drift
from earlyhelp.sampling.models import DriftNotice

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory

TODAY = datetime.date(2026, 11, 26)


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def reasons(eha, today=TODAY):
    annotated = drift.with_drift(EarlyHelpAssessment.objects.filter(pk=eha.pk), today).first()
    return drift.reasons_of(annotated) if annotated else []


def recent_start():
    return days_ago(30)


@pytest.mark.parametrize(("days", "drifting"), [(83, False), (84, False), (85, True)])
def test_no_review_for_more_than_twelve_weeks(db, days, drifting):
    eha = EarlyHelpAssessmentFactory(
        start_date=days_ago(200), taf_meeting_date=days_ago(190), last_review_date=days_ago(days)
    )
    assert (drift.NO_REVIEW in reasons(eha)) is drifting


@pytest.mark.parametrize(("days", "drifting"), [(84, False), (85, True)])
def test_no_review_since_the_taf_meeting_counts_from_the_taf_meeting(db, days, drifting):
    eha = EarlyHelpAssessmentFactory(start_date=days_ago(120), taf_meeting_date=days_ago(days))
    assert (drift.NO_REVIEW in reasons(eha)) is drifting


@pytest.mark.parametrize(("days", "drifting"), [(41, False), (42, False), (43, True)])
def test_first_review_not_held_within_six_weeks_of_the_taf_meeting(db, days, drifting):
    eha = EarlyHelpAssessmentFactory(start_date=days_ago(60), taf_meeting_date=days_ago(days))
    assert (drift.FIRST_REVIEW_LATE in reasons(eha)) is drifting


def test_a_first_review_held_is_not_late(db):
    eha = EarlyHelpAssessmentFactory(
        start_date=days_ago(90),
        taf_meeting_date=days_ago(80),
        last_review_date=days_ago(30),
        number_of_reviews=1,
    )
    assert drift.FIRST_REVIEW_LATE not in reasons(eha)


@pytest.mark.parametrize(
    ("start", "drifting"),
    # Nine months before 26 November 2026 is 26 February 2026: open longer than that is drift.
    [
        (datetime.date(2026, 2, 27), False),
        (datetime.date(2026, 2, 26), False),
        (datetime.date(2026, 2, 25), True),
    ],
)
def test_plan_open_longer_than_nine_months(db, start, drifting):
    eha = EarlyHelpAssessmentFactory(start_date=start, last_review_date=days_ago(10))
    assert (drift.OPEN_NINE_MONTHS in reasons(eha)) is drifting


@pytest.mark.parametrize(
    ("start", "drifting"),
    [
        (datetime.date(2025, 11, 27), False),
        (datetime.date(2025, 11, 26), False),
        (datetime.date(2025, 11, 25), True),
    ],
)
def test_plan_open_longer_than_twelve_months_needs_a_contact(db, start, drifting):
    eha = EarlyHelpAssessmentFactory(start_date=start, last_review_date=days_ago(10))
    assert (drift.OPEN_TWELVE_MONTHS in reasons(eha)) is drifting


def test_a_tafs_request_for_support_is_drift_until_it_is_answered(db):
    officer = UserFactory(roles=[Role.AUDITOR])
    eha = EarlyHelpAssessmentFactory(start_date=recent_start(), taf_meeting_date=days_ago(20))
    assert reasons(eha) == []
    drift.record_taf_request(
        eha, requested_on=days_ago(1), note="Progress stalled", by=officer, today=TODAY
    )
    assert reasons(eha) == [drift.TAF_SUPPORT]
    drift.dismiss(eha, rule=drift.TAF_SUPPORT, reason="Extra support agreed", by=officer)
    assert reasons(eha) == []


def test_closed_ehas_never_drift(db):
    eha = EarlyHelpAssessmentFactory(
        start_date=datetime.date(2024, 1, 1),
        status="closed",
        closure_date=datetime.date(2025, 1, 1),
    )
    assert reasons(eha) == []


def test_a_dismissal_holds_until_the_ehas_data_changes(db):
    officer = UserFactory(roles=[Role.AUDITOR])
    eha = EarlyHelpAssessmentFactory(
        start_date=datetime.date(2026, 1, 5), last_review_date=days_ago(10)
    )
    assert reasons(eha) == [drift.OPEN_NINE_MONTHS]
    drift.dismiss(eha, rule=drift.OPEN_NINE_MONTHS, reason="Plan reviewed: progressing", by=officer)
    assert reasons(eha) == []
    EarlyHelpAssessment.objects.filter(pk=eha.pk).update(
        source_hash="f" * 32
    )  # a new data report row
    assert reasons(eha) == [drift.OPEN_NINE_MONTHS]


def test_dismissing_needs_a_reason(db):
    officer = UserFactory(roles=[Role.AUDITOR])
    eha = EarlyHelpAssessmentFactory()
    with pytest.raises(drift.DriftError, match="Enter why"):
        drift.dismiss(eha, rule=drift.NO_REVIEW, reason=" ", by=officer)


def test_a_contact_in_the_future_is_refused(db):
    officer = UserFactory(roles=[Role.AUDITOR])
    eha = EarlyHelpAssessmentFactory()
    with pytest.raises(drift.DriftError, match="today or in the past"):
        drift.record_contact(
            eha,
            contacted_on=TODAY + datetime.timedelta(days=1),
            outcome="x",
            next_step="",
            by=officer,
            today=TODAY,
        )


def test_the_daily_scan_tells_officers_once_about_each_new_item(db):
    officer = UserFactory(roles=[Role.AUDITOR])
    UserFactory(roles=[Role.COORDINATOR])
    EarlyHelpAssessmentFactory(start_date=datetime.date(2026, 1, 5), last_review_date=days_ago(10))
    assert drift.scan(TODAY) == 1
    assert drift.scan(TODAY) == 0
    assert drift.scan(TODAY + datetime.timedelta(days=1)) == 0
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert Notification.objects.filter(kind="drift_found").count() == 1
    # A new reason for the same EHA is new drift.
    EarlyHelpAssessmentFactory(start_date=datetime.date(2025, 6, 1), last_review_date=days_ago(10))
    assert drift.scan(TODAY + datetime.timedelta(days=1)) == 2  # nine and twelve months
    assert DriftNotice.objects.count() == 3


def test_the_scan_reads_a_constant_number_of_queries(db, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            EarlyHelpAssessmentFactory(
                start_date=datetime.date(2025, 1, 5), last_review_date=days_ago(100)
            )

    make(2)
    with django_assert_num_queries(1):
        drift.drift_items(TODAY)
    make(40)
    with django_assert_num_queries(1):
        drift.drift_items(TODAY)


def test_an_auditor_given_a_drift_audit_by_the_qa_lead_is_told(db):
    lead = UserFactory(roles=[Role.QA_LEAD])
    auditor = UserFactory(roles=[Role.AUDITOR])
    eha = EarlyHelpAssessmentFactory()
    from ..audits.audit_helpers import default_version

    default_version()
    drift.create_drift_audit(
        eha, auditor=auditor, due_date=TODAY + datetime.timedelta(days=20), by=lead
    )
    assert [m.to for m in mail.outbox] == [[auditor.email]]
    assert eha.reference not in mail.outbox[0].body


def test_the_scan_makes_the_same_queries_for_few_or_many_new_items(
    db, django_assert_num_queries, django_assert_max_num_queries
):
    UserFactory(roles=[Role.AUDITOR])

    def make(n):
        for _ in range(n):
            EarlyHelpAssessmentFactory(
                start_date=datetime.date(2025, 1, 5), last_review_date=days_ago(100)
            )

    make(2)
    with django_assert_max_num_queries(20) as few:
        drift.scan(TODAY)
    make(40)
    with django_assert_num_queries(len(few.captured_queries)):
        drift.scan(TODAY + datetime.timedelta(days=1))
    assert DriftNotice.objects.count() == 42 * 3  # no review, nine months, twelve months
