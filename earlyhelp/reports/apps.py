from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "earlyhelp.reports"
    label = "reports"
