"""Text of an uploaded document, for search. Run by Celery (reports.documents.tasks).

A broken, encrypted or hostile file gives empty text and a log line, never an exception
into the worker: the upload itself was already accepted, and search simply finds less.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.etree import ElementTree

from django.utils import timezone

from reports.models import DocumentFile

logger = logging.getLogger(__name__)

# A search index needs the words, not a whole book: 2 MB of text is several hundred pages.
MAX_TEXT_CHARS = 2_000_000
# An XML part larger than this once uncompressed is a zip bomb rather than a document.
MAX_PART_BYTES = 64 * 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODT_GAPS = (f"{TEXT_NS}s", f"{TEXT_NS}tab", f"{TEXT_NS}line-break")


class TooLarge(Exception):
    pass


def document_file_extract(*, document_file_id: int) -> None:
    """Fill the file's text and mark it extracted. Running it twice writes the same text."""
    document_file = DocumentFile.objects.filter(pk=document_file_id).first()
    if document_file is None:
        return  # deleted since the upload; nothing to do
    try:
        with document_file.file.open("rb") as stream:
            text = extract_text(stream, document_file.extension)
    except Exception:
        logger.warning("Could not extract text from document file %s", document_file_id, exc_info=True)
        text = ""
    DocumentFile.objects.filter(pk=document_file_id).update(text=text, text_extracted_at=timezone.now())


def extract_text(stream: IO[bytes], extension: str) -> str:
    chunks = {
        "pdf": _pdf_text,
        "docx": _docx_text,
        "xlsx": _xlsx_text,
        "pptx": _pptx_text,
        "odt": _odt_text,
    }[extension](stream)
    return _capped(chunks)


def _capped(chunks: Iterator[str]) -> str:
    parts: list[str] = []
    length = 0
    for chunk in chunks:
        # PostgreSQL text cannot hold NUL; other control characters only confuse search.
        chunk = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", chunk).strip()
        if not chunk:
            continue
        parts.append(chunk)
        length += len(chunk) + 1
        if length >= MAX_TEXT_CHARS:
            break
    return "\n".join(parts)[:MAX_TEXT_CHARS]


def _pdf_text(stream: IO[bytes]) -> Iterator[str]:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    if reader.is_encrypted and not reader.decrypt(""):
        return
    for page in reader.pages:
        yield page.extract_text() or ""


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise TooLarge(name)
    with archive.open(info) as entry:
        data = entry.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise TooLarge(name)
    # Office parts never declare a DTD; one that does is refused before parsing, so no
    # entity expansion (billion laughs) or external entity is ever attempted.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError(f"{name} declares a DTD")
    return data


def _paragraphs(data: bytes, paragraph_tags: set[str], text_tags: set[str] | None = None) -> Iterator[str]:
    """The text of each paragraph-like element; with `text_tags`, only those elements' text."""
    depth = 0
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        if element.tag not in paragraph_tags:
            continue
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if depth:
            continue  # a paragraph inside another (a table in a frame): the outer one yields it
        if text_tags is None:
            for gap in (e for e in element.iter() if e.tag in ODT_GAPS):
                gap.text = " "  # <text:s/>, a tab or a line break is a space between words
            yield "".join(element.itertext())
        else:
            yield "".join(e.text or "" for e in element.iter() if e.tag in text_tags)
        element.clear()


def _docx_text(stream: IO[bytes]) -> Iterator[str]:
    with zipfile.ZipFile(stream) as archive:
        yield from _paragraphs(_part(archive, "word/document.xml"), {f"{W}p"}, {f"{W}t"})


def _xlsx_text(stream: IO[bytes]) -> Iterator[str]:
    with zipfile.ZipFile(stream) as archive:
        if "xl/sharedStrings.xml" in archive.namelist():
            yield from _paragraphs(_part(archive, "xl/sharedStrings.xml"), {f"{S}si"}, {f"{S}t"})
        # Inline strings (written by some tools instead of shared ones) live in the sheets.
        for name in _numbered(archive, r"xl/worksheets/sheet(\d+)\.xml"):
            data = _part(archive, name)
            if b"inlineStr" in data:
                yield from _paragraphs(data, {f"{S}is"}, {f"{S}t"})


def _pptx_text(stream: IO[bytes]) -> Iterator[str]:
    with zipfile.ZipFile(stream) as archive:
        for name in _numbered(archive, r"ppt/slides/slide(\d+)\.xml"):
            yield from _paragraphs(_part(archive, name), {f"{A}p"}, {f"{A}t"})


def _odt_text(stream: IO[bytes]) -> Iterator[str]:
    with zipfile.ZipFile(stream) as archive:
        yield from _paragraphs(_part(archive, "content.xml"), {f"{TEXT_NS}p", f"{TEXT_NS}h"})


def _numbered(archive: zipfile.ZipFile, pattern: str) -> list[str]:
    """Parts such as slide1.xml … slide12.xml in their number's order, not the zip's."""
    found = [(int(m.group(1)), name) for name in archive.namelist() if (m := re.fullmatch(pattern, name))]
    return [name for _number, name in sorted(found)]
