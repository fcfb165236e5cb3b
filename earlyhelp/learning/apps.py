from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "earlyhelp.learning"
    label = "learning"

    def ready(self):
        # The reminders to owners of actions register themselves as a daily job when imported.
        from . import actions  # noqa: F401
