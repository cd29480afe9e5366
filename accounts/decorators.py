"""Who may reach the pages behind a login.

Every such page says who may come in with one of these decorators, and they all answer the
same way: anonymous visitors go to the login page (and come back after it), a signed-in
account without the role gets a 403 page, and a Secretariat member without a second factor
is sent to set one up first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast, overload

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from accounts.roles import is_member_state, is_secretariat


class AuthenticatedHttpRequest(HttpRequest):
    """For type checking only: the request a view behind these decorators receives, whose
    user is signed in (never AnonymousUser). Annotate such a view's `request` with it."""

    user: User


P = ParamSpec("P")
# A view behind a login, and the view the decorators make of it (which any request may reach).
SignedInView = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase]
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def _access_required(view: SignedInView[P], *, member_states: bool, forbidden_template: str) -> View[P]:
    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        secretariat = is_secretariat(user)
        if not secretariat and not (member_states and is_member_state(user)):
            return render(request, forbidden_template, status=403)
        if secretariat and not is_mfa_enabled(user):
            return redirect("accounts:mfa_required")
        # Signed in: checked just above.
        return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

    return wrapper


def secretariat_required(view: SignedInView[P]) -> View[P]:
    """Anonymous: to the login page. Other roles: 403. Secretariat without MFA: MFA set-up."""
    return _access_required(view, member_states=False, forbidden_template="403.html")


@overload
def member_state_or_secretariat_required(view: SignedInView[P], *, forbidden_template: str = ...) -> View[P]: ...
@overload
def member_state_or_secretariat_required(
    view: None = None, *, forbidden_template: str = ...
) -> Callable[[SignedInView[P]], View[P]]: ...
def member_state_or_secretariat_required(
    view: SignedInView[P] | None = None, *, forbidden_template: str = "403.html"
) -> View[P] | Callable[[SignedInView[P]], View[P]]:
    """As `secretariat_required`, but Member State delegates come in too (without MFA).

    Use it bare, or with `forbidden_template=` for a 403 page that says what the page is for.
    """

    def decorator(view: SignedInView[P]) -> View[P]:
        return _access_required(view, member_states=True, forbidden_template=forbidden_template)

    return decorator if view is None else decorator(view)
