"""The secretariat's and the account pages: axe-core finds no WCAG 2.2 A/AA violation, in any language.

Also, with JavaScript on: the monitoring page refreshes its figures by itself, Enter in the
question form saves the question, and signing in through the real form with an
authenticator code lands on the account page.

Users are made in the test. Most tests sign in by copying a session made with Django's test
client into the browser (it skips allauth's stages, as the MFA-enabled member would pass them);
one test signs in through the real login form and its two-factor step.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.utils import translation

from accounts.models import Role
from accounts.services import invitation_create
from accounts.tests.factories import PASSWORD, current_totp_code, make_secretariat
from consultations.tests.authoring_helpers import make_meeting, make_response
from tests.browser.conftest import assert_no_axe_violations, assert_styled, direction, html_lang_dir, ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "cyberbullying"
# The first question of the demo consultation "cyberbullying" is a single choice question.
CHOICE_QUESTION = 1


@pytest.fixture(autouse=True)
def _roles(transactional_db: None) -> None:
    """The role groups: a data migration makes them, but a transactional test's flush removes them."""
    from django.contrib.auth.models import Group

    from accounts.roles import MEMBER_STATE, SECRETARIAT

    for name in (SECRETARIAT, MEMBER_STATE):
        Group.objects.get_or_create(name=name)


def signed_in_context(new_context: Any, live_server: Any, user: Any) -> Any:
    """A browser context holding a session of `user`, made by Django's test client."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    name = settings.SESSION_COOKIE_NAME
    context = new_context()
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    return context


def responses_so_far(language: str, total: int) -> str:
    with translation.override(language):
        return translation.ngettext("%(total)s response so far.", "%(total)s responses so far.", total) % {
            "total": total
        }


def invitation_link(live_server: Any, inviter: Any, language: str) -> str:
    """A real invitation's link, as its email gives it."""
    mail.outbox.clear()
    # The email is sent once the transaction commits: at once here, as nothing wraps the test
    # in a transaction; should something do so, the callbacks are run on leaving this block.
    # Links in emails come from SITE_URL: here, the live server's address.
    with override_settings(SITE_URL=live_server.url), TestCase.captureOnCommitCallbacks(execute=True):
        invitation_create(
            email=f"invited-{language}@example.org",
            role=Role.MEMBER_STATE,
            country="KE",
            language=language,
            invited_by=inviter,
        )
    assert len(mail.outbox) == 1, "the invitation was emailed"
    found = re.search(re.escape(live_server.url) + r"(/[\w-]+/account/invitation/[\w-]+/)", mail.outbox[0].body)
    assert found, f"no invitation link in:\n{mail.outbox[0].body}"
    return live_server.url + found.group(1)


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_no_accessibility_violation_on_the_staff_pages(live_server, demo, new_context, language):
    base = f"{live_server.url}/{language}"
    consultation = demo[SLUG]

    def check(page: Any, label: str, lang: str = language) -> None:
        assert_styled(page)
        assert html_lang_dir(page) == (lang, direction(lang)), label
        assert page.locator("h1").count() == 1, f"{label} has one main heading"
        assert_no_axe_violations(page, f"{label} [{language}]")

    secretariat = make_secretariat()
    without_mfa = make_secretariat(mfa=False)
    meeting = make_meeting()

    # Anonymous: the login page, then the sign-up page reached through an invitation's link.
    page = new_context().new_page()
    page.goto(f"{base}/accounts/login/")
    assert page.locator("input[name=login]").count() == 1
    assert page.locator("input[name=password]").count() == 1
    check(page, "the login page")

    page.goto(invitation_link(live_server, secretariat, language))
    assert re.search(rf"/{language}/accounts/signup/$", page.url), page.url
    assert page.locator("input[name=password1]").count() == 1
    check(page, "the sign-up page of an invitation")

    # A Secretariat member without a second factor is stopped.
    page = signed_in_context(new_context, live_server, without_mfa).new_page()
    page.goto(f"{base}/account/invitations/")
    assert page.url == f"{base}/account/two-factor-required/"
    assert page.locator("h1").inner_text().strip() == ui(language, "Two-factor authentication is required")
    check(page, "the two-factor-required page")

    page.goto(f"{base}/account/")
    assert page.locator(f"main a[href='/{language}/accounts/2fa/totp/activate/']").count() == 1, "asked to set it up"
    check(page, "the account dashboard without a second factor")

    # A Secretariat member with a second factor.
    page = signed_in_context(new_context, live_server, secretariat).new_page()
    page.goto(f"{base}/account/")
    assert page.locator("h1").inner_text().strip() == ui(language, "Your account")
    check(page, "the account dashboard")

    page.goto(f"{base}/account/invitations/")
    assert page.locator("input[name=email]").count() == 1
    assert page.locator("table.table tbody tr").count() == 1, "the invitation sent above is listed"
    check(page, "the invitations page")

    page.goto(f"{base}/secretariat/")
    assert page.locator(f"table a[href='/{language}/secretariat/consultations/{SLUG}/']").count() == 1
    check(page, "the consultations list")

    page.goto(f"{base}/secretariat/consultations/{SLUG}/")
    assert page.locator(f"a[href='/{language}/secretariat/consultations/{SLUG}/edit/']").count() == 1
    assert page.locator(".question-item").count() == len(consultation.ordered_questions())
    check(page, "the consultation hub")

    page.goto(f"{base}/secretariat/consultations/{SLUG}/edit/")
    assert page.locator(f"[name=title__{language}]").input_value() == consultation.title_in(language)
    check(page, "the consultation's edit form")

    page.goto(f"{base}/secretariat/consultations/{SLUG}/questions/{CHOICE_QUESTION}/")
    assert page.locator("[name=kind][value=single]").is_checked(), "a single choice question"
    assert page.locator(".choice-row").count() >= 2
    check(page, "a choice question's edit form")

    page.goto(f"{base}/secretariat/meetings/")
    assert page.locator(f"a[href='/{language}/secretariat/meetings/{meeting.number}/']").count() == 1
    check(page, "the meetings list")

    page.goto(f"{base}/secretariat/meetings/{meeting.number}/")
    assert page.locator("[name=number]").input_value() == str(meeting.number)
    check(page, "the meeting form")

    page.goto(f"{base}/secretariat/consultations/{SLUG}/preview/{language}/")
    assert page.locator(".preview-banner").is_visible()
    assert page.locator("h1").inner_text().strip() == consultation.title_in(language)
    check(page, "the preview")

    for _ in range(3):
        make_response(consultation)
    page.goto(f"{base}/secretariat/consultations/{SLUG}/monitor/")
    assert page.locator("#monitor-figures .lead").inner_text().strip() == responses_so_far(language, 3)
    check(page, "the monitoring page")

    page.goto(f"{base}/secretariat/consultations/{SLUG}/releases/")
    assert page.locator(f"form[action='/{language}/secretariat/consultations/{SLUG}/releases/'] button").count() == 1
    check(page, "the releases page")


def test_the_monitoring_figures_refresh_by_themselves(live_server, demo, new_context):
    consultation = demo[SLUG]
    make_response(consultation)
    page = signed_in_context(new_context, live_server, make_secretariat()).new_page()
    page.clock.install()
    page.goto(f"{live_server.url}/en/secretariat/consultations/{SLUG}/monitor/")
    total = page.locator("#monitor-figures .lead")
    assert total.inner_text().strip() == responses_so_far("en", 1)
    assert page.locator("#monitor-refresh-hint").inner_text().strip() == ui(
        "en", "While this page is in view, the figures refresh themselves every 30 seconds."
    ), "monitor.js is running"
    page.evaluate("window.notReloaded = true")

    make_response(consultation)
    page.clock.fast_forward("00:31")
    page.wait_for_function(
        "text => document.querySelector('#monitor-figures .lead').textContent.trim() === text",
        arg=responses_so_far("en", 2),
    )
    assert page.evaluate("window.notReloaded === true"), "the figures changed without a reload"


def test_enter_in_a_text_input_of_the_question_form_saves_the_question(live_server, demo, new_context):
    consultation = demo[SLUG]
    question = consultation.questions.get(position=CHOICE_QUESTION)
    rows_before = question.choices.count()
    page = signed_in_context(new_context, live_server, make_secretariat()).new_page()
    base = f"{live_server.url}/en/secretariat/consultations/{SLUG}"
    page.goto(f"{base}/questions/{CHOICE_QUESTION}/")
    rows_shown = page.locator(".choice-row").count()

    field = page.locator("[name=text__en]")
    field.fill("How often do you use social networks, apps and games?")
    with page.expect_navigation(wait_until="load"):
        field.press("Enter")

    assert page.url == f"{base}/", "saved and back on the consultation, not more rows to fill"
    assert page.locator(".choice-row").count() == 0
    notice = page.locator(".notice[role=status]")
    assert notice.inner_text().strip() == ui("en", "Question %(number)d was saved.") % {"number": CHOICE_QUESTION}
    question.refresh_from_db()
    assert question.text["en"] == "How often do you use social networks, apps and games?"
    assert question.choices.count() == rows_before
    assert rows_shown >= rows_before


def test_signing_in_through_the_form_with_an_authenticator_code(live_server, new_context):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import decrypt

    user = make_secretariat(email="ana@example.org")
    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    page = new_context().new_page()
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("input[name=login]").fill("ana@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=ui("en", "Sign In"), exact=True).click()
    assert "/en/accounts/2fa/authenticate/" in page.url, page.url
    assert html_lang_dir(page) == ("en", "ltr")
    assert_styled(page)
    assert_no_axe_violations(page, "the two-factor step of signing in [en]")

    if time.time() % 30 > 28:  # a code about to expire might be checked in the next period
        time.sleep(30 - time.time() % 30 + 0.1)
    page.locator("input[name=code]").fill(current_totp_code(secret))
    with page.expect_navigation(wait_until="load"):
        page.locator("input[name=code]").press("Enter")
    assert page.url == f"{live_server.url}/en/account/"
    assert page.locator("h1").inner_text().strip() == ui("en", "Your account")
