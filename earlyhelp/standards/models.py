"""The framework as data: versions of a framework, their sections and quality standards, the
bottom lines, and the scales an audit uses. A loaded version never changes, so an audit that
points at it keeps the standards and scales it was started with."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Framework(models.Model):
    ref_id = models.SlugField("reference", max_length=100, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=30)
    effective_date = models.DateField(help_text="The day this version takes effect.")
    source = models.TextField(blank=True, help_text="Where the text comes from.")
    library_text = models.TextField(help_text="The library file exactly as loaded.")
    sha256 = models.CharField("SHA-256", max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    impact_min = models.PositiveSmallIntegerField(default=0)
    impact_max = models.PositiveSmallIntegerField(default=10)

    class Meta:
        ordering = ["framework__name", "-effective_date"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "version"], name="one_row_per_version")
        ]

    def __str__(self):
        return f"{self.framework.name}, version {self.version}"


class _VersionPart(models.Model):
    """Something that belongs to one framework version, with a stable reference and an order."""

    ref_id = models.CharField("reference", max_length=50)
    order = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        ordering = ["order"]


class Section(_VersionPart):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)

    class Meta(_VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "ref_id"], name="section_ref_unique")
        ]

    def __str__(self):
        return self.title


class Standard(_VersionPart):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="standards")
    text = models.TextField()

    class Meta(_VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["section", "ref_id"], name="standard_ref_unique")
        ]

    def __str__(self):
        return self.text


class BottomLine(_VersionPart):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="bottom_lines"
    )
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    class Meta(_VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "ref_id"], name="bottom_line_ref_unique")
        ]

    def __str__(self):
        return self.title or self.text


class RatingOption(_VersionPart):
    """How well a standard is met, such as Met, Partly met, Not met, Not applicable."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="rating_options"
    )
    label = models.CharField(max_length=50)
    evidence_required = models.BooleanField(
        default=False, help_text="An evidence note must explain this rating."
    )
    applicable = models.BooleanField(
        default=True, help_text="Unticked for 'Not applicable': left out of proportions."
    )

    class Meta(_VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "ref_id"], name="rating_ref_unique")
        ]

    def __str__(self):
        return self.label


class JudgementGrade(_VersionPart):
    """One grade of the overall judgement, best first, with the framework's definition."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="judgement_grades"
    )
    label = models.CharField(max_length=50)
    definition = models.TextField()

    class Meta(_VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "ref_id"], name="grade_ref_unique")
        ]

    def __str__(self):
        return self.label


class ImpactAnchor(models.Model):
    """Words that say what a score on the impact scale means."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="impact_anchors"
    )
    score = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=300)

    class Meta:
        ordering = ["score"]
        constraints = [
            models.UniqueConstraint(fields=["version", "score"], name="impact_anchor_unique")
        ]

    def __str__(self):
        return f"{self.score}: {self.wording}"
