from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import Invitation

pytestmark = pytest.mark.django_db


def test_the_first_secretariat_member_is_invited_from_the_command_line(client, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", "first@example.org", "--language", "es", stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    assert "/es/account/invitation/" in link
    assert Invitation.objects.get().role == "secretariat"
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    signup = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    assert signup.redirect_chain[-1][0].endswith("/accounts/signup/")


def test_a_member_state_invitation_needs_a_country():
    with pytest.raises(CommandError):
        call_command("invite", "d@example.org", "--role", "member_state", stdout=StringIO())
    assert not Invitation.objects.exists()


def test_the_printed_link_is_on_site_url(settings):
    settings.SITE_URL = "https://consult.example.org/"
    out = StringIO()
    call_command("invite", "second@example.org", "--language", "ar", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith("https://consult.example.org/ar/account/invitation/")
