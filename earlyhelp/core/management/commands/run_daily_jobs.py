import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.core.scheduling import run_daily_jobs


class Command(BaseCommand):
    help = (
        "Runs the daily jobs now (reminders, chasing escalations, closing audits): for cron. "
        "Safe to run more than once a day: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as if today were this date (yyyy-mm-dd)")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date must be a date written yyyy-mm-dd: {error}") from None
        done = run_daily_jobs(today)
        self.stdout.write(json.dumps(done, sort_keys=True))
