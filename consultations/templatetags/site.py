from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language, get_language_info

from consultations.translation import text_in

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The current page in every language, for the switcher on every page."""
    request = context.get("request")
    path = request.path if request else "/"
    try:
        resolve(path)
    except Resolver404:
        path = ""  # an unknown page: offer each language's home page
    current = get_language()
    links = []
    for code in settings.LANGUAGE_CODES:
        info = get_language_info(code)
        url = translate_url(path, code) if path else ""
        if not url.startswith(f"/{code}/"):
            url = f"/{code}/"
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    return links


@register.filter
def translated(value: Any, language: str) -> str:
    return text_in(value, language)


@register.filter
def language_name(code: str) -> str:
    name: str = get_language_info(code)["name_local"]
    return name
