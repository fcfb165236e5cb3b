from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class CasesConfig(AppConfig):
    name = "earlyhelp.cases"
    label = "cases"

    def ready(self):
        from .linking import person_saved

        # However an account is made or changed (the admin pages, the demo, the shell), its
        # EHAs follow its e-mail address (linking.py).
        post_save.connect(
            person_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="cases-link-person"
        )
