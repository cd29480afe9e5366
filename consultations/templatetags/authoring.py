from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language_info

from consultations.translation import text_in

register = template.Library()


@register.filter
def text_for(value: Any, language: str) -> str:
    """A text in the reader's language, else in English, else in any language written."""
    if not isinstance(value, dict):
        return ""
    return (
        text_in(value, language)
        or text_in(value, "en")
        or next((text for code in value if (text := text_in(value, code))), "")
    )


@register.filter
def title_for(consultation: Any, language: str) -> str:
    return consultation.title_for_viewer(language)


@register.filter
def meeting_name(meeting: Any, language: str) -> str:
    return meeting.display_name(language) if meeting else ""


@register.filter
def language_dir(code: str) -> str:
    return "rtl" if get_language_info(code)["bidi"] else "ltr"
