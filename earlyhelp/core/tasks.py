"""Background tasks of the shared pieces: thin wrappers that call a service."""

import datetime

from django_tasks import task

from . import notifications, scheduling


@task()
def send_notification_email(notification_id: int):
    notifications.send_email(notification_id)


@task()
def run_daily_jobs(day: str):
    scheduling.run_daily_jobs(datetime.date.fromisoformat(day))
