from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from consultations.services import consultation_import, helplines_import

APP_DIR = Path(__file__).resolve().parents[2]


class Command(BaseCommand):
    help = "Load the demo consultations (open now, for 60 days) and the child helplines. Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        for path in sorted((APP_DIR / "demo").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            consultation = consultation_import(
                data=data, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=60)
            )
            self.stdout.write(f"consultation {consultation.slug}: languages {', '.join(consultation.languages())}")
        # Helplines the secretariat has already edited are left as they are.
        result = helplines_import(
            csv_text=(APP_DIR / "data" / "helplines.csv").read_text(encoding="utf-8"), update_existing=False
        )
        if result.errors:
            raise CommandError("\n".join(result.errors))
        self.stdout.write(f"helplines: {result.created} added")
