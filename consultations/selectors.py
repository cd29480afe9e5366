from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from consultations.demographics import AgeBand, Region, Sex
from consultations.models import Consultation, Helpline, Response, UsedFormToken
from consultations.tokens import FormToken


def consultations_open_in(language: str) -> tuple[list[Consultation], list[Consultation]]:
    """Open consultations offered in `language`, and those open only in other languages."""
    now = timezone.now()
    offered: list[Consultation] = []
    elsewhere: list[Consultation] = []
    for consultation in Consultation.objects.open(now).with_content().order_by("closes_at"):
        (offered if consultation.is_offered_in(language) else elsewhere).append(consultation)
    return offered, [c for c in elsewhere if c.languages()]


def helplines_for(country: str) -> list[Helpline]:
    if not country:
        return []
    return list(Helpline.objects.filter(country=country, is_active=True))


def form_token_spent(token: FormToken) -> bool:
    return UsedFormToken.objects.filter(digest=token.digest).exists()


@dataclass(frozen=True)
class Tally:
    """One row of a monitoring table: a category, its label and how many responses."""

    value: str
    label: str
    count: int
    share: float  # 0–100; 0 when there is no response yet


@dataclass(frozen=True)
class DayTally:
    day: date
    count: int


@dataclass(frozen=True)
class MonitoringFigures:
    total: int
    per_day: list[DayTally]
    per_language: list[Tally]
    per_age_band: list[Tally]
    per_sex: list[Tally]
    per_region: list[Tally]


def _tallies(counts: dict[Any, int], categories: list[tuple[str, Any]], total: int) -> list[Tally]:
    # Every category is listed, zeros included, in the order the form offers them; a stored
    # value no longer among the categories is still counted rather than silently dropped.
    known = [value for value, _label in categories]
    rows = list(categories) + [(value, value) for value in counts if value not in known]
    return [
        Tally(value=value, label=str(label), count=counts.get(value, 0), share=_share(counts.get(value, 0), total))
        for value, label in rows
    ]


def _share(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _counts_by(responses: QuerySet[Response], field: str) -> dict[Any, int]:
    return {row[field]: row["n"] for row in responses.values(field).annotate(n=Count("pk")).order_by()}


def consultation_monitoring(consultation: Consultation, *, today: date | None = None) -> MonitoringFigures:
    """The secretariat's live counts for one consultation: five GROUP BY queries.

    Internal figures, so no small-number suppression: the public statistics apply that.
    """
    responses = Response.objects.filter(consultation=consultation)
    per_language = _counts_by(responses, "language")
    total = sum(per_language.values())

    by_day: dict[date, int] = _counts_by(responses, "submitted_on")
    today = today or timezone.now().date()  # the same UTC day response_submit stores
    # Every day of the consultation so far, days without a response included, newest first.
    first = min([consultation.opens_at.date(), *by_day])
    last = max([min(today, consultation.closes_at.date()), *by_day])
    days = [last - timedelta(days=n) for n in range((last - first).days + 1)] if first <= last else []

    return MonitoringFigures(
        total=total,
        per_day=[DayTally(day=day, count=by_day.get(day, 0)) for day in days],
        per_language=_tallies(per_language, list(settings.LANGUAGES), total),
        per_age_band=_tallies(_counts_by(responses, "age_band"), AgeBand.choices, total),
        per_sex=_tallies(_counts_by(responses, "sex"), Sex.choices, total),
        per_region=_tallies(_counts_by(responses, "region"), Region.choices, total),
    )
