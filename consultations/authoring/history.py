"""The change history of a consultation, its questions and its choices, as people read it.

django-simple-history keeps one row per save; this module turns those rows into "who,
when, what" lines. Questions and choices are found through their historical rows, so the
history still names those that have since been deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from consultations.models import Choice, Consultation, Question
from consultations.translation import text_in

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    subject: str
    action: str  # "created", "changed" or "deleted"
    details: list[str]


def _text_for(value: Any, language: str) -> str:
    return text_in(value, language) or text_in(value, "en") or next((v for v in (value or {}).values() if v), "")


def _describe(model: type[models.Model], change: Any) -> str:
    # diff_against compares the model's concrete fields only, never a relation's other side.
    field = cast("models.Field[Any, Any]", model._meta.get_field(change.field))
    label = str(field.verbose_name)
    old, new = change.old, change.new
    if isinstance(old, dict) or isinstance(new, dict):
        old, new = old or {}, new or {}
        languages = [code for code in settings.LANGUAGE_CODES if text_in(old, code) != text_in(new, code)]
        names = ", ".join(get_language_info(code)["name_local"] for code in languages)
        return _("%(field)s in %(languages)s") % {"field": label, "languages": names} if names else label
    if change.field in ("meeting",):
        return label
    return _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": _value(old), "new": _value(new)}


def _value(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def _change(record: Any, model: type[models.Model], subject: str) -> Change:
    action = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
    details: list[str] = []
    if action == "changed" and record.prev_record is not None:
        delta = record.diff_against(record.prev_record)
        order = [f.name for f in model._meta.fields]
        changes = sorted(delta.changes, key=lambda change: order.index(change.field) if change.field in order else 99)
        details = [_describe(model, change) for change in changes]
    user = record.history_user
    return Change(
        when=record.history_date,
        who=user.email if user else _("the system (an import or a script)"),
        subject=subject,
        action=action,
        details=details,
    )


def consultation_changes(consultation: Consultation, language: str) -> list[Change]:
    """The latest changes to the consultation, its questions and choices, newest first."""
    question_rows = list(
        Question.history.filter(consultation_id=consultation.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    # The latest known position of every question, deleted ones included, names its choices.
    positions: dict[int, int] = {}
    for row in reversed(question_rows):
        positions[row.id] = row.position
    choice_rows = list(
        Choice.history.filter(question_id__in=positions)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )
    consultation_rows = list(
        consultation.history.select_related("history_user").order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )
    subject = _("Consultation")
    # (historical row, the model it records, how the history names it)
    described: list[tuple[Any, type[models.Model], str]] = [(row, Consultation, subject) for row in consultation_rows]
    described += [
        (
            row,
            Question,
            _("Question %(number)d: “%(text)s”") % {"number": row.position, "text": _text_for(row.text, language)},
        )
        for row in question_rows[:HISTORY_LIMIT]
    ]
    described += [
        (
            row,
            Choice,
            _("Choice of question %(number)d: “%(text)s”")
            % {"number": positions.get(row.question_id, 0), "text": _text_for(row.text, language)},
        )
        for row in choice_rows
    ]
    described.sort(key=lambda item: (item[0].history_date, item[0].history_id), reverse=True)
    return [_change(row, model, subject) for row, model, subject in described[:HISTORY_LIMIT]]
