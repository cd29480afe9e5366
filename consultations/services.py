from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.anonymise import scrub_personal_data
from consultations.demographics import region_for_country
from consultations.models import Answer, Choice, Consultation, Helpline, Question, Response, UsedFormToken
from consultations.tokens import FormToken, token_expiry_date


class ConsultationClosed(Exception):
    pass


class DuplicateSubmission(Exception):
    pass


def response_submit(
    *,
    consultation: Consultation,
    token: FormToken,
    language: str,
    age_band: str,
    sex: str,
    country: str,
    answers: list[tuple[Question, Any]],
) -> Response:
    """Store one response and its answers in one transaction, or nothing at all.

    Free text is scrubbed of contact details before anything is written. The form token's
    digest is written in the same transaction, so a second submission of the same form
    fails on its primary key and stores nothing.
    """
    now = timezone.now()
    if not consultation.is_open(now):
        raise ConsultationClosed

    rows: list[Answer] = []
    for question, value in answers:
        if question.consultation_id != consultation.pk:
            raise ValueError("answer to a question of another consultation")
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            rows += [Answer(question=question, choice_id=choice_id) for choice_id in value]
        elif question.kind == Question.Kind.RATING:
            rows.append(Answer(question=question, rating=value))
        else:
            text = scrub_personal_data(value, country=country or None, language=language)
            rows.append(Answer(question=question, text=text))

    try:
        with transaction.atomic():
            UsedFormToken.objects.create(digest=token.digest, expires_on=token_expiry_date())
            response = Response.objects.create(
                consultation=consultation,
                submitted_on=now.date(),
                language=language,
                age_band=age_band,
                sex=sex,
                country=country,
                region=region_for_country(country),
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        if UsedFormToken.objects.filter(digest=token.digest).exists():
            raise DuplicateSubmission from None
        raise
    return response


def form_tokens_purge() -> int:
    deleted, _ = UsedFormToken.objects.filter(expires_on__lt=timezone.now().date()).delete()
    return deleted


def consultation_import(*, data: dict[str, Any], opens_at: datetime, closes_at: datetime) -> Consultation:
    """Create or refresh a consultation from its JSON description (see consultations/demo/).

    A consultation that already has responses keeps its questions as they are, so that no
    stored answer changes meaning; only its dates are refreshed.
    """
    with transaction.atomic():
        consultation, created = Consultation.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "introduction": data["introduction"],
                "opens_at": opens_at,
                "closes_at": closes_at,
            },
        )
        consultation.opens_at, consultation.closes_at = opens_at, closes_at
        if not created and consultation.responses.exists():
            consultation.save(update_fields=["opens_at", "closes_at", "updated_at"])
            return consultation
        consultation.title, consultation.introduction = data["title"], data["introduction"]
        consultation.save()
        consultation.questions.all().delete()
        for position, item in enumerate(data["questions"], start=1):
            question = Question.objects.create(
                consultation=consultation,
                position=position,
                kind=item["kind"],
                text=item["text"],
                help_text=item.get("help_text") or {},
                required=bool(item.get("required", False)),
                scale_min_label=item.get("scale_min_label") or {},
                scale_max_label=item.get("scale_max_label") or {},
            )
            Choice.objects.bulk_create(
                Choice(question=question, position=n, text=choice["text"])
                for n, choice in enumerate(item.get("choices") or [], start=1)
            )
    return consultation


HELPLINE_COLUMNS = ("country", "name", "phone", "website", "hours", "languages", "language", "source_url")


@dataclass
class HelplineImport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def helplines_import(*, csv_text: str, update_existing: bool = True) -> HelplineImport:
    """Create or update helplines from CSV, all rows or none.

    Rows are matched on (country, name). Every row must name its source: a wrong number
    given to a child in distress is worse than none. With update_existing off (the demo
    loader), rows already present are left as the secretariat last edited them.
    """
    from consultations.forms import HelplineRowForm

    result = HelplineImport()
    reader = csv.DictReader(io.StringIO(csv_text))
    missing = [c for c in ("country", "name", "source_url") if c not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(_("The file needs the columns %(columns)s.") % {"columns": ", ".join(HELPLINE_COLUMNS)})
        return result
    forms_by_line = []
    for line, row in enumerate(reader, start=2):
        values = {c: (row.get(c) or "").strip() for c in HELPLINE_COLUMNS}
        values["country"] = values["country"].upper()
        existing = Helpline.objects.filter(country=values["country"], name=values["name"]).first()
        if existing and not update_existing:
            continue
        form = HelplineRowForm(values, instance=existing)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                result.errors.append(
                    _("Line %(line)d, %(column)s: %(error)s") % {"line": line, "column": label, "error": errors[0]}
                )
        forms_by_line.append((existing, form))
    if result.errors:
        return result
    with transaction.atomic():
        for existing, form in forms_by_line:
            form.save()
            if existing:
                result.updated += 1
            else:
                result.created += 1
    return result
