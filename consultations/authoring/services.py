"""Authoring: the secretariat's pages (consultations.authoring.views) write only through these.

The rules of a question (its text, its choices, the labels of a rating) are checked here,
not in a form, so that every caller gets them: a breach raises Django's ValidationError,
keyed by the text it is about ("text", "scale_min_label", "choices", "choice<n>" for the
n-th of the `choices` given, counted from 0). The lock once a consultation has answers is
checked inside the transaction that makes the change, with the consultation's row locked,
so an answer arriving after the form was loaded still blocks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Choice, Consultation, Meeting, Question
from consultations.translation import Translations


class ConsultationLocked(Exception):
    """A change refused because the consultation already has answers; str() says why."""


def _locked_reason() -> str:
    return _(
        "This consultation already has answers; removing or reordering questions would change what the figures mean."
    )


def _lock_row(consultation: Consultation) -> None:
    """Lock the consultation's row until the current transaction ends.

    Storing an answer checks its Response's foreign key to this row, which takes a key-share
    lock that FOR UPDATE excludes: until the change commits no answer can arrive, and one
    being stored makes this wait for it. So what `_has_answers` then says stays true for the
    whole change. (SQLite has no row locks; its transactions take the write lock at BEGIN,
    see DATABASES, which serialises them instead.)
    """
    Consultation.objects.select_for_update().filter(pk=consultation.pk).values_list("pk", flat=True).get()


def _has_answers(consultation: Consultation) -> bool:
    # Asked afresh, inside the change's transaction after _lock_row, rather than read from
    # a count annotated when the page loaded.
    return consultation.responses.exists()


def _refuse_if_locked(consultation: Consultation) -> None:
    if _has_answers(consultation):
        raise ConsultationLocked(_locked_reason())


def meeting_create(*, number: int, title: Translations, place: Translations, starts_on: date, ends_on: date) -> Meeting:
    return Meeting.objects.create(number=number, title=title, place=place, starts_on=starts_on, ends_on=ends_on)


def meeting_update(
    *, meeting: Meeting, number: int, title: Translations, place: Translations, starts_on: date, ends_on: date
) -> Meeting:
    meeting.number, meeting.title, meeting.place = number, title, place
    meeting.starts_on, meeting.ends_on = starts_on, ends_on
    meeting.save()
    return meeting


def consultation_create(
    *,
    author: User,
    slug: str,
    meeting: Meeting | None,
    opens_at: datetime,
    closes_at: datetime,
    title: Translations,
    introduction: Translations,
) -> Consultation:
    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=slug,
            meeting=meeting,
            opens_at=opens_at,
            closes_at=closes_at,
            title=title,
            introduction=introduction,
        )
        consultation.authors.add(author)
    return consultation


def consultation_update(
    *,
    consultation: Consultation,
    author: User,
    slug: str,
    meeting: Meeting | None,
    opens_at: datetime,
    closes_at: datetime,
    title: Translations,
    introduction: Translations,
) -> Consultation:
    values = {
        "slug": slug,
        "meeting": meeting,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "title": title,
        "introduction": introduction,
    }
    with transaction.atomic():
        # Saved only when something changed, so that the history lists real changes only.
        if any(getattr(consultation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(consultation, name, value)
            consultation.save()
        # Dates moved into the future: the authors will be told again when they arrive.
        now = timezone.now()
        Consultation.objects.filter(pk=consultation.pk, opens_at__gt=now).update(opening_notified_at=None)
        Consultation.objects.filter(pk=consultation.pk, closes_at__gt=now).update(closing_notified_at=None)
        consultation.authors.add(author)
    return consultation


def _copy_slug(slug: str) -> str:
    base = re.sub(r"-copy(-\d+)?$", "", slug)[:68]
    candidate, n = f"{base}-copy", 1
    while Consultation.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-copy-{n}"
    return candidate


def consultation_copy(*, consultation: Consultation, author: User, now: datetime | None = None) -> Consultation:
    """A new consultation with the same texts, questions and choices, and no answers.

    It opens a week from now for as long as the original ran, and prepares no meeting yet:
    both are for the author to set, and an upcoming copy cannot be answered by accident.
    """
    opens_at = (now or timezone.now()).replace(second=0, microsecond=0) + timedelta(days=7)
    with transaction.atomic():
        copy = Consultation.objects.create(
            slug=_copy_slug(consultation.slug),
            title=dict(consultation.title),
            introduction=dict(consultation.introduction),
            opens_at=opens_at,
            closes_at=opens_at + (consultation.closes_at - consultation.opens_at),
            meeting=None,
        )
        copy.authors.add(author)
        for question in consultation.questions.order_by("position").prefetch_related("choices"):
            new_question = Question.objects.create(
                consultation=copy,
                position=question.position,
                kind=question.kind,
                text=dict(question.text),
                help_text=dict(question.help_text),
                required=question.required,
                scale_min_label=dict(question.scale_min_label),
                scale_max_label=dict(question.scale_max_label),
            )
            for choice in question.ordered_choices():
                Choice.objects.create(question=new_question, position=choice.position, text=dict(choice.text))
    return copy


@dataclass(frozen=True)
class ChoiceEdit:
    """One row of the choices table on the question page."""

    text: Translations
    choice_id: int | None = None
    remove: bool = False


def _question_errors(
    *,
    kind: str,
    text: Translations,
    scale_min_label: Translations,
    scale_max_label: Translations,
    choices: list[ChoiceEdit],
    existing_ids: set[int],
) -> ValidationError | None:
    """Every rule a question breaks, as one ValidationError keyed by what each is about."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if any(row.choice_id is not None and row.choice_id not in existing_ids for row in choices):
        # A choice deleted by someone else, or one of another question forged into the post.
        add(NON_FIELD_ERRORS, _("The choices changed while you were editing: reload the page."))
    if not text:
        add("text", _("Write the question in at least one language."))
    if kind != Question.Kind.RATING:
        for key, label in (("scale_min_label", scale_min_label), ("scale_max_label", scale_max_label)):
            if label:
                add(key, _("Only rating questions have labels for 1 and 5: clear this label or choose “Rating”."))
    for index, row in enumerate(choices):
        if not row.remove and row.choice_id is not None and not row.text:
            add(f"choice{index}", _("Write this choice in at least one language, or tick “Remove this choice”."))
    # The choices the question will have: those it has and keeps (given or not), and new ones.
    removed = {row.choice_id for row in choices if row.remove}
    added = sum(1 for row in choices if row.choice_id is None and row.text and not row.remove)
    kept = len(existing_ids - removed) + added
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and kept < 2:
        add("choices", _("A choice question needs at least two choices."))
    if kind in (Question.Kind.RATING, Question.Kind.TEXT) and kept:
        add("choices", _("Only single and multiple choice questions have choices: remove them or choose another kind."))
    return ValidationError(errors) if errors else None


def question_create(
    *,
    consultation: Consultation,
    author: User,
    kind: str,
    required: bool,
    text: Translations,
    help_text: Translations,
    scale_min_label: Translations,
    scale_max_label: Translations,
    choices: list[ChoiceEdit],
) -> Question:
    """Add a question at the end; raises ValidationError if it breaks a rule of questions."""
    errors = _question_errors(
        kind=kind,
        text=text,
        scale_min_label=scale_min_label,
        scale_max_label=scale_max_label,
        choices=choices,
        existing_ids=set(),
    )
    if errors:
        raise errors
    # Adding a question at the end is allowed after answers arrive: earlier respondents
    # simply did not see it, as if they had skipped it; no existing figure changes meaning.
    with transaction.atomic():
        _lock_row(consultation)  # two authors adding at once get consecutive positions
        last = consultation.questions.aggregate(last=models.Max("position"))["last"] or 0
        question = Question.objects.create(
            consultation=consultation,
            position=last + 1,
            kind=kind,
            required=required,
            text=text,
            help_text=help_text,
            scale_min_label=scale_min_label,
            scale_max_label=scale_max_label,
        )
        rows = [row for row in choices if not row.remove and row.choice_id is None and row.text]
        for position, row in enumerate(rows, start=1):
            Choice.objects.create(question=question, position=position, text=row.text)
        consultation.authors.add(author)
    return question


def question_update(
    *,
    question: Question,
    author: User,
    kind: str,
    required: bool,
    text: Translations,
    help_text: Translations,
    scale_min_label: Translations,
    scale_max_label: Translations,
    choices: list[ChoiceEdit],
) -> Question:
    """Correct a question and its choices; once answered, only texts and "required" may change.

    Raises ValidationError if the result would break a rule of questions, and
    ConsultationLocked if the consultation has answers and the change would alter what
    they mean.
    """
    consultation = question.consultation
    with transaction.atomic():
        _lock_row(consultation)
        existing = {choice.pk: choice for choice in question.choices.all()}
        errors = _question_errors(
            kind=kind,
            text=text,
            scale_min_label=scale_min_label,
            scale_max_label=scale_max_label,
            choices=choices,
            existing_ids=set(existing),
        )
        if errors:
            raise errors
        removed = {row.choice_id for row in choices if row.remove and row.choice_id is not None}
        added = [row for row in choices if row.choice_id is None and not row.remove and row.text]
        if _has_answers(consultation):
            if kind != question.kind:
                raise ConsultationLocked(
                    _(
                        "This consultation already has answers; changing a question's kind "
                        "would change what the figures mean."
                    )
                )
            if removed:
                raise ConsultationLocked(_locked_reason())
            if added:
                raise ConsultationLocked(
                    _(
                        "This consultation already has answers; a new choice would be missing from every answer "
                        "already given, so the figures would mislead. Add a new question instead."
                    )
                )
        values = {
            "kind": kind,
            "required": required,
            "text": text,
            "help_text": help_text,
            "scale_min_label": scale_min_label,
            "scale_max_label": scale_max_label,
        }
        # Saved only when something changed, so that the history lists real changes only.
        if any(getattr(question, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(question, name, value)
            question.save()
        edits = {row.choice_id: row for row in choices if row.choice_id is not None}
        for choice_id in removed:
            existing.pop(choice_id).delete()
        # Positions only ever move down here, so renumbering in order never collides.
        kept = sorted(existing.values(), key=lambda c: c.position)
        for position, choice in enumerate(kept, start=1):
            row = edits.get(choice.pk)
            new_text = row.text if row else choice.text
            if choice.position != position or choice.text != new_text:
                choice.position, choice.text = position, new_text
                choice.save()
        for position, row in enumerate(added, start=len(kept) + 1):
            Choice.objects.create(question=question, position=position, text=row.text)
        consultation.authors.add(author)
    return question


def question_delete(*, question: Question, author: User) -> None:
    consultation = question.consultation
    with transaction.atomic():
        _lock_row(consultation)
        _refuse_if_locked(consultation)
        position = question.position
        question.delete()
        for later in consultation.questions.filter(position__gt=position).order_by("position"):
            later.position -= 1
            later.save()
        consultation.authors.add(author)


def question_move(*, question: Question, direction: Literal["up", "down"], author: User) -> None:
    """Swap a question with the one before or after it (nothing happens at either end)."""
    consultation = question.consultation
    with transaction.atomic():
        _lock_row(consultation)
        _refuse_if_locked(consultation)
        neighbours = consultation.questions.exclude(pk=question.pk)
        if direction == "up":
            other = neighbours.filter(position__lt=question.position).order_by("-position").first()
        else:
            other = neighbours.filter(position__gt=question.position).order_by("position").first()
        if other is None:
            return
        mine, theirs = question.position, other.position
        # Through a free position (0 is never used) without a history entry, so that the
        # history shows the two real moves and the unique constraint holds at every step.
        Question.objects.filter(pk=question.pk).update(position=0)
        other.position = mine
        other.save()
        question.position = theirs
        question.save()
        consultation.authors.add(author)
