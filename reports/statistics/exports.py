"""Record-level exports: one anonymised row per response, as CSV or XLSX, built by Celery.

The file is written row by row from a chunked cursor, so memory stays flat whatever the
number of responses; only the chunk in hand and its answers are ever held. Files live under
MEDIA_ROOT/exports/ with a random name and are only ever served by the Secretariat's
download view, never by a media URL.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_countries import countries

from consultations.models import Answer, Consultation, Question, Response
from consultations.translation import text_in
from cop_site.spreadsheets import Cell, csv_file, csv_write_row, csv_writer, xlsx_workbook, xlsx_write_row
from reports.models import RecordExport
from reports.statistics.tasks import build_record_export

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000

# By RecordExport.format (a Format value, as stored).
CONTENT_TYPES: dict[str, str] = {
    RecordExport.Format.CSV: "text/csv; charset=utf-8",
    RecordExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The most rows of an XLSX worksheet, header included; more responses continue on a new sheet.
XLSX_MAX_ROWS = 1_048_576


def exports_directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def record_export_path(export: RecordExport) -> Path:
    # The stored name is ours, but only its last part is trusted all the same.
    return exports_directory() / Path(export.file_name).name


def record_export_download_name(export: RecordExport) -> str:
    return f"{export.consultation.slug}-responses-{export.requested_at:%Y-%m-%d}.{export.format}"


def record_export_request(*, consultation: Consultation, format: str, user: User | None) -> RecordExport:
    """Queue an export, or return the one of this format already being prepared."""
    # A double click or a second colleague should not build the same file twice.
    pending = (
        RecordExport.objects.filter(consultation=consultation, format=format, status__in=RecordExport.IN_PROGRESS)
        .filter(requested_at__gte=timezone.now() - RecordExport.STALLED_AFTER)
        .first()
    )
    if pending is not None:
        return pending
    export = RecordExport.objects.create(consultation=consultation, format=format, requested_by=user)
    # robust: with the broker down the export stays queued and
    # reports.statistics.tasks.requeue_unfinished_work queues it again once the broker is back.
    transaction.on_commit(lambda: build_record_export.delay(export.id), robust=True)
    return export


def record_exports_requeue() -> int:
    """Queue again the exports that a broker outage left queued; their builds are idempotent."""
    now = timezone.now()
    dropped = RecordExport.objects.filter(
        status=RecordExport.Status.QUEUED,
        requested_at__lt=now - timedelta(minutes=2),
        requested_at__gt=now - RecordExport.STALLED_AFTER,
    ).values_list("pk", flat=True)
    for export_id in dropped:
        build_record_export.delay(export_id)
    return len(dropped)


def record_export_build(*, export_id: int, resume: bool = False) -> RecordExport | None:
    """Write the file of a queued export. Anything but a queued export is left as it is.

    `resume`: the broker handed the task out again because its worker died (a redelivery
    comes only after the visibility timeout, longer than the task's time limit, so the
    first run is gone): an export it left running is built again from the start.
    """
    # Claimed with a conditional UPDATE, so a repeated task finds nothing to do.
    claimable = [RecordExport.Status.QUEUED, RecordExport.Status.RUNNING] if resume else [RecordExport.Status.QUEUED]
    claimed = RecordExport.objects.filter(pk=export_id, status__in=claimable).update(
        status=RecordExport.Status.RUNNING, rows_done=0
    )
    if not claimed:
        return None
    export = RecordExport.objects.get(pk=export_id)
    directory = exports_directory()
    file_name = f"{secrets.token_urlsafe(32)}.{export.format}"
    path = directory / file_name
    # Written aside and renamed when complete, so a half-written file is never downloadable.
    partial = directory / f"{file_name}.part"
    try:
        consultation = Consultation.objects.with_content().get(pk=export.consultation_id)
        RecordExport.objects.filter(pk=export_id).update(rows_total=consultation.responses.count())
        directory.mkdir(parents=True, exist_ok=True)
        sheet = _sheet_for(export.format, partial)
        try:
            rows = _write_records(consultation=consultation, sheet=sheet, export_id=export_id)
        finally:
            sheet.close()
        partial.replace(path)
    except Exception:
        # The reason goes to the log, not to the page: it may quote a query or a path.
        logger.exception("Record-level export %s of consultation %s failed", export_id, export.consultation_id)
        partial.unlink(missing_ok=True)
        RecordExport.objects.filter(pk=export_id).update(status=RecordExport.Status.FAILED, finished_at=timezone.now())
        return RecordExport.objects.get(pk=export_id)
    RecordExport.objects.filter(pk=export_id).update(
        status=RecordExport.Status.READY,
        finished_at=timezone.now(),
        file_name=file_name,
        file_size=path.stat().st_size,
        # Responses that arrived while an open consultation was being exported.
        rows_done=rows,
        rows_total=rows,
    )
    return RecordExport.objects.get(pk=export_id)


@dataclass(frozen=True)
class _Column:
    question_id: int
    kind: str


def _header(questions: Sequence[Question]) -> list[Cell]:
    return [
        "row",
        "submitted_on",
        "language",
        "age_band",
        "sex",
        "country",
        "region",
        *(f"Q{question.position}: {question.text_in('en')}" for question in questions),
    ]


def _write_records(*, consultation: Consultation, sheet: _Sheet, export_id: int) -> int:
    questions = consultation.ordered_questions()
    columns = [_Column(question.pk, question.kind) for question in questions]
    # (position, English text) of every choice, to name ticked boxes in the choices' order.
    choices = {
        choice.pk: (choice.position, text_in(choice.text, "en") or f"#{choice.position}")
        for question in questions
        for choice in question.choices.all()
    }
    sheet.write(_header(questions))
    responses = (
        Response.objects.filter(consultation=consultation)
        .order_by("submitted_on", "id")
        .values_list("id", "submitted_on", "language", "age_band", "sex", "country", "region")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    row_number = 0
    for chunk in _chunks(responses, CHUNK_SIZE):
        answers = _answers_of([response[0] for response in chunk])
        for response_id, submitted_on, language, age_band, sex, country, region in chunk:
            row_number += 1
            given = answers.get(response_id, {})
            sheet.write(
                [
                    row_number,
                    _iso(submitted_on),
                    language,
                    age_band,
                    sex,
                    countries.alpha3(country) if country else "",
                    region,
                    *(_cell(column, given.get(column.question_id, []), choices) for column in columns),
                ]
            )
        RecordExport.objects.filter(pk=export_id).update(rows_done=row_number)
    return row_number


def _answers_of(response_ids: list[UUID]) -> dict[UUID, dict[int, list[tuple[int | None, int | None, str]]]]:
    """The answers of one chunk of responses, in one query: response → question → values."""
    answers: dict[UUID, dict[int, list[tuple[int | None, int | None, str]]]] = defaultdict(lambda: defaultdict(list))
    rows = Answer.objects.filter(response_id__in=response_ids).values_list(
        "response_id", "question_id", "choice_id", "rating", "text"
    )
    for response_id, question_id, choice_id, rating, text in rows:
        answers[response_id][question_id].append((choice_id, rating, text))
    return answers


def _cell(
    column: _Column, values: list[tuple[int | None, int | None, str]], choices: dict[int, tuple[int, str]]
) -> Cell:
    if not values:
        return None
    if column.kind == Question.Kind.RATING:
        return values[0][1]
    if column.kind == Question.Kind.TEXT:
        return values[0][2]
    ticked = sorted(choices[choice_id] for choice_id, _rating, _text in values if choice_id in choices)
    return "; ".join(text for _position, text in ticked)


def _iso(value: date | str) -> str:
    # SQLite may hand back the stored text rather than a date.
    return value.isoformat() if isinstance(value, date) else str(value)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Sheet(Protocol):
    def write(self, cells: list[Cell]) -> None: ...

    def close(self) -> None: ...


def _sheet_for(format: str, path: Path) -> _Sheet:
    return _XlsxSheet(path) if format == RecordExport.Format.XLSX else _CsvSheet(path)


class _CsvSheet:
    """Every field quoted, and defused where a spreadsheet could read a formula."""

    def __init__(self, path: Path) -> None:
        # With a byte-order mark, Excel reads the file as UTF-8 (Arabic, Chinese, Russian).
        self._file = csv_file(path)
        self._writer = csv_writer(self._file)

    def write(self, cells: list[Cell]) -> None:
        csv_write_row(self._writer, cells)

    def close(self) -> None:
        self._file.close()


class _XlsxSheet:
    def __init__(self, path: Path) -> None:
        # constant_memory: each row goes to disk as soon as the next one starts. Nothing
        # written is ever turned into a formula, a link or a number behind our back.
        self._book = xlsx_workbook(str(path), constant_memory=True)
        self._bold = self._book.add_format({"bold": True})
        self._header: list[Cell] | None = None
        self._sheets = 0
        self._row = 0

    def write(self, cells: list[Cell]) -> None:
        if self._header is None:
            self._header = cells
            self._new_sheet()
            return
        if self._row >= XLSX_MAX_ROWS:
            self._new_sheet()
        self._write_row(cells, None)

    def _new_sheet(self) -> None:
        self._sheets += 1
        self._sheet = self._book.add_worksheet("Responses" if self._sheets == 1 else f"Responses {self._sheets}")
        self._sheet.freeze_panes(1, 0)
        self._row = 0
        self._write_row(self._header or [], self._bold)

    def _write_row(self, cells: list[Cell], style: Any) -> None:
        xlsx_write_row(self._sheet, self._row, cells, style)
        self._row += 1

    def close(self) -> None:
        if self._header is None:
            self._book.add_worksheet("Responses")
        self._book.close()
