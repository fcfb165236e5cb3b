"""Quarterly reports in the admin are for looking, not changing: a report changes only through
its services (publishing.py), which keep a published report frozen and record corrections."""

from django.contrib import admin

from .models import QuarterlyReport, ReportRecommendation


class ReportRecommendationInline(admin.TabularInline):
    model = ReportRecommendation
    fields = ["order", "text", "tracked"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = ["label", "version", "status", "published_at", "published_by"]
    list_filter = ["status"]
    inlines = [ReportRecommendationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
