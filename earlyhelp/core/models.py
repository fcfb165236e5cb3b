from django.conf import settings
from django.db import models
from django.utils import timezone


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


class Notification(models.Model):
    """Something a person needs to know: shown in their list in the service and sent by e-mail.

    The in-app `text` may name an EHA reference, because only the signed-in recipient reads it.
    The e-mail never carries it: its words are fixed per kind (earlyhelp/core/notifications.py)
    and it holds only a link to sign in. `key` makes a reminder once-only: the same key for the
    same person is refused by the database, so a daily job run twice sends nothing twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Where there is no account: an address from the data report (a manager not yet signed up).
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=50)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="notification_sent_once"
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_someone_to_tell",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient or self.email}"


class DailyRun(models.Model):
    """One day's run of the scheduled jobs, so that the scheduler starts it once a day however
    many scheduler processes are running (the unique day decides which one does)."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"Daily jobs of {self.day:%d %B %Y}"
