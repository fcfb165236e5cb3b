"""The private links' tokens: 130 bits from Crockford's alphabet, derived from the secret key and
each invitation's own nonce, never stored; typed from a letter in any reasonable way."""

import hashlib
import math

import pytest
from django.test import override_settings

from earlyhelp.voice import tokens
from earlyhelp.voice.models import FeedbackInvitation

from .invitation_helpers import invitation


def test_a_token_is_26_characters_of_crockfords_alphabet_at_least_128_bits():
    token = tokens.token_for(tokens.new_nonce())
    assert len(token) == tokens.TOKEN_LENGTH == 26
    assert set(token) <= set(tokens.ALPHABET)
    assert len(tokens.ALPHABET) == 32
    assert tokens.TOKEN_LENGTH * math.log2(len(tokens.ALPHABET)) >= 128
    assert tokens.TOKEN_LENGTH * 5 >= 128
    assert not set("ILOU") & set(tokens.ALPHABET)


def test_nonces_are_128_bits_and_1000_nonces_give_1000_distinct_tokens():
    nonces = [tokens.new_nonce() for _ in range(1000)]
    assert all(len(bytes.fromhex(nonce)) * 8 == 128 for nonce in nonces)
    made = {tokens.token_for(nonce) for nonce in nonces}
    assert len(made) == 1000


def test_the_token_is_derived_again_from_the_nonce_and_depends_on_the_secret_key():
    nonce = tokens.new_nonce()
    assert tokens.token_for(nonce) == tokens.token_for(nonce)
    with override_settings(SECRET_KEY="another-secret-key-" + "y" * 40):
        other = tokens.token_for(nonce)
    assert other != tokens.token_for(nonce)


@pytest.mark.django_db
def test_the_token_is_not_stored_anywhere_on_the_invitation_row():
    made, token = invitation()
    row = FeedbackInvitation.objects.filter(pk=made.pk).values().get()
    forms_of_it = {token, token.lower(), tokens.grouped(token), tokens.grouped(token).lower()}
    for field, value in row.items():
        for form in forms_of_it:
            assert form not in str(value), f"the token is in {field}"
    assert row["token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["token_digest"] == tokens.digest(token)


@pytest.mark.parametrize(
    "typed",
    [
        "lower case",
        "with dashes",
        "with spaces",
        "O for 0, I and L for 1",
    ],
)
def test_a_token_typed_from_a_letter_reads_as_the_token(typed):
    token = "0123456789ABCDEFGH1JKMN0PQ"
    written = {
        "lower case": token.lower(),
        "with dashes": tokens.grouped(token),
        "with spaces": " " + tokens.grouped(token).replace("-", " ").lower() + " ",
        "O for 0, I and L for 1": token.replace("0", "O", 1).replace("1", "I", 1).replace("1", "l"),
    }[typed]
    assert tokens.normalise(written) == token
    assert tokens.digest(written) == tokens.digest(token)
    assert tokens.looks_like_a_token(written)


def test_the_grouped_form_is_in_fours_and_reads_back():
    token = tokens.token_for(tokens.new_nonce())
    shown = tokens.grouped(token)
    assert [len(part) for part in shown.split("-")] == [4, 4, 4, 4, 4, 4, 2]
    assert tokens.normalise(shown) == token


@pytest.mark.parametrize(
    "text",
    ["", "sample", "0123456789ABCDEFGH1JKMN0P", "0123456789ABCDEFGH1JKMN0PQR", "U" * 26, "!" * 26],
)
def test_anything_else_does_not_look_like_a_token(text):
    assert not tokens.looks_like_a_token(text)
