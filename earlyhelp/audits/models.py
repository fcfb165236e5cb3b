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

    # After submission: feedback to the practitioner, then closure.
    shared_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)

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
        ESCALATED = "escalated", "Escalated to the line manager"
        ESCALATION_UPDATED = "escalation_updated", "Escalation updated"
        SHARED = "shared", "Shared with the practitioner"
        RESPONDED = "responded", "Feedback response recorded"
        CLOSED = "closed", "Closed"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.by} at {self.at:%c}"


class Escalation(models.Model):
    """The framework's escalation: "Where the Early Help is found to be 'Inadequate' and/or there
    are unresolved safeguarding issues raised by the process, then the Early Help Officer will
    directly inform the EHA co-ordinators line manager". One per audit, made when it is submitted.

    Who was told is kept as it was at the time (`line_manager`, `told_email`, `told_how`), so the
    register still says who was told after someone changes job.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Not yet acknowledged"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    class ToldHow(models.TextChoices):
        USER_RECORD = "user_record", "Line manager on the coordinator's account"
        DATA_REPORT = "data_report", "Manager e-mail address in the data report"
        NONE = "none", "No line manager on record: the QA lead was told"

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="escalation")
    inadequate = models.BooleanField()
    unresolved_safeguarding = models.BooleanField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
    )
    told_email = models.EmailField(blank=True)
    told_how = models.CharField(max_length=20, choices=ToldHow.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField(blank=True)
    action_taken = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chased_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["line_manager", "status"]),
        ]

    def __str__(self):
        return f"Escalation of the audit of {self.audit.assessment.reference}"

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.inadequate:
            found.append("the judgement is Inadequate")
        if self.unresolved_safeguarding:
            found.append("unresolved safeguarding issues")
        return found


class AuditShare(models.Model):
    """A submitted audit shared with one practitioner or manager, and their response: the
    framework's "feedback directly to manager or agency involved based on the findings"."""

    class Relationship(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        LINE_MANAGER = "line_manager", "Coordinator's line manager"
        AGENCY_MANAGER = "agency_manager", "Lead agency's manager"

    class Agreement(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_shares"
    )
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    shared_at = models.DateTimeField(default=timezone.now)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_read_at = models.DateTimeField(null=True, blank=True)
    agrees_with_judgement = models.CharField(max_length=10, choices=Agreement.choices, blank=True)
    reflection = models.TextField(blank=True)
    will_do = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "person"], name="one_share_per_person")
        ]

    def __str__(self):
        return f"{self.audit} shared with {self.person}"
