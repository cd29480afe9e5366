"""Single-use form tokens: a double click, a reload or a back-and-resubmit answers once.

Each rendered form carries a signed random nonce. Submitting stores the nonce's digest in
the same transaction as the response; a second submission with it finds the digest there.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

SALT = "consultations.form-token"


@dataclass(frozen=True)
class FormToken:
    nonce: str
    consultation_id: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.consultation_id}:{self.nonce}".encode()).hexdigest()


def issue_form_token(consultation_id: int) -> str:
    return signing.dumps({"n": secrets.token_urlsafe(24), "c": consultation_id}, salt=SALT, compress=False)


class TokenError(Exception):
    pass


class TokenExpired(TokenError):
    pass


def read_form_token(value: str, consultation_id: int) -> FormToken:
    try:
        payload = signing.loads(value, salt=SALT, max_age=settings.FORM_TOKEN_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        raise TokenError from None
    if not isinstance(payload, dict) or payload.get("c") != consultation_id or not isinstance(payload.get("n"), str):
        raise TokenError
    return FormToken(nonce=payload["n"], consultation_id=consultation_id)


def token_expiry_date() -> date:
    # Kept one day past the token's lifetime, then purged by a periodic task.
    return (timezone.now() + timedelta(seconds=settings.FORM_TOKEN_MAX_AGE_SECONDS) + timedelta(days=1)).date()
