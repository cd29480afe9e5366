import pytest
from django.conf import settings

from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db


def test_the_root_sends_each_visitor_to_their_own_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")["Location"] == "/ar/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Location"] == "/zh-hans/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU")["Location"] == "/ru/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/en/"


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_the_language_switcher_keeps_the_visitor_on_the_same_page(client, language):
    consultation = make_consultation()
    html = client.get(f"/{language}/consultations/{consultation.slug}/").content.decode()
    switcher = html.split('class="languages"')[1].split("</nav>")[0]
    for code in settings.LANGUAGE_CODES:
        assert f'href="/{code}/consultations/{consultation.slug}/" lang="{code}"' in switcher
    assert switcher.count('aria-current="true"') == 1
    assert (
        f'lang="{language}" hreflang="{language}" dir="{"rtl" if language == "ar" else "ltr"}" aria-current' in switcher
    )


def test_on_the_answering_page_the_switcher_submits_the_answers_to_the_other_language(client):
    consultation = make_consultation()
    html = client.get(f"/en/consultations/{consultation.slug}/answer/").content.decode()
    switcher = html.split('class="languages"')[1].split("</nav>")[0]
    for code in settings.LANGUAGE_CODES:
        assert f'form="answer-form" formaction="/{code}/consultations/{consultation.slug}/answer/"' in switcher


def test_an_unknown_page_offers_each_languages_home_and_never_another_site(client):
    html = client.get("/fr/nowhere/").content.decode()
    switcher = html.split('class="languages"')[1].split("</nav>")[0]
    for code in settings.LANGUAGE_CODES:
        assert f'href="/{code}/"' in switcher
    assert 'href="//' not in html


@pytest.mark.parametrize(
    ("language", "direction"), [(code, "rtl" if code == "ar" else "ltr") for code in settings.LANGUAGE_CODES]
)
def test_each_page_declares_its_language_and_direction(client, language, direction):
    consultation = make_consultation()
    for path in (f"/{language}/", f"/{language}/consultations/{consultation.slug}/answer/", f"/{language}/missing/"):
        html = client.get(path).content.decode()
        assert f'<html lang="{language}" dir="{direction}">' in html, path


def test_the_stylesheet_uses_only_logical_properties_so_arabic_mirrors():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    for physical in (
        "margin-left",
        "margin-right",
        "padding-left",
        "padding-right",
        "text-align: left",
        "text-align: right",
        "float: left",
        "float: right",
        "border-left",
        "border-right",
    ):
        assert physical not in css, physical
