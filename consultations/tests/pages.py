"""What a young person sees on the public answering pages, checked from the HTML alone.

Tests use these instead of template names or view context, so they keep passing when
templates are renamed or split, and fail when what is shown on screen changes.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

# Headings of the notices and of the error summary on the answering form.
_FORM_HEADINGS = {
    "please wait": "Please wait a little",
    "questions changed": "Some questions have changed",
    "send again": "Please send your answers again",
    "errors": "There is a problem",
}


def page_language(page) -> str:
    """The language the page declares on its <html> element."""
    match = re.search(r'<html lang="([^"]+)"', page.content.decode("utf-8", errors="replace"))
    return match.group(1) if match else ""


def _heading(text: str, language: str) -> str:
    with translation.override(language):
        return escape(gettext(text))


def thank_you_heading(language: str = "en") -> str:
    """The heading of the thank-you page, as shown in the given language."""
    return f"<h1>{_heading('Thank you!', language)}</h1>"


def is_thank_you_page(page) -> bool:
    """The page thanks the young person for their answers, in the page's own language."""
    if page.status_code != 200:
        return False
    html = page.content.decode("utf-8", errors="replace")
    return thank_you_heading(page_language(page) or "en") in html and 'id="answer-form"' not in html


def assert_thank_you_page(page, language: str = "en") -> None:
    """The young person is thanked in ``language`` and pointed to a helpline."""
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{language}"' in html
    assert thank_you_heading(language) in html, "the page does not say thank you"
    assert '<section aria-labelledby="help-title" class="helplines">' in html, "no helplines on the page"
    assert 'id="answer-form"' not in html, "the answering form is still shown"


def what_the_page_shows(page) -> str:
    """A short description of the outcome, from the status code and the visible page."""
    if is_thank_you_page(page):
        return "thank-you page"
    html = page.content.decode("utf-8", errors="replace")
    if 'id="answer-form"' not in html:
        return "other page"
    language = page_language(page) or "en"
    shown = [name for name, text in _FORM_HEADINGS.items() if f"{_heading(text, language)}</h2>" in html]
    return "answering form" + (f" ({', '.join(shown)})" if shown else "")


def token_on_page(page) -> str:
    """The single-use token the answering form on the page will send back."""
    match = re.search(r'<form id="answer-form".*?name="token" value="([^"]*)"', page.content.decode(), re.S)
    assert match, "the page carries no answering form with a token"
    return match.group(1)
