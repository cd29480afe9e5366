"""The secretariat watches one consultation's responses arrive."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.models import Response
from consultations.selectors import consultation_monitoring
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def _respond(consultation, *, days_ago=0, language="en", age_band="12-14", sex="female", region="europe"):
    return Response.objects.create(
        consultation=consultation,
        submitted_on=timezone.now().date() - timedelta(days=days_ago),
        language=language,
        age_band=age_band,
        sex=sex,
        country="FR" if region == "europe" else "",
        region=region,
    )


@pytest.fixture
def consultation():
    consultation = make_consultation(slug="safer-apps", opens_in=timedelta(days=-2, hours=-1))
    _respond(consultation)
    _respond(consultation, language="fr", sex="undisclosed")
    _respond(consultation, days_ago=2, age_band="15-17", region="")
    _respond(make_consultation(), language="ar")  # another consultation's: never counted here
    return consultation


def _url(consultation, language="en"):
    return f"/{language}/secretariat/consultations/{consultation.slug}/monitor/"


def _rows(html, caption):
    table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert table, f"a table captioned {caption!r}"
    return re.findall(r'<th scope="row">(?:<time[^>]*>)?(.*?)(?:</time>)?</th><td class="number">(\d+)</td>', table[1])


def test_the_url_is_named_and_mounted_under_secretariat(consultation):
    assert reverse("monitoring:consultation", kwargs={"slug": "safer-apps"}) == _url(consultation)


def test_it_shows_every_count_with_every_category_listed_even_at_zero(client, consultation):
    html = signed_in(client, make_secretariat()).get(_url(consultation)).content.decode()

    assert "3 responses so far." in html
    assert _rows(html, "Responses per language") == [
        ("Arabic", "0"),
        ("Chinese", "0"),
        ("English", "2"),
        ("French", "1"),
        ("Russian", "0"),
        ("Spanish", "0"),
    ]
    assert _rows(html, "Responses per age band") == [
        ("Under 9", "0"),
        ("9 to 11", "0"),
        ("12 to 14", "2"),
        ("15 to 17", "1"),
        ("18 to 24", "0"),
        ("25 or over", "0"),
        ("Prefer not to say", "0"),
    ]
    assert _rows(html, "Responses per sex") == [
        ("Female", "2"),
        ("Male", "0"),
        ("Another answer", "0"),
        ("Prefer not to say", "1"),
    ]
    assert _rows(html, "Responses per ITU region") == [
        ("Africa", "0"),
        ("Americas", "0"),
        ("Arab States", "0"),
        ("Asia-Pacific", "0"),
        ("CIS", "0"),
        ("Europe", "2"),
        ("Not classified", "1"),
    ]


def test_it_lists_every_day_since_opening_newest_first_including_days_without_responses(client, consultation):
    html = signed_in(client, make_secretariat()).get(_url(consultation)).content.decode()
    today = timezone.now().date()
    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert days == [str(today), str(today - timedelta(days=1)), str(today - timedelta(days=2))]
    assert [count for _day, count in _rows(html, "Responses per day, newest first (UTC days)")] == ["2", "0", "1"]


def test_a_consultation_not_open_yet_has_no_days_and_zero_everywhere(client):
    upcoming = make_consultation(opens_in=timedelta(days=3))
    html = signed_in(client, make_secretariat()).get(_url(upcoming)).content.decode()
    assert "0 responses so far." in html
    assert "The consultation has not opened yet." in html
    assert {count for _label, count in _rows(html, "Responses per sex")} == {"0"}


def test_the_figures_take_a_handful_of_grouped_queries_however_many_responses(consultation, django_assert_num_queries):
    for _ in range(20):
        _respond(consultation, language="es")
    with django_assert_num_queries(5):
        figures = consultation_monitoring(consultation)
    assert figures.total == 23
    assert {row.value: row.share for row in figures.per_language}["es"] == pytest.approx(87.0)


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_it_works_in_every_language(client, consultation, language):
    page = signed_in(client, make_secretariat()).get(_url(consultation, language))
    assert page.status_code == 200
    assert f"Topic [{language}]" in page.content.decode()


def test_a_member_state_gets_403(client, consultation):
    assert signed_in(client, make_member_state()).get(_url(consultation)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, consultation):
    page = client.get(_url(consultation))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))
    assert "next=" in page["Location"]


def test_a_secretariat_member_without_mfa_is_stopped_at_mfa_set_up(client, consultation):
    page = signed_in(client, make_secretariat(mfa=False)).get(_url(consultation))
    assert page.status_code == 302
    assert page["Location"] == reverse("accounts:mfa_required")


def test_an_unknown_consultation_is_404(client):
    page = signed_in(client, make_secretariat()).get("/en/secretariat/consultations/nothing-here/monitor/")
    assert page.status_code == 404


def test_the_page_is_never_cached(client, consultation):
    page = signed_in(client, make_secretariat()).get(_url(consultation))
    assert "no-store" in page["Cache-Control"]


def test_the_refresh_script_is_a_deferred_file_and_the_page_has_no_inline_script(client, consultation):
    html = signed_in(client, make_secretariat()).get(_url(consultation)).content.decode()
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    tags = re.findall(r"<script\b[^>]*>", html)
    assert scripts == [""], "no inline script: the page must run under a strict CSP"
    assert re.fullmatch(r'<script src="/static/js/monitor\.[0-9a-f]+\.js" defer>', tags[0])
    script = (settings.BASE_DIR / "static" / "js" / "monitor.js").read_text()
    assert "DOMParser" in script and "visibilitychange" in script and "30000" in script
    # What the script swaps in: the figures, and the line that says when they were counted.
    assert 'id="monitor-figures"' in html
    assert re.search(r'id="monitor-updated" role="status"', html)
    assert re.search(r"Last updated \d\d:\d\d:\d\d \(UTC\)", html)
