"""Finding a document by its title or its text: PostgreSQL's full-text search with each
language's stemming on the full stack, a plainer substring search on SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from reports.models import Document
from reports.tests.test_documents_public import add_file, make_document, make_meeting

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
on_sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="the embedded (SQLite) search")

SYMBOLS = ("CWG-COP/14/1", "CWG-COP/14/2", "CWG-COP/14/3")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def found(client: Any, query: str, language: str = "en") -> list[str]:
    """The symbols of the documents a search lists, in the order shown."""
    response = client.get(f"/{language}/documents/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode().split('id="results-title"')[1]
    shown = [(page.index(f">{s}<"), s) for s in SYMBOLS if f">{s}<" in page]
    return [symbol for _position, symbol in sorted(shown)]


def with_text(symbol: str, language: str, text: str, *, title: dict[str, str] | None = None) -> Document:
    meeting = make_meeting(14) if not Document.objects.exists() else Document.objects.first().meeting
    document = make_document(meeting, symbol, languages=(), title=title or {"en": f"Document {symbol[-1]}"})
    add_file(document, language, text=text)
    return document


# Both databases ------------------------------------------------------------------------------


def test_a_symbol_finds_its_document(client) -> None:
    with_text("CWG-COP/14/1", "en", "Nothing in particular")
    with_text("CWG-COP/14/2", "en", "Nothing either")
    assert found(client, "CWG-COP/14/2") == ["CWG-COP/14/2"]


def test_an_unpublished_draft_is_never_found(client) -> None:
    draft = with_text("CWG-COP/14/1", "en", "Online safety report")
    draft.status = Document.Status.DRAFT
    draft.save()
    assert found(client, "safety") == []


def test_search_combines_with_the_filters(client) -> None:
    with_text("CWG-COP/14/1", "en", "Online safety report")
    contribution = with_text("CWG-COP/14/2", "en", "Online safety contribution")
    contribution.kind = Document.Kind.CONTRIBUTION
    contribution.save()
    response = client.get("/en/documents/", {"q": "safety", "type": "contribution"})
    assert ">CWG-COP/14/2<" in response.content.decode()
    assert ">CWG-COP/14/1<" not in response.content.decode()


def test_the_search_is_kept_in_the_box_and_results_say_how_many(client) -> None:
    with_text("CWG-COP/14/1", "en", "Online safety report")
    page = client.get("/en/documents/", {"q": "safety"}).content.decode()
    assert 'name="q" value="safety"' in page
    assert "1 document matches “safety”" in page


# SQLite ------------------------------------------------------------------------------------------


@on_sqlite
def test_sqlite_finds_words_of_a_title_in_any_language_whatever_their_case(client) -> None:
    with_text("CWG-COP/14/1", "ru", "", title={"en": "Meeting report", "ru": "Отчёт о собрании"})
    with_text("CWG-COP/14/2", "en", "", title={"en": "Contribution from Kenya"})
    assert found(client, "отчёт", "ru") == ["CWG-COP/14/1"]
    assert found(client, "ОТЧЁТ", "en") == ["CWG-COP/14/1"]
    assert found(client, "meeting REPORT") == ["CWG-COP/14/1"]
    assert found(client, "kenya") == ["CWG-COP/14/2"]


@on_sqlite
def test_sqlite_finds_words_of_the_text(client) -> None:
    with_text("CWG-COP/14/1", "fr", "Le rapport sur la protection en ligne des enfants")
    with_text("CWG-COP/14/2", "zh-hans", "关于儿童在线保护的报告")
    assert found(client, "protection en ligne", "fr") == ["CWG-COP/14/1"]
    assert found(client, "在线保护", "zh-hans") == ["CWG-COP/14/2"]
    assert found(client, "nothing like this") == []


# PostgreSQL --------------------------------------------------------------------------------------

# (file language, text of the file, a query that only stemming or segmenting can match)
STEMMED = [
    ("ru", "Отчёт о собрании рабочей группы", "отчеты"),
    ("fr", "Le rapport de la réunion du groupe", "rapports"),
    ("ar", "تقرير الاجتماع", "التقرير"),
    ("es", "Informe de la reunión del grupo", "informes"),
    ("en", "Reports of the meeting of the group", "reporting"),
    ("zh-hans", "关于儿童在线保护的报告", "在线保护"),
]


@on_postgresql
@pytest.mark.parametrize(("language", "text", "query"), STEMMED, ids=[row[0] for row in STEMMED])
def test_postgresql_finds_the_text_of_a_file_in_its_own_language(client, language, text, query) -> None:
    with_text("CWG-COP/14/1", language, text)
    with_text("CWG-COP/14/2", language, "Nothing to see here: 无关 · لا شيء · rien · ничего")
    # From a page in that language, and from one in another: a Russian word is found anywhere.
    assert found(client, query, language) == ["CWG-COP/14/1"]
    assert found(client, query, "en" if language != "en" else "fr") == ["CWG-COP/14/1"]


@on_postgresql
@pytest.mark.parametrize(("language", "text", "query"), STEMMED, ids=[row[0] for row in STEMMED])
def test_postgresql_finds_a_title_in_each_language_even_without_a_file(client, language, text, query) -> None:
    with_text("CWG-COP/14/1", "en", "", title={"en": "Document", language: text})
    with_text("CWG-COP/14/2", "en", "", title={"en": "Something else"})
    assert found(client, query, language) == ["CWG-COP/14/1"]


@on_postgresql
def test_postgresql_puts_a_match_in_the_title_before_one_in_the_text(client) -> None:
    with_text("CWG-COP/14/1", "en", "A long text that mentions cyberbullying once.", title={"en": "Annual summary"})
    with_text("CWG-COP/14/2", "en", "Other text.", title={"en": "Cyberbullying among young people"})
    assert found(client, "cyberbullying") == ["CWG-COP/14/2", "CWG-COP/14/1"]


@on_postgresql
def test_postgresql_searches_only_the_current_version_of_a_file(client) -> None:
    document = with_text("CWG-COP/14/1", "en", "The current wording")
    document.files.update(is_current=False)
    add_file(document, "en", version=2, text="A rewritten paragraph")
    assert found(client, "paragraph") == ["CWG-COP/14/1"]
    assert found(client, "wording") == []


@on_postgresql
def test_postgresql_takes_any_typed_query_without_an_error(client) -> None:
    with_text("CWG-COP/14/1", "en", "Online safety")
    for query in ('"online safety"', "safety -online", "!!!", "a & | b", "' OR 1=1 --", "the"):
        assert client.get("/en/documents/", {"q": query}).status_code == 200, query
    assert found(client, '"online safety"') == ["CWG-COP/14/1"]
