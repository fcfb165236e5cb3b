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
