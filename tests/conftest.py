import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.utils import timezone

from earlyhelp.accounts.roles import Role

from .factories import UserFactory

# Playwright's synchronous API runs an event loop in the test thread; Django would otherwise
# refuse database calls from it. The live server itself runs in its own ordinary thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ALL_ROLES = list(Role)


def pytest_configure(config):
    """Runs the whole test session on one date: the clock is set to noon of the day the run
    starts (in the service's time zone) and runs on from there. Test modules work out "today"
    when they are collected, and the app when it answers; a run that went on past midnight
    had them disagree by a day (CI, 27 November 2026: four drift page tests, "128 days overdue"
    against "127"). Noon leaves twelve hours either side, so "three hours ago" is today too.
    Chromium keeps the real clock; the browser tests wait for what they read, and pass with
    the app's clock hours behind the browser's (when Chromium revalidates its stylesheets,
    whose Last-Modified is then after the Date) as well as ahead."""
    today = timezone.localdate()
    noon = datetime.datetime.combine(
        today, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
    )
    clock = time_machine.travel(noon, tick=True)
    clock.start()
    config.add_cleanup(clock.stop)


@pytest.fixture(scope="module", autouse=True)
def _database_connections_closed_after_each_module():
    """Closes the database connections a module's tests and fixtures opened, in the context
    they were opened in. Once a browser test has started Playwright, whose event loop then
    counts as running in this thread, Django keeps connections per context rather than per
    thread: one opened after that (by a module's fixture outside any test, say) was never
    closed, and dropping the PostgreSQL test database at the end warned that another session
    was using it. Closing an in-memory SQLite test database's connection does nothing."""
    yield
    connections.close_all()


@pytest.fixture
def make_user(db):
    def make(*roles, **fields):
        return UserFactory(roles=roles, **fields)

    return make


@pytest.fixture
def client_for(client, make_user):
    """A test client signed in as a new person holding the given roles."""

    def sign_in_as(*roles):
        user = make_user(*roles)
        client.force_login(user)
        return client

    return sign_in_as
