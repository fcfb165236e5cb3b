from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .roles import Role


class EarlyHelpAdminSite(admin.AdminSite):
    """Django's admin, for people holding the administrator role and no one else."""

    site_header = "Early Help QA administration"
    site_title = "Early Help QA administration"
    index_title = "People, organisations and reference data"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.has_role(Role.ADMINISTRATOR)

    def login(self, request, extra_context=None):
        # One sign-in page for the whole service, with its lock-out rules.
        if self.has_permission(request):
            return redirect(self.index_url)
        return redirect_to_login(request.GET.get("next", self.index_url))

    @property
    def index_url(self):
        return reverse("admin:index", current_app=self.name)
