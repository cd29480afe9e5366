"""The record-level file itself: its columns and rows, formula defusing, idempotent builds."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date

import pytest
from django.db import connection

from accounts.tests.factories import make_secretariat
from consultations.models import Answer, Response
from consultations.tests.factories import make_consultation
from cop_site.spreadsheets import spreadsheet_safe
from reports.models import RecordExport
from reports.statistics import exports
from reports.statistics.exports import record_export_build, record_export_path, record_export_request
from reports.statistics.tasks import build_record_export
from reports.tests.export_helpers import KNOWN_ROWS, csv_rows, known_responses, xlsx_cells, xlsx_rows


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _built(consultation, format):
    export = record_export_request(consultation=consultation, format=format, user=make_secretariat())
    return record_export_build(export_id=export.id)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("＝1+1", "'＝1+1"),
        ("We need = rights", "We need = rights"),
        ("", ""),
    ],
)
def test_spreadsheet_safe_quotes_only_what_could_start_a_formula(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.django_db
def test_the_csv_has_one_anonymised_row_per_response_in_date_order():
    consultation = make_consultation()
    responses = known_responses(consultation)

    export = _built(consultation, "csv")

    content = record_export_path(export).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    assert csv_rows(content) == KNOWN_ROWS
    for response in responses:
        assert str(response.id) not in content.decode() and response.id.hex not in content.decode()
    assert (export.status, export.rows_done, export.rows_total, export.percent_done) == ("ready", 3, 3, 100)
    assert export.file_size == len(content) and export.finished_at is not None


@pytest.mark.django_db
def test_the_xlsx_holds_the_same_rows_and_no_formula():
    consultation = make_consultation()
    known_responses(consultation)

    export = _built(consultation, "xlsx")

    path = record_export_path(export)
    assert xlsx_rows(path) == KNOWN_ROWS
    cells = [cell for row in xlsx_cells(path) for cell in row]
    assert [cell for cell in cells if cell.data_type == "f"] == []
    values = {cell.value for cell in cells}
    assert {'\'=HYPERLINK("http://x")', "'+1 @SUM(1) -2"} <= values
    # Row numbers and ratings are numbers a spreadsheet can sum.
    assert [row[0].value for row in xlsx_cells(path)[1:]] == [1, 2, 3]


@pytest.mark.django_db
def test_an_export_of_a_consultation_without_responses_has_just_the_header():
    consultation = make_consultation()
    csv_export, xlsx_export = _built(consultation, "csv"), _built(consultation, "xlsx")
    assert csv_rows(record_export_path(csv_export).read_bytes()) == [KNOWN_ROWS[0]]
    assert xlsx_rows(record_export_path(xlsx_export)) == [KNOWN_ROWS[0]]


@pytest.mark.django_db
def test_the_file_has_an_unguessable_name_under_media_exports(settings):
    consultation = make_consultation(slug="safety-by-design")
    first, second = _built(consultation, "csv"), _built(consultation, "csv")
    assert record_export_path(first).parent == settings.MEDIA_ROOT / "exports"
    # token_urlsafe(32): 43 random characters, nothing derived from the consultation or the id.
    assert len(first.file_name.removesuffix(".csv")) == 43 and "safety" not in first.file_name
    assert first.file_name != second.file_name
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "exports").iterdir()) == sorted(
        [first.file_name, second.file_name]
    )


@pytest.mark.django_db
def test_running_the_task_twice_builds_the_file_once(settings):
    consultation = make_consultation()
    known_responses(consultation)
    export = RecordExport.objects.create(consultation=consultation, format="csv")

    build_record_export(export.id)
    first = RecordExport.objects.get(pk=export.pk)
    build_record_export(export.id)
    second = RecordExport.objects.get(pk=export.pk)

    assert first.status == "ready"
    assert (second.file_name, second.finished_at) == (first.file_name, first.finished_at)
    assert [p.name for p in (settings.MEDIA_ROOT / "exports").iterdir()] == [first.file_name]


@pytest.mark.django_db
def test_a_second_request_while_one_is_being_prepared_gets_the_same_export():
    consultation = make_consultation()
    user = make_secretariat()
    first = record_export_request(consultation=consultation, format="csv", user=user)
    again = record_export_request(consultation=consultation, format="csv", user=user)
    other_format = record_export_request(consultation=consultation, format="xlsx", user=user)
    assert again.pk == first.pk and other_format.pk != first.pk


def _reading_answers(sql: str) -> bool:
    # Each chunk's answers are read in one query.
    return 'FROM "consultations_answer"' in sql


@pytest.mark.django_db
def test_progress_is_saved_after_every_chunk(monkeypatch):
    consultation = make_consultation()
    known_responses(consultation)
    export = RecordExport.objects.create(consultation=consultation, format="csv")
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    progress_seen = []

    def watching(execute, sql, params, many, context):
        if _reading_answers(sql):
            # What the exports page would show at that moment.
            progress_seen.append(RecordExport.objects.get(pk=export.pk).rows_done)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watching):
        record_export_build(export_id=export.id)
    assert progress_seen == [0, 2]  # the page could show 2 of 3 while the last chunk was written
    assert RecordExport.objects.get(pk=export.pk).rows_done == 3


@pytest.mark.django_db
def test_a_failed_build_is_marked_failed_logged_and_leaves_no_file(settings, caplog):
    consultation = make_consultation()
    known_responses(consultation)
    export = RecordExport.objects.create(consultation=consultation, format="xlsx")

    def broken(execute, sql, params, many, context):
        if _reading_answers(sql):
            raise RuntimeError("database gone at /srv/secret/path")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(broken), caplog.at_level(logging.ERROR, logger="reports.statistics.exports"):
        build_record_export(export.id)

    export.refresh_from_db()
    assert (export.status, export.file_name) == ("failed", "")
    assert "database gone" in caplog.text
    assert list((settings.MEDIA_ROOT / "exports").iterdir()) == []


def test_an_export_left_running_by_a_dead_worker_is_built_again_when_redelivered(db, tmp_path, settings) -> None:
    from consultations.tests.factories import make_consultation
    from reports.models import RecordExport
    from reports.statistics.exports import record_export_build
    from reports.tests.helpers import add_responses

    settings.MEDIA_ROOT = tmp_path
    consultation = make_consultation()
    add_responses(consultation, 7, seed=2)
    export = RecordExport.objects.create(consultation=consultation, format="csv", status="running", rows_done=3)
    assert record_export_build(export_id=export.pk) is None  # a plain repeat leaves it alone
    built = record_export_build(export_id=export.pk, resume=True)
    assert built.status == "ready" and built.rows_done == 7


FORMULA_STARTS = ("=", "+", "-", "@")
HOSTILE = 'I agree;=1+1;=HYPERLINK("http://x","y")'


def _formula_like_fields(text: str) -> list[str]:
    """Fields that would start a formula, whether a spreadsheet splits on `;` or on `,`."""
    found = []
    for delimiter in (";", ","):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            found += [field for field in row if field.strip().startswith(FORMULA_STARTS)]
    return found


@pytest.mark.django_db
def test_a_formula_after_a_separator_in_an_answer_is_defused_in_the_csv():
    consultation = make_consultation()
    text_question = next(q for q in consultation.ordered_questions() if q.kind == "text")
    response = Response.objects.create(
        consultation=consultation, submitted_on=date(2025, 3, 1), language="fr", age_band="15-17", sex="female"
    )
    Answer.objects.create(response=response, question=text_question, text=HOSTILE)

    content = record_export_path(_built(consultation, "csv")).read_bytes().decode("utf-8-sig")

    assert "I agree" in content
    assert _formula_like_fields(content) == []
    # Every field is quoted, so a comma or semicolon inside an answer never starts a new cell.
    assert all(line.startswith('"') and line.endswith('"') for line in content.splitlines())


@pytest.mark.django_db
def test_a_formula_after_a_separator_in_a_question_is_defused_in_the_results_csv(client):
    from reports.tests.helpers import add_responses, publish_release

    consultation = make_consultation(slug="defused")
    question = consultation.ordered_questions()[0]
    question.text = {**question.text, "en": "Which apps;=1+1;-2+3;@SUM(A1)"}
    question.save()
    add_responses(consultation, 30, seed=4)
    publish_release(consultation)

    download = client.get("/en/results/defused/download.csv")

    content = download.content.decode("utf-8-sig")
    assert "Which apps" in content
    assert _formula_like_fields(content) == []
