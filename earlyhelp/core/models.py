from django.conf import settings
from django.db import models


class AccessLog(models.Model):
    """Who looked at a child-level record, and when. Written on every view; never edited."""

    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log"
    )
    record_type = models.CharField(max_length=50)
    record_id = models.PositiveBigIntegerField()
    record_label = models.CharField(
        max_length=100, help_text="The record's own reference, such as the EHA reference."
    )
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["record_type", "record_id", "viewed_at"])]

    def __str__(self):
        return f"{self.user} viewed {self.record_type} {self.record_label} at {self.viewed_at:%c}"
