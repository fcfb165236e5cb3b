import os

import pytest

from earlyhelp.accounts.roles import Role

from .factories import UserFactory

# Playwright's synchronous API runs an event loop in the test thread; Django would otherwise
# refuse database calls from it. The live server itself runs in its own ordinary thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ALL_ROLES = list(Role)


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
