"""The language of the request being served, and how each language names itself."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language, get_language_info


def current_language() -> str:
    """The active language code, or the site's default outside a request (a task, a command)."""
    return get_language() or settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """A language's name in its own script ("العربية", "中文", "English" …)."""
    return str(get_language_info(code)["name_local"])


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own script) for each of the site's languages, in the site's order."""
    return [(code, language_name(code)) for code in settings.LANGUAGE_CODES]
