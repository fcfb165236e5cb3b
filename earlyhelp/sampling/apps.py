from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "earlyhelp.sampling"
    label = "sampling"
    verbose_name = "Dip sample and drift"

    def ready(self):
        # The daily jobs register themselves when their module is imported.
        from . import jobs  # noqa: F401
