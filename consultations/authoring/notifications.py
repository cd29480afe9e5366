"""Emails to a consultation's authors when it opens and when it closes, each sent once.

Opening and closing are derived from the dates, so nothing happens at those moments: a
periodic task (consultations.tasks.notify_consultation_changes, every minute under beat)
notices the change and records it in `opening_notified_at` / `closing_notified_at`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from accounts.models import Invitation
from consultations.models import Consultation
from cop_site.emails import email_queue, site_reverse

Change = Literal["opened", "closed"]

_NOTIFIED_FIELD: dict[Change, str] = {"opened": "opening_notified_at", "closed": "closing_notified_at"}


def consultations_notify_changes(*, now: datetime) -> list[tuple[int, Change]]:
    """Notify every opening and closing not yet notified; return what was notified.

    All openings go first, so a consultation that opened and closed since the last run
    gets its "opened" email queued before its "closed" one.
    """
    notified: list[tuple[int, Change]] = []
    opened = Consultation.objects.filter(opens_at__lte=now, opening_notified_at__isnull=True)
    for pk in opened.order_by("opens_at").values_list("pk", flat=True):
        if consultation_notify_change(consultation_id=pk, change="opened", now=now):
            notified.append((pk, "opened"))
    closed = Consultation.objects.filter(
        closes_at__lte=now, closing_notified_at__isnull=True, opening_notified_at__isnull=False
    )
    for pk in closed.order_by("closes_at").values_list("pk", flat=True):
        if consultation_notify_change(consultation_id=pk, change="closed", now=now):
            notified.append((pk, "closed"))
    return notified


def consultation_notify_change(*, consultation_id: int, change: Change, now: datetime) -> bool:
    """Record the change and queue its emails, unless another process already has.

    The conditional UPDATE is the lock: of two overlapping runs (two beats, two workers)
    only the one whose UPDATE changes the row sends; the other sees 0 and stops. The
    emails are queued on commit, so a rolled-back claim sends nothing.
    """
    field = _NOTIFIED_FIELD[change]
    unclaimed = Q(pk=consultation_id, **{f"{field}__isnull": True})
    if change == "closed":
        # Never announce a closing before its opening has been announced.
        unclaimed &= Q(opening_notified_at__isnull=False)
    with transaction.atomic():
        if Consultation.objects.filter(unclaimed).update(**{field: now}) != 1:
            return False
        consultation = Consultation.objects.get(pk=consultation_id)
        recipients = _recipients(consultation)
        response_count = consultation.responses.count() if change == "closed" and recipients else None
        for email, language in recipients:
            email_queue(
                f"consultations/email/consultation_{change}",
                to=[email],
                language=language,
                context={
                    "consultation": consultation,
                    "title": consultation.title_in(language) or str(consultation),
                    "monitor_link": site_reverse(language, "monitoring:consultation", slug=consultation.slug),
                    "response_count": response_count,
                },
            )
    return True


def _recipients(consultation: Consultation) -> list[tuple[str, str]]:
    """(email, language) for each active author with an address.

    The language is the one the author's own invitation was written in, the only language
    preference the site records for an account; without one (an account made another
    way), English, the site's default.
    """
    authors = consultation.authors.filter(is_active=True).exclude(email="").order_by("pk")
    emails = [author.email for author in authors]
    invited_in = dict(
        Invitation.objects.filter(email__in=[e.lower() for e in emails], accepted_at__isnull=False)
        .order_by("accepted_at")  # the latest accepted invitation wins
        .values_list("email", "language")
    )
    return [(email, invited_in.get(email.lower(), settings.LANGUAGE_CODE)) for email in emails]
