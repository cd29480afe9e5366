"""Questionnaire text is stored as one JSON object per field: {language code: text}.

A JSON field suits questionnaire text: it is written and read as a whole, the six
languages sit side by side in the admin, and adding a question needs no migration per
language. A field is "needed" in every language once any language has it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

Translations = dict[str, str]


def text_in(value: Any, language: str) -> str:
    if not isinstance(value, dict):
        return ""
    text = value.get(language)
    return text.strip() if isinstance(text, str) else ""


def is_needed(value: Any) -> bool:
    return any(text_in(value, code) for code in settings.LANGUAGE_CODES)


def languages_present(value: Any) -> set[str]:
    return {code for code in settings.LANGUAGE_CODES if text_in(value, code)}


def complete_languages(values: list[Any]) -> list[str]:
    """Languages, in the site's order, in which every needed text of `values` exists."""
    present = set(settings.LANGUAGE_CODES)
    for value in values:
        if is_needed(value):
            present &= languages_present(value)
    return [code for code in settings.LANGUAGE_CODES if code in present]
