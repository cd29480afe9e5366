"""The issue's story, through the real pages: invited, signs up, sets up MFA, gets in."""

import re

import pytest
from django.core import mail

from accounts.tests.factories import PASSWORD, current_totp_code, make_secretariat, signed_in

pytestmark = pytest.mark.django_db


def test_an_invited_colleague_signs_up_sets_up_mfa_and_reaches_the_secretariat_pages(
    client, django_capture_on_commit_callbacks
):
    signed_in(client, make_secretariat())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/account/invitations/",
            {"email": "colleague@example.org", "role": "secretariat", "country": "", "language": "ar"},
        )
    client.logout()
    link = re.search(r"http://[^/\s]+(/ar/account/invitation/[\w-]+/)", mail.outbox[0].body).group(1)

    client.get(link)
    signup = client.post(
        "/ar/accounts/signup/", {"email": "colleague@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert signup.status_code == 302

    # Signed in, but the secretariat's pages wait for a second factor.
    stopped = client.get("/ar/account/invitations/")
    assert stopped["Location"] == "/ar/account/two-factor-required/"

    # allauth asks for the password again before adding an authenticator.
    activate = client.get("/ar/accounts/2fa/totp/activate/", follow=True)
    if "/reauthenticate/" in activate.redirect_chain[-1][0]:
        client.post(activate.redirect_chain[-1][0], {"password": PASSWORD})
        activate = client.get("/ar/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    secret = client.session["mfa.totp.secret"]
    done = client.post("/ar/accounts/2fa/totp/activate/", {"code": current_totp_code(secret)})
    assert done.status_code == 302

    page = client.get("/ar/account/invitations/")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.content.decode()


def test_the_colleague_writes_previews_schedules_and_watches_answers_arrive(client):
    """The rest of the story: three questions in six languages, an Arabic preview, answers."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Consultation, Response
    from consultations.tests.authoring_helpers import consultation_post, in_six, question_post
    from consultations.tests.factories import answer_data, form_token

    signed_in(client, make_secretariat())
    today = timezone.now()
    opens, closes = today + timedelta(days=2), today + timedelta(days=30)
    created = client.post(
        "/en/secretariat/consultations/new/",
        consultation_post(
            slug="screen-time",
            opens_on=f"{opens:%Y-%m-%d}",
            opens_time="09:00",
            closes_on=f"{closes:%Y-%m-%d}",
            closes_time="18:00",
        ),
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    hub = created["Location"]
    for kind in ("single", "rating", "text"):
        data = question_post(kind=kind, choices=3 if kind == "single" else 0)
        if kind == "rating":
            data.update(in_six("scale_min_label", "Not at all"))
            data.update(in_six("scale_max_label", "Very much"))
        page = client.post(f"{hub}questions/new/", data)
        assert page.status_code == 302, page.content.decode()[:3000]
    consultation = Consultation.objects.with_content().get(slug="screen-time")
    assert [q.kind for q in consultation.ordered_questions()] == ["single", "rating", "text"]
    assert consultation.languages() == ["ar", "zh-hans", "en", "fr", "ru", "es"]

    preview = client.get("/en/secretariat/consultations/screen-time/preview/ar/")
    html = preview.content.decode()
    assert preview.status_code == 200 and 'dir="rtl"' in html and "A single question [ar]" in html
    assert not consultation.is_open()  # scheduled: previewed before it opens

    Consultation.objects.filter(pk=consultation.pk).update(opens_at=today - timedelta(minutes=1))
    public = client.__class__()
    for _ in range(3):
        token = form_token(public, consultation, "ar")
        public.post("/ar/consultations/screen-time/answer/", answer_data(consultation, token))
    assert Response.objects.filter(consultation=consultation).count() == 3
    monitor = client.get("/en/secretariat/consultations/screen-time/monitor/").content.decode()
    assert 'id="monitor-figures"' in monitor and ">3<" in monitor.replace(" ", "")
