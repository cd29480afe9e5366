from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from consultations.models import Consultation
from consultations.services import consultation_import, helplines_import

APP_DIR = Path(__file__).resolve().parents[2]

# Without a "demo_schedule", a demo consultation opened yesterday and stays open for 60 days.
DEFAULT_SCHEDULE = {"opened_days_ago": 1, "closed_days_ago": -60}


def demo_dates(data: dict[str, Any], now: datetime, path: Path) -> tuple[datetime, datetime]:
    """When the demo file says its consultation opened and closed, counted back from now.

    `"demo_schedule": {"opened_days_ago": 75, "closed_days_ago": 14}` makes a consultation
    that has already closed; a negative `closed_days_ago` closes in the future.
    """
    schedule = data.get("demo_schedule") or DEFAULT_SCHEDULE
    try:
        opened, closed = int(schedule["opened_days_ago"]), int(schedule["closed_days_ago"])
    except (KeyError, TypeError, ValueError) as error:
        raise CommandError(f"{path.name}: demo_schedule needs whole opened_days_ago and closed_days_ago") from error
    if closed >= opened:
        raise CommandError(f"{path.name}: demo_schedule must close after it opens")
    return now - timedelta(days=opened), now - timedelta(days=closed)


class Command(BaseCommand):
    help = (
        "Load the demo consultations (open now for 60 days, or on the schedule their file gives) and the child "
        "helplines. Safe to run again."
    )

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        for path in sorted((APP_DIR / "demo").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            opens_at, closes_at = demo_dates(data, now, path)
            data.pop("demo_schedule", None)  # the demo's, not part of a consultation's description
            # Once its final release is published, a consultation keeps the dates that release
            # was made with: running this again must not move its closing after its results.
            released = Consultation.objects.filter(slug=data["slug"], tally_runs__is_final=True).first()
            if released is not None:
                opens_at, closes_at = released.opens_at, released.closes_at
            consultation = consultation_import(data=data, opens_at=opens_at, closes_at=closes_at)
            status = consultation.status(now)
            when = f"closed on {closes_at:%Y-%m-%d}" if status == "closed" else f"closes on {closes_at:%Y-%m-%d}"
            self.stdout.write(
                f"consultation {consultation.slug}: languages {', '.join(consultation.languages())}; {status}, {when}"
            )
        # Helplines the secretariat has already edited are left as they are.
        result = helplines_import(
            csv_text=(APP_DIR / "data" / "helplines.csv").read_text(encoding="utf-8"), update_existing=False
        )
        if result.errors:
            raise CommandError("\n".join(result.errors))
        self.stdout.write(f"helplines: {result.created} added")
