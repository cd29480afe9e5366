"""Users for tests: Secretariat members (with or without MFA) and Member State delegates."""

from __future__ import annotations

import time
from itertools import count
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import Delegate
from accounts.roles import MEMBER_STATE, SECRETARIAT

PASSWORD = "a long test password 42!"
_serial = count(1)


def make_user(*, email: str | None = None, groups: tuple[str, ...] = (), mfa_secret: str | None = None) -> Any:
    email = email or f"person{next(_serial)}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for name in groups:
        # The roles come from a data migration, which a transactional test's flush empties.
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if mfa_secret:
        TOTP.activate(user, mfa_secret)
    return user


def make_secretariat(*, mfa: bool = True, email: str | None = None) -> Any:
    user = make_user(email=email, groups=(SECRETARIAT,), mfa_secret=generate_totp_secret() if mfa else None)
    return user


def make_member_state(*, country: str = "KE", email: str | None = None) -> Any:
    user = make_user(email=email, groups=(MEMBER_STATE,))
    Delegate.objects.create(user=user, country=country)
    return user


def current_totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in(client: Any, user: Any) -> Any:
    """The client signed in as `user`, past MFA (force_login skips allauth's stages)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
