from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "earlyhelp.audits"
    label = "audits"

    def ready(self):
        # The daily jobs register themselves when their modules are imported.
        from . import escalation, feedback, reminders  # noqa: F401
