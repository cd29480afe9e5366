"""The issue's "done when", as one story: a draft in three languages is published for comment,
a Member State delegate comments, the final version replaces it, a subscriber is emailed, and
a visitor with no account finds it by searching in Russian and downloads it. Everyone, the
secretariat included, goes through the pages as a person would."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.models import Meeting
from reports.models import Document, DocumentComment, Subscription

pytestmark = pytest.mark.django_db

SITE = "https://cwg-cop.example"
SECRETARIAT = "/en/secretariat/documents"  # the secretariat works in English
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


def submitted(client: Client, url: str, data: dict, run_now) -> str:
    """Sends a form, lets the work it queued on commit run, follows the redirect, reads the page."""
    with run_now(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def document_created(secretariat: Client, symbol: str, run_now) -> str:
    """The secretariat fills in the new-document form: meeting, symbol, type, titles side by side."""
    form = secretariat.get(f"{SECRETARIAT}/new/").content.decode()
    assert 'name="title__ru"' in form and 'name="kind"' in form
    titles = {f"title__{code}": TITLE.get(code, "") for code in settings.LANGUAGE_CODES}
    data = {"meeting": "14", "symbol": symbol, "kind": "output-report", **titles}
    page = submitted(secretariat, f"{SECRETARIAT}/new/", data, run_now)
    assert f"{symbol} was created. Now upload its files." in page
    assert "No file has been uploaded yet." in page and "Not yet published" in page
    return page


def three_languages_uploaded(secretariat: Client, slug: str, run_now, *, revision: str = "") -> dict[str, bytes]:
    """The secretariat uploads the Arabic, English and Russian files, one multipart form each."""
    contents = {}
    for language, name in (("ar", "Arabic"), ("en", "English"), ("ru", "Russian")):
        contents[language] = docx(f"{TEXT[language]} {revision}".strip())
        uploaded = SimpleUploadedFile(f"report-{language}.docx", contents[language], content_type=DOCX_TYPE)
        data = {"upload-language": language, "upload-file": uploaded}
        page = submitted(secretariat, f"{SECRETARIAT}/{slug}/upload/", data, run_now)
        assert f"The file in {name} was uploaded as version 1." in page
    # Every file is listed as the current version 1, its text extracted for search.
    for language in ("ar", "en", "ru"):
        assert f'<th scope="row" lang="{language}">' in page
    assert page.count("Download version 1") == 3 and page.count(">Current</strong>") == 3
    assert page.count("<td>Ready</td>") == 3 and "Waiting" not in page
    return contents


def test_a_draft_is_commented_on_replaced_announced_and_found_in_russian(django_capture_on_commit_callbacks):
    run_now = django_capture_on_commit_callbacks  # tasks queued on commit run at the end of the block
    Meeting.objects.create(
        number=14,
        title={"en": "Fourteenth meeting", "ru": "Четырнадцатое собрание", "ar": "الاجتماع الرابع عشر"},
        starts_on=date(2025, 9, 15),
        ends_on=date(2025, 9, 16),
    )
    secretariat = signed_in(Client(), make_secretariat())

    # Someone with no account subscribes, in Russian, to the meeting's documents and confirms.
    subscriber = Client()
    with run_now(execute=True):
        response = subscriber.post("/ru/documents/subscribe/", {"email": "ivan@example.org", "follow": "14"})
    assert response.status_code == 302
    confirm_link = re.search(re.escape(SITE) + r"(/ru/documents/subscribe/confirm/\S+/)", mail.outbox[0].body)
    assert subscriber.get(confirm_link.group(1)).status_code == 200
    subscriber.post(confirm_link.group(1))
    assert Subscription.objects.get().confirmed_at is not None
    mail.outbox.clear()

    # The Secretariat creates the draft, uploads it in three languages and publishes it for comment.
    document_created(secretariat, "CWG-COP/14/3", run_now)
    three_languages_uploaded(secretariat, "CWG-COP-14-3", run_now)
    assert mail.outbox == [], "nobody hears of a document before it is published"
    deadline = timezone.now() + timedelta(days=14)
    publish = {
        "publish-how": "for-comment",
        "publish-deadline_on": f"{deadline:%Y-%m-%d}",
        "publish-deadline_time": "17:30",
    }
    page = submitted(secretariat, f"{SECRETARIAT}/CWG-COP-14-3/publish/", publish, run_now)
    assert "CWG-COP/14/3 is published as a draft for comment." in page
    assert '<strong class="tag tag-soon">Draft for comment</strong>' in page
    assert "Comments close" in page and f'<time datetime="{deadline:%Y-%m-%d}T17:30:00+00:00">' in page
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

    # The Secretariat creates the final version, uploads it, says it replaces the draft and publishes it;
    # the subscriber hears of it.
    document_created(secretariat, "CWG-COP/14/3/REV1", run_now)
    final_files = three_languages_uploaded(secretariat, "CWG-COP-14-3-REV1", run_now, revision="(final)")
    final_page = secretariat.get(f"{SECRETARIAT}/CWG-COP-14-3-REV1/").content.decode()
    assert f'<option value="CWG-COP-14-3">CWG-COP/14/3 – {TITLE["en"]}</option>' in final_page
    replaces = {"supersede-draft": "CWG-COP-14-3"}
    page = submitted(secretariat, f"{SECRETARIAT}/CWG-COP-14-3-REV1/supersede/", replaces, run_now)
    assert "CWG-COP/14/3/REV1 now replaces the draft CWG-COP/14/3, which stays available, marked as replaced." in page
    assert f'Replaces the draft</dt><dd><a href="{SECRETARIAT}/CWG-COP-14-3/" dir="ltr">CWG-COP/14/3</a>' in page
    page = submitted(secretariat, f"{SECRETARIAT}/CWG-COP-14-3-REV1/publish/", {"publish-how": "now"}, run_now)
    assert "CWG-COP/14/3/REV1 is published." in page
    assert '<strong class="tag tag-open">Published</strong>' in page
    assert 'href="/en/documents/CWG-COP-14-3-REV1/"' in page, "the public page is linked"
    assert [message.to for message in mail.outbox] == [["ivan@example.org"], ["ivan@example.org"]]
    assert f"{SITE}/ru/documents/CWG-COP-14-3-REV1/" in mail.outbox[1].body
    assert mail.outbox[1].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The draft takes no more comments, and says what replaced it.
    assert delegate.post("/en/documents/CWG-COP-14-3/comments/", {"text": "One more thing."}).status_code == 403
    draft_admin_page = secretariat.get(f"{SECRETARIAT}/CWG-COP-14-3/").content.decode()
    assert "Replaced by the final version" in draft_admin_page
    assert f'Replaced by</dt><dd><a href="{SECRETARIAT}/CWG-COP-14-3-REV1/" dir="ltr">' in draft_admin_page
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
    assert Document.objects.get(symbol="CWG-COP/14/3").is_superseded
