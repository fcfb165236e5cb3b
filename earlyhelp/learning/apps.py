from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "earlyhelp.learning"
    label = "learning"
