"""Actions in a real browser: from a submitted audit the QA lead raises a training need for an
agency, owned by its manager; the agency manager records the evidence (in a browser without
JavaScript) and marks it done; the QA lead signs it off, and the theme's close-the-loop page
shows it. axe finds nothing on any page, error summaries included."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.learning.models import Action, AuditTheme, LearningTheme
from earlyhelp.standards.defaults import load_default_library

from ..audits.factories import AuditFactory
from ..factories import TEST_PASSWORD, AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_browser(browser, live_server, assert_accessible):
    """Signs a person in on a browser context of their own; `javascript=False` for one
    without it. Every context is closed at the end."""
    contexts = []

    def sign_in_as(user, javascript=True):
        context = browser.new_context(java_script_enabled=javascript)
        contexts.append(context)
        tab = context.new_page()
        tab.goto(f"{live_server.url}/sign-in/")
        tab.get_by_label("E-mail address").fill(user.email)
        tab.get_by_label("Password").fill(TEST_PASSWORD)
        tab.get_by_role("button", name="Sign in").click()
        tab.wait_for_load_state()
        expect(tab.get_by_role("button", name="Sign out")).to_be_visible()
        return tab

    yield sign_in_as
    for context in contexts:
        context.close()


@pytest.fixture
def setting(make_user):
    """The database is flushed between browser tests: the framework is loaded here. A submitted
    audit of an EHA led by an agency with a manager, tagged with a learning theme."""
    load_default_library()
    lead = make_user(Role.QA_LEAD, full_name="Quinn Lead")
    manager = make_user(Role.LINE_MANAGER, full_name="Morgan Manager")
    agency = AgencyFactory(name="Eden Family Support", manager=manager)
    manager.agency = agency
    manager.save()
    audit = AuditFactory(judged="Requires Improvement")
    audit.assessment.lead_agency = agency
    audit.assessment.save()
    theme = LearningTheme.objects.create(name="Chronologies", description="Missing or undated.")
    AuditTheme.objects.create(audit=audit, theme=theme, tagged_by=audit.auditor)
    return {"lead": lead, "manager": manager, "agency": agency, "audit": audit, "theme": theme}


def heading(tab):
    return tab.get_by_role("heading", level=1)


def test_a_training_need_is_raised_done_and_signed_off(
    setting, open_browser, live_server, assert_accessible
):
    audit, manager = setting["audit"], setting["manager"]

    # The QA lead raises a training need from the submitted audit.
    lead = open_browser(setting["lead"])
    lead.goto(f"{live_server.url}/audits/{audit.pk}/")
    expect(lead.locator("#audit-actions-empty")).to_be_visible()
    assert_accessible(lead)
    lead.get_by_role("link", name="Raise an action").click()
    expect(heading(lead)).to_have_text("Raise an action")
    # The audit's agency and its manager are already chosen.
    expect(lead.get_by_label("Owner", exact=True)).to_have_value(str(manager.pk))
    expect(lead.get_by_label("Agency (optional)")).to_have_value(str(setting["agency"].pk))
    assert_accessible(lead)

    # Nothing filled in: the error summary says what is missing.
    lead.get_by_role("button", name="Raise the action").click()
    summary = lead.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter title")
    expect(summary).to_contain_text("Select type of action")
    expect(summary).to_contain_text("Enter due date")
    assert_accessible(lead)

    lead.get_by_label("Title").fill("Chronology training for the family support team")
    lead.get_by_label("Training need").check()
    lead.get_by_label("Learning theme (optional)").select_option(label="Chronologies")
    lead.get_by_label("The finding it answers (optional)").fill("Chronologies are not dated.")
    lead.get_by_label("S1.1:", exact=False).first.check()
    due = timezone.localdate() + datetime.timedelta(days=60)
    lead.get_by_label("Day").fill(str(due.day))
    lead.get_by_label("Month").fill(str(due.month))
    lead.get_by_label("Year").fill(str(due.year))
    lead.get_by_role("button", name="Raise the action").click()
    expect(heading(lead)).to_have_text("Chronology training for the family support team")
    expect(lead.locator("#action-status")).to_contain_text("Open")
    expect(lead.locator("#action-facts")).to_contain_text("Eden Family Support")
    expect(lead.locator("#action-facts")).to_contain_text("S1.1")
    assert_accessible(lead)
    action = Action.objects.get()
    assert action.owner == manager
    assert action.audit == audit
    assert action.theme == setting["theme"]

    # The audit now lists it.
    lead.goto(f"{live_server.url}/audits/{audit.pk}/")
    expect(lead.locator("#audit-actions-list")).to_contain_text("Chronology training")

    # The agency manager finds it and records the evidence: the error on the page axe checks,
    # the evidence itself from a browser without JavaScript.
    owner = open_browser(manager)
    owner.goto(f"{live_server.url}/actions/")
    expect(heading(owner)).to_have_text("Actions")
    assert_accessible(owner)
    owner.get_by_role("link", name="Chronology training for the family support team").click()
    expect(owner.get_by_role("button", name="Sign off the action")).to_have_count(0)
    assert_accessible(owner)
    owner.get_by_role("button", name="Record evidence and mark as done").click()
    expect(owner.locator(".govuk-error-summary")).to_contain_text("Enter evidence that it is done")
    assert_accessible(owner)
    without_js = open_browser(manager, javascript=False)
    without_js.goto(f"{live_server.url}/actions/{action.pk}/")
    without_js.get_by_label("Evidence that it is done").fill(
        "Eight practitioners attended chronology training on 3 December; the register is on file."
    )
    without_js.get_by_role("button", name="Record evidence and mark as done").click()
    expect(without_js.locator(".govuk-notification-banner")).to_contain_text("marked done")
    expect(without_js.locator("#action-status")).to_contain_text("Done, awaiting sign-off")
    owner.goto(f"{live_server.url}/actions/{action.pk}/")
    expect(owner.locator("#action-status")).to_contain_text("Done, awaiting sign-off")
    assert_accessible(owner)

    # The QA lead reads the evidence and signs it off.
    lead.goto(f"{live_server.url}/actions/?status=done")
    assert_accessible(lead)
    lead.get_by_role("link", name="Chronology training for the family support team").click()
    expect(lead.locator("#action-evidence")).to_contain_text("Eight practitioners")
    assert_accessible(lead)
    lead.get_by_role("button", name="Sign off the action").click()
    expect(lead.locator("#action-status")).to_contain_text("Signed off")
    expect(lead.locator("#action-history")).to_contain_text("Signed off")
    assert_accessible(lead)
    action.refresh_from_db()
    assert action.signed_off_by == setting["lead"]

    # The owner sees it signed off.
    owner.reload()
    expect(owner.locator("#action-status")).to_contain_text("Signed off")

    # The theme's close-the-loop page shows the action with its evidence.
    lead.goto(f"{live_server.url}/learning/loop/theme/{setting['theme'].pk}/")
    expect(lead.get_by_text("Chronology training for the family support team")).to_be_visible()
    assert_accessible(lead)
