"""Pages shown to a signed-in person are marked for no browser or proxy to keep; pages for people
not signed in are not marked by this rule."""

import pytest

from earlyhelp.accounts.roles import Role

from .cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("role", list(Role))
def test_every_roles_home_page_is_private_and_not_stored(client_for, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_case_page_is_private_and_not_stored(client_for):
    eha = EarlyHelpAssessmentFactory()
    response = client_for(Role.QA_LEAD).get(f"/cases/{eha.pk}/")
    assert response.status_code == 200
    assert eha.reference in response.content.decode()
    assert {"private", "no-store"} <= directives(response)


def test_a_refusal_to_a_signed_in_person_is_not_stored_either(client_for):
    eha = EarlyHelpAssessmentFactory()
    response = client_for(Role.DATA_OFFICER).get(f"/cases/{eha.pk}/")
    assert response.status_code == 403
    assert {"private", "no-store"} <= directives(response)


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_public_pages_for_someone_not_signed_in_are_left_as_they_are(client, path):
    # (Signing in and out are never stored either: Django's own views mark them.)
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_a_public_page_is_marked_once_its_reader_is_signed_in(client_for):
    response = client_for(Role.PARTNERSHIP_VIEWER).get("/privacy/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
