"""Building the secretariat's form posts: every text as six fields, "<text>__<language>"."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings

from consultations.models import Meeting


def in_six(name: str, text: str, languages: list[str] | None = None) -> dict[str, str]:
    return {f"{name}__{code}": f"{text} [{code}]" for code in (languages or settings.LANGUAGE_CODES)}


def consultation_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "slug": "online-safety",
        "meeting": "",
        "opens_on": "2031-03-01",
        "opens_time": "09:00",
        "closes_on": "2031-03-31",
        "closes_time": "18:00",
        **in_six("title", "Staying safe online"),
        **in_six("introduction", "Why we ask"),
    }
    data.update(overrides)
    return data


def question_post(kind: str = "single", choices: int = 3, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": kind, "rows": str(choices), **in_six("text", f"A {kind} question")}
    for index in range(choices):
        data[f"choice{index}-key"] = ""
        data.update(in_six(f"choice{index}", f"Choice {index + 1}"))
    data.update(overrides)
    return data


def make_meeting(number: int = 14, starts_on: date = date(2031, 4, 1), **extra: Any) -> Meeting:
    values = {
        "title": {"en": "Child online protection", "fr": "Protection en ligne des enfants"},
        "place": {"en": "Geneva"},
        "ends_on": starts_on,
        **extra,
    }
    return Meeting.objects.create(number=number, starts_on=starts_on, **values)


def make_response(consultation: Any) -> Any:
    """One young person's answer to the first choice of the first question."""
    from django.utils import timezone

    from consultations.models import Answer, Response

    response = Response.objects.create(
        consultation=consultation, submitted_on=timezone.now().date(), language="en", age_band="12-14", sex="female"
    )
    question = consultation.questions.order_by("position").first()
    Answer.objects.create(response=response, question=question, choice=question.choices.order_by("position").first())
    return response
