"""The two roles, as Django groups created by a data migration (0002_roles)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

SECRETARIAT = "Secretariat"
MEMBER_STATE = "Member State"


def has_role(user: User | AnonymousUser, role: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.groups.filter(name=role).exists()


def is_secretariat(user: User | AnonymousUser) -> bool:
    return has_role(user, SECRETARIAT)


def is_member_state(user: User | AnonymousUser) -> bool:
    return has_role(user, MEMBER_STATE)
