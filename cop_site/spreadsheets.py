"""Text bound for a spreadsheet, made safe to open."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google
# Sheets (OWASP "CSV injection"); a leading apostrophe makes it plain text again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
