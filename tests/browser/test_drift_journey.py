"""The drift worklist in a real browser: an auditor opens the worklist, opens a drifting EHA,
records a contact with the coordinator (meeting the error summary first) and sees it on the
worklist; then creates a drift-triggered audit. With and without JavaScript; axe on every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.models import AccessLog
from earlyhelp.sampling.models import DriftContact
from earlyhelp.standards.defaults import load_default_library

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def ehas(db):
    # The browser tests' database is flushed, so the migrations' districts may be gone.
    eden = District.objects.get_or_create(name="Eden")[0]
    drifting = EarlyHelpAssessmentFactory(
        reference="EDEN-DRIFT",
        district=eden,
        coordinator_name="Jo Bell",
        start_date=days_ago(400),
        taf_meeting_date=days_ago(390),
        last_review_date=days_ago(120),
        number_of_reviews=3,
    )
    EarlyHelpAssessmentFactory(
        reference="EDEN-FINE", district=eden, start_date=days_ago(30), taf_meeting_date=days_ago(20)
    )
    return drifting


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def contact_journey(page, live_server, check):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Drift", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drifting plans")
    rows = page.locator("#drift-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("No review meeting for more than 12 weeks")
    expect(rows.first).to_contain_text("Plan open longer than 12 months")
    check(page)

    page.get_by_role("link", name="EDEN-DRIFT").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EDEN-DRIFT")
    expect(page.locator("#drift-reasons")).to_contain_text("36 days overdue")  # 120 - 84
    check(page)

    page.get_by_role("link", name="Record contact with the coordinator").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record contact with the coordinator")
    expect(page.get_by_text("The coordinator in the data report is Jo Bell.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Record the contact").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date of the contact")
    expect(summary).to_contain_text("Enter the outcome of the contact")
    check(page)

    fill_date(page, "Date of the contact", days_ago(2))
    page.get_by_label("Outcome").fill("Jo says the review was held last week; EHM to be updated.")
    page.get_by_label("Next step (optional)").fill("Check EHM next month")
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_text("Your contact with the coordinator has been recorded")).to_be_visible()
    expect(page.locator("#contacts + .govuk-summary-card")).to_contain_text("Check EHM next month")
    check(page)

    page.get_by_role("link", name="Back to the drift worklist").click()
    expect(page.locator("#drift-table tbody tr").first).to_contain_text(
        "Jo says the review was held last week"
    )


def test_an_auditor_records_a_contact_and_creates_a_drift_audit(
    ehas, make_user, sign_in, live_server, assert_accessible
):
    load_default_library()  # flushed databases lose the framework the migrations loaded
    auditor = make_user(Role.AUDITOR)
    page = sign_in(auditor)
    contact_journey(page, live_server, assert_accessible)
    contact = DriftContact.objects.get()
    assert (contact.assessment, contact.recorded_by) == (ehas, auditor)
    assert AccessLog.objects.filter(user=auditor, record_label="EDEN-DRIFT").exists()

    # The other pages of the EHA's drift page, each accessible, errors included.
    page.get_by_role("link", name="EDEN-DRIFT").click()
    page.get_by_role("link", name="Dismiss a reason").click()
    page.get_by_role("button", name="Dismiss the reason").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the reason")
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Record a TAF request for additional support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record a TAF request for additional support"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Create a drift-triggered audit").click()
    expect(page.get_by_text("The audit will be assigned to you.")).to_be_visible()
    assert_accessible(page)
    due = timezone.localdate() + datetime.timedelta(days=28)
    fill_date(page, "Due date", due)
    page.get_by_role("button", name="Create the audit").click()
    expect(page.get_by_text("has been assigned to you")).to_be_visible()
    expect(page.locator("#audit-in-progress")).to_contain_text("Drift-triggered audit")
    assert_accessible(page)
    audit = Audit.objects.get()
    assert (audit.assessment, audit.audit_type, audit.auditor) == (ehas, "drift", auditor)


def test_the_contact_journey_works_without_javascript(ehas, make_user, browser, live_server):
    auditor = make_user(Role.AUDITOR)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(auditor.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    contact_journey(page, live_server, lambda page: None)
    context.close()
    assert DriftContact.objects.filter(assessment=ehas, recorded_by=auditor).count() == 1
