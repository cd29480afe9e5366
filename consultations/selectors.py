from __future__ import annotations

from django.utils import timezone

from consultations.models import Consultation, Helpline, UsedFormToken
from consultations.tokens import FormToken


def consultations_open_in(language: str) -> tuple[list[Consultation], list[Consultation]]:
    """Open consultations offered in `language`, and those open only in other languages."""
    now = timezone.now()
    offered, elsewhere = [], []
    for consultation in Consultation.objects.open(now).with_content().order_by("closes_at"):
        (offered if consultation.is_offered_in(language) else elsewhere).append(consultation)
    return offered, [c for c in elsewhere if c.languages()]


def helplines_for(country: str) -> list[Helpline]:
    if not country:
        return []
    return list(Helpline.objects.filter(country=country, is_active=True))


def form_token_spent(token: FormToken) -> bool:
    return UsedFormToken.objects.filter(digest=token.digest).exists()
