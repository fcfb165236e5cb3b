from django.contrib.admin.apps import AdminConfig


class EarlyHelpAdminConfig(AdminConfig):
    """Django's admin with our site class (loaded before the app registry is ready)."""

    default_site = "earlyhelp.accounts.admin_site.EarlyHelpAdminSite"
