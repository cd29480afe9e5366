"""The Secretariat's export page and download: who may use them and what they show."""

from __future__ import annotations

import pytest

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.tests.factories import make_consultation
from reports.models import RecordExport
from reports.tests.export_helpers import KNOWN_ROWS, csv_rows, known_responses, xlsx_rows

# The list updates itself (static/js/export-progress.js) only while the server marks it pending.
REFRESH = 'data-pending="true"'


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def consultation(db):
    consultation = make_consultation(slug="safety-by-design")
    known_responses(consultation)
    return consultation


def _page(consultation):
    return f"/en/secretariat/consultations/{consultation.slug}/exports/"


def _request(client, consultation, format, django_capture_on_commit_callbacks):
    # The task is queued when the request's transaction commits, after the redirect is sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(consultation), {"format": format})
    assert (response.status_code, response["Location"]) == (302, _page(consultation))
    return client.get(response["Location"])


def test_a_secretariat_member_requests_a_csv_and_downloads_it(client, consultation, django_capture_on_commit_callbacks):
    user = make_secretariat()
    signed_in(client, user)

    page = _request(client, consultation, "csv", django_capture_on_commit_callbacks)

    export = RecordExport.objects.get()
    assert (export.requested_by, export.format, export.status) == (user, "csv", "ready")
    html = page.content.decode()
    assert "The CSV file is being prepared. This page shows how far it has got." in html
    assert f'href="/en/secretariat/exports/{export.pk}/download/"' in html
    assert "3 rows" in html and REFRESH not in html

    download = client.get(f"/en/secretariat/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"safety-by-design-responses-{export.requested_at:%Y-%m-%d}.csv" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    assert csv_rows(b"".join(download.streaming_content)) == KNOWN_ROWS


def test_an_xlsx_download_is_a_spreadsheet_with_the_same_rows(
    client, consultation, django_capture_on_commit_callbacks, tmp_path
):
    signed_in(client, make_secretariat())
    _request(client, consultation, "xlsx", django_capture_on_commit_callbacks)
    export = RecordExport.objects.get()

    download = client.get(f"/en/secretariat/exports/{export.pk}/download/")

    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"].endswith('.xlsx"')
    saved = tmp_path / "downloaded.xlsx"
    saved.write_bytes(b"".join(download.streaming_content))
    assert xlsx_rows(saved) == KNOWN_ROWS


def test_choosing_no_format_explains_what_to_do(client, consultation):
    signed_in(client, make_secretariat())
    page = client.post(_page(consultation), {})
    html = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in html and 'href="#id_format_0"' in html and "Choose CSV or XLSX." in html
    assert not RecordExport.objects.exists()


def test_the_form_is_a_labelled_group_of_radios_with_csrf(client, consultation):
    signed_in(client, make_secretariat())
    html = client.get(_page(consultation)).content.decode()
    assert "<fieldset" in html and '<legend class="legend">Which kind of file?</legend>' in html
    assert '<label for="id_format_0">CSV' in html and '<label for="id_format_1">XLSX' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "No files have been requested yet." in html and REFRESH not in html


def test_while_a_file_is_prepared_the_page_shows_progress_and_reloads_itself(client, consultation):
    signed_in(client, make_secretariat())
    RecordExport.objects.create(
        consultation=consultation, format="xlsx", status="running", rows_total=200, rows_done=50
    )

    html = client.get(_page(consultation)).content.decode()

    assert REFRESH in html
    assert '<progress id="export-' in html and 'max="100" value="25"' in html
    assert "50 of 200 rows (25%)" in html
    assert "Being prepared" in html and "/download/" not in html


def test_a_queued_file_is_waiting_and_the_page_reloads(client, consultation):
    signed_in(client, make_secretariat())
    RecordExport.objects.create(consultation=consultation, format="csv")
    html = client.get(_page(consultation)).content.decode()
    assert REFRESH in html and "Waiting to start" in html


def test_a_failed_file_says_so_without_the_technical_reason(client, consultation):
    signed_in(client, make_secretariat())
    RecordExport.objects.create(consultation=consultation, format="csv", status="failed")
    html = client.get(_page(consultation)).content.decode()
    assert "The file could not be prepared. Request a new one." in html
    assert REFRESH not in html and "/download/" not in html


def test_a_file_whose_worker_died_stops_the_reloading(client, consultation):
    from datetime import timedelta

    from django.utils import timezone

    signed_in(client, make_secretariat())
    export = RecordExport.objects.create(consultation=consultation, format="csv", status="running", rows_total=9)
    RecordExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(days=1))
    html = client.get(_page(consultation)).content.decode()
    assert "Did not finish" in html and REFRESH not in html


def test_only_ready_files_can_be_downloaded(client, consultation):
    signed_in(client, make_secretariat())
    export = RecordExport.objects.create(consultation=consultation, format="csv", status="running", file_name="x.csv")
    assert client.get(f"/en/secretariat/exports/{export.pk}/download/").status_code == 404


def test_the_file_is_not_reachable_through_a_media_address(
    client, consultation, django_capture_on_commit_callbacks, settings
):
    signed_in(client, make_secretariat())
    _request(client, consultation, "csv", django_capture_on_commit_callbacks)
    export = RecordExport.objects.get()
    assert client.get(f"{settings.MEDIA_URL}exports/{export.file_name}").status_code == 404


def test_the_consultation_page_links_to_its_exports(client, consultation):
    signed_in(client, make_secretariat())
    html = client.get(f"/en/secretariat/consultations/{consultation.slug}/").content.decode()
    assert f'href="{_page(consultation)}"' in html


@pytest.fixture
def ready_export(consultation, django_capture_on_commit_callbacks):
    from reports.statistics.exports import record_export_request

    with django_capture_on_commit_callbacks(execute=True):
        export = record_export_request(consultation=consultation, format="csv", user=make_secretariat())
    export.refresh_from_db()
    assert export.status == "ready"
    return export


def _addresses(consultation, export):
    return [
        ("get", _page(consultation)),
        ("post", _page(consultation)),
        ("get", f"/en/secretariat/exports/{export.pk}/download/"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, consultation, ready_export):
    for method, address in _addresses(consultation, ready_export):
        response = getattr(client, method)(address, {"format": "csv"} if method == "post" else None)
        assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/"), address
    assert RecordExport.objects.count() == 1


def test_member_states_are_refused(client, consultation, ready_export):
    signed_in(client, make_member_state(country="KE"))
    for method, address in _addresses(consultation, ready_export):
        response = getattr(client, method)(address, {"format": "csv"} if method == "post" else None)
        assert response.status_code == 403, address
        assert b"Choice 2 [en]" not in response.content
    assert RecordExport.objects.count() == 1


def test_a_secretariat_member_without_two_factor_is_sent_to_set_it_up(client, consultation, ready_export):
    signed_in(client, make_secretariat(mfa=False))
    for method, address in _addresses(consultation, ready_export):
        response = getattr(client, method)(address, {"format": "csv"} if method == "post" else None)
        assert (response.status_code, response["Location"]) == (302, "/en/account/two-factor-required/"), address
    assert RecordExport.objects.count() == 1
