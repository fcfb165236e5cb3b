"""The family's pages: anyone may use them, they show nothing about the family beyond the service
that helped them (and nothing of a signed-in person's staff pages), they take the answers once,
say clearly when a link is used, expired or unknown, limit attempts, and never let the token
reach a log."""

import datetime
import logging

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.voice import public_views
from earlyhelp.voice.models import FeedbackInvitation, FeedbackResponse
from earlyhelp.voice.tokens import grouped, token_for

from .invitation_helpers import COORDINATOR, FAMILY_EMAIL, closed_eha, closure_form, invitation

pytestmark = pytest.mark.django_db

MADE_UP = "ABCDEFGHJKMNPQRSTVWXYZ0123"
START = reverse("family_feedback:start")


@pytest.fixture(autouse=True)
def no_attempts_counted():
    cache.clear()
    yield
    cache.clear()


def days(n):
    return datetime.timedelta(days=n)


def url(token):
    return f"/feedback/{token}/"


@pytest.fixture
def family():
    """An EHA full of distinctive details, its closure form, and a letter invitation."""
    eha = closed_eha("EHA-PRIVATE-3141", coordinator_name=COORDINATOR)
    eha.family.reference = "FAM-PRIVATE-2718"
    eha.family.save()
    form = closure_form(eha, method="email")
    invite, token = invitation(eha, method="email", source="consent")
    return {"eha": eha, "form": form, "invitation": invite, "token": token}


def _nothing_of_the_family(body, family):
    eha = family["eha"]
    for secret in (
        eha.reference,
        eha.family.reference,
        COORDINATOR,
        eha.coordinator_email,
        eha.district.name,
        FAMILY_EMAIL,
    ):
        assert secret not in body, secret


def _no_staff_pages(body):
    assert "Sign out" not in body
    assert 'aria-label="Menu"' not in body
    assert "Family feedback</a>" not in body


def test_an_anonymous_family_opens_its_form_and_sees_only_the_service_that_helped(client, family):
    response = client.get(url(family["token"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tell us about your Early Help" in body
    assert family["eha"].lead_agency.name in body
    assert 'name="listened-to"' in body
    assert "csrfmiddlewaretoken" in body
    _nothing_of_the_family(body, family)
    _no_staff_pages(body)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"


def test_a_signed_in_member_of_staff_sees_no_staff_navigation_on_the_family_pages(
    client_for, family
):
    client = client_for(Role.QA_LEAD)
    for address in (url(family["token"]), START, url(MADE_UP), "/feedback/thank-you/"):
        body = client.get(address).content.decode()
        _no_staff_pages(body)


def test_the_family_answers_sees_thanks_and_the_link_then_says_it_has_been_used(client, family):
    response = client.post(
        url(family["token"]),
        {"listened-to": "Agree", "difference-score": "8", "what-was-good": "They listened."},
    )
    assert response.status_code == 302
    assert response["Location"] == "/feedback/thank-you/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your feedback" in thanks.content.decode()
    saved = FeedbackResponse.objects.get()
    assert saved.answers == {
        "listened-to": "Agree",
        "difference-score": "8",
        "what-was-good": "They listened.",
    }
    assert saved.assessment == family["eha"]
    assert saved.submitted_on == timezone.localdate()
    assert saved.version.questionnaire.kind == "service_user_feedback"

    for method in ("get", "post"):
        again = getattr(client, method)(url(family["token"]), {"listened-to": "Disagree"})
        assert again.status_code == 200
        assert "You have already sent your feedback" in again.content.decode()
    assert FeedbackResponse.objects.count() == 1
    stored = type(family["form"]).objects.get(pk=family["form"].pk)
    assert stored.contact_email == ""
    assert stored.contact_erased_at is not None


def test_sending_nothing_is_refused_with_a_clear_error_and_the_link_still_works(client, family):
    response = client.post(url(family["token"]), {})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Answer at least one question before you send your feedback" in body
    assert FeedbackInvitation.objects.get(pk=family["invitation"].pk).used_at is None


def test_a_made_up_answer_is_refused_on_its_question(client, family):
    response = client.post(url(family["token"]), {"listened-to": "Maybe, who knows"})
    assert response.status_code == 200
    assert "listened-to" in response.context["form"].errors
    assert FeedbackResponse.objects.count() == 0


def test_the_form_is_protected_against_cross_site_requests(family):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(family["token"]), {"listened-to": "Agree"})
    assert response.status_code == 403
    assert FeedbackResponse.objects.count() == 0


def test_an_expired_link_gets_a_clear_page(client):
    old, token = invitation(today=timezone.localdate() - days(29))
    assert old.expires_on == timezone.localdate() - days(1)
    response = client.get(url(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "This link has expired" in body
    assert old.assessment.reference not in body
    posted = client.post(url(token), {"listened-to": "Agree"})
    assert "This link has expired" in posted.content.decode()
    assert FeedbackResponse.objects.count() == 0


def test_a_link_still_works_on_its_last_day(client):
    _, token = invitation(today=timezone.localdate() - days(28))
    response = client.get(url(token))
    assert "Tell us about your Early Help" in response.content.decode()


@pytest.mark.parametrize(
    "token", [MADE_UP, "sample", "x" * 200, "%3Cscript%3E", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ"]
)
def test_an_unknown_or_malformed_link_gets_a_clear_page(client, token):
    invitation()
    response = client.get(url(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "We cannot find this link" in body
    if len(token) > 10:
        assert token not in body  # never echoed


def test_the_pages_for_links_never_put_the_token_in_a_log(client, caplog, family):
    _used, used_token = invitation(method="letter")
    client.post(url(used_token), {"listened-to": "Agree"})
    _, expired_token = invitation(today=timezone.localdate() - days(40))
    with caplog.at_level(logging.DEBUG):
        for token in (family["token"], used_token, expired_token, MADE_UP):
            client.get(url(token))
        client.post(url(family["token"]), {})
        client.post(START, {"code": MADE_UP})
        with override_settings(FEEDBACK_ATTEMPTS_LIMIT=1):
            limited = client.get(url(family["token"]))
            assert limited.status_code == 302
            assert client.get(limited["Location"]).status_code == 429
        client.get("/no-such-page-3141/")  # proves the net: a 404 logs its path
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/no-such-page-3141/" in logged
    for token in (family["token"], used_token, expired_token, MADE_UP):
        assert token not in logged
        assert token.lower() not in logged


# The start page: a code from a letter ----------------------------------------------------------


def test_the_start_page_takes_a_code_in_lower_case_with_dashes(client):
    _invite, token = invitation(method="letter")
    page = client.get(START)
    assert page.status_code == 200
    assert "Enter the code from your letter" in page.content.decode()
    response = client.post(START, {"code": grouped(token).lower()})
    assert response.status_code == 302
    assert response["Location"] == url(token)
    assert client.get(response["Location"]).status_code == 200


def test_the_start_page_reads_o_as_zero_and_spaces_as_nothing(client):
    invite = None
    for _ in range(50):  # a token with a 0 or 1 in it, to type as O or I
        invite, token = invitation(method="letter")
        if "0" in token:
            break
    typed = " ".join(grouped(token).split("-")).replace("0", "O")
    response = client.post(START, {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == url(token_for(invite.nonce))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the code from your letter"),
        ("ABC", "Enter the code exactly as it is on your letter"),
        (MADE_UP, "We cannot find this code"),
    ],
)
def test_the_start_page_explains_a_code_that_does_not_work(client, code, message):
    response = client.post(START, {"code": code})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body


# Rate limiting ---------------------------------------------------------------------------------


@override_settings(FEEDBACK_ATTEMPTS_LIMIT=3)
def test_too_many_wrong_codes_from_one_address_are_refused_with_429(client):
    _, token = invitation(method="letter")
    for _ in range(3):
        assert client.post(START, {"code": MADE_UP}).status_code == 200
    refused = client.post(START, {"code": MADE_UP})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    # Even a right code is refused while the address is over the limit, or guessing could go on.
    assert client.post(START, {"code": token}).status_code == 429
    link = client.get(url(token))
    assert link.status_code == 302
    assert link["Location"] == "/feedback/too-many-attempts/"
    page = client.get(link["Location"])
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert other.post(START, {"code": token}).status_code == 302
    assert other.get("/feedback/too-many-attempts/").status_code == 302


@override_settings(FEEDBACK_ATTEMPTS_LIMIT=2)
def test_unknown_links_count_as_attempts_and_known_ones_do_not(client):
    _, token = invitation(method="letter")
    for _ in range(5):
        assert client.get(url(token)).status_code == 200
    client.get(url(MADE_UP))
    client.get(url("nonsense"))
    assert client.get(url(token)).status_code == 302
    assert client.post(START, {"code": token}).status_code == 429


@override_settings(FEEDBACK_ATTEMPTS_LIMIT=1)
def test_the_limit_lasts_ten_minutes(client, monkeypatch):
    _, token = invitation(method="letter")
    client.post(START, {"code": MADE_UP})
    assert client.post(START, {"code": token}).status_code == 429
    real_time = public_views.time.time
    monkeypatch.setattr(public_views.time, "time", lambda: real_time() + 601)
    assert client.post(START, {"code": token}).status_code == 302


@override_settings(FEEDBACK_ATTEMPTS_LIMIT=5)
def test_the_count_is_kept_under_a_hash_of_the_address_never_the_address(client):
    client.post(START, {"code": MADE_UP}, REMOTE_ADDR="203.0.113.9")
    stored = dict(cache._cache)  # the local-memory cache's own store
    assert stored
    everything = " ".join(str(key) + str(value) for key, value in stored.items())
    assert "203.0.113.9" not in everything
    assert any("feedback-attempts" in str(key) for key in stored)


def test_the_too_many_attempts_page_sends_anyone_under_the_limit_to_the_start(client):
    response = client.get("/feedback/too-many-attempts/")
    assert response.status_code == 302
    assert response["Location"] == START
