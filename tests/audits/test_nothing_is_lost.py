"""Nothing an auditor types is lost: autosave as they type, and answers sent after the session
ran out are there again once they sign back in."""

import pytest

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit

from ..factories import TEST_PASSWORD, UserFactory
from .audit_helpers import new_audit


@pytest.fixture
def auditor(db):
    return UserFactory(roles=[Role.AUDITOR])


@pytest.fixture
def audit(auditor):
    return new_audit(auditor)


def autosave(client, audit, **data):
    return client.post(
        f"/audits/{audit.pk}/journey/",
        {"revision": Audit.objects.get(pk=audit.pk).revision, **data},
        headers={"X-Autosave": "1"},
    )


def test_autosave_saves_and_answers_with_the_new_revision(client, auditor, audit):
    client.force_login(auditor)
    response = autosave(client, audit, childs_journey="Typing…")
    assert response.status_code == 200
    assert response.json() == {"saved": True, "revision": audit.revision + 1}
    assert Audit.objects.get(pk=audit.pk).childs_journey == "Typing…"


def test_autosave_over_someone_elses_save_is_refused_not_applied(client, auditor, audit):
    client.force_login(auditor)
    stale = audit.revision
    autosave(client, audit, childs_journey="Theirs")
    response = client.post(
        f"/audits/{audit.pk}/journey/",
        {"revision": stale, "childs_journey": "Mine"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 409
    assert response.json()["conflict"] is True
    assert Audit.objects.get(pk=audit.pk).childs_journey == "Theirs"


def test_answers_sent_after_the_session_ran_out_come_back_after_signing_in(client, auditor, audit):
    page = f"/audits/{audit.pk}/journey/"
    client.force_login(auditor)
    client.get(page)
    client.logout()  # the session runs out while the auditor types
    response = client.post(
        page, {"revision": audit.revision, "childs_journey": "Written before the time-out."}
    )
    assert response["Location"] == f"/sign-in/?next={page}"
    signed_in = client.post(
        response["Location"], {"username": auditor.email, "password": TEST_PASSWORD}
    )
    assert signed_in["Location"] == page
    shown = client.get(page).content.decode()
    assert "Written before the time-out." in shown
    assert "You were signed out before your answers on this page were saved" in shown
    assert Audit.objects.get(pk=audit.pk).childs_journey == ""  # shown, not yet saved
    assert "Written before the time-out." not in client.get(page).content.decode()  # once
