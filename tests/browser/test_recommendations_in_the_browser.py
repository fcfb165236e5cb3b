"""Recommendations in a real browser: the QA lead records a recommendation, an agency's
response, accepts it and closes it with the group's decision (an empty decision explained
first); a partnership viewer then reads the recommendation and the training needs register. A
recommendation a report's correction left out says so, and links to that version. axe finds
nothing on any page, errors included."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.learning.models import Action, Recommendation
from earlyhelp.reports import publishing
from earlyhelp.voice.results import parse_quarter

from ..factories import TEST_PASSWORD, AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Every agency trains its practitioners to write a chronology"
DECISION = "Training delivered in all agencies; chronologies now checked in supervision"


def fill_date(tab, group, day):
    where = tab.get_by_role("group", name=group)
    where.get_by_label("Day").fill(str(day.day))
    where.get_by_label("Month").fill(str(day.month))
    where.get_by_label("Year").fill(str(day.year))


def test_the_qa_lead_closes_a_recommendation_and_a_partnership_viewer_reads_it(
    make_user, sign_in, live_server, browser, assert_accessible
):
    today = timezone.localdate()
    made_on = today - datetime.timedelta(days=20)
    agency = AgencyFactory(name="Alder School")
    qa_lead = make_user(Role.QA_LEAD)
    Action.objects.create(
        title="Chronology training for school staff",
        action_type=Action.Type.TRAINING,
        agency=agency,
        owner=qa_lead,
        created_by=qa_lead,
        due_date=today - datetime.timedelta(days=1),
    )

    tab = sign_in(qa_lead)
    tab.goto(f"{live_server.url}/recommendations/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Recommendations")
    expect(tab.locator("#recommendations-empty")).to_be_visible()
    assert_accessible(tab)

    tab.get_by_role("button", name="Record a recommendation").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Record a recommendation")
    assert_accessible(tab)
    tab.get_by_role("button", name="Record the recommendation").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter recommendation")
    assert_accessible(tab)

    fill_date(tab, "Date it was made", made_on)
    tab.get_by_label("Multi-agency audit").check()
    tab.get_by_label("Recommendation", exact=True).fill(TEXT)
    tab.get_by_role("button", name="Record the recommendation").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text(
        "The recommendation has been recorded"
    )
    expect(tab.locator("#recommendation-text")).to_have_text(TEXT)
    expect(tab.locator("#recommendation-status")).to_have_text("Open")
    assert_accessible(tab)

    tab.get_by_label("Agency").select_option(label="Alder School")
    tab.get_by_label("Their response").fill("We agree and have booked the training")
    fill_date(tab, "Date of the response", today)
    tab.get_by_role("button", name="Record the response").click()
    expect(tab.locator("#responses-list")).to_contain_text("Alder School")
    expect(tab.locator("#responses-list")).to_contain_text("We agree and have booked")
    assert_accessible(tab)

    tab.get_by_role("button", name="Accept the recommendation").click()
    expect(tab.locator("#recommendation-status")).to_have_text("Accepted")
    assert_accessible(tab)

    # Closing needs the group's decision: explained on the page.
    fill_date(tab, "Date it closed", today)
    tab.get_by_role("button", name="Close the recommendation").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter the group's decision")
    assert_accessible(tab)

    tab.get_by_label("The group's decision", exact=True).fill(DECISION)
    fill_date(tab, "Date it closed", today)
    tab.get_by_role("button", name="Close the recommendation").click()
    expect(tab.locator("#recommendation-status")).to_have_text("Closed")
    expect(tab.locator("#recommendation-decision")).to_have_text(DECISION)
    expect(tab.locator("#closed-note")).to_be_visible()
    assert_accessible(tab)

    context = browser.new_context()
    viewer_tab = context.new_page()
    viewer = make_user(Role.PARTNERSHIP_VIEWER)
    viewer_tab.goto(f"{live_server.url}/sign-in/")
    viewer_tab.get_by_label("E-mail address").fill(viewer.email)
    viewer_tab.get_by_label("Password").fill(TEST_PASSWORD)
    viewer_tab.get_by_role("button", name="Sign in").click()
    viewer_tab.wait_for_load_state()
    viewer_tab.goto(f"{live_server.url}/recommendations/")
    expect(viewer_tab.locator("#count-closed")).to_have_text("1")
    expect(viewer_tab.get_by_role("button", name="Record a recommendation")).to_have_count(0)
    assert_accessible(viewer_tab)

    viewer_tab.get_by_role("link", name=TEXT).click()
    expect(viewer_tab.locator("#recommendation-decision")).to_have_text(DECISION)
    expect(viewer_tab.locator("#responses-list")).to_contain_text("Alder School")
    expect(viewer_tab.locator("main form")).to_have_count(0)
    assert_accessible(viewer_tab)

    viewer_tab.get_by_role("link", name="Training needs register").click()
    expect(viewer_tab.get_by_role("heading", level=1)).to_have_text("Training needs register")
    expect(viewer_tab.locator("#by-agency")).to_contain_text("Alder School")
    expect(viewer_tab.locator("#needs-table")).to_contain_text("Chronology training for school")
    expect(viewer_tab.locator("#needs-table")).to_contain_text("Overdue")
    assert_accessible(viewer_tab)

    viewer_tab.get_by_role("link", name="Standards reviews").click()
    expect(viewer_tab.locator("#reviews-empty")).to_be_visible()
    assert_accessible(viewer_tab)
    context.close()


def test_a_recommendation_a_correction_dropped_says_so_accessibly(
    make_user, sign_in, live_server, assert_accessible
):
    qa_lead = make_user(Role.QA_LEAD)
    quarter = parse_quarter("2026-Q2")

    def published(report, recommendations):
        publishing.save_narrative(
            report,
            working_well="Plans are SMART.",
            needs_to_improve="Chronologies.",
            key_themes="",
            recommendations=recommendations,
            by=qa_lead,
        )
        return publishing.publish(report, qa_lead)

    original = published(
        publishing.start_report(quarter, qa_lead), ["Keep this one", "Drop this one"]
    )
    correction = published(
        publishing.correct(original, "The second was done already", qa_lead), ["Keep this one"]
    )
    dropped = Recommendation.objects.get(text="Drop this one")

    page = sign_in(qa_lead)
    page.goto(f"{live_server.url}/recommendations/{dropped.pk}/")
    expect(page.locator("#dropped-by-correction")).to_contain_text(
        "Why the report was corrected: The second was done already"
    )
    expect(page.locator("#recommendation-reports")).to_contain_text("version 1 (superseded)")
    assert_accessible(page)
    page.locator("#dropped-by-correction").get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/reports/{correction.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early Help quality assurance report")
