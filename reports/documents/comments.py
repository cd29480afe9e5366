"""Comments on a draft for comment: who reads which, and when they close.

Who may write and read them at all (Member States and the Secretariat) is said by the
page's decorator, accounts.decorators.member_state_or_secretariat_required. A comment is
seen by the Secretariat and by its author only: a Member State reads its own comments,
never another country's. Whether comments are open is derived from the deadline at request
time, so nothing has to happen at the deadline itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import Delegate
from reports.models import Document, DocumentComment

MAX_LENGTH = 5000


class CommentsClosed(Exception):
    """The deadline has passed (or the draft was replaced): no new comment is taken."""


@dataclass(frozen=True)
class CommentRow:
    created_at: datetime
    text: str
    author_email: str
    country_code: str
    country_name: str
    is_own: bool


def comment_add(*, document: Document, author: Any, text: str, now: datetime) -> DocumentComment:
    if not document.comments_open(now):
        raise CommentsClosed
    return DocumentComment.objects.create(document=document, author=author, text=text.strip())


def _visible(document: Document, user: Any, *, see_all: bool) -> QuerySet[DocumentComment]:
    comments = document.comments.select_related("author").order_by("created_at", "pk")
    return comments if see_all else comments.filter(author=user)


def comments_for_viewer(*, document: Document, user: Any, see_all: bool) -> list[CommentRow]:
    """What a viewer may read: every comment for the Secretariat, their own for anyone else."""
    comments = list(_visible(document, user, see_all=see_all))
    countries = {
        delegate.user_id: delegate.country
        for delegate in Delegate.objects.filter(user_id__in={comment.author_id for comment in comments})
    }
    rows = []
    for comment in comments:
        country = countries.get(comment.author_id)
        rows.append(
            CommentRow(
                created_at=comment.created_at,
                text=comment.text,
                author_email=comment.author.email,
                country_code=country.code if country else "",
                country_name=str(country.name) if country else "",
                is_own=comment.author_id == user.pk,
            )
        )
    return rows
