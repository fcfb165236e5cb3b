"""The quarterly QA report: a draft whose figures follow the data, published as a frozen
document, corrected only by a new version that says why."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class QuarterlyReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded by a correction"

    # The period: a calendar quarter ("2026-Q3") or two dates (`quarter` empty).
    period_start = models.DateField()
    period_end = models.DateField()
    quarter = models.CharField(max_length=7, blank=True, help_text="For example 2026-Q3.")
    label = models.CharField(max_length=100, help_text="The period in words.")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)

    # The QA lead's narrative.
    working_well = models.TextField(blank=True)
    needs_to_improve = models.TextField(blank=True)
    key_themes = models.TextField(blank=True)

    # The document as published (Document.to_dict()), narrative included; empty for a draft.
    figures = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    correction_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end"],
                condition=models.Q(status="published"),
                name="one_published_report_per_period",
            ),
            models.UniqueConstraint(
                fields=["period_start", "period_end"],
                condition=models.Q(status="draft"),
                name="one_draft_report_per_period",
            ),
            models.UniqueConstraint(
                fields=["period_start", "period_end", "version"],
                name="one_report_version_per_period",
            ),
        ]

    def __str__(self):
        return f"Quarterly report {self.label} (version {self.version})"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class ReportRecommendation(models.Model):
    """One of the QA lead's recommendations in a report. On publishing it becomes a tracked
    recommendation in the learning loop (`tracked`)."""

    report = models.ForeignKey(
        QuarterlyReport, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    order = models.PositiveSmallIntegerField()
    tracked = models.ForeignKey(
        "learning.Recommendation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]
