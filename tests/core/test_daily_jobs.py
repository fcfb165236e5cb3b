"""The daily jobs: auditors are reminded of audits due soon and overdue, once per due date, however
often the jobs run; the scheduler starts them once a day; the commands that run them."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.signals import task_enqueued

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.models import DailyRun, Notification
from earlyhelp.core.notifications import EMAILS
from earlyhelp.core.scheduling import registered_jobs, run_daily_jobs, start_todays_run

from ..audits.audit_helpers import new_audit
from ..audits.factories import AuditFactory
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)  # a Tuesday
LONDON = ZoneInfo("Europe/London")


def days(n):
    return datetime.timedelta(days=n)


def reminders(kind, auditor=None):
    found = Notification.objects.filter(kind=kind)
    return found.filter(recipient=auditor) if auditor else found


def emails(kind):
    return [m for m in mail.outbox if m.subject.startswith(EMAILS[kind].subject)]


def test_the_reminders_are_registered_as_daily_jobs():
    jobs = registered_jobs()
    assert "remind auditors of audits due soon" in jobs
    assert "remind auditors of overdue audits" in jobs


def test_an_auditor_is_reminded_once_of_an_audit_due_in_three_days():
    audit = new_audit(due_date=TODAY + days(3))
    done = run_daily_jobs(TODAY)
    assert done["remind auditors of audits due soon"] == 1
    reminder = reminders("audit_due_soon").get()
    assert reminder.recipient == audit.auditor
    assert reminder.url == reverse("audits:overview", args=[audit.pk])
    assert audit.assessment.reference in reminder.text
    assert "4 December 2026" in reminder.text
    assert [m.to for m in emails("audit_due_soon")] == [[audit.auditor.email]]
    assert not reminders("audit_overdue").exists()


def test_an_audit_due_later_than_the_horizon_is_not_yet_reminded():
    new_audit(due_date=TODAY + days(6))
    run_daily_jobs(TODAY)
    assert not reminders("audit_due_soon").exists()
    run_daily_jobs(TODAY + days(1))  # now due in five days
    assert reminders("audit_due_soon").count() == 1


@override_settings(AUDIT_DUE_SOON_DAYS=10)
def test_the_horizon_is_a_setting():
    new_audit(due_date=TODAY + days(9))
    run_daily_jobs(TODAY)
    assert reminders("audit_due_soon").count() == 1


def test_an_auditor_is_reminded_once_of_an_overdue_audit():
    audit = new_audit(due_date=TODAY - days(2))
    done = run_daily_jobs(TODAY)
    assert done["remind auditors of overdue audits"] == 1
    reminder = reminders("audit_overdue").get()
    assert reminder.recipient == audit.auditor
    assert "overdue" in reminder.text
    assert len(emails("audit_overdue")) == 1
    assert not reminders("audit_due_soon").exists()


def test_running_the_jobs_twice_a_day_sends_each_reminder_once():
    auditor = UserFactory(roles=[Role.AUDITOR])
    new_audit(auditor=auditor, due_date=TODAY + days(3))
    new_audit(auditor=auditor, due_date=TODAY - days(1))
    run_daily_jobs(TODAY)
    second = run_daily_jobs(TODAY)
    assert second["remind auditors of audits due soon"] == 0
    assert second["remind auditors of overdue audits"] == 0
    assert reminders("audit_due_soon", auditor).count() == 1
    assert reminders("audit_overdue", auditor).count() == 1
    assert len(emails("audit_due_soon")) == 1
    assert len(emails("audit_overdue")) == 1
    assert DailyRun.objects.filter(day=TODAY).count() == 1


def test_an_audit_is_reminded_as_due_soon_once_and_as_overdue_once_over_the_days():
    new_audit(due_date=TODAY + days(2))
    for offset in range(6):
        run_daily_jobs(TODAY + days(offset))
    assert reminders("audit_due_soon").count() == 1
    assert reminders("audit_overdue").count() == 1
    assert len(emails("audit_due_soon")) == len(emails("audit_overdue")) == 1


def test_moving_the_due_date_gives_a_new_reminder():
    audit = new_audit(due_date=TODAY + days(3))
    run_daily_jobs(TODAY)
    audit.due_date = TODAY + days(4)
    audit.save(update_fields=["due_date"])
    run_daily_jobs(TODAY)
    texts = sorted(reminders("audit_due_soon").values_list("text", flat=True))
    assert len(texts) == 2
    assert "4 December 2026" in texts[0]
    assert "5 December 2026" in texts[1]
    assert len(emails("audit_due_soon")) == 2


@pytest.mark.parametrize(
    "finished",
    [
        {"status": Audit.Status.CLOSED},
        {"judged": "Good"},
        {"judged": "Inadequate", "status": Audit.Status.SHARED},
    ],
    ids=["closed", "submitted", "shared"],
)
def test_a_finished_audit_is_not_reminded(finished):
    AuditFactory(due_date=TODAY + days(2), **finished)
    AuditFactory(due_date=TODAY - days(3), **finished)
    run_daily_jobs(TODAY)
    assert not reminders("audit_due_soon").exists()
    assert not reminders("audit_overdue").exists()
    assert emails("audit_due_soon") == emails("audit_overdue") == []


def test_an_audit_in_progress_is_reminded():
    AuditFactory(due_date=TODAY + days(1), status=Audit.Status.IN_PROGRESS)
    run_daily_jobs(TODAY)
    assert reminders("audit_due_soon").count() == 1


def test_an_inactive_auditor_is_not_reminded():
    auditor = UserFactory(roles=[Role.AUDITOR], is_active=False)
    new_audit(auditor=auditor, due_date=TODAY)
    new_audit(auditor=auditor, due_date=TODAY - days(7))
    run_daily_jobs(TODAY)
    assert not Notification.objects.filter(recipient=auditor).exists()
    assert [m for m in mail.outbox if auditor.email in m.to] == []


def test_the_days_run_is_recorded_with_what_each_job_did():
    new_audit(due_date=TODAY + days(3))
    run_daily_jobs(TODAY)
    run = DailyRun.objects.get(day=TODAY)
    assert run.finished_at is not None
    assert run.summary["remind auditors of audits due soon"] == 1
    assert set(run.summary) == set(registered_jobs())


# Starting the day's run ------------------------------------------------------------------------


@pytest.fixture
def enqueued():
    """The names of the tasks enqueued while the test runs."""
    names = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@override_settings(DAILY_JOBS_HOUR=6)
def test_the_scheduler_starts_the_run_once_a_day_from_the_hour(enqueued):
    audit = new_audit(due_date=TODAY + days(3))
    assert start_todays_run(at(TODAY, 5, 59)) is False
    assert not DailyRun.objects.exists()
    assert "run_daily_jobs" not in enqueued

    assert start_todays_run(at(TODAY, 6)) is True
    assert enqueued.count("run_daily_jobs") == 1
    run = DailyRun.objects.get()
    assert run.day == TODAY
    assert run.finished_at is not None  # the test settings run tasks at once
    assert reminders("audit_due_soon", audit.auditor).count() == 1

    assert start_todays_run(at(TODAY, 6, 5)) is False
    assert start_todays_run(at(TODAY, 23, 59)) is False
    assert enqueued.count("run_daily_jobs") == 1

    assert start_todays_run(at(TODAY + days(1), 5)) is False
    assert start_todays_run(at(TODAY + days(1), 7)) is True
    assert enqueued.count("run_daily_jobs") == 2
    assert list(DailyRun.objects.values_list("day", flat=True)) == [TODAY + days(1), TODAY]
    assert len(emails("audit_due_soon")) == 1


@override_settings(DAILY_JOBS_HOUR=6)
def test_the_scheduler_uses_local_time():
    # 5:30 in London in summer is 4:30 UTC: too early.
    summer = datetime.date(2026, 7, 1)
    early = datetime.datetime(2026, 7, 1, 4, 30, tzinfo=datetime.UTC)
    assert start_todays_run(early) is False
    assert start_todays_run(early + datetime.timedelta(hours=1)) is True
    assert DailyRun.objects.get().day == summer


def test_the_scheduler_does_not_start_a_day_already_run_from_cron(enqueued):
    call_command("run_daily_jobs", "--date", TODAY.isoformat(), stdout=io.StringIO())
    assert start_todays_run(at(TODAY, 12)) is False
    assert "run_daily_jobs" not in enqueued


# Commands ------------------------------------------------------------------------------------


def test_the_run_daily_jobs_command_prints_what_it_did_as_json():
    new_audit(due_date=TODAY - days(1))
    output = io.StringIO()
    call_command("run_daily_jobs", "--date", TODAY.isoformat(), stdout=output)
    done = json.loads(output.getvalue())
    assert done["remind auditors of overdue audits"] == 1
    assert done["remind auditors of audits due soon"] == 0
    assert DailyRun.objects.get().day == TODAY

    again = io.StringIO()
    call_command("run_daily_jobs", "--date", TODAY.isoformat(), stdout=again)
    assert json.loads(again.getvalue())["remind auditors of overdue audits"] == 0
    assert len(emails("audit_overdue")) == 1


@pytest.mark.parametrize("bad", ["01/12/2026", "2026-13-01", "tomorrow"])
def test_the_run_daily_jobs_command_refuses_a_bad_date(bad):
    with pytest.raises(CommandError, match="--date must be a date written yyyy-mm-dd"):
        call_command("run_daily_jobs", "--date", bad, stdout=io.StringIO())
    assert not DailyRun.objects.exists()


@override_settings(DAILY_JOBS_HOUR=0)
def test_scheduler_once_starts_todays_run_and_stops(enqueued):
    output = io.StringIO()
    call_command("scheduler", "--once", stdout=output)
    assert "Started today's daily jobs." in output.getvalue()
    assert DailyRun.objects.count() == 1
    assert DailyRun.objects.get().finished_at is not None

    again = io.StringIO()
    call_command("scheduler", "--once", stdout=again)
    assert again.getvalue() == ""
    assert enqueued.count("run_daily_jobs") == 1


@override_settings(DAILY_JOBS_HOUR=24)
def test_scheduler_once_before_the_hour_does_nothing():
    output = io.StringIO()
    call_command("scheduler", "--once", stdout=output)
    assert output.getvalue() == ""
    assert not DailyRun.objects.exists()


def test_an_email_the_mail_server_refused_is_sent_by_the_next_daily_run(db, monkeypatch):
    from earlyhelp.core import notifications
    from earlyhelp.core.jobs import resend_unsent_emails

    person = UserFactory()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    notification = notifications.notify("audit_overdue", recipient=person, text="x")
    assert Notification.objects.get(pk=notification.pk).emailed_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert resend_unsent_emails(timezone.localdate()) == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert resend_unsent_emails(timezone.localdate()) == 0
