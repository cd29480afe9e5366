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
        ("mi correo es juan (at) gmail (dot) com", "ES", "es", "mi correo es", "juan"),
        ("我的电话是13800138000", "", "zh-hans", "我的电话是", "13800138000"),
        ("我的QQ是123456789", "CN", "zh-hans", "我的QQ是", "123456789"),
        ("رقمي0501234567", "", "ar", "رقمي", "0501234567"),
        ("ahmed.2010 at gmail.com", "", "en", "", "ahmed.2010"),
        ("１２３４５６＠qq.com 加我", "", "zh-hans", "加我", "１２３４５６"),
        ("add me on snap: lily_2012", "", "en", "add me on snap:", "lily_2012"),
        ("insta lily.b.2012", "", "en", "insta", "lily.b.2012"),
        ("mi tiktok es mariaa.2011", "", "es", "mi tiktok es", "mariaa.2011"),
        ("انستا: ahmed_k12", "", "ar", "انستا", "ahmed_k12"),
        ("discord: bob#1234", "", "en", "discord", "bob#1234"),
        ("微信号是 wxid_abc123", "", "zh-hans", "微信号是", "wxid_abc123"),
        ("мой профиль ok.ru/profile/5", "", "ru", "мой профиль", "ok.ru"),
        ("сайт вася.рф", "", "ru", "сайт", "вася.рф"),
    ],
)
def test_contact_details_are_removed_and_the_rest_kept(text, country, language, kept, removed):
    scrubbed = scrub_personal_data(text, country=country, language=language)
    assert removed not in scrubbed
    assert kept in scrubbed
    assert scrubbed != text and "[" in scrubbed and "]" in scrubbed


@pytest.mark.parametrize(
    ("text", "country", "language"),
    [
        ("I am 12, in year 7, online 3 to 5 hours a day since 2019-2023.", "GB", "en"),
        ("1 000 000 d’enfants, le 12.05.2023 et le 12-05-2023", "FR", "fr"),
        ("1.000.000 de niños en 2019 2020 2021", "ES", "es"),
        ("We meet @ school. Then we go home", "", "en"),
        ("I use insta every day and I was at school.Then home", "", "en"),
        ("j’aime apprendre en ligne.Com ça on progresse", "FR", "fr"),
        ("كانت الساعة 10:30 و عمري ١٢ سنة", "EG", "ar"),
        ("我每天上网3个小时，12岁。", "CN", "zh-hans"),
        ("Мне 14 лет, в классе 25 человек.", "RU", "ru"),
    ],
)
def test_ordinary_numbers_dates_and_words_are_kept(text, country, language):
    assert scrub_personal_data(text, country=country, language=language) == text


@pytest.mark.parametrize("language", ["ar", "zh-hans", "fr", "ru", "es"])
def test_the_placeholder_is_in_the_respondents_language(language):
    with translation.override(language):
        placeholder = gettext("email removed")
    assert placeholder != "email removed"
    scrubbed = scrub_personal_data("lea@example.fr", country="", language=language)
    assert scrubbed == f"[{placeholder}]"
