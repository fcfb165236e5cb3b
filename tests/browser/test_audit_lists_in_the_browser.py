"""The audit lists in a real browser: the QA lead filters and sorts all audits, with and without
JavaScript; an auditor sees "My audits" with overdue audits first; the case page lists an EHA's
audits. Every state of each page (results, filtered, errors, empty) passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit, AuditShare

from ..audits.factories import AuditFactory, grade
from ..cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def district(name):
    # The browser tests' database is flushed, so the migrations' districts may be gone.
    return District.objects.get_or_create(name=name)[0]


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def audit(reference, **fields):
    eha_district = fields.pop("district", None) or district("Carlisle")
    eha = EarlyHelpAssessmentFactory(reference=reference, district=eha_district)
    return AuditFactory(assessment=eha, **fields)


def expect_shown(page, references):
    """The audits listed, in order. An expectation rather than a read, so it waits for the page a
    click has just asked for: read at once, a page still loading its stylesheet lists none."""
    expect(page.locator("#audit-table tbody th")).to_have_text(
        [f"Audit of {reference}" for reference in references]
    )


@pytest.fixture
def some_audits(make_user):
    sam = make_user(Role.AUDITOR, full_name="Sam Patel")
    audit("EDEN-THEMED", auditor=sam, audit_type=Audit.Type.THEMED, district=district("Eden"))
    audit("EDEN-GOOD", judged="Good", district=district("Eden"), due_date=days(-3))
    audit("CARL-LATE", auditor=sam, due_date=days(-10), status=Audit.Status.IN_PROGRESS)
    audit("CARL-INADEQUATE", judged="Inadequate", due_date=days(-30))
    return {"sam": sam}


def test_the_qa_lead_filters_and_sorts_all_audits_and_each_state_is_accessible(
    make_user, sign_in, live_server, assert_accessible, some_audits
):
    page = sign_in(make_user(Role.QA_LEAD))
    page.get_by_role("link", name="Audits", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audits")
    expect(page.locator("#audit-table caption")).to_have_text("Showing 1 to 4 of 4 audits")
    expect(page.get_by_role("link", name="Start an audit")).to_have_attribute(
        "href", "/audits/new/"
    )
    expect(page.locator("#audit-table .govuk-tag--red")).to_have_text(["Overdue"])
    assert_accessible(page)

    page.get_by_label("District").select_option(label="Eden")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#audit-table caption")).to_have_text("Showing 1 to 2 of 2 audits")
    expect_shown(page, ["EDEN-THEMED", "EDEN-GOOD"])  # latest due first

    page.get_by_role("link", name=re.compile(r"^EHA reference")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("EHA reference")
    expect_shown(page, ["EDEN-GOOD", "EDEN-THEMED"])
    expect(page.get_by_label("District")).to_have_value(str(district("Eden").pk))
    assert_accessible(page)

    page.get_by_label("Judgement").select_option(label="Good")
    page.get_by_role("button", name="Apply filters").click()
    expect_shown(page, ["EDEN-GOOD"])

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Auditor").select_option(label="Sam Patel")
    page.get_by_label("Type").select_option(label="Themed")
    page.get_by_role("button", name="Apply filters").click()
    expect_shown(page, ["EDEN-THEMED"])

    page.get_by_label("Status").select_option(label="Closed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="No audits match these filters")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="clear the filters").click()
    page.get_by_label("Month due").fill("Smarch 2026")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Audits"))
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile(r"^Enter the month due")).click()
    expect(page.get_by_label("Month due")).to_be_focused()


def test_the_list_of_all_audits_filters_without_javascript(
    make_user, browser, live_server, some_audits
):
    lead = make_user(Role.QA_LEAD)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password").fill("a-long-test-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/audits/")
    page.get_by_label("Month due").fill(days(-30).strftime("%B %Y"))
    page.get_by_label("Judgement").select_option(label="Inadequate")
    page.get_by_role("button", name="Apply filters").click()
    expect_shown(page, ["CARL-INADEQUATE"])
    context.close()


def test_the_list_of_all_audits_before_any_audit_is_accessible(
    make_user, sign_in, live_server, assert_accessible
):
    page = sign_in(make_user(Role.QA_LEAD))
    page.goto(f"{live_server.url}/audits/")
    expect(page.get_by_role("heading", name="There are no audits yet")).to_be_visible()
    assert_accessible(page)


def test_an_auditor_sees_my_audits_overdue_first_and_each_state_is_accessible(
    sign_in, live_server, assert_accessible, some_audits
):
    sam = some_audits["sam"]
    page = sign_in(sam)
    page.get_by_role("link", name="My audits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My audits")
    expect_shown(page, ["CARL-LATE", "EDEN-THEMED"])
    first_row = page.locator("#audit-table tbody tr").first
    expect(first_row.locator(".govuk-tag--red")).to_have_text("Overdue")
    late = Audit.objects.get(assessment__reference="CARL-LATE")
    expect(page.get_by_role("link", name="Audit of CARL-LATE")).to_have_attribute(
        "href", f"/audits/{late.pk}/"
    )
    expect(page.get_by_role("link", name="Audits", exact=True)).to_have_count(0)
    assert_accessible(page)

    Audit.objects.filter(auditor=sam).delete()
    page.reload()
    expect(page.get_by_text("No audits are assigned to you.")).to_be_visible()
    assert_accessible(page)


def test_the_case_page_lists_the_ehas_audits_accessibly(
    make_user, sign_in, live_server, assert_accessible
):
    coordinator = make_user(Role.COORDINATOR)
    eha = EarlyHelpAssessmentFactory(reference="EHA-AUDITED", coordinator=coordinator)
    AuditFactory(assessment=eha, due_date=days(-2))
    shared = AuditFactory(assessment=eha, status=Audit.Status.SHARED, judgement=grade("Good"))
    # A coordinator sees an audit once it has been shared with them.
    AuditShare.objects.create(
        audit=shared,
        person=coordinator,
        relationship=AuditShare.Relationship.COORDINATOR,
        shared_by=shared.auditor,
    )

    page = sign_in(make_user(Role.QA_LEAD))
    page.goto(f"{live_server.url}/cases/{eha.pk}/")
    expect(page.locator("#audits-and-feedback tbody tr")).to_have_count(2)
    expect(page.locator("#audits-and-feedback .govuk-tag--red")).to_have_text("Overdue")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page = sign_in(coordinator)
    page.goto(f"{live_server.url}/cases/{eha.pk}/")
    expect(page.locator("#audits-and-feedback tbody tr")).to_have_count(1)
    expect(page.locator("#audits-and-feedback tbody tr")).to_contain_text("Good")
    assert_accessible(page)
