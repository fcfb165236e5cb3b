"""Choosing what to audit: the monthly dip sample, and drift found in the case data.

The seed: "On a monthly basis the Early Help Team will undertake a dip sample … randomly selected
from data reports or as requested by the Early Help Officers", and additional audits "when
support is drifting".
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.accounts.models import District
from earlyhelp.audits.models import Audit
from earlyhelp.cases.models import EarlyHelpAssessment


class DipSample(models.Model):
    """One month's sample (for one theme, or none), with everything needed to explain and
    reproduce it: the seed, the filters, the population per district and the method."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    month = models.DateField(help_text="The first day of the month the sample is for.")
    # The theme's filters in a canonical form ("" for no theme), so that "one sample per month
    # and theme" can be a database constraint.
    theme_key = models.CharField(max_length=500, blank=True)
    theme_name = models.CharField(max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    size = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    method = models.TextField()
    population = models.JSONField(default=dict, help_text="EHAs that could be chosen, by district")
    population_total = models.PositiveIntegerField()
    excluded_total = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "theme_key"],
                condition=models.Q(status="confirmed"),
                name="one_confirmed_sample_per_month_and_theme",
            )
        ]

    def __str__(self):
        theme = f", {self.theme_name}" if self.theme_name else ""
        return f"Dip sample for {self.month:%B %Y}{theme}"


class SampleItem(models.Model):
    """One EHA in a sample: drawn at random, drawn to replace another, or requested."""

    class Source(models.TextChoices):
        RANDOM = "random", "Random draw"
        REPLACEMENT = "replacement", "Random replacement"
        REQUESTED = "requested", "Requested by an Early Help Officer"

    sample = models.ForeignKey(DipSample, on_delete=models.CASCADE, related_name="items")
    assessment = models.ForeignKey(EarlyHelpAssessment, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    reason = models.TextField(blank=True, help_text="Why it was requested.")
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    replaced_reason = models.TextField(blank=True)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    audit = models.OneToOneField(
        Audit, on_delete=models.SET_NULL, null=True, blank=True, related_name="sample_item"
    )
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "assessment"], name="an_eha_once_per_sample")
        ]

    def __str__(self):
        return f"{self.assessment} in {self.sample}"

    @property
    def is_replaced(self):
        return self.replaced_by_id is not None or bool(self.replaced_reason)


class TafSupportRequest(models.Model):
    """Drift rule (e): "the Team Around the Family requests additional support as they feel that
    progress is not being made", recorded by an Early Help Officer."""

    assessment = models.ForeignKey(
        EarlyHelpAssessment, on_delete=models.CASCADE, related_name="taf_support_requests"
    )
    requested_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return f"TAF support request for {self.assessment} on {self.requested_on}"


class DriftContact(models.Model):
    """An Early Help Officer's contact with the coordinator of a drifting plan: "the coordinator
    will be contacted by an Early Help Officer to ensure that the plan is effective"."""

    assessment = models.ForeignKey(
        EarlyHelpAssessment, on_delete=models.CASCADE, related_name="drift_contacts"
    )
    contacted_on = models.DateField()
    outcome = models.TextField()
    next_step = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self):
        return f"Contact about {self.assessment} on {self.contacted_on}"


class DriftDismissal(models.Model):
    """A drift reason set aside by an officer, until the EHA's data changes: the dismissal holds
    while the EHA still has the data report digest it had when it was dismissed."""

    assessment = models.ForeignKey(
        EarlyHelpAssessment, on_delete=models.CASCADE, related_name="drift_dismissals"
    )
    rule = models.CharField(max_length=30)
    source_hash = models.CharField(max_length=32)
    reason = models.TextField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-dismissed_at"]
        indexes = [models.Index(fields=["assessment", "rule", "source_hash"])]

    def __str__(self):
        return f"{self.rule} dismissed for {self.assessment}"


class DriftNotice(models.Model):
    """That officers have been told about one drift reason for one EHA, so the daily scan never
    tells them twice about the same EHA for the same reason."""

    assessment = models.ForeignKey(EarlyHelpAssessment, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=30)
    first_seen = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rule"], name="one_notice_per_drift")
        ]

    def __str__(self):
        return f"{self.rule} seen for {self.assessment} on {self.first_seen}"
