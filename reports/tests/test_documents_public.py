"""Meeting documents in public: anyone reads the list, a document's page and its files, with
no account and never a redirect to a login; drafts stay hidden, withdrawn ones say so."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Meeting
from reports.models import Document, DocumentFile

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


# Builders, also used by the search, feed and browser tests -----------------------------


def make_meeting(number: int = 14, starts_on: date = date(2025, 9, 15), **extra: Any) -> Meeting:
    extra.setdefault("title", {"en": f"Meeting {number}", "fr": f"Réunion {number}"})
    return Meeting.objects.create(number=number, starts_on=starts_on, ends_on=starts_on + timedelta(days=2), **extra)


def add_file(
    document: Document,
    language: str,
    *,
    version: int = 1,
    is_current: bool = True,
    text: str = "",
    content: bytes | None = None,
    extension: str = "pdf",
) -> DocumentFile:
    content_type = {"pdf": PDF, "docx": DOCX}.get(extension, "application/octet-stream")
    body = content if content is not None else f"%PDF-1.7 {document.slug} {language} v{version}".encode()
    return DocumentFile.objects.create(
        document=document,
        language=language,
        version=version,
        is_current=is_current,
        file=ContentFile(body, name=f"upload.{extension}"),
        content_type=content_type,
        extension=extension,
        size=len(body),
        text=text,
    )


def make_document(
    meeting: Meeting,
    symbol: str = "CWG-COP/14/3",
    *,
    status: str = Document.Status.PUBLISHED,
    kind: str = Document.Kind.OUTPUT_REPORT,
    title: dict[str, str] | None = None,
    languages: tuple[str, ...] = ("en",),
    **extra: Any,
) -> Document:
    if status != Document.Status.DRAFT:
        extra.setdefault("published_at", timezone.now())
    document = Document.objects.create(
        meeting=meeting,
        symbol=symbol,
        slug=symbol.replace("/", "-"),
        kind=kind,
        status=status,
        title=title or {"en": f"Report {symbol}", "fr": f"Rapport {symbol}", "ru": f"Отчёт {symbol}"},
        **extra,
    )
    for language in languages:
        add_file(document, language)
    return document


def assert_public(response: Any) -> None:
    """Answered here, to anyone: never a redirect (to a login or anywhere else)."""
    assert response.status_code == 200, response.status_code
    assert "Location" not in response.headers
    assert "/accounts/login" not in response.headers.get("Location", "")


def file_bytes(response: Any) -> bytes:
    return b"".join(response.streaming_content)


# Anyone, no account ----------------------------------------------------------------------


def test_anyone_reads_the_list_the_page_every_file_and_the_feeds_without_signing_in(client) -> None:
    meeting = make_meeting()
    document = make_document(meeting, languages=("en", "fr", "ru"))
    add_file(document, "en", version=2, is_current=False)  # an earlier upload, replaced below
    DocumentFile.objects.filter(document=document, language="en", version=1).update(is_current=False)
    DocumentFile.objects.filter(document=document, language="en", version=2).update(is_current=True)

    for language in ("ar", "zh-hans", "en", "fr", "ru", "es"):
        assert_public(client.get(f"/{language}/documents/"))
        assert_public(client.get(f"/{language}/documents/CWG-COP-14-3/"))
        for file_language in ("en", "fr", "ru"):
            assert_public(client.get(f"/{language}/documents/CWG-COP-14-3/{file_language}/"))
        assert_public(client.get(f"/{language}/documents/CWG-COP-14-3/en/v1/"))
        assert_public(client.get(f"/{language}/documents/feed/"))
        assert_public(client.get(f"/{language}/documents/meetings/14/feed/"))


def test_the_footer_of_every_page_links_to_the_documents(client) -> None:
    page = client.get("/es/").content.decode()
    assert 'href="/es/documents/"' in page


def test_the_list_shows_symbol_title_in_the_visitors_language_type_and_languages(client) -> None:
    meeting = make_meeting()
    make_document(meeting, languages=("ru", "en"), title={"en": "Output report", "fr": "Rapport final"})

    page = client.get("/fr/documents/").content.decode()
    assert "CWG-COP/14/3" in page
    assert '<span lang="fr">Rapport final</span>' in page
    with translation.override("fr"):
        assert str(Document.Kind.OUTPUT_REPORT.label) in page
    assert '<li lang="en" dir="ltr">English</li>' in page
    assert '<li lang="ru" dir="ltr">Русский</li>' in page
    assert '<li lang="fr"' not in page.split('class="document-list"')[1]  # no French file


def test_a_title_missing_in_the_visitors_language_falls_back_to_english_marked_as_english(client) -> None:
    make_document(make_meeting(), title={"en": "Output report"})
    page = client.get("/zh-hans/documents/").content.decode()
    assert '<span lang="en">Output report</span>' in page


def test_the_list_is_grouped_by_meeting_newest_first(client) -> None:
    older = make_meeting(13, date(2025, 3, 10))
    newer = make_meeting(14, date(2025, 9, 15))
    make_document(older, "CWG-COP/13/1")
    make_document(newer, "CWG-COP/14/1")

    page = client.get("/en/documents/").content.decode().split('id="results-title"')[1]
    assert page.index(newer.display_name("en")) < page.index("CWG-COP/14/1") < page.index(older.display_name("en"))
    assert page.index(older.display_name("en")) < page.index("CWG-COP/13/1")


def test_the_list_links_the_feeds_in_its_head_and_on_the_page(client) -> None:
    make_document(make_meeting())
    page = client.get("/ru/documents/").content.decode()
    head = page.split("</head>")[0]
    assert '<link rel="alternate" type="application/atom+xml" href="/ru/documents/feed/"' in head
    body = page.split("</head>")[1]
    assert 'href="/ru/documents/feed/"' in body
    assert 'href="/ru/documents/meetings/14/feed/"' in body

    filtered = client.get("/ru/documents/?meeting=14").content.decode().split("</head>")[0]
    assert 'href="/ru/documents/meetings/14/feed/"' in filtered


def test_the_list_links_the_email_subscription_when_it_exists(client) -> None:
    try:
        with translation.override("en"):
            url = reverse("documents:subscribe")
    except NoReverseMatch:
        pytest.skip("the subscription page is not there yet")
    make_document(make_meeting())
    assert f'href="{url}"' in client.get("/en/documents/").content.decode()


# Drafts -----------------------------------------------------------------------------------


def test_an_unpublished_draft_is_nowhere_until_it_is_published(client) -> None:
    meeting = make_meeting()
    document = make_document(meeting, status=Document.Status.DRAFT, title={"en": "Secret draft"})

    assert "Secret draft" not in client.get("/en/documents/").content.decode()
    assert client.get("/en/documents/CWG-COP-14-3/").status_code == 404
    assert client.get("/en/documents/CWG-COP-14-3/en/").status_code == 404
    assert client.get("/en/documents/CWG-COP-14-3/en/v1/").status_code == 404
    assert "Secret draft" not in client.get("/en/documents/feed/").content.decode()
    assert "Secret draft" not in client.get("/en/documents/meetings/14/feed/").content.decode()
    assert "Secret draft" not in client.get("/en/documents/?q=Secret").content.decode()
    # Not even the Secretariat sees it at its public address; their own pages show drafts.
    assert signed_in(client, make_secretariat()).get("/en/documents/CWG-COP-14-3/").status_code == 404
    client.logout()

    document.status = Document.Status.PUBLISHED
    document.published_at = timezone.now()
    document.save()
    assert "Secret draft" in client.get("/en/documents/").content.decode()
    assert_public(client.get("/en/documents/CWG-COP-14-3/"))
    assert_public(client.get("/en/documents/CWG-COP-14-3/en/"))
    assert "Secret draft" in client.get("/en/documents/feed/").content.decode()


def test_a_draft_for_comment_gives_its_deadline_and_the_way_to_comment(client) -> None:
    deadline = timezone.now() + timedelta(days=10)
    make_document(make_meeting(), status=Document.Status.FOR_COMMENT, comment_deadline=deadline)

    page = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert f"Draft for comment until {date_format(deadline, 'DATE_FORMAT')}, {deadline:%H:%M} UTC." in page
    try:
        with translation.override("en"):
            comments = reverse("documents:comments", args=["CWG-COP-14-3"])
    except NoReverseMatch:
        comments = None
    if comments:
        assert f'href="{comments}"' in page
    listed = client.get("/en/documents/").content.decode()
    assert "Draft for comment" in listed and "Comments until" in listed


def test_a_draft_past_its_deadline_says_comments_are_closed(client) -> None:
    make_document(
        make_meeting(), status=Document.Status.FOR_COMMENT, comment_deadline=timezone.now() - timedelta(days=1)
    )
    page = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert "comments are now closed" in page


def test_a_superseded_draft_says_so_links_the_final_version_and_stays_downloadable(client) -> None:
    meeting = make_meeting()
    draft = make_document(meeting, "CWG-COP/14/3", status=Document.Status.FOR_COMMENT)
    make_document(meeting, "CWG-COP/14/3/REV1", supersedes=draft)

    page = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert "This document has been superseded" in page
    assert 'Superseded by <a href="/en/documents/CWG-COP-14-3-REV1/">CWG-COP/14/3/REV1</a>' in page
    response = client.get("/en/documents/CWG-COP-14-3/en/")
    assert_public(response)
    assert file_bytes(response).startswith(b"%PDF")
    final = client.get("/en/documents/CWG-COP-14-3-REV1/").content.decode()
    assert 'href="/en/documents/CWG-COP-14-3/"' in final  # "Replaces"
    assert "Superseded" in client.get("/en/documents/").content.decode()


def test_a_draft_replaced_by_an_unpublished_version_is_not_yet_superseded(client) -> None:
    meeting = make_meeting()
    draft = make_document(meeting, "CWG-COP/14/3", status=Document.Status.FOR_COMMENT)
    make_document(meeting, "CWG-COP/14/3/REV1", status=Document.Status.DRAFT, supersedes=draft)
    page = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert "superseded" not in page.lower()
    assert "REV1" not in page


# Withdrawn ----------------------------------------------------------------------------------


def test_a_withdrawn_document_answers_410_with_when_and_why_on_its_page_and_files(client) -> None:
    document = make_document(make_meeting(), languages=("en", "fr"))
    document.status = Document.Status.WITHDRAWN
    document.withdrawn_at = datetime(2025, 10, 2, 9, 0, tzinfo=UTC)
    document.withdrawal_reason = "Issued in error; see CWG-COP/14/4."
    document.save()

    for url in (
        "/en/documents/CWG-COP-14-3/",
        "/en/documents/CWG-COP-14-3/en/",
        "/en/documents/CWG-COP-14-3/fr/",
        "/en/documents/CWG-COP-14-3/en/v1/",
    ):
        response = client.get(url)
        assert response.status_code == 410, url
        page = response.content.decode()
        assert "This document has been withdrawn" in page
        assert date_format(document.withdrawn_at, "DATE_FORMAT") in page
        assert "Issued in error; see CWG-COP/14/4." in page
        assert "%PDF" not in page
    assert "Withdrawn" in client.get("/en/documents/").content.decode()
    assert "CWG-COP/14/3" not in client.get("/en/documents/feed/").content.decode()


# Files ----------------------------------------------------------------------------------------


def test_a_file_downloads_with_its_content_type_and_a_readable_name(client) -> None:
    document = make_document(make_meeting(), languages=())
    add_file(document, "ru", extension="docx", content=b"PK\x03\x04 a docx")

    response = client.get("/en/documents/CWG-COP-14-3/ru/")
    assert_public(response)
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="CWG-COP-14-3-ru.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert file_bytes(response) == b"PK\x03\x04 a docx"


def test_every_version_stays_downloadable_and_is_listed(client) -> None:
    document = make_document(make_meeting(), languages=())
    add_file(document, "en", version=1, is_current=False, content=b"%PDF first")
    add_file(document, "en", version=2, content=b"%PDF second")

    assert file_bytes(client.get("/en/documents/CWG-COP-14-3/en/")) == b"%PDF second"
    assert file_bytes(client.get("/en/documents/CWG-COP-14-3/en/v1/")) == b"%PDF first"
    assert file_bytes(client.get("/en/documents/CWG-COP-14-3/en/v2/")) == b"%PDF second"
    assert client.get("/en/documents/CWG-COP-14-3/en/v3/").status_code == 404
    page = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert "Earlier versions" in page
    assert 'href="/en/documents/CWG-COP-14-3/en/v1/"' in page


def test_a_language_without_a_file_or_unknown_is_a_404(client) -> None:
    make_document(make_meeting(), languages=("en",))
    assert client.get("/en/documents/CWG-COP-14-3/fr/").status_code == 404
    assert client.get("/en/documents/CWG-COP-14-3/xx/").status_code == 404
    assert client.get("/en/documents/no-such-document/").status_code == 404


def test_the_visitors_language_is_offered_first_then_the_others_named_in_their_own_language(client) -> None:
    make_document(make_meeting(), languages=("en", "fr", "ru", "ar"))

    page = client.get("/ru/documents/CWG-COP-14-3/").content.decode()
    files = page.split('class="document-files"')[1].split("</ul>")[0]
    order = [files.index(f"/ru/documents/CWG-COP-14-3/{code}/") for code in ("ru", "ar", "en", "fr")]
    assert order == sorted(order)
    for code, direction in (("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")):
        name = translation.get_language_info(code)["name_local"]
        assert f'<span lang="{code}" dir="{direction}">{name}</span>' in files
    assert "(PDF," in files

    english = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    assert "It is not available in your language." not in english
    spanish = client.get("/es/documents/CWG-COP-14-3/").content.decode()
    with translation.override("es"):
        assert translation.gettext("It is not available in your language.") in spanish


def test_the_page_gives_symbol_meeting_type_status_and_date(client) -> None:
    meeting = make_meeting(title={"en": "Fourteenth meeting"})
    published = datetime(2025, 9, 20, 12, 0, tzinfo=UTC)
    make_document(meeting, published_at=published)
    page = client.get("/en/documents/CWG-COP-14-3/").content.decode()
    shown = ("CWG-COP/14/3", "CWG-COP-14 – Fourteenth meeting", "Output report", "Published")
    for expected in (*shown, date_format(published, "DATE_FORMAT")):
        assert expected in page


# Filters and paging ------------------------------------------------------------------------


@pytest.fixture
def library() -> dict[str, Document]:
    """Two meetings in two years, documents of several types and languages."""
    autumn = make_meeting(14, date(2025, 9, 15))
    spring = make_meeting(13, date(2024, 3, 10))
    return {
        "report": make_document(autumn, "CWG-COP/14/1", languages=("en", "ru")),
        "contribution": make_document(autumn, "CWG-COP/14/2", kind=Document.Kind.CONTRIBUTION, languages=("fr",)),
        "chair": make_document(spring, "CWG-COP/13/1", kind=Document.Kind.CHAIR_REPORT, languages=("en",)),
        "information": make_document(spring, "CWG-COP/13/2", kind=Document.Kind.INFORMATION, languages=("ar",)),
    }


def listed(client: Any, query: str) -> set[str]:
    page = client.get(f"/en/documents/?{query}").content.decode()
    return {s for s in ("CWG-COP/14/1", "CWG-COP/14/2", "CWG-COP/13/1", "CWG-COP/13/2") if f">{s}<" in page}


def test_the_year_filter_keeps_the_documents_of_that_years_meetings(client, library) -> None:
    assert listed(client, "year=2024") == {"CWG-COP/13/1", "CWG-COP/13/2"}
    assert listed(client, "year=2025") == {"CWG-COP/14/1", "CWG-COP/14/2"}


def test_the_meeting_filter_keeps_that_meeting(client, library) -> None:
    assert listed(client, "meeting=14") == {"CWG-COP/14/1", "CWG-COP/14/2"}


def test_the_type_filter_keeps_that_type(client, library) -> None:
    assert listed(client, "type=contribution") == {"CWG-COP/14/2"}
    assert listed(client, "type=chair-report") == {"CWG-COP/13/1"}


def test_the_language_filter_keeps_documents_with_a_file_in_that_language(client, library) -> None:
    assert listed(client, "language=en") == {"CWG-COP/14/1", "CWG-COP/13/1"}
    assert listed(client, "language=ar") == {"CWG-COP/13/2"}
    assert listed(client, "language=es") == set()


def test_filters_combine_and_are_kept_in_the_form(client, library) -> None:
    assert listed(client, "year=2025&language=en&type=output-report") == {"CWG-COP/14/1"}
    page = client.get("/en/documents/?year=2025&meeting=14&type=contribution&language=fr").content.decode()
    for selected in ('value="2025" selected', 'value="14" selected', 'value="contribution" selected'):
        assert selected in page
    assert 'value="fr" lang="fr" selected' in page


def test_a_filter_value_that_does_not_exist_is_explained_next_to_its_field(client, library) -> None:
    response = client.get("/en/documents/?year=last&type=novel&language=xx")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_year"' in page and 'id="id_year-error"' in page
    assert 'href="#id_type"' in page and 'href="#id_language"' in page
    # A value that cannot be used is dropped, not guessed at: every document is still there.
    assert len(listed(client, "year=last&type=novel&language=xx")) == 4


def test_the_list_pages_by_twenty_five_keeping_the_filters(client) -> None:
    meeting = make_meeting()
    for n in range(1, 28):
        make_document(meeting, f"CWG-COP/14/{n:02d}")

    first = client.get("/en/documents/?type=output-report").content.decode()
    assert first.count('class="document-item"') == 25
    assert 'href="?type=output-report&amp;page=2"' in first
    second = client.get("/en/documents/?type=output-report&page=2").content.decode()
    assert second.count('class="document-item"') == 2
    assert "Page 2 of 2" in second


def test_the_number_of_queries_does_not_grow_with_the_documents(client) -> None:
    meeting = make_meeting()
    make_document(meeting, "CWG-COP/14/1", languages=("en", "fr"))

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/en/documents/", "/en/documents/?q=Report", "/en/documents/?language=en", "/en/documents/feed/"]
    few = [count(url) for url in urls]
    other = make_meeting(13, date(2024, 3, 10))
    for n in range(2, 20):
        document = make_document(meeting if n % 2 else other, f"CWG-COP/14/{n}", languages=("en", "fr", "ru"))
        add_file(document, "en", version=2, is_current=False)
    Document.objects.filter(symbol="CWG-COP/14/2").update(status=Document.Status.FOR_COMMENT)
    many = [count(url) for url in urls]
    assert many == few
