from __future__ import annotations

from django.core.management.base import BaseCommand

from consultations.models import Consultation
from reports.statistics.demo import add_responses
from reports.statistics.tallies import tally_refresh

# Many answers from a few countries, a handful from others: the demo then shows figures,
# hidden cells and "too few responses to show" side by side.
COUNTRIES = ("KE", "NG", "BR", "IN", "FR", "EG", "RU", "MX", "PH", "FJ", "IS")
WEIGHTS = (18, 14, 12, 12, 10, 8, 8, 6, 4, 0.3, 0.2)


class Command(BaseCommand):
    help = "Give each demo consultation made-up responses (only if it has none) and count them. For demos only."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--responses", type=int, default=1500)

    def handle(self, *args: object, **options: object) -> None:
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
            run = tally_refresh(consultation=consultation)
            self.stdout.write(f"{consultation.slug}: results counted ({run.respondents} respondents)")
