"""Uploads are judged by their content: each allowed type is accepted, a disguised file is
refused with a clear message and leaves nothing behind, replacing a file keeps the old."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Meeting
from reports.documents.services import document_file_add
from reports.models import Document, DocumentFile

pytestmark = pytest.mark.django_db

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


# --- Tiny real files, built here so the tests need nothing on disk ---------------------------


def pdf_bytes(text: str = "Protecting children online") -> bytes:
    """A one-page PDF whose text a PDF reader finds, with a correct cross-reference table."""
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _zip(entries: list[tuple[str, str | bytes]], *, stored_first: tuple[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first[0]), stored_first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _content_types(part: str, main_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    )


def docx_bytes(text: str = "Protecting children online") -> bytes:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:p><w:r><w:t>Second paragraph</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    return _zip([("[Content_Types].xml", _content_types("word/document.xml", DOCX_MAIN)), ("word/document.xml", body)])


def xlsx_bytes(text: str = "Protecting children online") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, text)
    sheet.write_number(1, 0, 42)
    workbook.close()
    return buffer.getvalue()


def pptx_bytes(text: str = "Protecting children online") -> bytes:
    slide = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>'
        f"<a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )
    presentation = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    )
    return _zip(
        [
            ("[Content_Types].xml", _content_types("ppt/presentation.xml", PPTX_MAIN)),
            ("ppt/presentation.xml", presentation),
            ("ppt/slides/slide1.xml", slide),
        ]
    )


def odt_bytes(
    text: str = "Protecting children online", mimetype: str = "application/vnd.oasis.opendocument.text"
) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        f"<text:h>Title</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>"
    )
    return _zip([("content.xml", content)], stored_first=("mimetype", mimetype))


BUILDERS = {"pdf": pdf_bytes, "docx": docx_bytes, "xlsx": xlsx_bytes, "pptx": pptx_bytes, "odt": odt_bytes}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + (
    b"\x00" * 64
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode"
)
HTML = b"<!DOCTYPE html><html><head><title>Report</title></head><body><p>%PDF-1.4</p></body></html>"


def make_document(symbol: str = "CWG-COP/14/3", **extra) -> Document:
    meeting, _created = Meeting.objects.get_or_create(
        number=14,
        defaults={"title": {"en": "Fourteenth meeting"}, "starts_on": date(2026, 9, 1), "ends_on": date(2026, 9, 2)},
    )
    return Document.objects.create(
        meeting=meeting,
        symbol=symbol,
        slug=symbol.replace("/", "-"),
        kind=extra.pop("kind", Document.Kind.OUTPUT_REPORT),
        title=extra.pop("title", {"en": "Output report", "fr": "Rapport"}),
        **extra,
    )


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Accepted --------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(BUILDERS))
def test_each_allowed_type_is_accepted_with_the_type_its_content_shows(media, extension) -> None:
    document = make_document()
    # Built once: an XLSX records the second it was made, so two builds can differ.
    data = BUILDERS[extension]()
    # The browser's claimed type is ignored either way: here it lies.
    added = document_file_add(document=document, language="en", uploaded=upload(f"report.{extension}", data), user=None)
    assert (added.extension, added.content_type, added.version, added.is_current) == (
        extension,
        CONTENT_TYPES[extension],
        1,
        True,
    )
    assert added.file.name.endswith(f"CWG-COP-14-3-en-v1.{extension}")
    assert (media / added.file.name).read_bytes() == data


def test_an_upper_case_extension_is_fine(media) -> None:
    added = document_file_add(
        document=make_document(), language="fr", uploaded=upload("RAPPORT.PDF", pdf_bytes()), user=None
    )
    assert added.extension == "pdf"


# --- Refused ---------------------------------------------------------------------------------

DISGUISED = [
    ("setup.pdf", EXE, "The file’s content is not PDF, although its name ends in .pdf."),
    ("page.pdf", HTML, "The file’s content is not PDF, although its name ends in .pdf."),
    ("photo.docx", PNG, "The file’s content is not DOCX, although its name ends in .docx."),
    ("figures.docx", xlsx_bytes(), "The file’s content is not DOCX, although its name ends in .docx."),
    ("slides.xlsx", pptx_bytes(), "The file’s content is not XLSX, although its name ends in .xlsx."),
    (
        "archive.docx",
        _zip([("notes.txt", "hello")]),
        "The file’s content is not DOCX, although its name ends in .docx.",
    ),
    (
        "sheet.odt",
        odt_bytes(mimetype="application/vnd.oasis.opendocument.spreadsheet"),
        "The file’s content is not ODT, although its name ends in .odt.",
    ),
    ("report.pptx", pdf_bytes(), "The file’s content is not PPTX, although its name ends in .pptx."),
]


@pytest.mark.parametrize(("name", "data", "message"), DISGUISED, ids=[d[0] for d in DISGUISED])
def test_a_disguised_file_is_refused_and_leaves_nothing_behind(media, name, data, message) -> None:
    from django.core.exceptions import ValidationError

    document = make_document()
    with pytest.raises(ValidationError) as refused:
        document_file_add(document=document, language="en", uploaded=upload(name, data, "application/pdf"), user=None)
    assert refused.value.message_dict == {"file": [message]}
    assert not DocumentFile.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("name", ["virus.exe", "notes.txt", "report", "page.html", "macro.docm"])
def test_a_type_that_is_not_allowed_is_refused_by_name(media, name) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        document_file_add(document=make_document(), language="en", uploaded=upload(name, pdf_bytes()), user=None)
    assert refused.value.message_dict == {"file": ["Only PDF, DOCX, XLSX, ODT and PPTX files can be uploaded."]}
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(media, settings) -> None:
    from django.core.exceptions import ValidationError

    settings.DOCUMENTS_MAX_UPLOAD_MB = 0.001  # about a kilobyte
    with pytest.raises(ValidationError) as refused:
        document_file_add(
            document=make_document(), language="en", uploaded=upload("big.pdf", pdf_bytes() + b"%" * 2000), user=None
        )
    assert refused.value.message_dict == {"file": ["The file is larger than 0.001 MB."]}
    assert not DocumentFile.objects.exists()
    assert stored_files(media) == []


def test_the_size_limit_defaults_to_50_mb(settings) -> None:
    from reports.documents.uploads import max_upload_bytes

    del settings.DOCUMENTS_MAX_UPLOAD_MB
    assert max_upload_bytes() == 50 * 1024 * 1024


# --- Replacing -------------------------------------------------------------------------------


def test_replacing_a_file_adds_a_version_and_keeps_the_earlier_ones(media) -> None:
    document = make_document()
    first = document_file_add(document=document, language="fr", uploaded=upload("a.pdf", pdf_bytes("one")), user=None)
    document_file_add(document=document, language="en", uploaded=upload("b.pdf", pdf_bytes("english")), user=None)
    second = document_file_add(document=document, language="fr", uploaded=upload("a.docx", docx_bytes()), user=None)
    third = document_file_add(document=document, language="fr", uploaded=upload("a.pdf", pdf_bytes("three")), user=None)

    french = list(DocumentFile.objects.filter(document=document, language="fr").order_by("version"))
    assert [(f.version, f.is_current, f.extension) for f in french] == [
        (1, False, "pdf"),
        (2, False, "docx"),
        (3, True, "pdf"),
    ]
    assert DocumentFile.objects.get(document=document, language="en").is_current
    for kept in (first, second, third):
        assert (media / kept.file.name).exists(), "earlier versions stay downloadable"


# --- Through the secretariat's page ----------------------------------------------------------


def test_the_upload_page_explains_a_disguised_file_beside_the_field(client, media) -> None:
    document = make_document()
    signed_in(client, make_secretariat())
    page = client.post(
        f"/en/secretariat/documents/{document.slug}/upload/",
        {"upload-language": "en", "upload-file": upload("report.pdf", EXE)},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_upload-file"' in html
    assert 'id="id_upload-file-error"' in html
    assert "The file’s content is not PDF, although its name ends in .pdf." in html
    assert not DocumentFile.objects.exists()
    assert stored_files(media) == []


def test_the_upload_page_stores_a_good_file_and_says_so(client, media) -> None:
    document = make_document()
    secretariat = make_secretariat()
    signed_in(client, secretariat)
    response = client.post(
        f"/en/secretariat/documents/{document.slug}/upload/",
        {"upload-language": "ru", "upload-file": upload("доклад.docx", docx_bytes())},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/en/secretariat/documents/{document.slug}/#files"
    assert "The file in Russian was uploaded as version 1." in response.content.decode()
    added = DocumentFile.objects.get()
    assert (added.language, added.extension, added.uploaded_by) == ("ru", "docx", secretariat)
