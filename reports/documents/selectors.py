"""Reads that shape meeting documents for the public pages and feeds. No login, ever.

Only Document.objects.public() is read here: an unpublished draft is never listed, shown,
searched or served. A withdrawn document stays listed, so that its address can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import add, or_
from typing import cast

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.http import QueryDict
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from consultations.models import Meeting
from consultations.translation import text_in
from cop_site.languages import language_name
from reports.models import Document, DocumentFile

PAGE_SIZE = 25
FEED_SIZE = 50
MAX_QUERY_LENGTH = 200

# PostgreSQL's text-search configuration for each site language. PostgreSQL has no Chinese
# parser: "simple" keeps a run of Chinese characters as one token, so Chinese is also
# matched as a substring (see _search_postgresql).
SEARCH_CONFIGS = {
    "ar": "arabic",
    "zh-hans": "simple",
    "en": "english",
    "fr": "french",
    "ru": "russian",
    "es": "spanish",
}


@dataclass(frozen=True)
class LanguageName:
    """A language named in itself ("Русский"), with what its lang and dir attributes need."""

    code: str
    name: str
    bidi: bool


def language_of(code: str) -> LanguageName:
    return LanguageName(code=code, name=language_name(code), bidi=get_language_info(code)["bidi"])


def document_title(document: Document, language: str) -> tuple[str, str]:
    """(title, language it is in): the visitor's language, else English, else the symbol."""
    for code in (language, "en"):
        text = text_in(document.title, code)
        if text:
            return text, code
    return document.symbol, "en"


# Filters ---------------------------------------------------------------------------------


@dataclass
class DocumentFilters:
    """What the visitor asked the list for, from the query string; a bad value is dropped."""

    q: str = ""
    year: int | None = None
    meeting: int | None = None
    kind: str = ""
    language: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)

    @classmethod
    def from_query(cls, query: QueryDict) -> DocumentFilters:
        # NUL and other control characters mean nothing in a search and PostgreSQL refuses NUL.
        text = "".join(ch for ch in query.get("q", "") if ch.isprintable() or ch.isspace())
        found = cls(q=" ".join(text.split())[:MAX_QUERY_LENGTH])
        year = query.get("year", "").strip()
        if year:
            if year.isdigit() and len(year) == 4:
                found.year = int(year)
            else:
                found.errors.append(("id_year", _("Choose a year from the list.")))
        meeting = query.get("meeting", "").strip()
        if meeting:
            if meeting.isdigit() and len(meeting) < 5:
                found.meeting = int(meeting)
            else:
                found.errors.append(("id_meeting", _("Choose a meeting from the list.")))
        kind = query.get("type", "").strip()
        if kind:
            if kind in Document.Kind.values:
                found.kind = kind
            else:
                found.errors.append(("id_type", _("Choose a type of document from the list.")))
        language = query.get("language", "").strip()
        if language:
            if language in settings.LANGUAGE_CODES:
                found.language = language
            else:
                found.errors.append(("id_language", _("Choose a language from the list.")))
        return found

    def query_items(self) -> list[tuple[str, str]]:
        items = [
            ("q", self.q),
            ("year", str(self.year or "")),
            ("meeting", str(self.meeting or "")),
            ("type", self.kind),
            ("language", self.language),
        ]
        return [(name, value) for name, value in items if value]

    @property
    def is_active(self) -> bool:
        return bool(self.query_items())


@dataclass(frozen=True)
class FilterChoices:
    years: list[int]
    meetings: list[tuple[int, str]]  # (number, name in the visitor's language)
    kinds: list[tuple[str, str]]
    languages: list[LanguageName]


def filter_choices(language: str) -> FilterChoices:
    """Only what has public documents: a visitor never picks a filter that finds nothing."""
    meetings = list(Meeting.objects.filter(Exists(Document.objects.public().filter(meeting=OuterRef("pk")))))
    years = sorted({m.starts_on.year for m in meetings}, reverse=True)
    return FilterChoices(
        years=years,
        meetings=[(m.number, m.display_name(language)) for m in meetings],
        kinds=[(value, str(label)) for value, label in Document.Kind.choices],
        languages=[language_of(code) for code in settings.LANGUAGE_CODES],
    )


# The list -----------------------------------------------------------------------------------


def _with_current_files(documents: QuerySet[Document]) -> QuerySet[Document]:
    # The extracted text can be long and is never shown: leave it in the database.
    current = DocumentFile.objects.filter(is_current=True).defer("text").order_by("language")
    return documents.select_related("meeting", "superseded_by").prefetch_related(
        Prefetch("files", queryset=current, to_attr="current_files")
    )


def documents_for_list(*, filters: DocumentFilters, language: str) -> QuerySet[Document]:
    """The public documents the filters ask for: newest meeting first, or best match first."""
    documents: QuerySet[Document] = Document.objects.public()
    if filters.year:
        documents = documents.filter(meeting__starts_on__year=filters.year)
    if filters.meeting:
        documents = documents.filter(meeting__number=filters.meeting)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.language:
        documents = documents.filter(
            Exists(DocumentFile.objects.filter(document=OuterRef("pk"), is_current=True, language=filters.language))
        )
    if filters.q:
        if search_is_ranked():
            documents = _search_postgresql(documents, filters.q, language)
        else:
            documents = _search_simple(documents, filters.q)
    return _with_current_files(documents)


def search_is_ranked() -> bool:
    """Whether search results come best match first (PostgreSQL), or in the list's order."""
    return connection.vendor == "postgresql"


def _title_key(code: str) -> KeyTextTransform:
    return KeyTextTransform(code, "title")


def _search_simple(documents: QuerySet[Document], text: str) -> QuerySet[Document]:
    """Substrings of the titles and the text, for SQLite: the embedded setup has few documents.

    SQLite's LIKE folds the case of ASCII letters only, so the query is also tried in lower
    case, upper case and with a capital first letter: "отчёт" finds "Отчёт о собрании".
    """
    variants = {text, text.lower(), text.upper(), text[:1].upper() + text[1:].lower()}
    aliases = {code: f"title_{code.replace('-', '_')}" for code in settings.LANGUAGE_CODES}
    documents = documents.alias(**{alias: _title_key(code) for code, alias in aliases.items()})
    in_text = reduce(or_, [Q(text__icontains=v) for v in variants])
    # A Q at run time (Q._combine takes any conditional expression); the stubs make it Exists'.
    matches = cast(
        Q,
        Q(symbol__icontains=text)
        | Exists(DocumentFile.objects.filter(in_text, document=OuterRef("pk"), is_current=True)),
    )
    for variant in variants:
        for alias in aliases.values():
            matches |= Q(**{f"{alias}__icontains": variant})
    return documents.filter(matches)


def _file_config() -> Case:
    """A file's own text-search configuration, from its language."""
    return Case(
        *[When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()],
        default=Value("simple"),
        output_field=CharField(),
    )


def _search_postgresql(documents: QuerySet[Document], text: str, language: str) -> QuerySet[Document]:
    """Full-text search with each language's stemming, best match first.

    Every title is indexed with its own language's configuration, and so is the text of every
    current file. The query is read in the visitor's configuration and in each of the others,
    so a Russian word finds a Russian file whatever the page's language; a match in a title
    outranks one in a text, and a title matched in the visitor's language ranks higher still.
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    order = [language] + [code for code in SEARCH_CONFIGS if code != language]
    visitor_query = SearchQuery(text, config=SEARCH_CONFIGS.get(language, "simple"), search_type="websearch")
    any_query = reduce(or_, [SearchQuery(text, config=SEARCH_CONFIGS[code], search_type="websearch") for code in order])

    # The text's vector is computed per request (none is stored), so the files are searched
    # once, in a query of their own, rather than once per document in a correlated subquery.
    file_ranks = dict(
        DocumentFile.objects.filter(is_current=True, document__in=documents.values("pk"))
        .alias(vector=SearchVector("text", config=_file_config(), weight="B"))
        .filter(vector=any_query)
        .values("document")
        .annotate(rank=Max(SearchRank(F("vector"), any_query)))
        .values_list("document", "rank")
    )
    file_rank = Case(
        *[When(pk=pk, then=Value(rank)) for pk, rank in file_ranks.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    title_vector = reduce(
        add,
        [SearchVector(_title_key(code), config=config, weight="A") for code, config in SEARCH_CONFIGS.items()],
    )
    # Chinese is matched as a substring too, in Chinese titles and files only.
    chinese = Q(title_zh__icontains=text) | Exists(
        DocumentFile.objects.filter(document=OuterRef("pk"), is_current=True, language="zh-hans", text__icontains=text)
    )
    return (
        documents.alias(title_vector=title_vector, title_zh=_title_key("zh-hans"))
        .filter(Q(title_vector=any_query) | Q(pk__in=list(file_ranks)) | Q(symbol__icontains=text) | chinese)
        .annotate(
            rank=file_rank + SearchRank(F("title_vector"), any_query) + SearchRank(F("title_vector"), visitor_query)
        )
        .order_by("-rank", "-meeting__starts_on", "symbol")
    )


@dataclass(frozen=True)
class DocumentItem:
    """One document as a list or feed shows it."""

    document: Document
    title: str
    title_language: str
    languages: list[LanguageName]
    comments_open: bool

    @property
    def is_superseded(self) -> bool:
        return self.document.is_superseded


@dataclass
class MeetingGroup:
    meeting: Meeting
    name: str
    items: list[DocumentItem]


def document_item(document: Document, language: str, *, now: datetime) -> DocumentItem:
    title, title_language = document_title(document, language)
    present = {f.language for f in getattr(document, "current_files", [])}
    return DocumentItem(
        document=document,
        title=title,
        title_language=title_language,
        languages=[language_of(code) for code in settings.LANGUAGE_CODES if code in present],
        comments_open=document.comments_open(now),
    )


def group_by_meeting(items: list[DocumentItem], language: str) -> list[MeetingGroup]:
    """Consecutive documents of one meeting under one heading (the list is ordered by meeting)."""
    groups: list[MeetingGroup] = []
    for item in items:
        meeting = item.document.meeting
        if not groups or groups[-1].meeting.pk != meeting.pk:
            groups.append(MeetingGroup(meeting=meeting, name=meeting.display_name(language), items=[]))
        groups[-1].items.append(item)
    return groups


# One document ---------------------------------------------------------------------------------


def public_document(slug: str, *, with_files: bool = True) -> Document | None:
    """The document at this address, unless it is an unpublished draft (then, as if absent)."""
    documents = Document.objects.public().filter(slug=slug)
    if with_files:
        documents = documents.select_related("meeting", "supersedes", "superseded_by").prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.defer("text"))
        )
    return documents.first()


@dataclass(frozen=True)
class FileRow:
    file: DocumentFile
    language: LanguageName

    @property
    def format(self) -> str:
        return self.file.extension.upper()


@dataclass(frozen=True)
class DocumentPage:
    document: Document
    title: str
    title_language: str
    meeting_name: str
    current: list[FileRow]  # the visitor's language first, then the site's order
    earlier: list[FileRow]  # newest first, by language
    comments_open: bool
    # The document that replaced this one, once public; None for a draft still in the works.
    replaced_by: Document | None


def document_page(document: Document, language: str, *, now: datetime) -> DocumentPage:
    files = list(document.files.all())
    site_order = {code: position for position, code in enumerate(settings.LANGUAGE_CODES)}

    def language_order(f: DocumentFile) -> tuple[int, int]:
        return (0 if f.language == language else 1, site_order.get(f.language, len(site_order)))

    current = sorted((f for f in files if f.is_current), key=language_order)
    earlier = sorted((f for f in files if not f.is_current), key=lambda f: (*language_order(f), -f.version))
    title, title_language = document_title(document, language)
    return DocumentPage(
        document=document,
        title=title,
        title_language=title_language,
        meeting_name=document.meeting.display_name(language),
        current=[FileRow(f, language_of(f.language)) for f in current],
        earlier=[FileRow(f, language_of(f.language)) for f in earlier],
        comments_open=document.comments_open(now),
        replaced_by=document.superseded_by if document.is_superseded else None,
    )


def file_to_download(document: Document, file_language: str, version: int | None) -> DocumentFile | None:
    """The current file in a language, or one given version of it."""
    files = DocumentFile.objects.filter(document=document, language=file_language).defer("text")
    found = files.filter(is_current=True).first() if version is None else files.filter(version=version).first()
    if found is not None:
        found.document = document
    return found


# Feeds -----------------------------------------------------------------------------------------


def documents_for_feed(meeting: Meeting | None = None) -> QuerySet[Document]:
    """Newest first: what was published or opened for comment, never withdrawn, never a draft."""
    documents = Document.objects.filter(status__in=[Document.Status.PUBLISHED, Document.Status.FOR_COMMENT])
    if meeting is not None:
        documents = documents.filter(meeting=meeting)
    newest = F("published_at").desc(nulls_last=True)
    return documents.select_related("meeting", "superseded_by").order_by(newest, "-updated_at", "-pk")[:FEED_SIZE]


def meeting_for_feed(number: int) -> Meeting | None:
    return Meeting.objects.filter(number=number).first()
