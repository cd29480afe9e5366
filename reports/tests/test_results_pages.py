"""The public results page: what a visitor sees, with every filter, never a raw small count."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from consultations.tests.factories import make_consultation
from reports.tests.helpers import add_responses, publish_release

pytestmark = pytest.mark.django_db

COUNTRIES = ("FR", "DE", "KE", "NG", "BR")


@pytest.fixture
def published():
    consultation = make_consultation(slug="cyberbullying")
    add_responses(consultation, 240, seed=7, countries=COUNTRIES)
    # One lone respondent from a country nobody else answered from.
    add_responses(consultation, 1, seed=8, countries=("JP",))
    publish_release(consultation)
    return consultation


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="number">(\d+)', html)]


def test_anyone_sees_counts_and_percentages_without_signing_in(client, published) -> None:
    page = client.get("/en/results/cyberbullying/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "241" in html  # all respondents, the lone one included in the world total
    assert "Question 1 single [en]" in html and "Choice 1 [en]" in html
    assert re.search(r"\(\d+(\.\d)?%\)", html)
    assert 'class="chart' in html and 'role="img"' in html


def test_every_published_number_is_zero_or_at_least_five_in_every_view(client, published) -> None:
    places = [[]] + [[("region", r)] for r in ("europe", "africa", "americas", "asia_pacific", "cis")]
    places += [[("country", c)] for c in ("FRA", "DEU", "KEN", "NGA", "BRA", "JPN", "CHE")]
    places += [[("country", a), ("country", b)] for a, b in combinations(("FRA", "DEU", "KEN"), 2)]
    for place in places:
        for by in ("", "age", "sex", "age-sex"):
            query = "&".join(f"{k}={v}" for k, v in place) + (f"&by={by}" if by else "")
            response = client.get(f"/en/api/v1/results/cyberbullying/?{query}")
            assert response.status_code == 200, query
            data = response.json()
            for column in data["columns"]:
                assert column["respondents"] is None or column["respondents"] >= 5, query
            for question in data["questions"]:
                for row in question["rows"]:
                    for cell in row["cells"]:
                        assert cell["count"] is None or cell["count"] == 0 or cell["count"] >= 5, query
                        assert cell["suppressed"] == (cell["count"] is None)
            page = client.get(f"/en/results/cyberbullying/?{query}")
            assert page.status_code == 200
            assert all(n == 0 or n >= 5 for n in _numbers(page.content.decode())), query


def test_a_place_with_fewer_than_five_respondents_shows_too_few(client, published) -> None:
    html = client.get("/en/results/cyberbullying/?country=JPN").content.decode()
    assert "Too few responses to show." in html
    assert "Japan" in html
    # A country nobody answered from looks the same: the page does not tell 0 from 1 to 4.
    other = client.get("/en/results/cyberbullying/?country=CHE").content.decode()
    assert "Too few responses to show." in other


def test_countries_side_by_side(client, published) -> None:
    data = client.get("/en/api/v1/results/cyberbullying/?country=FRA&country=KEN&by=sex").json()
    assert [p["code"] for p in data["places"]] == ["FRA", "KEN"]
    assert {c["place"] for c in data["columns"]} == {"FRA", "KEN"}
    assert len(data["columns"]) == 2 * 5  # four sexes and everyone, for each country
    html = client.get("/en/results/cyberbullying/?country=FRA&country=KEN&by=sex").content.decode()
    assert "Remove France" in html and "Remove Kenya" in html


def test_bad_filters_get_a_message_in_the_visitors_language_not_an_error(client, published) -> None:
    page = client.get("/fr/results/cyberbullying/?country=XYZ&region=atlantis&by=colour")
    assert page.status_code == 200
    html = page.content.decode()
    assert "XYZ" in html and "atlantis" in html
    assert 'class="error-summary"' in html
    api = client.get("/en/api/v1/results/cyberbullying/?country=XYZ")
    assert api.status_code == 400
    assert api.json()["errors"]


def test_too_many_places_are_cut_to_six_with_a_message(client, published) -> None:
    query = "&".join(f"country={c}" for c in ("FRA", "DEU", "KEN", "NGA", "BRA", "JPN", "CHE", "ITA"))
    page = client.get(f"/en/results/cyberbullying/?{query}")
    assert page.status_code == 200
    assert "up to 6 places" in page.content.decode()


def test_a_results_page_never_reads_responses_or_answers(client, published) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/results/cyberbullying/?region=europe&by=age").status_code == 200
    for query in queries.captured_queries:
        sql = query["sql"]
        if "consultations_answer" in sql or "consultations_response" in sql:
            # Only the approved quotes, reached from their reviews; never a scan or a count.
            assert 'FROM "reports_quotereview"' in sql and "COUNT(" not in sql.upper(), sql


def test_a_repeated_page_is_served_from_the_cache(client, published) -> None:
    client.get("/es/results/cyberbullying/?by=sex")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/es/results/cyberbullying/?by=sex")
    assert again.status_code == 200
    assert len(queries.captured_queries) <= 2


def test_a_consultation_not_yet_open_has_no_results_page_and_is_not_listed(client, published) -> None:
    from datetime import timedelta

    make_consultation(slug="not-opened", opens_in=timedelta(days=2))
    assert client.get("/en/results/not-opened/").status_code == 404
    assert client.get("/en/results/not-opened/releases/1/").status_code == 404
    index = client.get("/en/results/").content.decode()
    assert "/en/results/cyberbullying/" in index and "not-opened" not in index


@pytest.mark.parametrize("language", ["ar", "zh-hans", "en", "fr", "ru", "es"])
def test_results_methodology_and_api_pages_exist_in_six_languages(client, published, language) -> None:
    for path in ("results/", "results/cyberbullying/?by=age-sex", "results/methodology/", "results/api/"):
        page = client.get(f"/{language}/{path}")
        assert page.status_code == 200, path
        assert f'lang="{language}"' in page.content.decode()


def test_an_approved_quote_appears_at_once_without_the_authors_details(client, published) -> None:
    from consultations.models import Answer
    from reports.statistics.moderation import Decision, quote_review

    before = client.get("/en/results/cyberbullying/").content.decode()
    assert "In their own words" not in before
    answer = Answer.objects.filter(response__consultation=published).exclude(text="").first()
    with TestCase.captureOnCommitCallbacks(execute=True):
        quote_review(answer=answer, decision=Decision.APPROVE, text="Teach us how to block people.", user=None)
    after = client.get("/en/results/cyberbullying/").content.decode()
    assert "Teach us how to block people." in after
    assert "We need better reporting tools." not in after  # the other, unreviewed answers


@pytest.mark.parametrize("first", ["delegate", "anonymous"])
def test_a_cached_page_never_shows_one_visitors_account_links_to_another(client, published, first) -> None:
    from django.test import Client

    from accounts.tests.factories import make_member_state, signed_in

    delegate = signed_in(Client(), make_member_state(country="KE", email="delegate@health.go.ke"))
    anonymous = client
    path = "/en/results/cyberbullying/?region=africa&by=sex"
    order = [delegate, anonymous] if first == "delegate" else [anonymous, delegate]
    pages = {id(visitor): visitor.get(path).content.decode() for visitor in order}

    anonymous_page, delegate_page = pages[id(anonymous)], pages[id(delegate)]
    for private in ("delegate@health.go.ke", "Your account", "Sign out"):
        assert private not in anonymous_page, (first, private)
    # The delegate still gets their own navigation, and both see the same figures.
    assert "Your account" in delegate_page and "Sign out" in delegate_page
    assert _numbers(anonymous_page) == _numbers(delegate_page) != []
