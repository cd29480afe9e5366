"""When the database drops out (a restart, a failover), say "please try again", not "crashed"."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

# A PostgreSQL restart takes a few seconds; a browser or a proxy may retry after this long.
RETRY_AFTER_SECONDS = 5
# Only forms that are safe to send twice get a "send again" button with what was sent: an
# answer is stored in one transaction under a single-use token, so a second sending either
# stores it (the first was rolled back) or is thanked without storing anything.
RESENDABLE_VIEWS = {"consultations:answer"}


class DatabaseUnavailableMiddleware:
    """HTTP 503 with Retry-After, in the visitor's language, for a database that cannot be reached.

    Placed after LocaleMiddleware, which has chosen the language from the address by then.
    Nothing was half-stored: every write that matters is one transaction, which the lost
    connection rolled back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable, answered 503: %s", type(exception).__name__)
        # The page must not ask the database who is signed in.
        request.user = AnonymousUser()
        match = request.resolver_match
        resend = request.method == "POST" and match is not None and match.view_name in RESENDABLE_VIEWS
        context = {"resend": list(request.POST.lists()) if resend else None}
        response = render(request, "503.html", context, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
