"""The quarterly report in a real browser: the QA lead starts the last quarter's report, reads
its figures, writes the narrative, checks and publishes it and downloads the PDF; a partnership
viewer then reads the published report, the dashboard and the performance data, and cannot reach
any case or audit. axe finds nothing on any page, the error pages included."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.learning.models import Recommendation
from earlyhelp.standards.defaults import load_default_library
from earlyhelp.voice.results import quarter_containing

from ..audits.factories import AuditFactory
from ..factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

RECOMMENDATION = "Every agency checks chronologies in supervision each month"


@pytest.fixture
def last_quarter():
    """The framework (the database is flushed between browser tests) and six audits submitted in
    the last complete quarter: four Good, one Outstanding, one Inadequate."""
    load_default_library()
    today = timezone.localdate()
    quarter = quarter_containing(quarter_containing(today).start - datetime.timedelta(days=1))
    middle = timezone.make_aware(
        datetime.datetime.combine(quarter.start + datetime.timedelta(days=40), datetime.time(11))
    )
    for judged in ["Good", "Good", "Good", "Good", "Outstanding", "Inadequate"]:
        AuditFactory(judged=judged, with_parts=True, submitted_at=middle)
    return quarter


def viewer_tab(browser, live_server, user):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{live_server.url}/sign-in/")
    tab.get_by_label("E-mail address").fill(user.email)
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()
    return context, tab


def test_the_qa_lead_publishes_a_quarter_and_a_partnership_viewer_reads_it(
    last_quarter, make_user, sign_in, live_server, browser, assert_accessible
):
    lead = make_user(Role.QA_LEAD)
    viewer = make_user(Role.PARTNERSHIP_VIEWER)

    tab = sign_in(lead)
    tab.get_by_role("link", name="Reports", exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Quarterly reports")
    assert_accessible(tab)

    tab.get_by_role("button", name="Start a report").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Start a quarterly report")
    assert_accessible(tab)
    # Two dates the wrong way round are refused with a message saying which.
    for group, day in (("date_from", last_quarter.end), ("date_to", last_quarter.start)):
        tab.locator(f"#id_{group}_0").fill(str(day.day))
        tab.locator(f"#id_{group}_1").fill(str(day.month))
        tab.locator(f"#id_{group}_2").fill(str(day.year))
    tab.get_by_role("button", name="Start the report").click()
    expect(tab.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(tab)
    for group in ("date_from", "date_to"):
        for part in range(3):
            tab.locator(f"#id_{group}_{part}").fill("")
    tab.get_by_role("button", name="Start the report").click()

    # The last complete quarter is chosen unless another is: its draft, with live figures.
    expect(tab.locator("#report-state")).to_contain_text("Draft: figures change until published")
    expect(tab.locator("#table-judgements")).to_contain_text("Good")
    expect(tab.locator("#section-judgements")).to_contain_text("5 of 6 Good or better: 83%")
    expect(tab.locator("#section-compliance")).to_be_visible()
    assert_accessible(tab)

    tab.get_by_role("button", name="Write the narrative").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Write the narrative")
    assert_accessible(tab)
    tab.get_by_label("What is working well").fill("Plans are specific; families help write them.")
    tab.get_by_label("What needs to improve").fill("Chronologies are missing in half the audits.")
    tab.get_by_label("Key themes").fill("Recording the child's own words.")
    tab.get_by_label("Recommendations").fill(RECOMMENDATION)
    tab.get_by_role("button", name="Save the narrative").click()
    expect(tab.locator("#section-working-well")).to_contain_text("Plans are specific")
    assert_accessible(tab)

    tab.get_by_role("button", name="Publish the report").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Check the report before publishing")
    assert_accessible(tab)
    tab.get_by_role("button", name="Publish the report").click()
    expect(tab.locator("#report-state")).to_contain_text("Published on")
    assert_accessible(tab)
    assert Recommendation.objects.filter(text=RECOMMENDATION).count() == 1

    with tab.expect_download() as download:
        tab.get_by_role("link", name="PDF of the report").click()
    assert download.value.suggested_filename == (
        f"early-help-qa-report-{last_quarter.quarter}-v1.pdf"
    )

    tab.get_by_role("link", name="Dashboard", exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_accessible(tab)
    tab.get_by_role("link", name="Performance data from the EHM data report").click()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Performance data")
    assert_accessible(tab)

    context, other = viewer_tab(browser, live_server, viewer)
    try:
        other.get_by_role("link", name="Reports", exact=True).click()
        assert_accessible(other)
        other.get_by_role("link", name=last_quarter.label).first.click()
        expect(other.locator("#report-state")).to_contain_text("Published on")
        expect(other.locator("#section-recommendations")).to_contain_text(RECOMMENDATION)
        expect(other.get_by_role("button", name="Write the narrative")).to_have_count(0)
        assert_accessible(other)

        other.get_by_role("link", name="Dashboard", exact=True).click()
        expect(other.locator("#question-1")).to_contain_text("Good or better")
        assert_accessible(other)
        other.get_by_role("link", name="Performance data", exact=True).click()
        assert_accessible(other)

        # No page the viewer reached links to a case or an audit, and neither opens for them.
        for address in ("/dashboard/", "/reports/", "/performance/"):
            other.goto(f"{live_server.url}{address}")
            hrefs = other.locator("a[href]").evaluate_all("links => links.map(a => a.pathname)")
            assert not [h for h in hrefs if h.startswith(("/cases", "/audits"))], address
        for address in ("/cases/", "/audits/"):
            response = other.goto(f"{live_server.url}{address}")
            assert response.status == 403
            assert_accessible(other)
    finally:
        context.close()


def test_the_report_journey_works_without_javascript(last_quarter, make_user, live_server, browser):
    lead = make_user(Role.QA_LEAD)
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{live_server.url}/sign-in/")
        tab.get_by_label("E-mail address").fill(lead.email)
        tab.get_by_label("Password").fill(TEST_PASSWORD)
        tab.get_by_role("button", name="Sign in").click()

        tab.goto(f"{live_server.url}/reports/new/")
        tab.get_by_role("button", name="Start the report").click()
        expect(tab.locator("#report-state")).to_contain_text("Draft")
        tab.get_by_role("button", name="Write the narrative").click()
        tab.get_by_label("What is working well").fill("Plans are specific.")
        tab.get_by_label("What needs to improve").fill("Chronologies are often missing.")
        tab.get_by_label("Recommendations").fill(RECOMMENDATION)
        tab.get_by_role("button", name="Save the narrative").click()
        tab.get_by_role("button", name="Publish the report").click()
        tab.get_by_role("button", name="Publish the report").click()
        expect(tab.locator("#report-state")).to_contain_text("Published on")
        assert Recommendation.objects.filter(text=RECOMMENDATION).count() == 1

        tab.goto(f"{live_server.url}/dashboard/")
        tab.get_by_label("District").select_option(index=1)
        tab.get_by_role("button", name="Show figures").click()
        expect(tab.locator("#narrowed")).to_be_visible()
        tab.goto(f"{live_server.url}/performance/")
        expect(tab.get_by_role("heading", level=1)).to_contain_text("Performance data")
    finally:
        context.close()
