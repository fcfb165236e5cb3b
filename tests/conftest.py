import os

import pytest
from django.db import connections

from earlyhelp.accounts.roles import Role

from .factories import UserFactory

# Playwright's synchronous API runs an event loop in the test thread; Django would otherwise
# refuse database calls from it. The live server itself runs in its own ordinary thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ALL_ROLES = list(Role)


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
