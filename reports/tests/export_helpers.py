"""A small, fully known set of responses for the record-level export tests, and readers."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from consultations.models import Answer, Consultation, Response


def known_responses(consultation: Consultation) -> list[Response]:
    """Three responses to make_consultation()'s four questions (single, multiple, rating, text)."""
    single, multiple, rating, text = consultation.ordered_questions()
    one, two, three = multiple.ordered_choices()
    # Sent on the same day: the random ids, not the order of creation, decide their order.
    later_same_day = Response.objects.create(
        id=uuid.UUID(int=2),
        consultation=consultation,
        submitted_on=date(2025, 3, 1),
        language="ar",
        age_band="15-17",
        sex="male",
        country="",
        region="",
    )
    Answer.objects.create(response=later_same_day, question=text, text='=HYPERLINK("http://x")')
    Answer.objects.create(response=later_same_day, question=rating, rating=1)
    earlier_same_day = Response.objects.create(
        id=uuid.UUID(int=1),
        consultation=consultation,
        submitted_on=date(2025, 3, 1),
        language="fr",
        age_band="12-14",
        sex="female",
        country="FR",
        region="europe",
    )
    Answer.objects.create(response=earlier_same_day, question=single, choice=single.ordered_choices()[1])
    # Ticked in reverse: the file lists them in the choices' order.
    Answer.objects.create(response=earlier_same_day, question=multiple, choice=three)
    Answer.objects.create(response=earlier_same_day, question=multiple, choice=one)
    Answer.objects.create(response=earlier_same_day, question=rating, rating=4)
    Answer.objects.create(response=earlier_same_day, question=text, text="Block buttons should be easier to find.")
    first_day = Response.objects.create(
        consultation=consultation,
        submitted_on=date(2025, 2, 28),
        language="en",
        age_band="undisclosed",
        sex="another",
        country="KE",
        region="africa",
    )
    Answer.objects.create(response=first_day, question=multiple, choice=two)
    Answer.objects.create(response=first_day, question=text, text="+1 @SUM(1) -2")
    return [first_day, earlier_same_day, later_same_day]


HEADER = [
    "row",
    "submitted_on",
    "language",
    "age_band",
    "sex",
    "country",
    "region",
    "Q1: Question 1 single [en]",
    "Q2: Question 2 multiple [en]",
    "Q3: Question 3 rating [en]",
    "Q4: Question 4 text [en]",
]
KNOWN_ROWS = [
    HEADER,
    ["1", "2025-02-28", "en", "undisclosed", "another", "KEN", "africa", "", "Choice 2 [en]", "", "'+1 @SUM(1) -2"],
    [
        "2",
        "2025-03-01",
        "fr",
        "12-14",
        "female",
        "FRA",
        "europe",
        "Choice 2 [en]",
        "Choice 1 [en]; Choice 3 [en]",
        "4",
        "Block buttons should be easier to find.",
    ],
    ["3", "2025-03-01", "ar", "15-17", "male", "", "", "", "", "1", '\'=HYPERLINK("http://x")'],
]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_cells(path: Path | io.BytesIO) -> list[list[object]]:
    """Every cell of every sheet, as openpyxl reads it back (with its data type kept)."""
    book = load_workbook(path)
    return [[cell for cell in row] for sheet in book.worksheets for row in sheet.iter_rows()]


def xlsx_rows(path: Path | io.BytesIO) -> list[list[str]]:
    """The XLSX file's rows as the CSV reader would give them, to compare the two formats."""
    return [["" if cell.value is None else str(cell.value) for cell in row] for row in xlsx_cells(path)]
