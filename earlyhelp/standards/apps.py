from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "earlyhelp.standards"
    label = "standards"
