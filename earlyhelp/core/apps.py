from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "earlyhelp.core"
    label = "core"

    def ready(self):
        # The daily jobs register themselves when their module is imported.
        from . import jobs  # noqa: F401
