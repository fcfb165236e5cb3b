"""Writes for audits: creating and assigning, saving a page, submitting and reopening.

Every save names the revision it started from; a save over a newer revision is refused
(`AuditConflict`) so that two people never silently overwrite each other.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from earlyhelp.standards.selectors import versions_in_force

from . import sections as pages
from .escalation import escalate_if_needed
from .models import Audit, AuditEvent, BottomLineCheck, StandardRating


class AuditConflict(Exception):
    """Someone else saved the audit after this page was opened."""


class AuditLocked(Exception):
    """The audit is no longer open for editing."""


@dataclass(frozen=True)
class Problem:
    """Something that stops submission, with the page and the field to fix."""

    section: str
    field: str
    message: str


def audit_in_progress(assessment):
    """The EHA's audit still being worked on, if it has one: one at a time is enough."""
    return (
        Audit.objects.filter(
            assessment=assessment, status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS]
        )
        .order_by("due_date")
        .first()
    )


@transaction.atomic
def create_audit(*, assessment, auditor, due_date, audit_type, created_by, framework_version=None):
    """A planned audit with one rating row per standard and one check per bottom line."""
    version = framework_version or versions_in_force()[0]
    audit = Audit.objects.create(
        assessment=assessment,
        framework_version=version,
        auditor=auditor,
        due_date=due_date,
        audit_type=audit_type,
        created_by=created_by,
    )
    standards = [s for section in version.sections.all() for s in section.standards.all()]
    StandardRating.objects.bulk_create(StandardRating(audit=audit, standard=s) for s in standards)
    BottomLineCheck.objects.bulk_create(
        BottomLineCheck(audit=audit, bottom_line=line) for line in version.bottom_lines.all()
    )
    AuditEvent.objects.create(
        audit=audit, kind=AuditEvent.Kind.CREATED, by=created_by, note=f"Assigned to {auditor}"
    )
    return audit


def _claim_revision(audit, revision, user):
    """Moves the audit on one revision if nobody else has; starts it on its first save."""
    if not audit.is_editable:
        raise AuditLocked
    changes = {"revision": F("revision") + 1}
    starting = audit.status == Audit.Status.PLANNED
    if starting:
        changes.update(status=Audit.Status.IN_PROGRESS, started_at=timezone.now())
    claimed = Audit.objects.filter(
        pk=audit.pk, revision=revision, status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS]
    ).update(**changes)
    if not claimed:
        raise AuditConflict
    if starting:
        AuditEvent.objects.create(audit=audit, kind=AuditEvent.Kind.STARTED, by=user)


@transaction.atomic
def save_page(*, audit, section, data, revision, user):
    """Saves one page's answers. `data` is the page form's cleaned data."""
    _claim_revision(audit, revision, user)
    if section.framework_section is not None:
        _save_ratings(audit, section, data)
    elif section.slug == pages.BOTTOM_LINES:
        chosen = {int(pk) for pk in data.get("evidenced", [])}
        checks = list(audit.bottom_line_checks.all())
        for check in checks:
            check.evidenced = check.pk in chosen
        BottomLineCheck.objects.bulk_update(checks, ["evidenced"])
    else:
        fields = {k: v for k, v in data.items() if k != "revision"}
        if "judgement" in fields:
            fields["judgement_id"] = int(fields.pop("judgement")) if fields["judgement"] else None
        Audit.objects.filter(pk=audit.pk).update(**fields)
    audit.refresh_from_db()
    return audit


def _save_ratings(audit, section, data):
    ratings = list(audit.ratings.filter(standard__section=section.framework_section))
    for rating in ratings:
        chosen = data.get(f"rating_{rating.pk}")
        rating.rating_id = int(chosen) if chosen else None
        rating.evidence = data.get(f"evidence_{rating.pk}", "")
    StandardRating.objects.bulk_update(ratings, ["rating", "evidence"])


# --- what a page and a whole audit still need ---------------------------------------------


def section_state(audit, section, ratings, checks):
    """'completed', 'in_progress' or 'not_started' for the task list."""
    answers = _answers(audit, section, ratings, checks)
    if all(answers):
        return "completed"
    return "in_progress" if any(answers) else "not_started"


def _answers(audit, section, ratings, checks):
    if section.framework_section is not None:
        mine = [r for r in ratings if r.standard.section_id == section.framework_section.pk]
        return [r.rating_id is not None for r in mine]
    if section.slug == pages.FILE:
        return [bool(audit.file_compliance)]
    if section.slug == pages.BOTTOM_LINES:
        # No bottom line evidenced at all is possible but rare; the page shows as not started
        # until one is ticked, which prompts the auditor to look again.
        return [any(c.evidenced for c in checks)]
    if section.slug == pages.JOURNEY:
        return [bool(audit.childs_journey), bool(audit.working_well), bool(audit.worried_about)]
    if section.slug == pages.JUDGEMENT:
        return [audit.impact_score is not None, audit.judgement_id is not None]
    if section.slug == pages.SAFEGUARDING:
        return [audit.unresolved_safeguarding is not None]
    if section.slug == pages.ACTIONS:
        return [bool(audit.recommended_actions)]
    return []


def problems(audit, ratings):
    """Everything that stops submission, in the order of the form."""
    found = []
    if not audit.file_compliance:
        found.append(Problem(pages.FILE, "file_compliance", "Say whether the file is compliant"))
    for rating in ratings:
        standard = rating.standard
        slug = f"{pages.STANDARDS_PREFIX}{standard.section.ref_id}"
        if rating.rating is None:
            found.append(Problem(slug, f"rating_{rating.pk}", f"Rate standard {standard.ref_id}"))
        elif rating.rating.evidence_required and not rating.evidence.strip():
            found.append(
                Problem(
                    slug,
                    f"evidence_{rating.pk}",
                    f"Give the evidence for standard {standard.ref_id}, rated {rating.rating}",
                )
            )
    if not audit.childs_journey.strip():
        found.append(Problem(pages.JOURNEY, "childs_journey", "Describe the child's journey"))
    if audit.impact_score is None:
        found.append(Problem(pages.JUDGEMENT, "impact_score", "Scale the impact of the work"))
    if audit.judgement is None:
        found.append(Problem(pages.JUDGEMENT, "judgement", "Select the overall judgement"))
    elif _is_lowest(audit) and not audit.judgement_reason.strip():
        found.append(
            Problem(
                pages.JUDGEMENT,
                "judgement_reason",
                f"Give the reasons for the judgement of {audit.judgement}",
            )
        )
    if audit.unresolved_safeguarding is None:
        found.append(
            Problem(
                pages.SAFEGUARDING,
                "unresolved_safeguarding",
                "Say whether there are unresolved safeguarding issues",
            )
        )
    elif audit.unresolved_safeguarding and not audit.safeguarding_details.strip():
        found.append(
            Problem(
                pages.SAFEGUARDING,
                "safeguarding_details",
                "Give the details of the unresolved safeguarding issues",
            )
        )
    return found


def _is_lowest(audit):
    grades = list(audit.framework_version.judgement_grades.all())
    return bool(grades) and audit.judgement_id == grades[-1].pk


def judgement_inconsistency(audit, ratings):
    """A warning, not a block: a judgement that looks at odds with the ratings."""
    if audit.judgement is None:
        return None
    grades = list(audit.framework_version.judgement_grades.all())
    rank = grades.index(audit.judgement) if audit.judgement in grades else None
    rated = [r.rating for r in ratings if r.rating is not None and r.rating.applicable]
    if not rated or rank is None:
        return None
    options = list(audit.framework_version.rating_options.filter(applicable=True))
    worst = options[-1] if options else None
    best = options[0] if options else None
    worst_count = sum(1 for option in rated if option == worst)
    best_share = sum(1 for option in rated if option == best) / len(rated)
    if rank == 0 and worst_count:
        return (
            f"The judgement is {audit.judgement}, but {worst_count} standard"
            f"{'s are' if worst_count != 1 else ' is'} rated {worst}."
        )
    if rank == len(grades) - 1 and best_share == 1:
        return f"The judgement is {audit.judgement}, but every standard is rated {best}."
    return None


@transaction.atomic
def submit(*, audit, revision, user, confirm_judgement):
    """Submits a complete audit. Returns (submitted, problems, warning)."""
    ratings = list(
        audit.ratings.select_related("standard__section", "rating").order_by(
            "standard__section__order", "standard__order"
        )
    )
    found = problems(audit, ratings)
    warning = judgement_inconsistency(audit, ratings)
    if found or (warning and not confirm_judgement):
        return False, found, warning
    _claim_revision(audit, revision, user)
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.SUBMITTED,
        submitted_at=timezone.now(),
        judgement_inconsistency_confirmed=bool(warning),
    )
    AuditEvent.objects.create(
        audit=audit, kind=AuditEvent.Kind.SUBMITTED, by=user, note=warning or ""
    )
    audit.refresh_from_db()
    escalate_if_needed(audit=audit, by=user)
    return True, [], warning


@transaction.atomic
def reopen(*, audit, user, reason):
    """The QA lead sends a submitted audit back to the auditor, with a recorded reason."""
    reopened = Audit.objects.filter(pk=audit.pk, status=Audit.Status.SUBMITTED).update(
        status=Audit.Status.IN_PROGRESS, submitted_at=None, revision=F("revision") + 1
    )
    if reopened:
        AuditEvent.objects.create(audit=audit, kind=AuditEvent.Kind.REOPENED, by=user, note=reason)
    return bool(reopened)
