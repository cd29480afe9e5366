"""A young person answers a consultation with no account and no script."""

import pytest
from django.conf import settings

from consultations.models import Answer, Response
from consultations.tests.factories import answer_data, form_token, make_consultation
from consultations.tests.pages import assert_thank_you_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_every_page_of_the_journey_works_in_each_language(client, language):
    consultation = make_consultation()
    assert client.get(f"/{language}/").status_code == 200
    start = client.get(f"/{language}/consultations/{consultation.slug}/")
    assert start.status_code == 200
    assert f"Topic [{language}]" in start.content.decode()

    token = form_token(client, consultation, language)
    thanks = client.post(f"/{language}/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    assert_thank_you_page(thanks, language)
    assert Response.objects.get().language == language


def test_a_submission_stores_one_response_with_every_answer(client):
    consultation = make_consultation()
    single, multiple, rating, text = consultation.ordered_questions()
    token = form_token(client, consultation)
    client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, country="KE"))

    response = Response.objects.get()
    assert (response.age_band, response.sex, response.country.code, response.region) == (
        "12-14",
        "female",
        "KE",
        "africa",
    )
    assert response.submitted_on is not None
    answers = Answer.objects.filter(response=response)
    assert [a.choice_id for a in answers.filter(question=single)] == [single.ordered_choices()[0].pk]
    assert sorted(a.choice_id for a in answers.filter(question=multiple)) == [
        multiple.ordered_choices()[0].pk,
        multiple.ordered_choices()[2].pk,
    ]
    assert answers.get(question=rating).rating == 4
    assert answers.get(question=text).text == "Schools should teach us how to block people."


def test_every_question_and_every_demographic_may_be_skipped(client):
    consultation = make_consultation()
    token = form_token(client, consultation)
    page = client.post(f"/en/consultations/{consultation.slug}/answer/", {"token": token})
    assert_thank_you_page(page)
    response = Response.objects.get()
    assert (response.age_band, response.sex, response.country, response.region) == (
        "undisclosed",
        "undisclosed",
        "",
        "",
    )
    assert not response.answers.exists()


def test_prefer_not_to_say_a_country_stores_no_country(client):
    consultation = make_consultation()
    token = form_token(client, consultation)
    client.post(
        f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, country="undisclosed")
    )
    assert Response.objects.get().country == ""


def test_free_text_is_scrubbed_before_it_is_saved(client):
    consultation = make_consultation()
    text_question = consultation.ordered_questions()[3]
    token = form_token(client, consultation)
    data = answer_data(consultation, token, **{f"q{text_question.pk}": "Text me on 06 12 34 56 78 or sam@example.com"})
    client.post(f"/en/consultations/{consultation.slug}/answer/", data)
    stored = Answer.objects.get(question=text_question).text
    assert "06 12 34 56 78" not in stored and "sam@example.com" not in stored
    assert stored.startswith("Text me on [phone number removed] or [email removed]")


def test_the_answering_pages_set_no_cookie_at_all(client):
    consultation = make_consultation()
    for path in ("/en/", f"/en/consultations/{consultation.slug}/", f"/en/consultations/{consultation.slug}/answer/"):
        assert client.get(path).cookies == {}, path
    token = form_token(client, consultation)
    thanks = client.post(f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token))
    assert thanks.cookies == {}


def test_the_pages_load_nothing_from_another_site(client):
    consultation = make_consultation()
    page = client.get(f"/en/consultations/{consultation.slug}/answer/").content.decode()
    for attribute in ("src=", "href=", "action="):
        for piece in page.split(attribute)[1:]:
            url = piece[1:].split(piece[0])[0]
            assert not url.startswith(("http:", "https:", "//")), url


def test_a_consultation_without_the_visitors_language_points_to_the_ones_it_has(client):
    consultation = make_consultation(languages=["en", "fr"])
    page = client.get(f"/ru/consultations/{consultation.slug}/")
    assert page.status_code == 404
    content = page.content.decode()
    assert f'href="/fr/consultations/{consultation.slug}/"' in content
    assert f'href="/en/consultations/{consultation.slug}/"' in content
    assert client.get(f"/ru/consultations/{consultation.slug}/answer/").status_code == 404


def test_the_home_page_lists_only_open_consultations_in_the_visitors_language(client):
    from datetime import timedelta

    open_here = make_consultation(slug="open-here")
    make_consultation(slug="not-yet", opens_in=timedelta(days=1), closes_in=timedelta(days=5))
    make_consultation(slug="only-french", languages=["fr"])
    content = client.get("/en/").content.decode()
    assert f"/en/consultations/{open_here.slug}/" in content
    assert "not-yet" not in content
    assert 'href="/fr/consultations/only-french/"' in content  # under "open in other languages"


def test_an_unknown_consultation_is_a_translated_404(client):
    page = client.get("/fr/consultations/nope/")
    assert page.status_code == 404
    assert 'lang="fr"' in page.content.decode()
