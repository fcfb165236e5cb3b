from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "earlyhelp.audits"
    label = "audits"
