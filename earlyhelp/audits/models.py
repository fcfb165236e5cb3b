"""Audits of Early Help Assessments against a framework version's quality standards.

The workflow status (planned, in progress, submitted, …) is kept apart from the result (ratings,
impact, judgement). An audit keeps the framework version it was started with; one rating row per
standard and one check per bottom line are made when the audit is created.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.standards.models import (
    BottomLine,
    FrameworkVersion,
    JudgementGrade,
    RatingOption,
    Standard,
)


class Audit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        SHARED = "shared", "Shared with the practitioner"
        CLOSED = "closed", "Closed"

    class Type(models.TextChoices):
        DIP_SAMPLE = "dip_sample", "Monthly dip sample"
        THEMED = "themed", "Themed"
        DRIFT = "drift", "Drift-triggered"
        REQUESTED = "requested", "Requested"
        MULTI_AGENCY = "multi_agency", "Multi-agency"

    class Compliance(models.TextChoices):
        COMPLIANT = "compliant", "Compliant"
        PARTLY = "partly", "Partly compliant"
        NOT_COMPLIANT = "not_compliant", "Not compliant"

    assessment = models.ForeignKey(
        EarlyHelpAssessment, on_delete=models.PROTECT, related_name="audits"
    )
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="audits"
    )
    audit_type = models.CharField(max_length=20, choices=Type.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audits"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: every save must name the revision it started from.
    revision = models.PositiveIntegerField(default=0)

    # The result.
    file_compliance = models.CharField(max_length=20, choices=Compliance.choices, blank=True)
    file_compliance_note = models.TextField(blank=True)
    childs_journey = models.TextField(blank=True)
    working_well = models.TextField(blank=True)
    worried_about = models.TextField(blank=True)
    needs_to_happen = models.TextField(blank=True)
    impact_score = models.PositiveSmallIntegerField(null=True, blank=True)
    judgement = models.ForeignKey(
        JudgementGrade, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    judgement_reason = models.TextField(blank=True)
    judgement_inconsistency_confirmed = models.BooleanField(default=False)
    unresolved_safeguarding = models.BooleanField(null=True, blank=True)
    safeguarding_details = models.TextField(blank=True)
    recommended_actions = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["auditor", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self):
        return f"Audit of {self.assessment.reference}"

    @property
    def is_editable(self):
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class StandardRating(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.ForeignKey(
        RatingOption, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["standard__section__order", "standard__order"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "standard"], name="one_rating_per_standard")
        ]

    def __str__(self):
        return f"{self.standard.ref_id}: {self.rating or 'not rated'}"


class BottomLineCheck(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="bottom_line_checks")
    bottom_line = models.ForeignKey(BottomLine, on_delete=models.PROTECT, related_name="+")
    evidenced = models.BooleanField(default=False)

    class Meta:
        ordering = ["bottom_line__order"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "bottom_line"], name="one_check_per_line")
        ]

    def __str__(self):
        return f"{self.bottom_line.ref_id}: {'evidenced' if self.evidenced else 'not evidenced'}"


class AuditEvent(models.Model):
    """What happened to an audit, by whom and when: the audit's own history."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created and assigned"
        STARTED = "started", "Started"
        SAVED = "saved", "Saved"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.by} at {self.at:%c}"
