import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from earlyhelp.core.scheduling import start_todays_run


class Command(BaseCommand):
    help = (
        "Starts the daily jobs once a day, at DAILY_JOBS_HOUR or the first check after it; the "
        "task worker (db_worker) runs them. Runs until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=300, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and stop")

    def handle(self, *args, interval, once, **options):
        while True:
            if start_todays_run():
                self.stdout.write("Started today's daily jobs.")
            if once:
                return
            time.sleep(interval)
            # A long-lived process: drop a connection the database has closed (a restart, an
            # idle timeout) so that the next check opens a fresh one instead of failing.
            close_old_connections()
