"""Signing in and out, lock-out after repeated failures, and password reset by e-mail."""

import re

import pytest
from django.core import mail

from earlyhelp.accounts.roles import Role

from .factories import TEST_PASSWORD


def sign_in(client, email, password):
    return client.post("/sign-in/", {"username": email, "password": password})


def test_sign_in_with_email_and_password_goes_home(client, make_user):
    user = make_user(Role.AUDITOR)
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == user


def test_email_is_matched_whatever_its_case(client, make_user):
    user = make_user(Role.AUDITOR)
    response = sign_in(client, user.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_clear_message(client, make_user):
    user = make_user(Role.AUDITOR)
    response = sign_in(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct e-mail address and password" in response.content.decode()
    assert "Error: Sign in" in response.content.decode()


def test_empty_sign_in_names_both_fields(client, db):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    errors = [message for _, message in response.context["form"].error_list]
    assert errors == ["Enter your e-mail address", "Enter your password"]


def test_five_failures_lock_the_account_even_with_the_right_password(client, make_user):
    user = make_user(Role.AUDITOR)
    for _ in range(5):
        sign_in(client, user.email, "wrong-password")
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_the_account(client, make_user):
    user = make_user(Role.AUDITOR)
    for _ in range(4):
        sign_in(client, user.email, "wrong-password")
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 302


def test_one_persons_failures_do_not_lock_out_a_colleague(client, make_user):
    careless, colleague = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    for _ in range(5):
        sign_in(client, careless.email, "wrong-password")
    assert sign_in(client, colleague.email, TEST_PASSWORD).status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(client_for):
    client = client_for(Role.AUDITOR)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_inactive_people_cannot_sign_in(client, make_user):
    user = make_user(Role.AUDITOR, is_active=False)
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 200


def test_password_reset_sends_a_link_that_sets_a_new_password(client, make_user):
    user = make_user(Role.COORDINATOR)
    response = client.post("/password-reset/", {"email": user.email})
    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-brand-new-long-password"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == "/password-reset/complete/"
    assert sign_in(client, user.email, new_password).status_code == 302


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client, db):
    response = client.post("/password-reset/", {"email": "nobody@nowhere.test"})
    assert response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_a_used_or_broken_reset_link_says_it_has_expired(client, db):
    response = client.get("/password-reset/MQ/not-a-token/", follow=True)
    assert "This link has expired" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_account_page_shows_the_persons_own_details_and_roles(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    page = client.get("/account/").content.decode()
    assert user.email in page
    assert Role(role).label in page


def test_change_password_needs_the_old_one(client, make_user):
    user = make_user(Role.AUDITOR)
    client.force_login(user)
    response = client.post(
        "/account/password/",
        {"old_password": "not-it", "new_password1": "x" * 14, "new_password2": "x" * 14},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
