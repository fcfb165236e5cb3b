from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StandardsConfig(AppConfig):
    name = "earlyhelp.standards"
    label = "standards"

    def ready(self):
        post_migrate.connect(_load_default_library, sender=self)


def _load_default_library(using="default", **kwargs):
    """A fresh installation has the partnership's framework in force after `migrate` alone."""
    from .defaults import load_default_library

    load_default_library(using=using)
