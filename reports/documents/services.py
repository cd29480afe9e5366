"""The secretariat's writes on meeting output documents: create, add a file, publish,
supersede, withdraw.

Which of these a document allows in its present state is decided once, by the Document
model (`upload_refusal`, `publish_refusal`, `supersede_refusal`, `withdraw_refusal`): the
secretariat's pages ask it which actions to offer, and each write here asks it again and
refuses with its message. Every refusal is a ValidationError keyed by the field it concerns
(symbol, file, comment_deadline, reason, …), with a message written for the secretariat, so
a form can put it beside the field. Side effects (text extraction, subscriber emails) are Celery tasks
fired only once the transaction has committed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation, Meeting
from reports.documents.tasks import extract_document_text, notify_subscribers
from reports.documents.uploads import upload_check
from reports.models import Document, DocumentFile

# Letters, digits, hyphens and slashes: the slug ("/" made "-") is then a valid address.
SYMBOL_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9/-]*[A-Za-z0-9])?$")
MAX_SYMBOL_LENGTH = 60
MAX_TITLE_LENGTH = 500


def symbol_slug(symbol: str) -> str:
    return symbol.replace("/", "-")


def document_create(
    *,
    meeting: Meeting | None,
    symbol: str,
    kind: str,
    title: dict[str, str],
    consultation: Consultation | None = None,
) -> Document:
    """A new, unpublished document; nobody outside the secretariat sees it yet."""
    symbol = (symbol or "").strip()
    errors: dict[str, list[str]] = {}
    if not symbol:
        errors["symbol"] = [_("Enter the document’s symbol, for example CWG-COP/14/3.")]
    elif len(symbol) > MAX_SYMBOL_LENGTH or not SYMBOL_PATTERN.match(symbol) or "//" in symbol:
        errors["symbol"] = [_("A symbol has only letters, digits, hyphens and slashes, for example CWG-COP/14/3.")]
    else:
        slug = symbol_slug(symbol)
        # Case and "/" against "-" are ignored, so two documents never share a readable address.
        if (
            Document.objects.filter(slug__iexact=slug).exists()
            or Document.objects.filter(symbol__iexact=symbol).exists()
        ):
            errors["symbol"] = [_("Another document already has this symbol: choose another.")]
    if kind not in Document.Kind.values:
        errors["kind"] = [_("Choose the type of document.")]
    cleaned_title = {
        code: text.strip()
        for code, text in (title or {}).items()
        if code in settings.LANGUAGE_CODES and isinstance(text, str) and text.strip()
    }
    if not cleaned_title:
        errors["title"] = [_("Write the title in at least one language.")]
    elif any(len(text) > MAX_TITLE_LENGTH for text in cleaned_title.values()):
        errors["title"] = [_("A title can have at most %(count)d characters.") % {"count": MAX_TITLE_LENGTH}]
    if meeting is None:
        errors["meeting"] = [_("Choose the meeting the document belongs to.")]
    if errors:
        raise ValidationError(errors)
    assert meeting is not None  # else errors["meeting"] was raised just above
    try:
        with transaction.atomic():
            return Document.objects.create(
                meeting=meeting,
                symbol=symbol,
                slug=symbol_slug(symbol),
                kind=kind,
                title=cleaned_title,
                consultation=consultation,
            )
    except IntegrityError:
        # Two people creating the same symbol at once: the unique constraints decide.
        raise ValidationError({"symbol": [_("Another document already has this symbol: choose another.")]}) from None


def _stored_name(document: Document, language: str, version: int, extension: str) -> str:
    return f"{document.slug}-{language}-v{version}.{extension}"


def document_file_add(*, document: Document, language: str, uploaded: UploadedFile, user: Any) -> DocumentFile:
    """Add a file in one language, or a new version of it; earlier versions stay listed.

    The content is checked before anything is written, so a refused file leaves no row and
    no stored file behind.
    """
    if language not in settings.LANGUAGE_CODES:
        raise ValidationError({"language": [_("Choose one of the six languages.")]})
    if refusal := document.upload_refusal():
        raise ValidationError({"file": [refusal]})
    try:
        file_type = upload_check(uploaded)
    except ValidationError as refused:
        raise ValidationError({"file": refused.messages}) from None

    stored_name = ""
    try:
        with transaction.atomic():
            # Locking the document serialises uploads to it, even the first, which has no
            # earlier file row to lock; the partial unique constraint is the last guard.
            Document.objects.select_for_update().get(pk=document.pk)
            earlier = list(
                DocumentFile.objects.select_for_update()
                .filter(document=document, language=language)
                .order_by("-version")
                .only("pk", "version", "is_current")
            )
            version = earlier[0].version + 1 if earlier else 1
            DocumentFile.objects.filter(document=document, language=language, is_current=True).update(is_current=False)
            document_file = DocumentFile(
                document=document,
                language=language,
                version=version,
                is_current=True,
                content_type=file_type.content_type,
                extension=file_type.extension,
                size=uploaded.size or 0,
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
            uploaded.seek(0)
            document_file.file.save(
                _stored_name(document, language, version, file_type.extension), uploaded, save=False
            )
            stored_name = document_file.file.name
            document_file.save()
            Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
            # robust: a broker that is down must not turn a stored upload into an error page;
            # the beat task reports.statistics.tasks.requeue_unfinished_work catches up when it is back.
            transaction.on_commit(lambda: _extract_later(document_file.pk), robust=True)
    except Exception:
        if stored_name:
            document_file.file.storage.delete(stored_name)
        raise
    return document_file


def _extract_later(document_file_id: int) -> None:
    extract_document_text.delay(document_file_id)


def _notify_later(document_id: int) -> None:
    notify_subscribers.delay(document_id)


def document_publish(*, document: Document, for_comment_until: datetime | None = None) -> Document:
    """Publish now, or as a draft open for comment until `for_comment_until`."""
    now = timezone.now()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if refusal := document.publish_refusal():
            raise ValidationError(refusal)
        if not document.files.filter(is_current=True).exists():
            raise ValidationError({"file": [_("Upload at least one file before publishing the document.")]})
        if for_comment_until is not None:
            if for_comment_until <= now:
                raise ValidationError({"comment_deadline": [_("The deadline for comments must be in the future.")]})
            document.status = Document.Status.FOR_COMMENT
            document.comment_deadline = for_comment_until
        else:
            document.status = Document.Status.PUBLISHED
        first_time = document.published_at is None
        if first_time:
            document.published_at = now
        document.save(update_fields=["status", "comment_deadline", "published_at", "updated_at"])
        if first_time:
            # Subscribers hear of a document once, when it first becomes public.
            transaction.on_commit(lambda: _notify_later(document.pk), robust=True)
    return document


def document_supersede(*, draft: Document, final: Document) -> Document:
    """Record that `final` replaces the draft for comment; the draft stays downloadable."""
    with transaction.atomic():
        draft = Document.objects.select_for_update().get(pk=draft.pk)
        final = Document.objects.select_for_update().get(pk=final.pk)
        if refusal := final.supersede_refusal(draft):
            raise ValidationError({"draft": [refusal]})
        final.supersedes = draft
        final.save(update_fields=["supersedes", "updated_at"])
    return final


def document_withdraw(*, document: Document, reason: str) -> Document:
    """Withdraw with a reason; the document's address keeps saying what happened."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the document is withdrawn; visitors will read it.")]})
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if refusal := document.withdraw_refusal():
            raise ValidationError(refusal)
        document.status = Document.Status.WITHDRAWN
        document.withdrawn_at = timezone.now()
        document.withdrawal_reason = reason
        document.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    return document
