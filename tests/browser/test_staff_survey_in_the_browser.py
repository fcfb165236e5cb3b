"""The staff survey in a real browser: the QA lead opens a round and copies its link; a member
of staff, not signed in and on a phone (375 px wide), answers it and is thanked; the QA lead
reads the results and closes the round, and the link then says so. A link not open yet and a
made-up link each get their own page. axe on every page, errors included."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import AgencyType
from earlyhelp.accounts.roles import Role
from earlyhelp.voice import staff_survey
from earlyhelp.voice.models import StaffSurveyResponse, StaffSurveyRound
from earlyhelp.voice.questionnaires import load_defaults

from ..factories import AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DAY = datetime.timedelta(days=1)
COMMENT = "Shorter forms and more time with families"


@pytest.fixture
def qa_lead(make_user):
    # The browser tests' database is flushed: the migrations' rows and questionnaires are gone.
    load_defaults()
    for name in ("School", "Police", "Health Visiting"):
        AgencyType.objects.get_or_create(name=name)
    AgencyFactory(name="Fellside Primary School", agency_type=AgencyType.objects.get(name="School"))
    return make_user(Role.QA_LEAD, full_name="Quinn Lead")


@pytest.fixture
def phone(browser):
    """A browser of someone who is not signed in, 375 px wide."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def heading(tab):
    return tab.get_by_role("heading", level=1)


def fill_date(tab, legend, date):
    group = tab.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def question(tab, text):
    return tab.get_by_role("group", name=text)


# A whole response, as the page requires: every question but the free-text one is required.
EVERY_ANSWER = {
    "workload": "Agree",
    "supervision": "Agree",
    "training": "Agree",
    "confident-eha": "Agree",
    "partners": "Agree",
    "recommend": "7",
}


def test_the_qa_lead_opens_a_round_and_staff_answer_it_anonymously(
    qa_lead, sign_in, phone, live_server, assert_accessible
):
    today = timezone.localdate()

    # The QA lead opens a round. ---------------------------------------------------------------
    lead = sign_in(qa_lead)
    assert_accessible(lead)
    # Reached from Voice results, not the menu.
    lead.get_by_role("navigation", name="Menu").get_by_role("link", name="Voice results").click()
    lead.get_by_role("link", name="Staff survey rounds and their results").click()
    expect(heading(lead)).to_have_text("Staff survey")
    expect(lead.locator("#empty-state")).to_be_visible()
    assert_accessible(lead)
    lead.get_by_role("link", name="Open a survey round").click()
    expect(heading(lead)).to_have_text("Open a survey round")
    assert_accessible(lead)

    lead.get_by_role("button", name="Open the survey round").click()
    summary = lead.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a name for the survey round")
    expect(summary).to_contain_text("Enter the opening date")
    assert_accessible(lead)
    summary.get_by_role("link", name="Enter a name for the survey round").click()
    expect(lead.get_by_label("Name of the survey round")).to_be_focused()

    lead.get_by_label("Name of the survey round").fill("Spring staff survey")
    fill_date(lead, "Opening date", today)
    fill_date(lead, "Closing date", today + 14 * DAY)
    lead.get_by_role("group", name="Types of agency").get_by_label("Police").check()
    lead.get_by_text("School (1 agency)").click()
    lead.get_by_label("Fellside Primary School").check()
    assert_accessible(lead)
    lead.get_by_role("button", name="Open the survey round").click()

    expect(heading(lead)).to_have_text("Spring staff survey")
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Share its link below")
    expect(lead.locator("#round-summary")).to_contain_text("Police; Fellside Primary School")
    expect(lead.locator("#results-withheld")).to_contain_text("0 people have answered")
    assert_accessible(lead)
    survey_round = StaffSurveyRound.objects.get()
    link = lead.get_by_label("Link to the survey").input_value()
    assert link == f"{live_server.url}/staff-survey/r/{survey_round.link_code}/"
    expect(lead.get_by_label("A message to send with it")).to_have_value(
        re.compile(re.escape(link))
    )

    # A member of staff answers it on a phone, without signing in. ------------------------------
    phone.goto(link)
    expect(heading(phone)).to_have_text("Spring staff survey")
    expect(phone.locator("#anonymous")).to_contain_text("the time of day you answered")
    types = question(phone, "Which type of agency do you work for?")
    expect(types.get_by_role("radio")).to_have_count(3)  # Police, School, Prefer not to say
    assert_accessible(phone)

    phone.get_by_role("button", name="Send your answers").click()
    summary = phone.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select the type of agency you work for")
    assert_accessible(phone)
    summary.get_by_role("link", name=re.compile("Select the type of agency")).click()
    expect(types.get_by_label("Police")).to_be_focused()

    types.get_by_label("School").check()
    for text, choice in [
        ("My workload lets me do good Early Help work with families", "Agree"),
        ("I get regular supervision that helps me with my Early Help cases", "Strongly agree"),
        ("I have had the training I need to lead an Early Help Assessment", "Disagree"),
        ("I feel confident completing an Early Help Assessment and plan", "Agree"),
        ("Other agencies work well with me in the Team Around the Family", "Agree"),
    ]:
        question(phone, text).get_by_label(choice, exact=True).check()
    question(phone, re.compile("How likely are you to recommend")).get_by_label(
        "8", exact=True
    ).check()
    phone.get_by_label("What one thing would make Early Help work better?").fill(COMMENT)
    assert_accessible(phone)
    phone.get_by_role("button", name="Send your answers").click()
    expect(phone.locator(".govuk-panel__title")).to_have_text("Thank you")
    assert_accessible(phone)

    stored = StaffSurveyResponse.objects.values().get()
    assert set(stored) == {
        "id",
        "round_id",
        "version_id",
        "agency_type_id",
        "answers",
        "submitted_on",
    }
    assert stored["submitted_on"] == today
    assert stored["answers"]["one-thing"] == COMMENT
    assert stored["agency_type_id"] == AgencyType.objects.get(name="School").pk

    # With 5 responses the QA lead sees the results and what people wrote. -----------------------
    school = AgencyType.objects.get(name="School")
    for _ in range(4):
        staff_survey.answer(survey_round, school, {**EVERY_ANSWER, "workload": "Disagree"}, today)
    lead.reload()
    expect(lead.locator("#response-count")).to_have_text("5")
    workload = lead.locator("#question-workload")
    expect(workload.get_by_role("columnheader", name="School (5)")).to_be_visible()
    expect(workload.get_by_role("row", name=re.compile("^Disagree"))).to_contain_text("4 (80%)")
    expect(lead.locator(".app-survey-comments")).to_contain_text(COMMENT)
    assert_accessible(lead)

    # The QA lead records how many were sent the link: the round then gives a response rate.
    expect(lead.locator("#staff-asked")).to_have_text("Not recorded")
    lead.get_by_role("link", name="Change how many staff were asked").click()
    expect(heading(lead)).to_have_text("How many staff were asked?")
    assert_accessible(lead)
    lead.get_by_label("How many staff are sent the link (optional)").fill("twenty")
    lead.get_by_role("button", name="Save").click()
    expect(lead.locator(".govuk-error-summary")).to_contain_text(
        "Enter the number of staff asked as a whole number, like 40"
    )
    assert_accessible(lead)
    lead.get_by_label("How many staff are sent the link (optional)").fill("20")
    lead.get_by_role("button", name="Save").click()
    expect(lead.locator("#staff-asked")).to_have_text("20")
    expect(lead.locator("#response-rate")).to_contain_text("5 of 20 staff asked answered: 25%")
    assert_accessible(lead)
    lead.get_by_role("link", name="Back to the staff survey").click()
    expect(lead.locator("#round-table")).to_contain_text("Spring staff survey")
    expect(lead.locator("#round-table")).to_contain_text("Open")
    assert_accessible(lead)

    # The QA lead closes the round; the link says so. --------------------------------------------
    lead.get_by_role("link", name="Spring staff survey").click()
    lead.get_by_role("link", name=re.compile("Close this round now")).click()
    expect(heading(lead)).to_have_text("Close this survey round now?")
    assert_accessible(lead)
    lead.get_by_role("button", name="Close the survey round").click()
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("no longer works")
    expect(lead.locator("#round-summary .govuk-tag")).to_have_text("Closed")
    assert_accessible(lead)

    phone.goto(link)
    expect(heading(phone)).to_have_text("This survey has closed")
    assert_accessible(phone)
    assert StaffSurveyResponse.objects.count() == 5


def test_links_that_cannot_be_answered_get_their_own_pages(
    qa_lead, phone, live_server, assert_accessible
):
    today = timezone.localdate()
    later = staff_survey.open_round(
        "Autumn staff survey", today + 30 * DAY, today + 40 * DAY, by=qa_lead
    )
    phone.goto(f"{live_server.url}/staff-survey/r/{later.link_code}/")
    expect(heading(phone)).to_have_text("This survey is not open yet")
    assert_accessible(phone)

    phone.goto(f"{live_server.url}/staff-survey/r/no-such-survey-link/")
    expect(heading(phone)).to_have_text("This survey link does not work")
    assert_accessible(phone)
