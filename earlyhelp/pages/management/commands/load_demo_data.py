from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.accounts.demo import DEMO_PASSWORD, load_demo_partnership
from earlyhelp.audits.demo import load_demo_audits
from earlyhelp.cases.demo import load_demo_cases
from earlyhelp.pages.demo_after_audit import load_demo_after_audit
from earlyhelp.pages.demo_learning import load_demo_learning
from earlyhelp.pages.demo_reports import load_demo_reports
from earlyhelp.pages.demo_voice import load_demo_voice


class Command(BaseCommand):
    help = (
        "Load the demo partnership (development only). "
        "Safe to run again: adds only what is missing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data is refused with these settings: it must never reach a real installation."
            )
        summary = load_demo_partnership()
        self.stdout.write(
            f"Demo partnership: {summary.agencies_created} agencies and "
            f"{summary.practitioners_created} practitioners added "
            "(0 and 0 mean it was already loaded)."
        )
        cases = load_demo_cases()
        if cases is None:
            self.stdout.write("Demo case data: already loaded.")
        else:
            self.stdout.write(
                f"Demo case data: {cases.created} EHAs imported through the importer "
                f"({cases.rejected} rows rejected)."
            )
        audits = load_demo_audits()
        if audits is None:
            self.stdout.write("Demo audits: already loaded.")
        else:
            self.stdout.write(
                f"Demo audits: {audits.created} made through the audit services "
                f"({audits.submitted} submitted, {audits.open} planned or in progress)."
            )
        after = load_demo_after_audit()
        if after is None:
            self.stdout.write("Demo escalations, feedback and learning themes: already loaded.")
        else:
            self.stdout.write(f"Demo escalations, feedback and learning themes: {after.line()}.")
        voice = load_demo_voice()
        if voice is None:
            self.stdout.write("Demo family and staff voice: already loaded.")
        else:
            self.stdout.write(f"Demo family and staff voice: {voice.line()}.")
        learning = load_demo_learning()
        if learning is None:
            self.stdout.write("Demo actions and recommendations: already loaded.")
        else:
            self.stdout.write(f"Demo actions and recommendations: {learning.line()}.")
        reports = load_demo_reports()
        if reports is None:
            self.stdout.write("Demo quarterly reports: already loaded.")
        else:
            self.stdout.write(f"Demo quarterly reports: {reports.line()}.")
        self.stdout.write("")
        self.stdout.write(
            "Demo sign-ins (development only), all with the password " + DEMO_PASSWORD
        )
        for email, role in summary.role_users:
            self.stdout.write(f"  {role:<30} {email}")
