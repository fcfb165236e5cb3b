"""Themes for learning: the framework's "themes for learning are identified, shared and inform
plans". A managed list that auditors and the QA lead tag audits with; later stages report on it."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class LearningTheme(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(
        blank=True, help_text="When to use this theme, so that auditors tag alike."
    )
    is_active = models.BooleanField(
        "in use", default=True, help_text="Untick to retire it: it stays on audits tagged with it."
    )
    audits = models.ManyToManyField(
        "audits.Audit", through="AuditTheme", related_name="learning_themes", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="learning_theme_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class AuditTheme(models.Model):
    """One theme on one audit, with who tagged it and when."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(LearningTheme, on_delete=models.PROTECT, related_name="+")
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["theme__name"]
        constraints = [models.UniqueConstraint(fields=["audit", "theme"], name="one_tag_per_theme")]

    def __str__(self):
        return f"{self.theme} on {self.audit}"


class Recommendation(models.Model):
    """A recommendation made to or by the CSCP Early Help group, tracked to closed: "key
    learning and recommendations go to the Business Group"."""

    class Source(models.TextChoices):
        QUARTERLY_REPORT = "quarterly_report", "Quarterly QA report"
        MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
        LEARNING_REVIEW = "learning_review", "Learning review"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        CLOSED = "closed", "Closed"

    made_on = models.DateField()
    source = models.CharField(max_length=30, choices=Source.choices)
    text = models.TextField()
    theme = models.ForeignKey(
        LearningTheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(blank=True, help_text="What the group decided.")
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_on", "-pk"]

    def __str__(self):
        return self.text[:80]


class AgencyResponse(models.Model):
    """An agency's response to a recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    response = models.TextField()
    responded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["responded_on", "pk"]

    def __str__(self):
        return f"{self.agency}'s response to {self.recommendation}"


class Action(models.Model):
    """An action in response to QA findings: "areas for development and improvement, gaps in
    service provision, issues for supervision, training needs"."""

    class Type(models.TextChoices):
        DEVELOPMENT = "development", "Area for development"
        SERVICE_GAP = "service_gap", "Gap in service provision"
        SUPERVISION = "supervision", "Issue for supervision"
        TRAINING = "training", "Training need"
        POLICY = "policy", "Policy or guidance update"
        STANDARDS_REVIEW = "standards_review", "Standards review"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    action_type = models.CharField(max_length=20, choices=Type.choices)
    # Where it came from: an audit, a theme or finding, or a recommendation (any may be blank).
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    theme = models.ForeignKey(
        LearningTheme, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    finding = models.CharField(
        max_length=300, blank=True, help_text="The finding it answers, in a sentence."
    )
    # "You said, we did": what families told us that this action answers, in words fit to
    # publish (a moderated quote or a summary; never anything that identifies a family).
    you_said = models.TextField(blank=True)
    # The standards (by ref_id, as the framework spells them) whose compliance it should improve:
    # the before-and-after comparison reads these.
    standard_refs = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency_type = models.ForeignKey(
        "accounts.AgencyType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(blank=True, help_text="What shows it was done.")
    completed_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # A standards review links to the framework version it produced.
    framework_version = models.ForeignKey(
        "standards.FrameworkVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self):
        return self.title


class ActionEvent(models.Model):
    """What happened to an action, by whom and when."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.what
