"""Small builders for test data: a complete consultation in every language by default."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from django.conf import settings
from django.utils import timezone

from consultations.models import Choice, Consultation, Question

_serial = count(1)


def six(text: str, languages: list[str] | None = None) -> dict[str, str]:
    return {code: f"{text} [{code}]" for code in (languages or settings.LANGUAGE_CODES)}


def make_consultation(
    *,
    slug: str | None = None,
    languages: list[str] | None = None,
    opens_in: timedelta = timedelta(days=-1),
    closes_in: timedelta = timedelta(days=30),
    kinds: tuple[str, ...] = ("single", "multiple", "rating", "text"),
    required: bool = False,
    **extra: Any,
) -> Consultation:
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=slug or f"consultation-{next(_serial)}",
        title=six("Topic", languages),
        introduction=six("Why we ask", languages),
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        **extra,
    )
    for position, kind in enumerate(kinds, start=1):
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            kind=kind,
            text=six(f"Question {position} {kind}", languages),
            required=required,
            scale_min_label=six("Not at all", languages) if kind == "rating" else {},
            scale_max_label=six("Very much", languages) if kind == "rating" else {},
        )
        if kind in ("single", "multiple"):
            for n in range(1, 4):
                Choice.objects.create(question=question, position=n, text=six(f"Choice {n}", languages))
    return Consultation.objects.with_content().get(pk=consultation.pk)


def answer_data(consultation: Consultation, token: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid POST for `consultation`, answering every question."""
    data: dict[str, Any] = {"token": token, "age_band": "12-14", "sex": "female", "country": "FR"}
    for question in consultation.ordered_questions():
        name = f"q{question.pk}"
        choices = question.ordered_choices()
        if question.kind == "single":
            data[name] = str(choices[0].pk)
        elif question.kind == "multiple":
            data[name] = [str(choices[0].pk), str(choices[2].pk)]
        elif question.kind == "rating":
            data[name] = "4"
        else:
            data[name] = "Schools should teach us how to block people."
    data.update(overrides)
    return data


def form_token(client: Any, consultation: Consultation, language: str = "en") -> str:
    """Open the answering page as a browser would and read its single-use token."""
    import re

    page = client.get(f"/{language}/consultations/{consultation.slug}/answer/")
    assert page.status_code == 200, page.status_code
    match = re.search(r'name="token" value="([^"]+)"', page.content.decode())
    assert match, "the answering page carries a form token"
    return match.group(1)
