"""The issue's "done when", as one story: a draft in three languages is published for comment,
a Member State delegate comments, the final version replaces it, a subscriber is emailed, and
a visitor with no account finds it by searching in Russian and downloads it."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.models import Meeting
from reports import documents
from reports.models import Document, DocumentComment, Subscription

pytestmark = pytest.mark.django_db

SITE = "https://cwg-cop.example"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = {
    "ar": "تقرير الاجتماع الرابع عشر",
    "en": "Report of the fourteenth meeting",
    "ru": "Доклад о четырнадцатом собрании",
}
TEXT = {
    "ar": "حماية الأطفال على الإنترنت",
    "en": "Protecting children from online bullying",
    "ru": "Защита детей от травли в интернете",
}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE


def docx(text: str) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>'
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def upload_three_languages(document: Document, secretariat, *, revision: str = "") -> dict[str, bytes]:
    contents = {}
    for language in ("ar", "en", "ru"):
        contents[language] = docx(f"{TEXT[language]} {revision}".strip())
        uploaded = SimpleUploadedFile(f"report-{language}.docx", contents[language], content_type=DOCX_TYPE)
        documents.document_file_add(document=document, language=language, uploaded=uploaded, user=secretariat)
    return contents


def test_a_draft_is_commented_on_replaced_announced_and_found_in_russian(django_capture_on_commit_callbacks):
    run_now = django_capture_on_commit_callbacks  # tasks queued on commit run at the end of the block
    meeting = Meeting.objects.create(
        number=14,
        title={"en": "Fourteenth meeting", "ru": "Четырнадцатое собрание", "ar": "الاجتماع الرابع عشر"},
        starts_on=date(2025, 9, 15),
        ends_on=date(2025, 9, 16),
    )
    secretariat = make_secretariat()

    # Someone with no account subscribes, in Russian, to the meeting's documents and confirms.
    subscriber = Client()
    with run_now(execute=True):
        response = subscriber.post("/ru/documents/subscribe/", {"email": "ivan@example.org", "follow": "14"})
    assert response.status_code == 302
    confirm_link = re.search(r"http://testserver(/ru/documents/subscribe/confirm/\S+/)", mail.outbox[0].body)
    assert subscriber.get(confirm_link.group(1)).status_code == 200
    subscriber.post(confirm_link.group(1))
    assert Subscription.objects.get().confirmed_at is not None
    mail.outbox.clear()

    # The Secretariat publishes the draft for comment in three languages.
    with run_now(execute=True):
        draft = documents.document_create(
            meeting=meeting, symbol="CWG-COP/14/3", kind=Document.Kind.OUTPUT_REPORT, title=TITLE
        )
        upload_three_languages(draft, secretariat)
    with run_now(execute=True):
        documents.document_publish(document=draft, for_comment_until=timezone.now() + timedelta(days=14))
    [announcement] = mail.outbox
    assert announcement.to == ["ivan@example.org"]
    assert TITLE["ru"] in announcement.subject
    assert f"{SITE}/ru/documents/CWG-COP-14-3/" in announcement.body

    # A Member State delegate reads the draft and comments on it.
    delegate = signed_in(Client(), make_member_state(country="KE"))
    draft_page = delegate.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert 'href="/en/documents/CWG-COP-14-3/comments/"' in draft_page
    response = delegate.post("/en/documents/CWG-COP-14-3/comments/", {"text": "Please add the helplines."})
    assert response.status_code == 302
    assert "Please add the helplines." in delegate.get(response["Location"]).content.decode()
    assert DocumentComment.objects.get().author.delegate.country.code == "KE"

    # The final version replaces the draft; the subscriber hears of it.
    with run_now(execute=True):
        final = documents.document_create(
            meeting=meeting, symbol="CWG-COP/14/3/REV1", kind=Document.Kind.OUTPUT_REPORT, title=TITLE
        )
        final_files = upload_three_languages(final, secretariat, revision="(final)")
        documents.document_supersede(draft=draft, final=final)
    with run_now(execute=True):
        documents.document_publish(document=final)
    assert [message.to for message in mail.outbox] == [["ivan@example.org"], ["ivan@example.org"]]
    assert f"{SITE}/ru/documents/CWG-COP-14-3-REV1/" in mail.outbox[1].body
    assert mail.outbox[1].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The draft takes no more comments, and says what replaced it.
    assert delegate.post("/en/documents/CWG-COP-14-3/comments/", {"text": "One more thing."}).status_code == 403
    visitor = Client()
    draft_page = visitor.get("/ru/documents/CWG-COP-14-3/")
    assert draft_page.status_code == 200
    assert 'href="/ru/documents/CWG-COP-14-3-REV1/"' in draft_page.content.decode()

    # A visitor with no account searches in Russian and downloads the Russian file.
    results = visitor.get("/ru/documents/", {"q": "травли"})
    assert results.status_code == 200
    assert 'href="/ru/documents/CWG-COP-14-3-REV1/"' in results.content.decode()
    download = visitor.get("/ru/documents/CWG-COP-14-3-REV1/ru/")
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_TYPE
    assert 'filename="CWG-COP-14-3-REV1-ru.docx"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == final_files["ru"]
    assert Document.objects.get(pk=draft.pk).is_superseded
