"""The daily jobs: reminders and chasing that happen without anyone pressing a button.

Each stage registers its jobs with `@daily_job`; `run_daily_jobs` runs them all for a day. Every
job must be idempotent — running it twice on one day changes nothing the second time — which they
are because every message they send carries a once-only key (core/notifications.py). The
`scheduler` command starts the day's run once a day; `run_daily_jobs` runs it at once (cron).
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DailyRun

log = logging.getLogger(__name__)

_JOBS = {}


def daily_job(name):
    """Registers `func(today) -> int` (how many things it did) as a daily job called `name`."""

    def register(func):
        _JOBS[name] = func
        return func

    return register


def registered_jobs():
    return dict(_JOBS)


def run_daily_jobs(today: datetime.date | None = None) -> dict:
    """Runs every daily job for `today`; returns {job name: things done}.

    Each job runs in its own transaction, so one failing job does not undo or stop the others.
    """
    today = today or timezone.localdate()
    run, _ = DailyRun.objects.get_or_create(day=today)
    done = {}
    for name, job in sorted(_JOBS.items()):
        try:
            with transaction.atomic():
                done[name] = job(today)
        except Exception:
            log.exception("Daily job %s failed for %s", name, today)
            done[name] = "failed"
    DailyRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), summary=done)
    log.info("Daily jobs for %s: %s", today, done)
    return done


def start_todays_run(now: datetime.datetime | None = None) -> bool:
    """Enqueues today's run of the daily jobs if it is time and no one has yet. Safe to call
    from any number of scheduler processes: the first to record the day wins."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.DAILY_JOBS_HOUR:
        return False
    if DailyRun.objects.filter(day=now.date()).exists():
        return False
    try:
        with transaction.atomic():
            DailyRun.objects.create(day=now.date())
            from .tasks import run_daily_jobs as task

            task.enqueue(now.date().isoformat())
    except IntegrityError:
        return False
    return True
