from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import Invitation, Role
from accounts.services import invitation_create


class Command(BaseCommand):
    help = (
        "Invite someone from the command line — how the first Secretariat member gets in, "
        "since there is no public sign-up. Emails the link and prints it; the link is on SITE_URL "
        "(with DEBUG on and no SITE_URL, the address `make run` serves: http://$HOST:$PORT)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--role", choices=[r.value for r in Role], default=Role.SECRETARIAT)
        parser.add_argument("--country", default="", help="ISO code, for a Member State account")
        parser.add_argument("--language", choices=settings.LANGUAGE_CODES, default=settings.LANGUAGE_CODE)

    def handle(self, *args: object, email: str, role: str, country: str, language: str, **options: object) -> None:
        if role == Role.MEMBER_STATE and not country:
            raise CommandError("A Member State invitation needs --country.")
        if Invitation.objects.usable().filter(email=email.strip().lower()).exists():
            raise CommandError(f"{email} already has an invitation waiting.")
        with transaction.atomic():
            _invitation, link = invitation_create(
                email=email,
                role=role,
                country=country.upper(),
                language=language,
                invited_by=None,
            )
        self.stdout.write(
            f"Invitation sent to {email} ({role}); it works once, for {settings.INVITATION_VALID_DAYS} days:"
        )
        self.stdout.write(link)
