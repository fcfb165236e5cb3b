from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "earlyhelp.voice"
    label = "voice"
