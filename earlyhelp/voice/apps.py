from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VoiceConfig(AppConfig):
    name = "earlyhelp.voice"
    label = "voice"

    def ready(self):
        post_migrate.connect(_load_default_questionnaires, sender=self)
        # The daily jobs (invitations, reminders, erasing contact details) register themselves
        # when their module is imported.
        from . import invitations  # noqa: F401


def _load_default_questionnaires(using="default", **kwargs):
    """A fresh installation has the three questionnaires after `migrate` alone."""
    if using != "default":
        return
    from .questionnaires import load_defaults

    load_defaults()
