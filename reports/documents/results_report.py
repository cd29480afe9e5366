"""The results of a closed consultation, published as a meeting document in one action.

The report is built from the same stored, already suppressed tallies as the results pages
and the API (reports.statistics.selectors): a hidden figure is written as a marker, never as a
number, and no raw count is read. One XLSX file per language the consultation was offered
in, each wholly in that language; it then goes through the ordinary upload path (content
check, text extraction) like any file the secretariat uploads.
"""

from __future__ import annotations

import io
import re
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from consultations.models import Consultation, Meeting
from cop_site.spreadsheets import Cell, xlsx_workbook, xlsx_write_row
from reports.documents.services import document_create, document_file_add, document_publish
from reports.documents.uploads import XLSX
from reports.models import Document, DocumentFile, TallyRun
from reports.statistics import selectors

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
BREAKDOWNS = ("", "age", "sex")


def results_title(consultation: Consultation, language: str) -> str:
    with translation.override(language):
        return _("Results of the consultation “%(title)s”") % {"title": consultation.title_for_viewer(language)}


def results_document_check(*, consultation: Consultation) -> TallyRun:
    """The final count to publish, or a ValidationError saying why there is none yet."""
    if not consultation.has_closed():
        raise ValidationError(_("The consultation is still open. Its results can be published once it has closed."))
    run = TallyRun.objects.latest_for(consultation)
    if run is None:
        raise ValidationError(_("The responses have not been counted yet. Try again in a few minutes."))
    if not run.is_final:
        raise ValidationError(
            _("The final count, made after the consultation closed, is not ready yet. Try again in a few minutes.")
        )
    if not consultation.languages():
        raise ValidationError(_("The consultation is not complete in any language, so there is nothing to report."))
    published = (
        Document.objects.filter(consultation=consultation, kind=Document.Kind.RESULTS)
        .exclude(status=Document.Status.WITHDRAWN)
        .first()
    )
    if published is not None:
        raise ValidationError(
            _("The results of this consultation are already a document: %(symbol)s.") % {"symbol": published.symbol}
        )
    return run


def results_document_publish(*, consultation: Consultation, meeting: Meeting, symbol: str, user: Any) -> Document:
    """Create, fill and publish the results document; all of it or nothing."""
    run = results_document_check(consultation=consultation)
    workbooks = {
        language: results_workbook(consultation=consultation, run=run, language=language)
        for language in consultation.languages()
    }
    titles = {language: results_title(consultation, language) for language in settings.LANGUAGE_CODES}
    added: list[DocumentFile] = []
    try:
        with transaction.atomic():
            document = document_create(
                meeting=meeting, symbol=symbol, kind=Document.Kind.RESULTS, title=titles, consultation=consultation
            )
            for language, content in workbooks.items():
                uploaded = SimpleUploadedFile(f"{document.slug}-{language}.xlsx", content, XLSX.content_type)
                added.append(document_file_add(document=document, language=language, uploaded=uploaded, user=user))
            document = document_publish(document=document)
    except Exception:
        # The rows went with the rollback; the stored files must go too.
        for document_file in added:
            document_file.file.storage.delete(document_file.file.name)
        raise
    return document


def _sheet_name(text: str, taken: set[str]) -> str:
    name = SHEET_NAME_FORBIDDEN.sub(" ", text).strip("' ")[:31] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def results_workbook(*, consultation: Consultation, run: TallyRun, language: str) -> bytes:
    """The report in one language: an introduction sheet, then one sheet per question."""
    with translation.override(language):
        marker = _("suppressed")
        breakdowns = {
            breakdown: selectors.results_tables(consultation, run, selectors.Filters(breakdown=breakdown), language)
            for breakdown in BREAKDOWNS
        }
        block_titles = {"": _("All respondents"), "age": _("By age"), "sex": _("By sex")}
        buffer = io.BytesIO()
        workbook = xlsx_workbook(buffer)
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        heading = workbook.add_format({"bold": True, "font_size": 14})
        wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        rtl = translation.get_language_bidi()
        taken: set[str] = set()
        about = workbook.add_worksheet(_sheet_name(_("About this report"), taken))
        if rtl:
            about.right_to_left()
        about.set_column(0, 0, 32)
        about.set_column(1, 1, 90)
        xlsx_write_row(about, 0, [results_title(consultation, language)], heading)
        facts: list[tuple[str, Cell]] = [
            (_("Consultation"), consultation.title_for_viewer(language)),
            (_("Date of the count"), f"{run.computed_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"),
            (_("Smallest count shown"), run.threshold),
            (
                _("Suppression"),
                _(
                    "To protect the young people who answered, no count below %(threshold)d is shown, nor any "
                    "figure from which a hidden one could be worked out. Such cells read “%(marker)s”. A group "
                    "with fewer than %(threshold)d respondents is not shown at all."
                )
                % {"threshold": run.threshold, "marker": marker},
            ),
            (
                _("How to read the figures"),
                _(
                    "Each question has its own sheet: the number of respondents who gave each answer and its "
                    "percentage of the respondents in that group, for all respondents, by age and by sex. "
                    "Respondents could choose several answers to some questions, so percentages can add up "
                    "to more than 100."
                ),
            ),
        ]
        for r, (label, value) in enumerate(facts, start=2):
            xlsx_write_row(about, r, [label], bold)
            xlsx_write_row(about, r, [None, value], wrapped)

        _columns, overall = breakdowns[""]
        for index, table in enumerate(overall):
            sheet = workbook.add_worksheet(
                _sheet_name(_("Question %(number)d") % {"number": table.question.position}, taken)
            )
            if rtl:
                sheet.right_to_left()
            sheet.set_column(0, 0, 40)
            sheet.set_column(1, 40, 14)
            xlsx_write_row(sheet, 0, [table.title], heading)
            row = 2
            for breakdown in BREAKDOWNS:
                _columns, tables = breakdowns[breakdown]
                row = _write_block(sheet, row, block_titles[breakdown], tables[index], marker, bold)
        workbook.close()
    return buffer.getvalue()


def _write_block(sheet: Any, row: int, title: str, table: selectors.QuestionTable, marker: str, bold: Any) -> int:
    """One breakdown of one question: a title, a header, respondents, then one row per answer.

    A row's label (first column) is bold where it names what follows; a hidden figure is the
    marker, never a number. As on the results page, a group with too few respondents to show
    anything is named below the table instead of filling it with empty columns."""
    table = table.for_display(several_places=False)
    xlsx_write_row(sheet, row, [title], bold)
    row += 1
    header: list[Cell] = [_("Answer")]
    for column in table.columns:
        header += [_("%(group)s: number") % {"group": column.label}, _("%(group)s: per cent") % {"group": column.label}]
    xlsx_write_row(sheet, row, header, bold)
    row += 1
    xlsx_write_row(sheet, row, [_("Respondents")], bold)
    respondents: list[Cell] = [None]
    for column in table.columns:  # under each group's "number"; its "per cent" stays empty
        respondents += [marker if column.respondents is None else column.respondents, None]
    xlsx_write_row(sheet, row, respondents)
    row += 1
    for table_row in table.rows:
        cells: list[Cell] = [table_row.label]
        for cell in table_row.cells:
            cells += [marker, marker] if cell.hidden else [cell.count, cell.percent]
        xlsx_write_row(sheet, row, cells)
        row += 1
    if table.too_few_labels:
        xlsx_write_row(sheet, row, [_("Too few responses to show")], bold)
        xlsx_write_row(sheet, row, [None, "; ".join(table.too_few_labels)])
        row += 1
    return row + 1
