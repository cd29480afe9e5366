from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from consultations.models import Consultation
from reports.models import TallyRun
from reports.statistics.demo import add_responses
from reports.statistics.releases import release_publish

# Many answers from a few countries, a handful from others: the demo then shows figures,
# hidden cells and "too few responses to show" side by side.
COUNTRIES = ("KE", "NG", "BR", "IN", "FR", "EG", "RU", "MX", "PH", "FJ", "IS")
WEIGHTS = (18, 14, 12, 12, 10, 8, 8, 6, 4, 0.3, 0.2)


class Command(BaseCommand):
    help = (
        "Give each demo consultation made-up responses (only if it has none), and make the final release of "
        "those that have closed, labelled as made-up. For demos only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--responses", type=int, default=1500)

    def handle(self, *args: object, **options: Any) -> None:
        now = timezone.now()
        for seed, consultation in enumerate(Consultation.objects.with_content().order_by("slug"), start=1):
            if not consultation.responses.exists():
                add_responses(
                    consultation,
                    int(options["responses"]),
                    seed=seed,
                    countries=COUNTRIES,
                    weights=WEIGHTS,
                    ages=("9-11", "12-14", "15-17", "18-24", "undisclosed"),
                    sexes=("female", "male", "another", "undisclosed"),
                )
                self.stdout.write(f"{consultation.slug}: {options['responses']} made-up responses added")
            if not consultation.has_closed(now):
                self.stdout.write(f"{consultation.slug}: open, so only the rounded count is public")
            elif not TallyRun.objects.filter(consultation=consultation, is_final=True).exists():
                run = release_publish(consultation=consultation, final=True, now=now, is_demo=True)
                self.stdout.write(f"{consultation.slug}: final release made ({run.respondents} respondents)")
