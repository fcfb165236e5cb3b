"""Administrators manage the list of learning themes here: add, rename, describe and retire.

A theme that is on any audit cannot be deleted (retire it instead), so that past audits keep
their themes; the database refuses it too (`AuditTheme.theme` is PROTECT).
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.db.models.functions import Lower

from .models import AuditTheme, LearningTheme


class LearningThemeForm(forms.ModelForm):
    class Meta:
        model = LearningTheme
        fields = ["name", "description", "is_active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        same = LearningTheme.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(
                f"There is already a theme called “{same.first().name}”. Names are compared "
                "without regard to capital letters."
            )
        return name


@admin.register(LearningTheme)
class LearningThemeAdmin(admin.ModelAdmin):
    form = LearningThemeForm
    list_display = ["name", "description", "is_active", "audit_count"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(audit_count=Count("audits"))
            .order_by("-is_active", Lower("name"))
        )

    @admin.display(description="Audits tagged", ordering="audit_count")
    def audit_count(self, obj):
        return obj.audit_count

    def has_delete_permission(self, request, obj=None):
        if obj is not None and AuditTheme.objects.filter(theme=obj).exists():
            return False
        return super().has_delete_permission(request, obj)
