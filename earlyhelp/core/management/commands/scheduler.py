import time

from django.core.management.base import BaseCommand

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
