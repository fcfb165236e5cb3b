"""Families and their Early Help Assessments (EHAs), as the EHM data report describes them.

Only what quality assurance needs is kept (data minimisation): references, dates, flags and the
coordinator's work contact; no names or addresses of children or parents.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyType, District


class Family(models.Model):
    reference = models.CharField("family reference", max_length=50, unique=True)

    class Meta:
        verbose_name_plural = "families"
        ordering = ["reference"]

    def __str__(self):
        return self.reference


class DataImport(models.Model):
    """One EHM data report brought in: who, when, which file, and what happened."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Ready to import"
        REFUSED = "refused", "Refused"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        COMPLETED = "completed", "Imported"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Source(models.TextChoices):
        WEB = "web", "Upload"
        COMMAND = "command", "Command line"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="data_imports",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKING)
    refusal_reason = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The counts: from the check while it is being previewed, then from the import itself.
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    new_agencies = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%d %b %Y %H:%M})"

    @property
    def is_finished(self):
        return self.status in {
            self.Status.REFUSED,
            self.Status.COMPLETED,
            self.Status.FAILED,
            self.Status.CANCELLED,
        }


class ImportRowError(models.Model):
    """Why one row of a data report was rejected. A row may have several."""

    data_import = models.ForeignKey(DataImport, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self):
        return f"Row {self.row}, {self.column or 'whole row'}: {self.message}"


class EarlyHelpAssessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    reference = models.CharField("EHA reference", max_length=50, unique=True)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="assessments")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assessments")
    agency_type = models.ForeignKey(
        AgencyType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="From the data report, or else the lead agency's own type.",
    )
    coordinator_name = models.CharField(max_length=150, blank=True)
    coordinator_email = models.EmailField(blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_assessments",
        help_text="The person with the coordinator's e-mail address, where they have an account.",
    )
    coordinator_manager_email = models.EmailField(blank=True)
    coordinator_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_assessments",
        help_text=(
            "The person with the coordinator manager's e-mail address, where they have an account."
        ),
    )
    start_date = models.DateField()
    taf_meeting_date = models.DateField("TAF meeting date", null=True, blank=True)
    plan_in_place = models.BooleanField(null=True, blank=True)
    last_review_date = models.DateField(null=True, blank=True)
    number_of_reviews = models.PositiveIntegerField(null=True, blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices)
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=200, blank=True)
    step_down_from_social_care = models.BooleanField(null=True, blank=True)
    stepped_up_to_social_care = models.BooleanField(null=True, blank=True)
    children_in_family = models.PositiveSmallIntegerField(null=True, blank=True)
    genogram_recorded = models.BooleanField(null=True, blank=True)
    chronology_recorded = models.BooleanField(null=True, blank=True)

    # A digest of the data report row this record was last made from: an identical row in a
    # later report needs no work at all.
    source_hash = models.CharField(max_length=32)
    created_by_import = models.ForeignKey(
        DataImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # provenance, read from the EHA; never searched by
    )
    updated_by_import = models.ForeignKey(
        DataImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Early Help Assessment"
        ordering = ["-start_date", "reference"]
        # Every index is built again by each first import (writing.set_aside_indexes), so each
        # is as narrow as its queries allow (decision 0018): the links' own indexes (district,
        # lead agency, agency type, family, coordinator, manager), and the open EHAs by start
        # date for the drift scan, "open longer than" and the reports' open counts. None on the
        # e-mail addresses: who may see an EHA follows its links to accounts (linking.py).
        indexes = [
            models.Index(
                fields=["start_date"],
                condition=models.Q(status="open"),
                name="cases_eha_open_by_start",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def days_open(self, today=None):
        """Days from the start to closure, or to today while it is open."""
        end = self.closure_date if self.closure_date else (today or timezone.localdate())
        return (end - self.start_date).days

    def days_since_last_review(self, today=None):
        if self.last_review_date is None:
            return None
        return ((today or timezone.localdate()) - self.last_review_date).days


class CaseChange(models.Model):
    """What a data report changed on an EHA: {field: [before, after]}."""

    assessment = models.ForeignKey(
        EarlyHelpAssessment, on_delete=models.CASCADE, related_name="changes"
    )
    data_import = models.ForeignKey(DataImport, on_delete=models.CASCADE, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.assessment}: {', '.join(self.changes)} changed"
