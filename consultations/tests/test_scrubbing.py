import pytest
from django.utils import translation
from django.utils.translation import gettext

from consultations.anonymise import scrub_personal_data


@pytest.mark.parametrize(
    ("text", "country", "language", "kept", "removed"),
    [
        ("Écris-moi à lea.martin@example.fr stp", "FR", "fr", "Écris-moi à", "lea.martin@example.fr"),
        ("mon numéro est 06 12 34 56 78", "FR", "fr", "mon numéro est", "06 12 34 56 78"),
        ("call +44 20 7946 0958 any time", "", "en", "any time", "7946"),
        ("رقمي ٠٥٠١٢٣٤٥٦٧ اتصل بي", "SA", "ar", "اتصل بي", "٠٥٠١٢٣٤٥٦٧"),
        ("ايميلي ali.k@example.com", "EG", "ar", "ايميلي", "ali.k@example.com"),
        ("мой телефон 8 (912) 345-67-89, пиши", "RU", "ru", "пиши", "345-67-89"),
        ("加我微信 13812345678 好吗", "CN", "zh-hans", "好吗", "13812345678"),
        ("sígueme en @maria_2011 porfa", "ES", "es", "porfa", "@maria_2011"),
        ("look at https://example.org/page?x=1 please", "", "en", "please", "example.org"),
        ("see www.example.net now", "", "en", "now", "www.example.net"),
        ("my page is bit.ly/abc123", "", "en", "my page is", "bit.ly"),
        ("mi correo es juan (at) gmail (dot) com", "ES", "es", "mi correo es", "gmail"),
    ],
)
def test_contact_details_are_removed_and_the_rest_kept(text, country, language, kept, removed):
    scrubbed = scrub_personal_data(text, country=country, language=language)
    assert removed not in scrubbed
    assert kept in scrubbed
    assert "[" in scrubbed


def test_ordinary_numbers_years_and_ages_are_kept():
    text = "I am 12, in year 7, online 3 to 5 hours a day since 2019-2023."
    assert scrub_personal_data(text, country="GB", language="en") == text


@pytest.mark.parametrize("language", ["ar", "zh-hans", "fr", "ru", "es"])
def test_the_placeholder_is_in_the_respondents_language(language):
    with translation.override(language):
        placeholder = gettext("email removed")
    assert placeholder != "email removed"
    scrubbed = scrub_personal_data("lea@example.fr", country="", language=language)
    assert scrubbed == f"[{placeholder}]"
