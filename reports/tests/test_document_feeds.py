"""Atom feeds of new documents, overall and per meeting: valid Atom, in the feed's language,
with absolute links, stable ids and dates; never a draft or a withdrawn document."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from reports.models import Document
from reports.tests.test_documents_public import make_document, make_meeting

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def atom(client: Any, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert "Location" not in response.headers
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(feed: ElementTree.Element) -> list[dict[str, str]]:
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        found.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "link": link.get("href") if link is not None else "",
                "updated": entry.findtext(f"{ATOM}updated"),
                "summary": entry.findtext(f"{ATOM}summary") or "",
            }
        )
    return found


@pytest.fixture
def published() -> dict[str, Document]:
    autumn = make_meeting(14, date(2025, 9, 15))
    spring = make_meeting(13, date(2025, 3, 10))
    day = datetime(2025, 9, 20, 9, 0, tzinfo=UTC)
    return {
        "report": make_document(
            autumn,
            "CWG-COP/14/1",
            title={"en": "Meeting report", "ru": "Отчёт о собрании"},
            published_at=day,
        ),
        "draft": make_document(
            autumn,
            "CWG-COP/14/2",
            status=Document.Status.FOR_COMMENT,
            comment_deadline=day + timedelta(days=30),
            published_at=day + timedelta(days=1),
        ),
        "spring": make_document(spring, "CWG-COP/13/1", published_at=day - timedelta(days=180)),
        "hidden": make_document(autumn, "CWG-COP/14/3", status=Document.Status.DRAFT),
        "withdrawn": make_document(
            autumn, "CWG-COP/14/4", status=Document.Status.WITHDRAWN, withdrawn_at=timezone.now()
        ),
    }


def test_the_feed_is_valid_atom_with_the_feed_and_entry_elements_atom_requires(client, published) -> None:
    feed = atom(client, "/en/documents/feed/")
    assert feed.findtext(f"{ATOM}title") == "CWG-COP documents"
    assert feed.findtext(f"{ATOM}id")
    assert feed.findtext(f"{ATOM}updated")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/en/documents/feed/"
    for entry in entries(feed):
        assert entry["id"] and entry["title"] and entry["updated"]
        assert entry["link"].startswith("http://testserver/en/documents/")
        datetime.fromisoformat(entry["updated"])


def test_the_feed_lists_published_documents_and_drafts_for_comment_newest_first(client, published) -> None:
    listed = entries(atom(client, "/en/documents/feed/"))
    assert [e["link"] for e in listed] == [
        "http://testserver/en/documents/CWG-COP-14-2/",
        "http://testserver/en/documents/CWG-COP-14-1/",
        "http://testserver/en/documents/CWG-COP-13-1/",
    ]
    assert "Draft for comment until" in listed[0]["summary"]


def test_an_unpublished_draft_and_a_withdrawn_document_are_not_in_any_feed(client, published) -> None:
    for url in ("/en/documents/feed/", "/en/documents/meetings/14/feed/"):
        links = [e["link"] for e in entries(atom(client, url))]
        assert not any("CWG-COP-14-3" in link or "CWG-COP-14-4" in link for link in links)


def test_entries_are_titled_in_the_feeds_language(client, published) -> None:
    russian = {e["link"]: e["title"] for e in entries(atom(client, "/ru/documents/feed/"))}
    assert russian["http://testserver/ru/documents/CWG-COP-14-1/"] == "CWG-COP/14/1 – Отчёт о собрании"
    english = {e["link"]: e["title"] for e in entries(atom(client, "/en/documents/feed/"))}
    assert english["http://testserver/en/documents/CWG-COP-14-1/"] == "CWG-COP/14/1 – Meeting report"
    assert atom(client, "/ru/documents/feed/").get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"


def test_ids_are_stable_from_one_fetch_to_the_next(client, published) -> None:
    first = [e["id"] for e in entries(atom(client, "/fr/documents/feed/"))]
    published["report"].save()  # an edit moves "updated", never the id
    second = [e["id"] for e in entries(atom(client, "/fr/documents/feed/"))]
    assert first == second and len(set(first)) == len(first)


def test_the_meeting_feed_lists_only_that_meeting(client, published) -> None:
    feed = atom(client, "/en/documents/meetings/13/feed/")
    assert "CWG-COP-13" in feed.findtext(f"{ATOM}title")
    assert [e["link"] for e in entries(feed)] == ["http://testserver/en/documents/CWG-COP-13-1/"]
    assert client.get("/en/documents/meetings/99/feed/").status_code == 404


def test_a_feed_of_a_meeting_without_documents_is_valid_and_empty(client) -> None:
    make_meeting(15, date(2026, 3, 1))
    assert entries(atom(client, "/es/documents/meetings/15/feed/")) == []
