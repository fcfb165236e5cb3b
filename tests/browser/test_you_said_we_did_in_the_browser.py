"""You said, we did, in a real browser: the QA lead raises an action with what families told
us, the owner marks it done, and a partnership viewer reads it. axe finds nothing on any page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.learning import actions
from earlyhelp.learning.models import Action
from earlyhelp.standards.defaults import load_default_library

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partnership_viewer_reads_what_families_said_and_what_was_done(
    make_user, sign_in, assert_accessible
):
    load_default_library()
    lead = make_user(Role.QA_LEAD)
    owner = make_user(Role.COORDINATOR)
    action = actions.create_action(
        title="Meetings offered after school hours",
        action_type=Action.Type.SERVICE_GAP,
        owner=owner,
        due_date=timezone.localdate() + datetime.timedelta(days=20),
        you_said="Meetings were always in the school day, when we were at work.",
        by=lead,
    )
    actions.record_evidence(action, "Evening slots in every district since May.", owner)

    page = sign_in(make_user(Role.PARTNERSHIP_VIEWER))
    page.get_by_role("link", name="Learning", exact=True).click()
    page.get_by_role("link", name="You said, we did").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    expect(page.locator(".govuk-summary-card")).to_contain_text("when we were at work")
    expect(page.locator(".govuk-summary-card")).to_contain_text("Meetings offered after school")
    expect(page.locator("main")).not_to_contain_text("Evening slots in every district")
    assert_accessible(page)
