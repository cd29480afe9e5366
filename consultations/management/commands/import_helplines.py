from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consultations.services import helplines_import


class Command(BaseCommand):
    help = "Create or update child helplines from a CSV file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: object, path: Path, **options: object) -> None:
        result = helplines_import(csv_text=path.read_text(encoding="utf-8-sig"))
        if result.errors:
            raise CommandError("\n".join(result.errors))
        self.stdout.write(f"{result.created} added, {result.updated} updated")
