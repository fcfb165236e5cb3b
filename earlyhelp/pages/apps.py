from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "earlyhelp.pages"
    label = "pages"
