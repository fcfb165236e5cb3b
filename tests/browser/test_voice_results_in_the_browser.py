"""Voice results in a real browser: the QA lead reads a family's free-text answer, moderates it
into a publishable quote and sees it on the results page; a partnership viewer then sees the
figures and the quote, and nothing of the answer as it was written. axe finds nothing on any
page, errors included."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.voice.questionnaires import load_defaults

from ..factories import TEST_PASSWORD
from ..voice.factories import ClosureFormFactory, FeedbackResponseFactory

pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN = "Kerry at Moorclose Children's Centre helped our Ben so much."
MODERATED = "The children's centre helped our son so much."


@pytest.fixture
def answers():
    """Six families answered this quarter, one with words that identify people; two closure
    forms. The database is flushed between browser tests, so the questionnaires are loaded."""
    load_defaults()
    now = timezone.now()
    place = District.objects.get_or_create(name="Eden")[0]
    for score in ["9", "8", "8", "7", "5"]:
        FeedbackResponseFactory(
            invitation__sent_at=now,
            invitation__assessment__district=place,
            answers={"difference-score": score, "listened-to": "Agree"},
        )
    FeedbackResponseFactory(
        invitation__sent_at=now,
        invitation__assessment__district=place,
        answers={
            "difference-score": "10",
            "listened-to": "Strongly agree",
            "what-was-good": WRITTEN,
        },
    )
    for _ in range(2):
        ClosureFormFactory(
            assessment__closure_date=timezone.localdate(),
            answers={"how-things-are": "7", "child-better": "I like school now."},
        )


@pytest.mark.usefixtures("answers")
def test_the_qa_lead_moderates_a_quote_and_a_partnership_viewer_reads_it(
    make_user, sign_in, live_server, browser, assert_accessible
):
    tab = sign_in(make_user(Role.QA_LEAD))
    tab.get_by_role("link", name="Voice results", exact=True).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Voice results")
    expect(tab.locator("#feedback-summary")).to_contain_text("Invitations answered: 6 of 6")
    expect(tab.locator("#no-quotes")).to_be_visible()
    assert_accessible(tab)

    tab.get_by_role("link", name="Read and moderate free-text answers").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Free-text answers")
    expect(tab.locator("#answers-table tbody tr")).to_have_count(3)  # 1 feedback, 2 closure
    assert_accessible(tab)

    tab.get_by_role("link", name="Moderate the next answer waiting").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Moderate an answer")
    expect(tab.locator("#original-answer")).to_have_text(WRITTEN)
    assert_accessible(tab)

    # Publishable, but with the wording left empty: an error, explained.
    tab.get_by_label("Wording to publish").fill("")
    tab.get_by_label("Yes, it identifies no one").check()
    tab.get_by_role("button", name="Save").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Enter the wording to publish")
    assert_accessible(tab)

    tab.get_by_label("Wording to publish").fill(MODERATED)
    tab.get_by_role("button", name="Save").click()
    expect(tab.locator(".govuk-notification-banner")).to_contain_text(
        "The quote was saved as publishable"
    )
    expect(tab.locator("#answers-table")).to_contain_text("Publishable")
    assert_accessible(tab)

    tab.get_by_role("link", name="I like school now.").first.click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("An answer from a closure form")
    assert_accessible(tab)

    tab.get_by_role("link", name="Voice results", exact=True).click()
    expect(tab.locator("#quotes")).to_contain_text(MODERATED)
    expect(tab.locator("body")).not_to_contain_text(WRITTEN)

    context = browser.new_context()
    viewer_tab = context.new_page()
    viewer = make_user(Role.PARTNERSHIP_VIEWER)
    viewer_tab.goto(f"{live_server.url}/sign-in/")
    viewer_tab.get_by_label("E-mail address").fill(viewer.email)
    viewer_tab.get_by_label("Password").fill(TEST_PASSWORD)
    viewer_tab.get_by_role("button", name="Sign in").click()
    viewer_tab.get_by_role("link", name="Voice results", exact=True).click()
    expect(viewer_tab.locator("#feedback-summary")).to_contain_text("Invitations answered: 6 of 6")
    expect(viewer_tab.locator("#feedback-difference-score-table")).to_contain_text(
        "Answered in 6 of 6 responses"
    )
    expect(viewer_tab.locator("#feedback-by-district")).to_contain_text("Eden")
    expect(viewer_tab.locator("#quotes")).to_contain_text(MODERATED)
    expect(viewer_tab.locator("body")).not_to_contain_text(WRITTEN)
    expect(viewer_tab.locator("#answers-link")).to_have_count(0)
    expect(viewer_tab.locator("a[href^='/voice/answers/']")).to_have_count(0)
    assert_accessible(viewer_tab)

    # A period with an error: explained, and accessible.
    viewer_tab.get_by_role("group", name="Or from").get_by_label("Day").fill("1")
    viewer_tab.get_by_role("button", name="Show results").click()
    expect(viewer_tab.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(viewer_tab)
    context.close()
