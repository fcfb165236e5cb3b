"""Family feedback in a real browser at phone size (375 by 812), not signed in: a family opens
its private link, meets the error for sending nothing, answers some questions, sends them and is
thanked; the link then says it has been used. An expired link and a made-up one each get a clear
page; a code typed from a letter in lower case with dashes opens its form; too many wrong codes
get their own page. The same without JavaScript. The QA lead's list. axe on every page."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.voice.models import FeedbackInvitation, FeedbackResponse
from earlyhelp.voice.questionnaires import load_defaults
from earlyhelp.voice.tokens import grouped

from ..voice.invitation_helpers import COORDINATOR, closed_eha, invitation

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
HELPED_BY = "Riverside Family Hub"
MADE_UP = "7K2M-9QXA-4RTV-8ZB3-WC6N-HP"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def families(db):
    # The browser tests' database is flushed: the migrations' questionnaires are gone.
    load_defaults()
    cache.clear()
    today = timezone.localdate()
    eha = closed_eha("EHA-PHONE-1", coordinator_name=COORDINATOR)
    eha.lead_agency.name = HELPED_BY
    eha.lead_agency.save()
    emailed, emailed_token = invitation(eha, method="email", source="consent")
    _, letter_token = invitation(closed_eha("EHA-PHONE-2"), method="letter")
    _, expired_token = invitation(closed_eha("EHA-PHONE-3"), method="email", today=today - 40 * DAY)
    yield {
        "emailed": emailed,
        "emailed_token": emailed_token,
        "letter_token": letter_token,
        "expired_token": expired_token,
    }
    cache.clear()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def heading(tab):
    return tab.get_by_role("heading", level=1)


def fits_the_phone(tab):
    """Nothing wider than the screen: no sideways scrolling."""
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def nothing_of_staff_or_family(tab):
    content = tab.content()
    for private in ("EHA-PHONE", COORDINATOR, "Sign out", "Family feedback"):
        assert private not in content, private


def test_a_family_answers_from_its_link_on_a_phone(phone, live_server, families, assert_accessible):
    link = f"{live_server.url}/feedback/{families['emailed_token']}/"
    phone.goto(link)
    expect(heading(phone)).to_have_text("Tell us about your Early Help")
    expect(phone.locator("#helped-by")).to_contain_text(HELPED_BY)
    nothing_of_staff_or_family(phone)
    fits_the_phone(phone)
    assert_accessible(phone)

    phone.get_by_role("button", name="Send your feedback").click()
    summary = phone.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Answer at least one question before you send your feedback")
    expect(summary).to_be_focused()
    assert_accessible(phone)

    listened = phone.get_by_role(
        "group", name="The people helping us listened to what we had to say"
    )
    listened.get_by_label("Agree", exact=True).check()
    difference = phone.get_by_role(
        "group", name="How much difference has the help made to your family?"
    )
    difference.get_by_label("8", exact=True).check()
    phone.get_by_label("What was good about the help?").fill("Someone finally listened to us.")
    phone.get_by_label("Someone to talk to").check()
    fits_the_phone(phone)
    phone.get_by_role("button", name="Send your feedback").click()

    expect(heading(phone)).to_have_text("Thank you for your feedback")
    nothing_of_staff_or_family(phone)
    assert_accessible(phone)
    saved = FeedbackResponse.objects.get()
    assert saved.answers == {
        "listened-to": "Agree",
        "difference-score": "8",
        "what-was-good": "Someone finally listened to us.",
        "child-what-helped": ["Someone to talk to"],
    }
    assert FeedbackInvitation.objects.get(pk=families["emailed"].pk).used_at is not None

    phone.goto(link)
    expect(heading(phone)).to_have_text("You have already sent your feedback")
    nothing_of_staff_or_family(phone)
    assert_accessible(phone)


def test_an_expired_link_and_a_made_up_one_each_get_a_clear_page(
    phone, live_server, families, assert_accessible
):
    response = phone.goto(f"{live_server.url}/feedback/{families['expired_token']}/")
    assert response.status == 200
    expect(heading(phone)).to_have_text("This link has expired")
    nothing_of_staff_or_family(phone)
    fits_the_phone(phone)
    assert_accessible(phone)

    response = phone.goto(f"{live_server.url}/feedback/{MADE_UP}/")
    assert response.status == 200
    expect(heading(phone)).to_have_text("We cannot find this link")
    fits_the_phone(phone)
    assert_accessible(phone)

    phone.get_by_role("link", name="enter the code from your letter").click()
    expect(heading(phone)).to_have_text("Enter the code from your letter")


def test_a_code_from_a_letter_typed_in_lower_case_with_dashes_opens_the_form(
    phone, live_server, families, assert_accessible, settings
):
    start = f"{live_server.url}{reverse('family_feedback:start')}"
    phone.goto(start)
    expect(heading(phone)).to_have_text("Enter the code from your letter")
    fits_the_phone(phone)
    assert_accessible(phone)

    code = phone.get_by_label("Enter the code from your letter")
    code.fill("abcd-efgh")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.locator(".govuk-error-summary")).to_contain_text(
        "Enter the code exactly as it is on your letter"
    )
    assert_accessible(phone)

    phone.get_by_label("Enter the code from your letter").fill(
        grouped(families["letter_token"]).lower()
    )
    phone.get_by_role("button", name="Continue").click()
    expect(heading(phone)).to_have_text("Tell us about your Early Help")
    assert phone.url.endswith(f"/feedback/{families['letter_token']}/")

    settings.FEEDBACK_ATTEMPTS_LIMIT = 2
    for _ in range(3):
        phone.goto(start)
        phone.get_by_label("Enter the code from your letter").fill(MADE_UP)
        phone.get_by_role("button", name="Continue").click()
    expect(heading(phone)).to_have_text("Too many attempts")
    fits_the_phone(phone)
    assert_accessible(phone)


def test_the_family_journey_works_without_javascript(browser, live_server, families):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{live_server.url}{reverse('family_feedback:start')}")
    tab.get_by_label("Enter the code from your letter").fill(grouped(families["emailed_token"]))
    tab.get_by_role("button", name="Continue").click()
    expect(heading(tab)).to_have_text("Tell us about your Early Help")
    tab.get_by_role("group", name="Things were explained in a way we understood").get_by_label(
        "Strongly agree"
    ).check()
    tab.get_by_role("button", name="Send your feedback").click()
    expect(heading(tab)).to_have_text("Thank you for your feedback")
    assert FeedbackResponse.objects.get().answers == {"explained": "Strongly agree"}
    context.close()


def test_the_qa_leads_list_of_invitations(
    make_user, sign_in, live_server, families, assert_accessible
):
    page = sign_in(make_user(Role.QA_LEAD))
    # Reached from Voice results, not the menu.
    page.get_by_role("link", name="Voice results").click()
    page.get_by_role(
        "link", name="Family feedback: invitations, random selections and letters"
    ).click()
    expect(heading(page)).to_have_text("Family feedback")
    expect(page.locator("#invitation-table")).to_contain_text("EHA-PHONE-1")
    expect(page.get_by_role("button", name="Print 1 letter")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Status").select_option("expired")
    page.get_by_role("button", name="Apply filter").click()
    rows = page.locator("#invitation-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("EHA-PHONE-3")
    assert_accessible(page)

    page.get_by_role("link", name="Draw a random selection").click()
    expect(heading(page)).to_have_text("Draw a random selection")
    assert_accessible(page)
    page.get_by_role("button", name="Show the families chosen").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the period starts")
    assert_accessible(page)
