"""The two roles, as Django groups created by a data migration (0002_roles)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SECRETARIAT = "Secretariat"
MEMBER_STATE = "Member State"


def has_role(user: AbstractBaseUser | AnonymousUser, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.groups.filter(name=role).exists()  # type: ignore[attr-defined]


def is_secretariat(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, SECRETARIAT)


def is_member_state(user: AbstractBaseUser | AnonymousUser) -> bool:
    return has_role(user, MEMBER_STATE)
