"""You said, we did: actions done in answer to what families told us, readable by the
partnership without any evidence or child-level detail."""

import datetime

import pytest
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.learning import actions
from earlyhelp.learning.models import Action

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def make(lead, owner, title, you_said, done=True):
    action = actions.create_action(
        title=title,
        action_type=Action.Type.SERVICE_GAP,
        owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
        you_said=you_said,
        by=lead,
    )
    if done:
        actions.record_evidence(action, "EVIDENCE-NOT-FOR-THE-PARTNERSHIP", owner)
    return action


def test_only_done_actions_that_answer_families_are_listed(client):
    lead = UserFactory(roles=[Role.QA_LEAD])
    owner = UserFactory(roles=[Role.COORDINATOR])
    make(lead, owner, "Evening appointments offered", "We could not come to daytime meetings.")
    make(lead, owner, "Not done yet", "Something else", done=False)
    make(lead, owner, "No family words", "")
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_VIEWER]))
    page = client.get("/learning/you-said-we-did/").content.decode()
    assert "We could not come to daytime meetings." in page
    assert "Evening appointments offered" in page
    assert "Not done yet" not in page
    assert "No family words" not in page
    assert "EVIDENCE-NOT-FOR-THE-PARTNERSHIP" not in page


def test_the_page_says_when_there_is_nothing_yet(client):
    client.force_login(UserFactory(roles=[Role.QA_LEAD]))
    assert 'id="empty-state"' in client.get("/learning/you-said-we-did/").content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LINE_MANAGER, Role.DATA_OFFICER])
def test_others_are_refused(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get("/learning/you-said-we-did/").status_code == 403


def test_the_learning_page_links_to_it(client):
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_VIEWER]))
    assert 'href="/learning/you-said-we-did/"' in client.get("/learning/").content.decode()
