"""Moderating free-text answers: only the QA lead reads them as written, one at a time, and saves
a moderated wording marked publishable or not; publishable quotes then appear in results."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.accounts.roles import Role
from earlyhelp.voice import moderation
from earlyhelp.voice.models import Quote

from .factories import ClosureFormFactory, FeedbackResponseFactory, QuoteFactory

pytestmark = pytest.mark.django_db

ANSWERS = "/voice/answers/"
ORIGINAL = "Sam at Moorclose Primary was brilliant with our Jack."
MODERATED = "The school was brilliant with our son."


def moderate_url(kind, pk, question_id):
    return f"/voice/answers/{kind}/{pk}/{question_id}/"


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def response():
    return FeedbackResponseFactory(
        answers={
            "what-was-good": ORIGINAL,
            "what-could-be-better": "   ",
            "listened-to": "Agree",
            "difference-score": "8",
        }
    )


def test_the_answers_are_every_free_text_answer_and_the_childs_own_words(response):
    ClosureFormFactory(
        answers={
            "support-received": "Parenting course.",  # the coordinator's words: not listed
            "child-better": "I have friends now.",
            "how-things-are": "7",
        }
    )
    found = moderation.free_text_answers()
    assert [(a.kind, a.question_id, a.text) for a in found] == [
        ("feedback", "what-was-good", ORIGINAL),
        ("closure", "child-better", "I have friends now."),
    ]
    assert [a.status for a in found] == [moderation.WAITING, moderation.READ_ONLY]


def test_the_qa_lead_sees_the_answers_listed(client_for, response):
    page = client_for(Role.QA_LEAD).get(ANSWERS)
    assert page.status_code == 200
    assert ORIGINAL in text_of(page)
    assert "Waiting to be moderated" in text_of(page)
    assert moderate_url("feedback", response.pk, "what-was-good") in page.content.decode()


def test_the_list_is_filtered_by_status_and_form(client_for, response):
    QuoteFactory(response=response, question_id="what-was-good", moderated_text=MODERATED)
    FeedbackResponseFactory(answers={"what-was-good": "Still waiting."})
    client = client_for(Role.QA_LEAD)
    waiting = text_of(client.get(ANSWERS, {"status": "waiting"}))
    assert "Still waiting." in waiting
    assert ORIGINAL not in waiting
    publishable = text_of(client.get(ANSWERS, {"status": "publishable", "kind": "feedback"}))
    assert ORIGINAL in publishable
    assert "Still waiting." not in publishable
    assert "There are no free-text answers that match" in text_of(
        client.get(ANSWERS, {"kind": "closure"})
    )


def test_a_made_up_filter_is_an_error_not_a_crash(client_for, response):
    page = client_for(Role.QA_LEAD).get(ANSWERS, {"status": "everything"})
    assert page.status_code == 200
    assert "Select status from the list" in text_of(page)


def test_the_qa_lead_moderates_an_answer_into_a_publishable_quote(client_for, response):
    client = client_for(Role.QA_LEAD)
    url = moderate_url("feedback", response.pk, "what-was-good")
    page = client.get(url)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("#original-answer").get_text(strip=True) == ORIGINAL
    assert soup.select_one("textarea[name=text]").get_text(strip=True) == ORIGINAL
    saved = client.post(url, {"text": MODERATED, "publishable": "yes"})
    assert saved.status_code == 302
    assert saved["Location"] == ANSWERS  # nothing else is waiting
    quote = Quote.objects.get()
    assert (quote.response, quote.question_id) == (response, "what-was-good")
    assert quote.moderated_text == MODERATED
    assert quote.publishable
    assert quote.moderated_by == page.wsgi_request.user
    results = text_of(client.get("/voice/", {"quarter": "2026-Q3"}))
    assert MODERATED in results
    assert ORIGINAL not in results


def test_moderating_again_changes_the_same_quote(client_for, response):
    QuoteFactory(response=response, question_id="what-was-good", moderated_text=MODERATED)
    client = client_for(Role.QA_LEAD)
    url = moderate_url("feedback", response.pk, "what-was-good")
    page = client.get(url)
    assert "Moderated before: publishable" in text_of(page)
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("textarea[name=text]").get_text(strip=True) == MODERATED
    client.post(url, {"text": MODERATED, "publishable": "no"})
    quote = Quote.objects.get()
    assert not quote.publishable
    assert MODERATED not in text_of(client.get("/voice/", {"quarter": "2026-Q3"}))


def test_after_saving_the_next_waiting_answer_opens(client_for, response):
    newer = FeedbackResponseFactory(answers={"child-own-words": "It was fun."})
    client = client_for(Role.QA_LEAD)
    saved = client.post(
        moderate_url("feedback", response.pk, "what-was-good"),
        {"text": "", "publishable": "no"},
    )
    assert saved["Location"] == moderate_url("feedback", newer.pk, "child-own-words")
    assert "This is the next answer waiting to be moderated" in text_of(
        client.get(saved["Location"])
    )
    assert Quote.objects.get().moderated_text == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  ", "publishable": "yes"}, "Enter the wording to publish"),
        ({"text": MODERATED}, "Select whether this quote can be published"),
        ({"text": MODERATED, "publishable": "maybe"}, "Select"),
        ({"text": "x" * 2001, "publishable": "yes"}, "2000 characters or fewer"),
    ],
)
def test_what_cannot_be_saved_is_explained(client_for, response, data, message):
    page = client_for(Role.QA_LEAD).post(
        moderate_url("feedback", response.pk, "what-was-good"), data
    )
    assert page.status_code == 200
    assert message in text_of(page)
    assert not Quote.objects.exists()


def test_closure_form_answers_are_read_only(client_for):
    form = ClosureFormFactory(answers={"child-better": "I sleep better."})
    client = client_for(Role.QA_LEAD)
    url = moderate_url("closure", form.pk, "child-better")
    page = client.get(url)
    assert page.status_code == 200
    assert "I sleep better." in text_of(page)
    assert "cannot be published as quotes" in text_of(page)
    assert b"<textarea" not in page.content
    assert client.post(url, {"text": "x", "publishable": "yes"}).status_code == 405
    assert not Quote.objects.exists()
    with pytest.raises(moderation.NotPublishable):
        moderation.save_quote(
            moderation.find_answer("closure", form.pk, "child-better"),
            text="x",
            publishable=True,
            by=page.wsgi_request.user,
        )


@pytest.mark.parametrize(
    "address",
    [
        ("feedback", 0, "what-was-good"),  # no such response
        ("feedback", None, "listened-to"),  # not free text
        ("feedback", None, "what-could-be-better"),  # left blank
        ("feedback", None, "made-up"),
        ("survey", None, "what-was-good"),  # no such kind
        ("closure", None, "what-was-good"),
    ],
)
def test_an_answer_that_is_not_there_is_not_found(client_for, response, address):
    kind, pk, question_id = address
    url = moderate_url(kind, response.pk if pk is None else pk, question_id)
    assert client_for(Role.QA_LEAD).get(url).status_code == 404


def test_the_coordinators_own_words_in_a_closure_form_are_not_listed(client_for):
    form = ClosureFormFactory(answers={"support-received": "Parenting course."})
    assert moderation.free_text_answers() == []
    url = moderate_url("closure", form.pk, "support-received")
    assert client_for(Role.QA_LEAD).get(url).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.QA_LEAD])
def test_only_the_qa_lead_moderates(client_for, response, role):
    client = client_for(role)
    url = moderate_url("feedback", response.pk, "what-was-good")
    assert client.get(ANSWERS).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": MODERATED, "publishable": "yes"}).status_code == 403
    assert not Quote.objects.exists()


def test_the_list_does_not_grow_in_queries_with_the_answers(client_for):
    client = client_for(Role.QA_LEAD)

    def make(how_many):
        for _ in range(how_many):
            QuoteFactory(response__answers={"what-was-good": "Good.", "child-own-words": "Fun."})
            ClosureFormFactory(answers={"child-better": "Better.", "child-more-help": "No."})

    make(2)
    with CaptureQueriesContext(connection) as few:
        client.get(ANSWERS)
    make(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(ANSWERS).status_code == 200
    assert len(many) == len(few)
