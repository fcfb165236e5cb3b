"""A quarter of submitted audits, made with the factories, for the export tests that read real
figures back: four audits in 2026-Q3 (3 Good, 1 Inadequate), every standard Met in three of them
and Not met in the fourth, and standard 1.1 (the first) Partly met in one Good audit as well."""

import datetime

from django.utils import timezone

from earlyhelp.audits.models import StandardRating
from earlyhelp.standards.models import RatingOption, Standard
from earlyhelp.voice.results import parse_quarter

from ..audits.factories import AuditFactory

Q3 = parse_quarter("2026-Q3")
SUBMITTED = timezone.make_aware(datetime.datetime(2026, 8, 10, 12))
JUDGEMENTS = ["Good", "Good", "Good", "Inadequate"]


def submitted_quarter() -> list:
    audits = []
    for judged in JUDGEMENTS:
        audit = AuditFactory(judged=judged, with_parts=True)
        audit.submitted_at = SUBMITTED
        audit.due_date = SUBMITTED.date()
        audit.save(update_fields=["submitted_at", "due_date"])
        audits.append(audit)
    version = audits[0].framework_version
    options = {o.label: o for o in RatingOption.objects.filter(version=version)}
    for audit in audits:
        label = "Not met" if audit.judgement.label == "Inadequate" else "Met"
        StandardRating.objects.filter(audit=audit).update(rating=options[label])
    first = Standard.objects.filter(section__version=version).order_by("section__order", "order")[0]
    StandardRating.objects.filter(audit=audits[0], standard=first).update(
        rating=options["Partly met"]
    )
    return audits
