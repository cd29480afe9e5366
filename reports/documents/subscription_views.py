"""Email subscriptions to new documents, as a visitor sees them (no account): subscribe,
confirm, unsubscribe. What they do is in reports.documents.subscriptions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from consultations import ratelimit
from consultations.models import Meeting
from cop_site.forms import ErrorSummaryMixin
from cop_site.languages import current_language
from reports.documents import subscriptions

ALL_DOCUMENTS = "all"


class SubscribeForm(ErrorSummaryMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    follow = forms.ChoiceField(
        label=_("Which documents?"),
        help_text=_("All documents, or only those of one meeting."),
        error_messages={"invalid_choice": _("Choose all documents or one of the meetings in the list")},
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {str(meeting.number): meeting for meeting in Meeting.objects.order_by("-starts_on")}
        follow = cast(forms.ChoiceField, self.fields["follow"])
        follow.choices = [(ALL_DOCUMENTS, _("All documents, from every meeting"))] + [
            (number, meeting.display_name(language)) for number, meeting in self.meetings.items()
        ]

    def meeting(self) -> Meeting | None:
        return self.meetings.get(self.cleaned_data["follow"])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    language = current_language()
    if request.method != "POST":
        # ?meeting=14 preselects that meeting, so a meeting's page can link here.
        initial = request.GET.get("meeting", ALL_DOCUMENTS)
        form = SubscribeForm(language=language, initial={"follow": initial})
        return render(request, "reports/subscriptions/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST, language=language)
    if not form.is_valid():
        return render(request, "reports/subscriptions/subscribe.html", {"form": form})
    email = form.cleaned_data["email"]
    # Two limits: one client asking for many addresses, and many asks for one address.
    if ratelimit.submissions_exceeded(request, "subscribe") or not subscriptions.subscription_email_allowed(
        email=email
    ):
        return render(request, "reports/subscriptions/too_many.html", status=429)
    ratelimit.record_submission(request, "subscribe")
    subscriptions.subscription_request(
        email=email,
        meeting=form.meeting(),
        language=language,
        now=timezone.now(),
    )
    return redirect("documents:check_inbox")


@require_safe
def check_inbox(request: HttpRequest) -> HttpResponse:
    # The same page whether the address was new, waiting or already subscribed.
    return render(request, "reports/subscriptions/check_inbox.html", {"days": subscriptions.CONFIRM_WITHIN.days})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, secret: str) -> HttpResponse:
    # A GET only shows a button: mail scanners that open every link must not confirm.
    subscription = subscriptions.subscription_for_secret(secret, now=timezone.now())
    if subscription is None:
        return render(request, "reports/subscriptions/link_expired.html", status=404)
    following = subscriptions.following_text(subscription.meeting, current_language())
    if subscription.confirmed_at is not None:
        return render(request, "reports/subscriptions/confirmed.html", {"following": following})
    if request.method == "POST":
        subscriptions.subscription_confirm(subscription=subscription, now=timezone.now())
        return redirect("documents:confirmed")
    return render(request, "reports/subscriptions/confirm.html", {"following": following})


@require_safe
def confirmed(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/subscriptions/confirmed.html")


# Exempt from CSRF so that a mail client's one-click POST (RFC 8058, body
# "List-Unsubscribe=One-Click") works: it carries no cookie and no token. A forged POST
# could only delete the subscription whose signed link the forger already holds.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = subscriptions.subscription_for_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404 from None
    if subscription is None:  # already gone: saying so twice is harmless
        return render(request, "reports/subscriptions/unsubscribed.html")
    following = subscriptions.following_text(subscription.meeting, current_language())
    if request.method == "POST":
        subscriptions.subscription_delete(subscription=subscription)
        return render(request, "reports/subscriptions/unsubscribed.html", {"following": following})
    context = {"following": following, "email": subscription.email}
    return render(request, "reports/subscriptions/unsubscribe.html", context)
