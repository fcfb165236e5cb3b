"""The case list and case page in a real browser: a QA lead filters, sorts and opens a case, with
and without JavaScript; every state of the pages passes axe; a coordinator cannot open another
coordinator's case; going Back to a case page asks the server again, and is logged again."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.core.models import AccessLog

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def district(name):
    # The browser tests' database is flushed, so the migrations' districts may be gone.
    return District.objects.get_or_create(name=name)[0]


@pytest.fixture
def some_ehas(db):
    eden, carlisle = district("Eden"), district("Carlisle")
    for number in range(3):
        EarlyHelpAssessmentFactory(
            reference=f"EDEN-{number}",
            district=eden,
            start_date=datetime.date(2025, 1, 10 + number),
            coordinator_name="Jo Bell",
        )
    for number in range(4):
        EarlyHelpAssessmentFactory(reference=f"CARL-{number}", district=carlisle)


def expect_references(page, references):
    """The EHAs listed, in order; waits for the page a click has just asked for."""
    expect(page.locator("#case-table tbody th a")).to_have_text(references)


@pytest.mark.usefixtures("some_ehas")
def test_a_qa_lead_filters_sorts_and_opens_a_case_page_and_each_page_is_accessible(
    make_user, sign_in, live_server, assert_accessible
):
    lead = make_user(Role.QA_LEAD)
    page = sign_in(lead)
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.locator("#case-table caption")).to_have_text("Showing 1 to 7 of 7 EHAs")
    assert_accessible(page)

    page.get_by_label("District").select_option(label="Eden")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#case-table caption")).to_have_text("Showing 1 to 3 of 3 EHAs")
    expect_references(page, ["EDEN-2", "EDEN-1", "EDEN-0"])  # newest start first

    page.get_by_role("link", name=re.compile(r"^EHA reference")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("EHA reference")
    expect_references(page, ["EDEN-0", "EDEN-1", "EDEN-2"])
    expect(page.get_by_label("District")).to_have_value(str(district("Eden").pk))
    assert_accessible(page)

    page.get_by_role("link", name="EDEN-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EDEN-1")
    expect(page.get_by_role("heading", name="Audits and feedback")).to_be_visible()
    assert_accessible(page)
    entry = AccessLog.objects.get()
    assert (entry.user, entry.record_type, entry.record_label) == (lead, "eha", "EDEN-1")


@pytest.mark.usefixtures("some_ehas")
def test_no_match_and_bad_filters_are_explained_accessibly(
    make_user, sign_in, live_server, assert_accessible
):
    page = sign_in(make_user(Role.AUDITOR))
    page.goto(f"{live_server.url}/cases/")
    page.get_by_label("EHA or family reference").fill("NOTHING-LIKE-IT")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="No EHAs match these filters")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="clear the filters").click()
    expect(page.locator("#case-table caption")).to_have_text("Showing 1 to 7 of 7 EHAs")

    page.get_by_label("Open for more than").fill("six")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Cases"))
    assert_accessible(page)
    summary.get_by_role("link", name="Number of months must be a whole number, like 6").click()
    expect(page.get_by_label("Open for more than")).to_be_focused()


def test_the_list_before_any_case_data_is_accessible(
    make_user, sign_in, live_server, assert_accessible
):
    page = sign_in(make_user(Role.QA_LEAD))
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", name="There is no case data yet")).to_be_visible()
    assert_accessible(page)


def test_a_coordinator_cannot_open_another_coordinators_case(make_user, sign_in, live_server):
    coordinator = make_user(Role.COORDINATOR)
    own = EarlyHelpAssessmentFactory(reference="MINE-1", coordinator=coordinator)
    other = EarlyHelpAssessmentFactory(
        reference="THEIRS-1", coordinator=make_user(Role.COORDINATOR)
    )
    page = sign_in(coordinator)
    page.goto(f"{live_server.url}/cases/")
    expect_references(page, ["MINE-1"])

    response = page.goto(f"{live_server.url}/cases/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert "THEIRS-1" not in page.content()

    assert page.goto(f"{live_server.url}/cases/{own.pk}/").status == 200
    assert list(AccessLog.objects.values_list("record_label", flat=True)) == ["MINE-1"]


@pytest.mark.usefixtures("some_ehas")
def test_filtering_and_opening_a_case_work_without_javascript(make_user, browser, live_server):
    lead = make_user(Role.QA_LEAD)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(lead.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/cases/")
    page.get_by_label("Coordinator", exact=True).fill("jo bell")
    page.get_by_role("button", name="Apply filters").click()
    assert page.url.startswith(f"{live_server.url}/cases/?")
    assert "coordinator=jo+bell" in page.url
    expect_references(page, ["EDEN-2", "EDEN-1", "EDEN-0"])
    page.get_by_role("link", name="EDEN-0").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EDEN-0")
    context.close()


CASE_ROLES = {Role.QA_LEAD, Role.AUDITOR, Role.COORDINATOR, Role.LINE_MANAGER}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_is_let_into_or_kept_out_of_case_pages(
    make_user, sign_in, live_server, assert_accessible, role
):
    person = make_user(role)
    eha = EarlyHelpAssessmentFactory(
        reference="ROLE-1",
        district=district("Eden"),
        coordinator=person,
        coordinator_email=person.email,
        coordinator_manager_email=person.email,
    )
    page = sign_in(person)
    list_response = page.goto(f"{live_server.url}/cases/")
    case_response = page.goto(f"{live_server.url}/cases/{eha.pk}/")
    if role in CASE_ROLES:
        assert (list_response.status, case_response.status) == (200, 200)
        expect(page.get_by_role("heading", level=1)).to_have_text("ROLE-1")
        assert_accessible(page)
        entry = AccessLog.objects.get()
        assert (entry.user, entry.record_label) == (person, "ROLE-1")
    else:
        assert (list_response.status, case_response.status) == (403, 403)
        assert "ROLE-1" not in page.content()
        assert AccessLog.objects.count() == 0


def test_back_to_a_case_page_asks_the_server_again_and_is_logged_again(
    make_user, sign_in, live_server
):
    # The browser keeps no copy of a signed-in page: going Back shows it from the server, so the
    # access log holds every time it was seen, and a shared computer's browser holds none of it.
    eha = EarlyHelpAssessmentFactory(reference="SEEN-TWICE-1")
    page = sign_in(make_user(Role.QA_LEAD))
    page.goto(f"{live_server.url}/cases/{eha.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEEN-TWICE-1")
    page.get_by_role("link", name="Cases", exact=True).click()
    # Each page loaded before going Back: Back during a navigation finds no page to leave.
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    page.wait_for_load_state()

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEEN-TWICE-1")
    assert AccessLog.objects.filter(record_label="SEEN-TWICE-1").count() == 2

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.wait_for_load_state()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert "SEEN-TWICE-1" not in page.content()
    assert AccessLog.objects.filter(record_label="SEEN-TWICE-1").count() == 2
