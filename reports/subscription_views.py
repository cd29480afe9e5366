"""Pages around the public documents that are not the documents themselves: comments on a
draft (Member States and the Secretariat only) and email subscriptions (no account)."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import secretariat_required
from consultations import ratelimit
from consultations.models import Meeting
from reports import comments, subscriptions
from reports.models import Document
from reports.spreadsheets import spreadsheet_safe

ALL_DOCUMENTS = "all"


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


class ErrorSummaryMixin:
    def error_summary(self: Any) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for each error, as secretariat/includes/error_summary.html expects."""
        return [
            (self[name].auto_id, str(self.fields[name].label), str(error))
            for name in self.fields
            for error in self.errors.get(name, [])
        ]


# Comments on a draft -------------------------------------------------------------------


class CommentForm(ErrorSummaryMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=comments.MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": _("Enter your comment"),
            "max_length": _("Your comment must be 5,000 characters or fewer"),
        },
    )


def _comments_page(
    request: HttpRequest, document: Document, *, role: str, form: CommentForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    see_all = role == "secretariat"
    return render(
        request,
        "reports/comments/comments.html",
        {
            "document": document,
            "title": document.title_in(_language()),
            "document_url": reverse("documents:detail", args=[document.slug]),
            "is_open": document.comments_open(now),
            "is_secretariat": see_all,
            "comments": comments.comments_for_viewer(document=document, user=request.user, see_all=see_all),
            "form": form,
            "refused": status == 403,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def document_comments(request: HttpRequest, slug: str) -> HttpResponse:
    # The one document page behind a login: comments come from Member States. The draft
    # itself stays public on its own page.
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    role = comments.comment_viewer_role(user)
    if role is None:
        return render(request, "reports/comments/forbidden.html", status=403)
    if role == "secretariat" and not is_mfa_enabled(user):
        return redirect("accounts:mfa_required")
    document = get_object_or_404(Document.objects.public().select_related("meeting"), slug=slug)
    if document.status == Document.Status.WITHDRAWN:
        context = {"document": document, "title": document.title_in(_language())}
        return render(request, "reports/comments/withdrawn.html", context, status=410)
    if document.status != Document.Status.FOR_COMMENT:
        raise Http404
    if request.method != "POST":
        return _comments_page(request, document, role=role, form=CommentForm())
    form = CommentForm(request.POST)
    if not document.comments_open(timezone.now()):
        # Refused whatever was typed; the page says why and shows the text back to copy.
        return _comments_page(request, document, role=role, form=form, status=403)
    if not form.is_valid():
        return _comments_page(request, document, role=role, form=form)
    try:
        comments.comment_add(document=document, author=user, text=form.cleaned_data["text"], now=timezone.now())
    except comments.CommentsClosed:
        return _comments_page(request, document, role=role, form=form, status=403)
    messages.success(request, _("Your comment was sent to the Secretariat."))
    return redirect("subscriptions:comments", document.slug)


@secretariat_required
@never_cache
@require_safe
def document_comments_csv(request: HttpRequest, slug: str) -> HttpResponse:
    document = get_object_or_404(Document, slug=slug)
    rows = comments.comments_for_viewer(document=document, user=request.user, see_all=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["document", "submitted_at_utc", "author_email", "country_code", "country", "comment"])
    for row in rows:
        values = [
            document.symbol,
            row.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            row.author_email,
            row.country_code,
            row.country_name,
            row.text,
        ]
        writer.writerow([spreadsheet_safe(value) for value in values])
    # A byte-order mark, so that Excel opens Arabic, Chinese and Russian text correctly.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.slug}-comments.csv"'
    return response


# Email subscriptions -------------------------------------------------------------------


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
        self.fields["follow"].choices = [(ALL_DOCUMENTS, _("All documents, from every meeting"))] + [
            (number, meeting.display_name(language)) for number, meeting in self.meetings.items()
        ]

    def meeting(self) -> Meeting | None:
        return self.meetings.get(self.cleaned_data["follow"])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    language = _language()
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
        absolute_url=request.build_absolute_uri,
        now=timezone.now(),
    )
    return redirect("subscriptions:check_inbox")


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
    following = subscriptions.following_text(subscription.meeting, _language())
    if subscription.confirmed_at is not None:
        return render(request, "reports/subscriptions/confirmed.html", {"following": following})
    if request.method == "POST":
        subscriptions.subscription_confirm(subscription=subscription, now=timezone.now())
        return redirect("subscriptions:confirmed")
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
    following = subscriptions.following_text(subscription.meeting, _language())
    if request.method == "POST":
        subscriptions.subscription_delete(subscription=subscription)
        return render(request, "reports/subscriptions/unsubscribed.html", {"following": following})
    context = {"following": following, "email": subscription.email}
    return render(request, "reports/subscriptions/unsubscribe.html", context)
