"""The closure form in a real browser: a coordinator completes it with the family, first sending
it with a mistake to see the error summary, then putting it right; with JavaScript (the ways of
asking and the contact fields are revealed as they are chosen) and without (every field is
shown, and the server checks them). axe finds nothing on any page, errors included."""

import datetime
import re

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.models import AccessLog
from earlyhelp.voice.models import ClosureForm
from earlyhelp.voice.questionnaires import load_defaults

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import TEST_PASSWORD

# Recently closed: closure forms are due for EHAs closed in the last 90 days.
CLOSED_ON = timezone.localdate() - datetime.timedelta(days=10)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def closed_eha(make_user):
    """A coordinator with one closed EHA waiting for its closure form. The database is flushed
    between browser tests, so the shipped questionnaires are loaded again."""
    load_defaults()
    coordinator = make_user(Role.COORDINATOR, full_name="Cora Coordinator")
    eha = EarlyHelpAssessmentFactory(
        reference="EHA-CLOSING",
        coordinator=coordinator,
        status=EarlyHelpAssessment.Status.CLOSED,
        closure_date=CLOSED_ON,
    )
    return coordinator, eha


def open_the_form_from_the_list(page, check):
    page.get_by_role("link", name="Closure forms", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closure forms")
    expect(page.locator("#due tbody tr")).to_have_count(1)
    expect(page.locator("#completed-empty")).to_be_visible()
    check(page)
    page.get_by_role("link", name="EHA-CLOSING").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closure form")
    expect(page.locator("#eha-facts")).to_contain_text(dateformat.format(CLOSED_ON, "j F Y"))
    check(page)


def answer_the_questions(page):
    page.get_by_label("What support did the family receive?").fill(
        "Parenting support from the family centre."
    )
    page.get_by_label("What difference has the support made, in the family's words?").fill(
        "Mornings are calmer and we talk more."
    )
    page.get_by_role("group", name="Were the goals in the family's plan met?").get_by_label(
        "Most of them"
    ).check()
    page.get_by_role("group", name="How are things now for the family?").get_by_label(
        "7", exact=True
    ).check()
    page.get_by_role(
        "group", name="Does the family know where to go for help if they need it again?"
    ).get_by_label("Yes").check()
    page.get_by_label("What is better for you now?").fill("I like school again.")


def consent_group(page):
    return page.get_by_role(
        "group", name="Does the family agree to be asked for feedback about the help they had?"
    )


def save(page):
    page.get_by_role("button", name="Save the closure form").click()


def the_saved_form_is_listed_then_read(page, check):
    expect(page.get_by_role("heading", level=1)).to_have_text("Closure forms")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The closure form for EHA-CLOSING has been saved"
    )
    expect(page.locator("#due-empty")).to_be_visible()
    expect(page.locator("#completed tbody tr")).to_contain_text("Cora Coordinator")
    check(page)
    page.get_by_role("link", name=re.compile("EHA-CLOSING")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closure form")
    expect(page.locator("#completed-by")).to_contain_text("Completed by Cora Coordinator")
    expect(page.get_by_text("Mornings are calmer and we talk more.")).to_be_visible()
    check(page)


def test_a_coordinator_completes_a_closure_form_with_javascript(
    closed_eha, sign_in, assert_accessible
):
    coordinator, eha = closed_eha
    page = sign_in(coordinator)
    open_the_form_from_the_list(page, assert_accessible)

    # The ways of asking are revealed only once the family agrees; each field once chosen.
    email = page.get_by_label("E-mail address")
    expect(page.get_by_label("Text message")).to_be_hidden()
    answer_the_questions(page)
    consent_group(page).get_by_label("Yes").check()
    expect(page.get_by_label("Text message")).to_be_visible()
    expect(email).to_be_hidden()
    page.get_by_label("E-mail", exact=True).check()
    expect(email).to_be_visible()
    expect(page.get_by_label("Mobile phone number")).to_be_hidden()
    assert_accessible(page)

    email.fill("parent@example")
    save(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Closure form for EHA-CLOSING"))
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("Enter an e-mail address")).click()
    expect(email).to_be_focused()
    assert not ClosureForm.objects.exists()

    email.fill("parent@example.com")
    save(page)
    the_saved_form_is_listed_then_read(page, assert_accessible)
    expect(page.locator("#contact-details")).to_contain_text("parent@example.com")

    saved = ClosureForm.objects.get()
    assert (saved.assessment, saved.completed_by) == (eha, coordinator)
    assert (saved.contact_method, saved.contact_email, saved.contact_phone) == (
        "email",
        "parent@example.com",
        "",
    )
    assert saved.answers["how-things-are"] == "7"
    assert AccessLog.objects.filter(record_type="closure_form", record_id=eha.pk).count() == 4


def checked_as_rendered_without_javascript(checker, assert_accessible):
    """axe needs JavaScript to run, so each page without it is checked as it was shown: its
    HTML, scripts taken out, put into a page that can run axe. Nothing hidden by a script is
    hidden there either, exactly as without JavaScript."""

    def check(page):
        html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.DOTALL)
        checker.goto(page.url)  # the same address, so the styles load as they did
        checker.set_content(html)
        expect(checker.locator("body.govuk-frontend-supported")).to_have_count(0)
        assert_accessible(checker)

    return check


def test_a_coordinator_completes_a_closure_form_without_javascript(
    closed_eha, browser, live_server, page, assert_accessible
):
    """`page`, with JavaScript, only runs axe; `plain`, without, is the coordinator's."""
    coordinator, eha = closed_eha
    check = checked_as_rendered_without_javascript(page, assert_accessible)
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{live_server.url}/sign-in/")
    plain.get_by_label("E-mail address").fill(coordinator.email)
    plain.get_by_label("Password").fill(TEST_PASSWORD)
    plain.get_by_role("button", name="Sign in").click()
    open_the_form_from_the_list(plain, check)

    # Nothing can be revealed without JavaScript, so every field is on the page from the start.
    expect(plain.get_by_label("Text message")).to_be_visible()
    expect(plain.get_by_label("E-mail address")).to_be_visible()
    expect(plain.get_by_label("Mobile phone number")).to_be_visible()

    answer_the_questions(plain)
    consent_group(plain).get_by_label("Yes").check()
    plain.get_by_label("Text message").check()
    plain.get_by_label("Mobile phone number").fill("01228 606060")
    save(plain)
    summary = plain.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a UK mobile phone number")
    expect(plain.get_by_label("Mobile phone number")).to_have_value("01228 606060")
    expect(plain.get_by_label("Text message")).to_be_checked()
    check(plain)
    assert not ClosureForm.objects.exists()

    plain.get_by_label("Mobile phone number").fill("07700 900982")
    save(plain)
    the_saved_form_is_listed_then_read(plain, check)
    context.close()

    saved = ClosureForm.objects.get()
    assert (saved.assessment, saved.contact_method, saved.contact_phone) == (
        eha,
        "text",
        "+447700900982",
    )
