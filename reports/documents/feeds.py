"""Atom feeds of newly published documents, overall and per meeting, in the page's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultations.models import Meeting
from cop_site.languages import current_language
from reports.documents import selectors
from reports.models import Document


class DocumentsFeed(Feed[Document, Meeting | None]):
    """The newest published documents and drafts for comment, of every meeting."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> Meeting | None:
        return None

    def title(self, obj: Meeting | None) -> str:
        return _("CWG-COP documents")

    def subtitle(self, obj: Meeting | None) -> str:
        return _("Documents of the ITU Council Working Group on Child Online Protection, newest first.")

    def link(self, obj: Meeting | None) -> str:
        return reverse("documents:list")

    def feed_url(self, obj: Meeting | None) -> str:
        return reverse("documents:feed")

    def items(self, obj: Meeting | None) -> list[Document]:
        return list(selectors.documents_for_feed(obj))

    def item_title(self, item: Document) -> str:
        title, _language_code = selectors.document_title(item, current_language())
        return f"{item.symbol} – {title}"

    def item_description(self, item: Document) -> str:
        language = current_language()
        parts = [str(item.get_kind_display()), item.meeting.display_name(language)]
        if item.is_superseded:
            parts.append(_("Superseded by %(symbol)s") % {"symbol": item.superseded_by.symbol})
        elif item.status == Document.Status.FOR_COMMENT and item.comment_deadline:
            parts.append(
                _("Draft for comment until %(date)s")
                % {"date": date_format(timezone.localtime(item.comment_deadline), "DATE_FORMAT")}
            )
        return " · ".join(parts)

    def item_link(self, item: Document) -> str:
        return reverse("documents:detail", args=[item.slug])

    def item_pubdate(self, item: Document) -> datetime:
        return item.published_at or item.updated_at

    def item_updateddate(self, item: Document) -> datetime:
        return item.updated_at

    def item_categories(self, item: Document) -> list[str]:
        return [str(item.get_kind_display())]


class MeetingDocumentsFeed(DocumentsFeed):
    """The same, for one meeting."""

    def get_object(self, request: HttpRequest, *args: object, **kwargs: Any) -> Meeting | None:
        meeting = selectors.meeting_for_feed(int(kwargs["number"]))
        if meeting is None:
            raise Http404
        return meeting

    def title(self, obj: Meeting | None) -> str:
        assert obj is not None
        return _("Documents of %(meeting)s") % {"meeting": obj.display_name(current_language())}

    def feed_url(self, obj: Meeting | None) -> str:
        assert obj is not None
        return reverse("documents:meeting_feed", args=[obj.number])

    def link(self, obj: Meeting | None) -> str:
        assert obj is not None
        return f"{reverse('documents:list')}?meeting={obj.number}"
