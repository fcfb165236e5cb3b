"""Drift: Early Help plans that may have stalled, found from the case data.

The seed: additional audits "when support is drifting, either because regular reviews are not
being held or when the plan has been open for longer than nine months; where the plan is in place
for longer than twelve months the coordinator will be contacted by an Early Help Officer to ensure
that the plan is effective", "the Team Around the Family requests additional support as they feel
that progress is not being made", and Appendix 1: "The initial review meeting is set six weeks
after the Team around the Family meeting."

Each rule is a database condition, so the worklist and the daily scan read 100,000 EHAs in one
query. The limits are settings (config/settings/base.py, DRIFT_*) with the seed's defaults.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.services import audit_in_progress, create_audit
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.months import add_months
from earlyhelp.core.notifications import notify

from .models import DriftContact, DriftDismissal, DriftNotice, TafSupportRequest

NO_REVIEW = "no_review"
FIRST_REVIEW_LATE = "first_review_late"
OPEN_NINE_MONTHS = "open_9_months"
OPEN_TWELVE_MONTHS = "open_12_months"
TAF_SUPPORT = "taf_support"


@dataclass(frozen=True)
class Rule:
    code: str
    label: str  # what is wrong, for the worklist
    action: str  # what the framework says to do about it


def rules() -> list[Rule]:
    s = settings
    return [
        Rule(
            NO_REVIEW,
            f"No review meeting for more than {s.DRIFT_NO_REVIEW_WEEKS} weeks",
            "Regular reviews are not being held: consider a drift-triggered audit.",
        ),
        Rule(
            FIRST_REVIEW_LATE,
            f"First review not held within {s.DRIFT_FIRST_REVIEW_WEEKS} weeks of the TAF meeting",
            "The initial review meeting is set six weeks after the TAF meeting.",
        ),
        Rule(
            OPEN_NINE_MONTHS,
            f"Plan open longer than {s.DRIFT_AUDIT_AFTER_MONTHS} months",
            "A candidate for a drift-triggered audit.",
        ),
        Rule(
            OPEN_TWELVE_MONTHS,
            f"Plan open longer than {s.DRIFT_CONTACT_AFTER_MONTHS} months",
            "An Early Help Officer contacts the coordinator to make sure the plan is effective.",
        ),
        Rule(
            TAF_SUPPORT,
            "The TAF has asked for additional support",
            "The Team Around the Family feel progress is not being made.",
        ),
    ]


def rule_labels() -> dict:
    return {rule.code: rule.label for rule in rules()}


def _conditions(today: datetime.date) -> dict:
    """{rule: condition} for `today`. "More than N weeks" means the day after N weeks have
    passed: a review exactly 12 weeks ago is not yet drift."""
    s = settings
    is_open = Q(status=EarlyHelpAssessment.Status.OPEN)
    no_review_since = today - datetime.timedelta(weeks=s.DRIFT_NO_REVIEW_WEEKS)
    first_review_by = today - datetime.timedelta(weeks=s.DRIFT_FIRST_REVIEW_WEEKS)
    return {
        NO_REVIEW: is_open & Q(last_seen__lt=no_review_since),
        FIRST_REVIEW_LATE: is_open
        & Q(taf_meeting_date__lt=first_review_by, last_review_date__isnull=True)
        & (Q(number_of_reviews__isnull=True) | Q(number_of_reviews=0)),
        OPEN_NINE_MONTHS: is_open
        & Q(start_date__lt=add_months(today, -s.DRIFT_AUDIT_AFTER_MONTHS)),
        OPEN_TWELVE_MONTHS: is_open
        & Q(start_date__lt=add_months(today, -s.DRIFT_CONTACT_AFTER_MONTHS)),
        TAF_SUPPORT: is_open
        & Q(
            Exists(
                TafSupportRequest.objects.filter(
                    assessment=OuterRef("pk"), resolved_at__isnull=True
                )
            )
        ),
    }


def _dismissed(rule: str):
    # A dismissal holds while the EHA still has the data it had when it was dismissed.
    return Exists(
        DriftDismissal.objects.filter(
            assessment=OuterRef("pk"), rule=rule, source_hash=OuterRef("source_hash")
        )
    )


def with_drift(assessments, today: datetime.date):
    """Annotates `drift_<rule>` (true when the rule applies and has not been dismissed) and
    `drifting` (any of them)."""
    assessments = assessments.annotate(
        last_seen=Coalesce("last_review_date", "taf_meeting_date", "start_date")
    )
    flags = {}
    for code, condition in _conditions(today).items():
        if code != TAF_SUPPORT:
            # A TAF's request is answered (marked resolved) rather than dismissed, so a later
            # request is new drift even while the EHA's data is unchanged.
            condition &= ~Q(_dismissed(code))
        flags[f"drift_{code}"] = ExpressionWrapper(condition, output_field=BooleanField())
    assessments = assessments.annotate(**flags)
    any_rule = Q()
    for name in flags:
        any_rule |= Q(**{name: True})
    return assessments.filter(any_rule)


def reasons_of(assessment) -> list[str]:
    """The rule codes an annotated EHA is drifting on."""
    return [rule.code for rule in rules() if getattr(assessment, f"drift_{rule.code}", False)]


def how_overdue(assessment, code: str, today: datetime.date) -> int | None:
    """Days past the rule's limit, for the worklist."""
    s = settings
    if code == NO_REVIEW:
        seen = assessment.last_review_date or assessment.taf_meeting_date or assessment.start_date
        return (today - seen).days - s.DRIFT_NO_REVIEW_WEEKS * 7
    if code == FIRST_REVIEW_LATE and assessment.taf_meeting_date:
        return (today - assessment.taf_meeting_date).days - s.DRIFT_FIRST_REVIEW_WEEKS * 7
    if code == OPEN_NINE_MONTHS:
        return (today - add_months(assessment.start_date, s.DRIFT_AUDIT_AFTER_MONTHS)).days
    if code == OPEN_TWELVE_MONTHS:
        return (today - add_months(assessment.start_date, s.DRIFT_CONTACT_AFTER_MONTHS)).days
    return None


def drift_items(today: datetime.date):
    """Every (EHA id, rule) drifting today: one query."""
    names = [f"drift_{rule.code}" for rule in rules()]
    rows = with_drift(EarlyHelpAssessment.objects.all(), today).values_list("pk", *names)
    codes = [rule.code for rule in rules()]
    return [
        (row[0], code) for row in rows for code, flag in zip(codes, row[1:], strict=True) if flag
    ]


# What officers record ---------------------------------------------------------------------------


class DriftError(Exception):
    pass


@transaction.atomic
def record_contact(assessment, *, contacted_on, outcome, next_step, by, today):
    if contacted_on > today:
        raise DriftError("The date of the contact must be today or in the past")
    if not outcome.strip():
        raise DriftError("Enter the outcome of the contact")
    return DriftContact.objects.create(
        assessment=assessment,
        contacted_on=contacted_on,
        outcome=outcome.strip(),
        next_step=next_step.strip(),
        recorded_by=by,
    )


@transaction.atomic
def dismiss(assessment, *, rule, reason, by):
    if rule not in rule_labels():
        raise DriftError("Choose a reason to dismiss")
    if not reason.strip():
        raise DriftError("Enter why this is not drift")
    if rule == TAF_SUPPORT:
        # A TAF's request is answered, not dismissed: it is marked resolved.
        TafSupportRequest.objects.filter(assessment=assessment, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
    return DriftDismissal.objects.create(
        assessment=assessment,
        rule=rule,
        source_hash=assessment.source_hash,
        reason=reason.strip(),
        dismissed_by=by,
    )


@transaction.atomic
def record_taf_request(assessment, *, requested_on, note, by, today):
    if requested_on > today:
        raise DriftError("The date of the request must be today or in the past")
    if not note.strip():
        raise DriftError("Enter what the TAF asked for")
    return TafSupportRequest.objects.create(
        assessment=assessment, requested_on=requested_on, note=note.strip(), recorded_by=by
    )


def create_drift_audit(assessment, *, auditor, due_date, by):
    if audit_in_progress(assessment) is not None:
        raise DriftError(f"{assessment.reference} already has an audit in progress")
    audit = create_audit(
        assessment=assessment, auditor=auditor, due_date=due_date, audit_type="drift", created_by=by
    )
    if auditor != by:
        notify(
            "audits_assigned",
            recipient=auditor,
            text=f"A drift-triggered audit of {assessment.reference} has been assigned to you.",
            url=reverse("audits:overview", args=[audit.pk]),
            key=f"audit:{audit.pk}:assigned",
        )
    return audit


# The daily scan ---------------------------------------------------------------------------------


def officers():
    return User.objects.filter(
        is_active=True, role_assignments__role__in=[Role.AUDITOR, Role.QA_LEAD]
    ).distinct()


def _record_new(code: str, today: datetime.date) -> int:
    """Records a notice for every EHA newly drifting on one rule, in one INSERT … SELECT run by
    the database: the scan makes the same few queries for 1,000 EHAs or 100,000."""
    fresh = (
        with_drift(EarlyHelpAssessment.objects.all(), today)
        .filter(**{f"drift_{code}": True})
        .exclude(Exists(DriftNotice.objects.filter(assessment=OuterRef("pk"), rule=code)))
        .values("pk")
    )
    select, params = fresh.query.sql_with_params()
    table = DriftNotice._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assessment_id, rule, first_seen) "  # noqa: S608 - our names
            f"SELECT fresh.pk, %s, %s FROM ({select}) fresh",
            [code, today, *params],
        )
        return cursor.rowcount


@transaction.atomic
def scan(today: datetime.date) -> int:
    """Finds drift that officers have not been told about, records it, and tells them once in a
    single message. Returns how many new (EHA, reason) items there were."""
    new = sum(_record_new(rule.code, today) for rule in rules())
    if not new:
        return 0
    ehas = DriftNotice.objects.filter(first_seen=today).values("assessment").distinct().count()
    for officer in officers():
        notify(
            "drift_found",
            recipient=officer,
            text=f"The daily check found {new:,} new drift "
            f"{'reason' if new == 1 else 'reasons'} for {ehas:,} "
            f"{'EHA' if ehas == 1 else 'EHAs'}.",
            url=reverse("drift:worklist"),
            key=f"drift-scan:{today.isoformat()}",
        )
    return new
