import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from earlyhelp.accounts.models import Agency, AgencyType, District, User
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.months import parse_month
from earlyhelp.sampling import services
from earlyhelp.sampling.themes import ANY, CLOSED, OPEN, Theme


class Command(BaseCommand):
    help = (
        "Draws a month's dip sample. Without --confirm it only previews: nothing is written. "
        "With --confirm it saves the sample, assigns auditors by workload and makes the audits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month, yyyy-mm")
        parser.add_argument("--size", type=int, help="how many EHAs (default DIP_SAMPLE_SIZE)")
        parser.add_argument("--seed", type=int, help="the random seed (default: a new one)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--confirm", action="store_true", help="save and confirm it")
        parser.add_argument("--by", help="with --confirm: the QA lead's e-mail address")
        parser.add_argument("--theme-name", default="", help="a name for the theme")
        parser.add_argument("--status", choices=[OPEN, CLOSED, ANY], default=OPEN)
        parser.add_argument("--open-longer-than", type=int, metavar="MONTHS")
        parser.add_argument("--district", action="append", default=[], metavar="NAME")
        parser.add_argument("--agency-type", action="append", default=[], metavar="NAME")
        parser.add_argument("--lead-agency", action="append", default=[], metavar="NAME")
        parser.add_argument("--step-down", action="store_true")
        parser.add_argument("--stepped-up", action="store_true")
        parser.add_argument("--period-from", metavar="YYYY-MM-DD")
        parser.add_argument("--period-to", metavar="YYYY-MM-DD")

    def handle(self, *args, **options):
        try:
            month = parse_month(options["month"])
        except ValueError as error:
            raise CommandError(f"--month: {error}") from None
        theme = Theme(
            status=options["status"],
            open_longer_than_months=options["open_longer_than"],
            districts=_ids(District, options["district"], "--district"),
            agency_types=_ids(AgencyType, options["agency_type"], "--agency-type"),
            lead_agencies=_ids(Agency, options["lead_agency"], "--lead-agency"),
            step_down=options["step_down"],
            stepped_up=options["stepped_up"],
            period_from=_date(options["period_from"], "--period-from"),
            period_to=_date(options["period_to"], "--period-to"),
            name=options["theme_name"],
        )
        by = _qa_lead(options["by"]) if options["confirm"] else None
        try:
            result = services.draw(
                month=month, theme=theme, size=options["size"], seed=options["seed"]
            )
            sample = None
            if options["confirm"]:
                sample = _save_and_confirm(result, by)
        except services.SampleError as error:
            raise CommandError(str(error)) from None
        references = dict(
            EarlyHelpAssessment.objects.filter(pk__in=[pk for _, pk in result.chosen]).values_list(
                "pk", "reference"
            )
        )
        names = dict(District.objects.values_list("pk", "name"))
        report = {
            "month": month.strftime("%Y-%m"),
            "theme": theme.describe(),
            "seed": result.seed,
            "size": result.size,
            "population": result.population.total,
            "excluded": result.population.excluded,
            "population_by_district": {
                names[d]: n for d, n in sorted(result.population.eligible.items())
            },
            "allocation": {names[d]: n for d, n in sorted(result.allocation.items()) if n},
            "selected": [references[pk] for _, pk in result.chosen],
            "confirmed": sample is not None,
            "sample_id": sample.pk if sample else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"{len(report['selected'])} of {report['population']:,} {report['theme']} "
            f"for {month:%B %Y}, seed {report['seed']}:"
        )
        for reference in report["selected"]:
            self.stdout.write(f"  {reference}")
        if result.shortfall:
            self.stdout.write(f"Fewer EHAs could be chosen than the {result.size} asked for.")
        self.stdout.write("Confirmed: audits made." if sample else "Preview only: nothing saved.")


@transaction.atomic
def _save_and_confirm(result, by):
    """Saves, assigns and confirms in one transaction: a failure leaves no draft behind."""
    sample = services.save_draft(result, by=by)
    items = list(services.active_items(sample))
    suggested = services.suggest_auditors(items, services.auditors())
    if not suggested:
        raise services.SampleError("There is no active auditor to assign audits to")
    due = services.default_due_date(sample)
    services.assign(sample, {pk: (person, due) for pk, person in suggested.items()})
    services.confirm(sample, by=by)
    return sample


def _ids(model, names, option):
    ids = []
    for name in names:
        found = model.objects.filter(name__iexact=name.strip()).values_list("pk", flat=True)
        if not found:
            known = ", ".join(model.objects.values_list("name", flat=True)[:20])
            raise CommandError(f"{option}: there is no {name!r}. Known: {known}")
        ids.append(found[0])
    return tuple(ids)


def _date(text, option):
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: {text!r} is not a date written yyyy-mm-dd") from None


def _qa_lead(email):
    if not email:
        raise CommandError("--confirm needs --by, the e-mail address of the QA lead confirming")
    person = User.objects.filter(email__iexact=email, is_active=True).first()
    if person is None or not person.has_role(Role.QA_LEAD):
        raise CommandError(f"--by: {email} is not an active QA lead")
    return person
