import pytest

from consultations.models import Helpline
from consultations.services import helplines_import
from consultations.tests.factories import answer_data, form_token, make_consultation

pytestmark = pytest.mark.django_db

CSV_HEADER = "country,name,phone,website,hours,languages,source_url\n"


def _thank_you(client, country):
    consultation = make_consultation()
    token = form_token(client, consultation)
    return client.post(
        f"/en/consultations/{consultation.slug}/answer/", answer_data(consultation, token, country=country)
    ).content.decode()


def test_the_thank_you_page_shows_the_helplines_of_the_declared_country(client):
    Helpline.objects.create(country="KE", name="Childline Kenya", phone="116", source_url="https://example.org/ke")
    Helpline.objects.create(country="UG", name="Sauti", phone="116", source_url="https://example.org/ug")
    html = _thank_you(client, "KE")
    assert "Childline Kenya" in html and 'href="tel:116"' in html
    assert "Sauti" not in html
    assert "childhelplineinternational.org" in html


def test_without_a_known_helpline_it_points_to_child_helpline_internationals_directory(client):
    html = _thank_you(client, "undisclosed")
    assert 'href="https://childhelplineinternational.org/helplines/"' in html
    assert "helpline-list" not in html


def test_an_inactive_helpline_is_not_shown(client):
    Helpline.objects.create(country="KE", name="Old line", phone="999", source_url="https://e.org", is_active=False)
    assert "Old line" not in _thank_you(client, "KE")


def test_the_thank_you_page_offers_a_link_to_share(client):
    html = _thank_you(client, "FR")
    assert 'id="share-link"' in html and "http://testserver/en/consultations/" in html


def test_import_creates_and_updates_matching_on_country_and_name():
    helplines_import(csv_text=CSV_HEADER + "fr,Allô 119,119,,,Français,https://www.allo119.gouv.fr\n")
    result = helplines_import(csv_text=CSV_HEADER + "FR,Allô 119,119,,24/7,Français,https://www.allo119.gouv.fr\n")
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    assert Helpline.objects.get().hours == "24/7"


def test_import_refuses_the_whole_file_when_one_row_has_no_source():
    csv_text = CSV_HEADER + "FR,Allô 119,119,,,,https://www.allo119.gouv.fr\nES,Sin fuente,900,,,,\n"
    result = helplines_import(csv_text=csv_text)
    assert not Helpline.objects.exists()
    assert len(result.errors) == 1 and "Line 3" in result.errors[0]


def test_import_refuses_unknown_countries_and_rows_with_no_way_to_reach_anyone():
    result = helplines_import(csv_text=CSV_HEADER + "XX,Nowhere,1,,,,https://e.org\nFR,Nothing,,,,,https://e.org\n")
    assert len(result.errors) == 2
    assert not Helpline.objects.exists()


def test_import_names_the_missing_columns():
    result = helplines_import(csv_text="country,name\nFR,x\n")
    assert result.errors and "source_url" in result.errors[0]


def test_every_shipped_helpline_names_its_source():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    assert Helpline.objects.count() >= 5
    assert not Helpline.objects.filter(source_url="").exists()
