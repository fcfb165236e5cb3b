from django.contrib import admin

from .models import AccessLog, DailyRun, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as evidence: administrators may read them, nobody adds, edits or deletes
    them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes it here."""

    list_display = ["viewed_at", "user", "record_type", "record_label", "path"]
    list_filter = ["record_type", "viewed_at"]
    list_select_related = ["user"]
    search_fields = ["record_label", "user__email", "user__full_name"]
    date_hierarchy = "viewed_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Who was told what, and when it was read and e-mailed. Read-only: it is the record that
    people were told."""

    list_display = ["created_at", "kind", "recipient", "email", "text", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__full_name", "email", "text", "key"]
    date_hierarchy = "created_at"


@admin.register(DailyRun)
class DailyRunAdmin(ReadOnlyAdmin):
    """Each day's run of the scheduled jobs and what each job did."""

    list_display = ["day", "started_at", "finished_at", "summary"]
    date_hierarchy = "day"
