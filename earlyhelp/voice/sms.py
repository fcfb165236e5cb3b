"""Text messages to families: a small backend interface, like Django's e-mail backends.

The `SMS_BACKEND` setting names the class that sends them (default: the console backend):

    earlyhelp.voice.sms.ConsoleBackend   prints each message (development)
    earlyhelp.voice.sms.LocmemBackend    keeps each message in `sms.outbox` (tests)
    earlyhelp.voice.sms.DisabledBackend  refuses to send (production until there is a real one:
                                         the printed message would put a telephone number and
                                         a private link in the server's log)

A backend is a class with one method, `send(to, body)`, which returns once the message has been
handed over and raises if it could not be: the caller then leaves the invitation unsent, so the
next day's run tries again.

A GOV.UK Notify backend belongs here, when the service has a Notify account: a `NotifyBackend`
that posts each message to Notify's "send a text message" API with the official Python client,
through one Notify template whose whole content is a single `((body))` placeholder (the words
stay here, in earlyhelp/voice/invitations.py, where the tests check them), reading its API key
from the environment and raising on any error Notify returns. Until then the console backend is
the default, so nothing is ever sent by accident from a development machine.
"""

import sys
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "earlyhelp.voice.sms.ConsoleBackend"


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class BaseBackend:
    def send(self, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Writes each message to standard output, as Django's console e-mail backend does."""

    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, to, body):
        with self._lock:
            self.stream.write(f"Text message to: {to}\n{body}\n{'-' * 79}\n")
            self.stream.flush()


# The messages the locmem backend has "sent", oldest first. Tests empty it.
outbox: list[TextMessage] = []


class LocmemBackend(BaseBackend):
    def send(self, to, body):
        outbox.append(TextMessage(to=to, body=body))


class NotConfigured(Exception):
    """No way of sending text messages has been set up."""


class DisabledBackend(BaseBackend):
    """Sends nothing and says so: the invitation stays unsent (and is tried again each day
    until its link expires), and the log names the invitation, not the number."""

    def send(self, to, body):
        raise NotConfigured("SMS_BACKEND is the disabled backend: no text messages are sent")


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_text(to: str, body: str) -> None:
    get_backend().send(to, body)
