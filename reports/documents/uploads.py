"""What an uploaded document really is, judged from its content and never from its name.

libmagic (through python-magic) reads the first bytes, as `file` does. It recognises a PDF
well, but sees most Office files only as "a zip", and guesses DOCX from XLSX by the order
of the zip's entries; so for zip-based types the zip's own catalogue decides: the main part
named in [Content_Types].xml (OOXML) or the "mimetype" entry (OpenDocument). Only the
central directory and one or two small entries are read; nothing is extracted.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 8192
# The catalogue entries read here are a few kilobytes; a larger one is not an Office file.
MAX_CATALOGUE_BYTES = 1024 * 1024

CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PPTX")
ODT = FileType("odt", ODT_MIMETYPE, "ODT")

ALLOWED = {t.extension: t for t in (PDF, DOCX, XLSX, ODT, PPTX)}

# The content type OOXML gives its main part, and the folder that part must live in.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (DOCX, "word/"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (XLSX, "xl/"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (PPTX, "ppt/"),
}

ZIP_HEADER = b"PK\x03\x04"


def max_upload_mb() -> float:
    return float(getattr(settings, "DOCUMENTS_MAX_UPLOAD_MB", 50))


def max_upload_bytes() -> int:
    return int(max_upload_mb() * 1024 * 1024)


def max_upload_label() -> str:
    """50, or 0.5: the limit as people write it."""
    return f"{max_upload_mb():g}"


def name_extension(name: str) -> str:
    base = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _is_zip_family(mime: str) -> bool:
    return (
        mime in ("application/zip", "application/x-zip-compressed", "application/octet-stream")
        or mime.startswith("application/vnd.openxmlformats-officedocument.")
        or mime.startswith("application/vnd.oasis.opendocument.")
    )


def _read_entry(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_CATALOGUE_BYTES:
        return None
    with archive.open(info) as entry:
        return entry.read(MAX_CATALOGUE_BYTES + 1)[:MAX_CATALOGUE_BYTES]


def _zip_type(stream: IO[bytes]) -> FileType | None:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        names = set(archive.namelist())
        try:
            mimetype = _read_entry(archive, "mimetype")
            if mimetype is not None:
                # OpenDocument: an ODS or ODP shares the shape, only the mimetype entry differs.
                if mimetype.strip() == ODT_MIMETYPE.encode() and "content.xml" in names:
                    return ODT
                return None
            catalogue = _read_entry(archive, "[Content_Types].xml")
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            return None  # an encrypted or damaged entry
    if not catalogue or b"<!DOCTYPE" in catalogue or b"<!ENTITY" in catalogue:
        return None
    try:
        root = ElementTree.fromstring(catalogue)
    except ElementTree.ParseError:
        return None
    for override in root.iter(f"{CONTENT_TYPES_NS}Override"):
        found = OOXML_MAIN_PARTS.get(override.get("ContentType", ""))
        if found is None:
            continue
        file_type, folder = found
        part = override.get("PartName", "").lstrip("/")
        # Macro-enabled and template variants have other main types and are not accepted.
        if part.startswith(folder) and part in names:
            return file_type
        return None
    return None


def sniff(stream: IO[bytes]) -> tuple[FileType | None, str]:
    """(the allowed type the content is, if any; libmagic's own MIME type)."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    mime = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    if mime == "application/pdf" and head.startswith(b"%PDF-"):
        return PDF, mime
    if head.startswith(ZIP_HEADER) and _is_zip_family(mime):
        found = _zip_type(stream)
        stream.seek(0)
        return found, mime
    return None, mime


def upload_check(uploaded: UploadedFile) -> FileType:
    """The upload's type, or a ValidationError saying in plain words why it is refused."""
    if uploaded.size is not None and uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": max_upload_label()}, code="too_large"
        )
    if not uploaded.size:
        raise ValidationError(_("The file is empty."), code="empty")
    claimed = ALLOWED.get(name_extension(uploaded.name or ""))
    if claimed is None:
        raise ValidationError(_("Only PDF, DOCX, XLSX, ODT and PPTX files can be uploaded."), code="type")
    found, _mime = sniff(uploaded)
    if found != claimed:
        raise ValidationError(
            _("The file’s content is not %(type)s, although its name ends in .%(extension)s.")
            % {"type": claimed.label, "extension": claimed.extension},
            code="disguised",
        )
    return found
