from django.contrib import admin

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody edits or deletes it here."""

    list_display = ["viewed_at", "user", "record_type", "record_label", "path"]
    list_filter = ["record_type", "viewed_at"]
    list_select_related = ["user"]
    search_fields = ["record_label", "user__email", "user__full_name"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
