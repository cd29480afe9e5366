"""The quote moderation queue: a young person's free-text answer is quoted only once approved.

Answers are scrubbed automatically at submission, but a person still reads each one before it
is published: a school, a nickname or a story can identify a child in ways no pattern catches.
An answer without a QuoteReview row is waiting; rows are written only when someone decides,
so answering a consultation never writes to the reports app.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from consultations.models import Answer, Consultation, Question
from reports.models import QuoteReview

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MAX_QUOTE_LENGTH = 1000

Status = QuoteReview.Status


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True)
class Quote:
    """An approved quote as it may be published: its text and language, nothing about its author."""

    text: str
    language: str


class QueueFields(TypedDict):
    """What text_answers() adds to each answer."""

    language: str
    reviewer: str | None


# A free-text answer as the moderation queue reads it.
QueuedAnswer: TypeAlias = "WithAnnotations[Answer, QueueFields]"


def _waiting() -> Q:
    return Q(quote_review__isnull=True) | Q(quote_review__status=Status.PENDING)


def text_answers(consultation: Consultation) -> QuerySet[QueuedAnswer]:
    """The consultation's free-text answers, with what the moderation page shows of each."""
    return (
        Answer.objects.filter(question__consultation=consultation, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .select_related("question", "quote_review")
        # Only the language is read from the response: the queue never needs age, sex or country.
        # Only the reviewer's address is read from their account, never its password hash.
        .annotate(language=F("response__language"), reviewer=F("quote_review__reviewed_by__email"))
    )


def quote_queue(consultation: Consultation, status: str) -> QuerySet[QueuedAnswer]:
    """The answers with `status`, waiting ones oldest first, decided ones latest decision first."""
    answers = text_answers(consultation)
    if status == Status.PENDING:
        # Submission is recorded by day only; the random key keeps pages stable within a day.
        return answers.filter(_waiting()).order_by("response__submitted_on", "pk")
    # Latest first, so that a decision just made can be found and reversed on the first page.
    return answers.filter(quote_review__status=status).order_by("-quote_review__reviewed_at", "pk")


def quote_counts(consultation: Consultation) -> dict[str, int]:
    """How many free-text answers wait, are approved and are rejected, in one query."""
    return (
        Answer.objects.filter(question__consultation=consultation, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .aggregate(
            pending=Count("pk", filter=_waiting()),
            approved=Count("pk", filter=Q(quote_review__status=Status.APPROVED)),
            rejected=Count("pk", filter=Q(quote_review__status=Status.REJECTED)),
        )
    )


def clean_quote_text(text: str) -> str:
    """The text to publish, tidied, or a ValidationError saying why it cannot be published."""
    # Browsers send a textarea's line breaks as CRLF; count and store them as one character.
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(
            _("Enter the text to publish, or reject the answer if nothing of it can be published."),
            code="required",
        )
    if len(text) > MAX_QUOTE_LENGTH:
        raise ValidationError(
            ngettext_lazy(
                "The text to publish must be %(limit)d characters or fewer; it has %(length)d character.",
                "The text to publish must be %(limit)d characters or fewer; it has %(length)d characters.",
                "length",
            ),
            code="max_length",
            params={"limit": MAX_QUOTE_LENGTH, "length": len(text)},
        )
    return text


@transaction.atomic
def quote_review(*, answer: Answer, decision: Decision, text: str = "", user: Any) -> QuoteReview:
    """Approve `answer` with `text` as its published wording, or reject it.

    The answer itself is never changed: the secretariat's wording lives on the review, so the
    scrubbed original stays available to compare and to approve again differently. Rejecting
    keeps any earlier wording, unpublished, for the same reason.
    """
    changes: dict[str, Any] = {"reviewed_at": timezone.now(), "reviewed_by": user}
    if decision == Decision.APPROVE:
        changes |= {"status": Status.APPROVED, "text": clean_quote_text(text)}
    elif decision == Decision.REJECT:
        changes["status"] = Status.REJECTED
    else:
        raise ValueError(f"unknown decision {decision!r}")
    review, _created = QuoteReview.objects.update_or_create(answer=answer, defaults=changes)
    # Cached results pages carry the quotes: a new version key retires them at once.
    consultation_id = answer.response.consultation_id
    transaction.on_commit(lambda: cache.set(quotes_version_key(consultation_id), time.time_ns(), None))
    return review


def quotes_version_key(consultation_id: int) -> str:
    return f"reports:quotes-version:{consultation_id}"


def approved_quotes(consultation: Consultation) -> dict[int, list[Quote]]:
    """The approved quotes of each free-text question, by question id, for publication.

    A question without approved quotes has no key. Nothing about who wrote a quote is
    returned: an age, sex or country beside a child's own words could identify them.
    """
    reviews = (
        QuoteReview.objects.filter(
            status=Status.APPROVED,
            answer__question__consultation=consultation,
            answer__question__kind=Question.Kind.TEXT,
        )
        .exclude(text="")
        # By the answer's random key: neither submission nor review order can be read off the page.
        .order_by("answer_id")
        .values_list("answer__question_id", "text", "answer__response__language")
    )
    quotes: dict[int, list[Quote]] = defaultdict(list)
    for question_id, text, language in reviews:
        quotes[question_id].append(Quote(text=text, language=language))
    return dict(quotes)
