"""The secretariat's quote moderation page: read each free-text answer, approve or reject it.

Every form on the page posts to the page's own address, query string included, so that after
a decision the secretariat comes back to the same tab and page (post/redirect/get).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import AuthenticatedHttpRequest, secretariat_required
from consultations.models import Consultation
from cop_site.forms import ErrorSummaryMixin
from cop_site.languages import current_language
from reports.statistics import moderation
from reports.statistics.moderation import Decision, QueuedAnswer, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 25


class QuoteForm(ErrorSummaryMixin, forms.Form):
    """The decision on one answer: the wording to publish and which button was pressed."""

    text = forms.CharField(
        label=gettext_lazy("Text to publish"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"class": "textarea", "rows": 5}),
    )
    decision = forms.ChoiceField(
        choices=[(Decision.APPROVE, gettext_lazy("Approve")), (Decision.REJECT, gettext_lazy("Reject"))],
        error_messages={"required": gettext_lazy("Choose Approve or Reject.")},
    )

    def __init__(self, *args: Any, answer: QueuedAnswer, number: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"quote-{answer.pk}-%s")
        review = getattr(answer, "quote_review", None)
        kwargs.setdefault("initial", {"text": review.text if review and review.text else answer.text})
        super().__init__(*args, **kwargs)
        self.answer = answer
        self.number = number
        direction = "rtl" if answer.language in settings.LANGUAGES_BIDI else "ltr"
        self.fields["text"].widget.attrs.update({"lang": answer.language, "dir": direction})
        self.fields["text"].help_text = _(
            "Shorten it or remove anything that could identify someone; at most %(limit)d characters. "
            "The young person’s own answer is not changed."
        ) % {"limit": moderation.MAX_QUOTE_LENGTH}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == Decision.APPROVE:
            try:
                cleaned["text"] = moderation.clean_quote_text(cleaned.get("text", ""))
            except ValidationError as error:
                self.add_error("text", error)
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        if self.errors.get("text"):
            auto_id = self["text"].auto_id
            self.fields["text"].widget.attrs["aria-describedby"] = f"{auto_id}-error {auto_id}_helptext"

    def error_anchor(self, name: str) -> str:
        # The decision is a pair of buttons: its error is told without a link.
        return "" if name == "decision" else super().error_anchor(name)

    def error_label(self, name: str) -> str:
        # A page holds many of these forms: the summary says which answer's text is wrong.
        if name == "text":
            return _("Text to publish for answer %(number)d") % {"number": self.number}
        return super().error_label(name)


def _status(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in Status.values else Status.PENDING


def _queue_url(consultation: Consultation, status: str, page: int) -> str:
    query = {key: value for key, value in (("status", status), ("page", page)) if value not in (Status.PENDING, 1)}
    url = reverse("moderation:quotes", args=[consultation.slug])
    return f"{url}?{urlencode(query)}" if query else url


def _answer_or_404(consultation: Consultation, value: str) -> QueuedAnswer:
    try:
        answer_id = uuid.UUID(value)
    except ValueError:
        raise Http404 from None
    # Scoped to this consultation: an answer of another one is not found through this page.
    return get_object_or_404(moderation.text_answers(consultation), pk=answer_id)


# Keyed by the review's stored status (a str) and the decision.
_DONE: dict[tuple[str, Decision], StrOrPromise] = {
    (Status.PENDING, Decision.APPROVE): gettext_lazy("The quote was approved and will be published."),
    (Status.PENDING, Decision.REJECT): gettext_lazy("The answer was rejected and will not be published."),
    (Status.APPROVED, Decision.APPROVE): gettext_lazy("The published text of the quote was changed."),
    (Status.APPROVED, Decision.REJECT): gettext_lazy("The quote was withdrawn and is no longer published."),
    (Status.REJECTED, Decision.APPROVE): gettext_lazy("The quote was approved and will be published."),
    (Status.REJECTED, Decision.REJECT): gettext_lazy("The answer stays rejected."),
}


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def quotes(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    if request.method != "POST":
        return _render_queue(request, consultation)

    answer = _answer_or_404(consultation, request.POST.get("answer", ""))
    form = QuoteForm(request.POST, answer=answer, number=_number(request.POST.get("number")))
    if not form.is_valid():
        return _render_queue(request, consultation, failed=form)
    was = answer.quote_review.status if hasattr(answer, "quote_review") else Status.PENDING
    decision = Decision(form.cleaned_data["decision"])
    moderation.quote_review(answer=answer, decision=decision, text=form.cleaned_data["text"], user=request.user)
    messages.success(request, _DONE[(was, decision)])
    return redirect(_queue_url(consultation, _status(request), _number(request.GET.get("page"))))


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 10**6 else 1


def _render_queue(request: HttpRequest, consultation: Consultation, failed: QuoteForm | None = None) -> HttpResponse:
    status = _status(request)
    page: Page[QueuedAnswer] = Paginator(moderation.quote_queue(consultation, status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    forms_on_page = [
        QuoteForm(answer=answer, number=number) for number, answer in enumerate(page, start=page.start_index())
    ]
    if failed is not None:
        # Shown where it was, or first if it has left this page (someone else decided meanwhile).
        places = [n for n, form in enumerate(forms_on_page) if form.answer.pk == failed.answer.pk]
        if places:
            failed.number = forms_on_page[places[0]].number
            forms_on_page[places[0]] = failed
        else:
            forms_on_page.insert(0, failed)
    language = current_language()
    counts = moderation.quote_counts(consultation)
    return render(
        request,
        "reports/secretariat/quotes.html",
        {
            "consultation": consultation,
            "title": consultation.title_for_viewer(language),
            "language": language,
            "status": status,
            "counts": counts,
            "tabs": [
                (Status.PENDING, _("Waiting"), counts["pending"]),
                (Status.APPROVED, _("Approved"), counts["approved"]),
                (Status.REJECTED, _("Rejected"), counts["rejected"]),
            ],
            "page": page,
            "forms": forms_on_page,
            "failed": failed,
            "previous_url": _queue_url(consultation, status, page.previous_page_number())
            if page.has_previous()
            else "",
            "next_url": _queue_url(consultation, status, page.next_page_number()) if page.has_next() else "",
        },
    )
