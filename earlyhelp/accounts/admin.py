from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyType, District, User, UserRole


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(AgencyType)
class AgencyTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency_type", "district", "is_active"]
    list_filter = ["is_active", "agency_type", "district"]
    list_select_related = ["agency_type", "district"]
    search_fields = ["name"]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1
    verbose_name = "role"
    verbose_name_plural = "roles"


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "agency", "line_manager"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "line_manager", "is_active"]
    list_filter = ["is_active", "role_assignments__role", "agency__agency_type", "agency__district"]
    list_select_related = ["agency", "line_manager"]
    search_fields = ["full_name", "email", "agency__name"]
    autocomplete_fields = ["agency", "line_manager"]
    inlines = [UserRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("About this person", {"fields": ["full_name", "job_title", "agency", "line_manager"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "agency",
                    "line_manager",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []
