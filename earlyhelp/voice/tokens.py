"""The private links of feedback invitations.

A token is 26 characters of Crockford's base 32 (130 bits), derived with HMAC-SHA256 from the
service's secret key and the invitation's own random 128-bit nonce. It is never stored: only its
SHA-256 digest is kept, to find the invitation when the link is opened. So a copy of the database
gives no working links, and the same link can still be written into a reminder or a letter.
A person may type it from a letter in any case, with or without the dashes, and with O for 0
or I and L for 1, as Crockford's alphabet allows.
"""

import hashlib
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O or U
TOKEN_LENGTH = 26  # 26 characters of 5 bits: 130 bits
_SALT = "earlyhelp.voice.feedback-invitation"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_nonce() -> str:
    return secrets.token_hex(16)  # 128 bits


def token_for(nonce: str) -> str:
    mac = salted_hmac(_SALT, nonce, algorithm="sha256").digest()
    number = int.from_bytes(mac, "big")
    characters = []
    for _ in range(TOKEN_LENGTH):
        number, index = divmod(number, 32)
        characters.append(ALPHABET[index])
    return "".join(characters)


def normalise(text: str) -> str:
    """A token as typed (lower case, dashes, spaces, O for 0) in its one written form."""
    return "".join(text.upper().split()).replace("-", "").translate(_READ_AS)


def digest(token: str) -> str:
    return hashlib.sha256(normalise(token).encode()).hexdigest()


def grouped(token: str) -> str:
    """The token in groups of four, for a letter: ABCD-EFGH-…"""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def looks_like_a_token(text: str) -> bool:
    clean = normalise(text)
    return len(clean) == TOKEN_LENGTH and all(c in ALPHABET for c in clean)
