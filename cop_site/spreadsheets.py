"""Spreadsheets the site writes (CSV and XLSX), safe to open in any spreadsheet program.

CSV: UTF-8 with a byte-order mark (so Excel reads Arabic, Chinese and Russian), every
field quoted, and every text that a spreadsheet could read as a formula defused: at the
start of the field, and after any separator a spreadsheet may split on (`,` `;` tab), since
French, Spanish, Russian and German Excel open CSV with `;`. XLSX: strings are written as
strings, never turned into formulas, links or numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google
# Sheets (OWASP "CSV injection"); a leading apostrophe makes it plain text again. The
# full-width forms are read as formulas by some versions too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A separator a spreadsheet may split a field on, followed (after any spaces) by a trigger.
_TRIGGER_AFTER_SEPARATOR = re.compile(r"([,;\t|])(\s*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")

Cell = str | int | float | None

WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def spreadsheet_safe(value: object) -> object:
    """Text that no spreadsheet will run as a formula, wherever it splits the field."""
    if not isinstance(value, str):
        return value
    value = _TRIGGER_AFTER_SEPARATOR.sub(lambda m: f"{m.group(1)}{m.group(2)}'", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_writer(file: TextIO) -> Any:
    """A CSV writer that quotes every field. The file must be opened with newline=""."""
    return csv.writer(file, quoting=csv.QUOTE_ALL)


def csv_write_row(writer: Any, cells: Iterable[object]) -> None:
    writer.writerow([spreadsheet_safe(cell) for cell in cells])


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document, byte-order mark included, every field quoted and defused."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer)
    for row in rows:
        csv_write_row(writer, row)
    return buffer.getvalue()


def csv_file(path: Path) -> TextIO:
    """A CSV file opened for writing, UTF-8 with a byte-order mark."""
    return path.open("w", encoding="utf-8-sig", newline="")


def xlsx_workbook(target: Any, **options: Any) -> Workbook:
    """An XLSX workbook (a path or a binary buffer) that writes strings as strings."""
    if isinstance(target, io.IOBase):
        options.setdefault("in_memory", True)
    return Workbook(target, {**WORKBOOK_OPTIONS, **options})


def xlsx_write_row(sheet: Worksheet, row: int, cells: Sequence[Cell], style: Any = None) -> None:
    """One row: text as (defused) strings, numbers as numbers, None as an empty cell."""
    for column, cell in enumerate(cells):
        if isinstance(cell, str):
            if cell:
                sheet.write_string(row, column, str(spreadsheet_safe(cell)), style)
        elif cell is not None:
            sheet.write_number(row, column, cell, style)
