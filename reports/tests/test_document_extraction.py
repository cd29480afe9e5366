"""Text is extracted for search by a task fired once the upload has committed; a broken file
gives empty text, never an error in the worker."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from reports.documents import extraction
from reports.documents.extraction import document_file_extract
from reports.documents.services import document_file_add
from reports.models import DocumentFile
from reports.tests.test_document_uploads import BUILDERS, make_document, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never into the repository."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("extension", sorted(BUILDERS))
def test_the_text_of_each_format_is_extracted_once_the_upload_commits(
    media, django_capture_on_commit_callbacks, extension
) -> None:
    document = make_document()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        added = document_file_add(
            document=document,
            language="en",
            uploaded=upload(f"report.{extension}", BUILDERS[extension]("Cyberbullying helplines")),
            user=None,
        )
        added.refresh_from_db()
        assert added.text_extracted_at is None, "nothing runs before the commit"
    assert len(callbacks) == 1
    added.refresh_from_db()
    assert "Cyberbullying helplines" in added.text
    assert added.text_extracted_at is not None


def test_paragraphs_stay_apart(media) -> None:
    document_file = _stored("docx", BUILDERS["docx"]("First words"))
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == "First words\nSecond paragraph"


def test_odt_spaces_and_headings_are_kept(media) -> None:
    document_file = _stored("odt", BUILDERS["odt"]("Safer<text:s/>internet<text:tab/>day"))
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == "Title\nSafer internet day"


def _stored(extension: str, data: bytes) -> DocumentFile:
    document = make_document()
    document_file = DocumentFile(
        document=document, language="en", extension=extension, content_type="x", size=len(data)
    )
    document_file.file.save(f"test.{extension}", ContentFile(data), save=False)
    document_file.save()
    return document_file


def _zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("extension", "data"),
    [
        ("pdf", b"%PDF-1.4\nthis is not really a pdf"),
        ("docx", b"PK\x03\x04 broken zip"),
        ("pptx", _zip_of("ppt/slides/slide1.xml", b"<a:p>an unbound prefix</a:p>")),
        ("xlsx", _zip_of("xl/sharedStrings.xml", b"\xff\xfe not xml")),
        ("odt", BUILDERS["odt"]("<unclosed")),
    ],
    ids=["pdf", "docx", "pptx", "xlsx", "odt"],
)
def test_a_broken_file_gives_empty_text_without_raising(media, extension, data, caplog) -> None:
    document_file = _stored(extension, data)
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == ""
    assert document_file.text_extracted_at is not None
    assert "Could not extract text" in caplog.text


def test_a_part_declaring_entities_is_not_parsed(media) -> None:
    """Office parts never declare a DTD; one that does (an entity bomb) is skipped unread."""
    source = zipfile.ZipFile(io.BytesIO(BUILDERS["docx"]()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
            target.writestr(name, data)
    document_file = _stored("docx", buffer.getvalue())
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == ""


def test_extraction_is_idempotent(media) -> None:
    document_file = _stored("pdf", BUILDERS["pdf"]("Same words"))
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    first = document_file.text
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == first == "Same words"


def test_the_text_is_capped(media, monkeypatch) -> None:
    monkeypatch.setattr(extraction, "MAX_TEXT_CHARS", 10)
    document_file = _stored("docx", BUILDERS["docx"]("A rather long first paragraph"))
    document_file_extract(document_file_id=document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == "A rather l"


def test_a_file_deleted_before_the_task_runs_is_ignored(media, django_capture_on_commit_callbacks, caplog) -> None:
    document = make_document()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_file_add(
            document=document,
            language="en",
            uploaded=upload("report.docx", BUILDERS["docx"]("Gone before it was read")),
            user=None,
        )
    document.delete()  # the document, and with it the file's row, goes before the worker runs
    with caplog.at_level("WARNING", logger="reports.documents.extraction"):
        for callback in callbacks:
            callback()  # queues the task, which runs at once in the tests
    assert not DocumentFile.objects.exists(), "no row comes back"
    assert not caplog.records, "nothing was attempted, so nothing failed"


def test_the_task_calls_the_service(media) -> None:
    from reports.documents.tasks import extract_document_text

    document_file = _stored("xlsx", BUILDERS["xlsx"]("Spreadsheet words"))
    extract_document_text.delay(document_file.pk)
    document_file.refresh_from_db()
    assert document_file.text == "Spreadsheet words"
