"""Free text is scrubbed of contact details before it is saved (design rule 2).

Emails, web links, @handles and phone numbers are replaced by a placeholder in the
respondent's language. Phone numbers are found by libphonenumber's matcher twice: with the
declared country (local formats) and with no region (international "+" formats); it reads
Arabic-Indic and other Unicode digits too.
"""

from __future__ import annotations

import re

import phonenumbers
from django.utils import translation
from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+'-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+", re.UNICODE)
# Schemes, "www." and bare domains on common endings; bare ".xx" country endings are left
# alone because "it.so" in a hurried sentence is more often words than a link.
LINK = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)\S+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|info|io|me|tv|gg|ly|app|xyz|link|site|online|live|co\.[a-z]{2})\b(?:/\S*)?",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}", re.UNICODE)
# Long digit runs the phone matcher may reject as invalid are still contact details.
DIGIT_RUN = re.compile(r"(?<!\w)\+?\d(?:[\d\s().-]{6,}\d)(?!\w)")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")


def scrub_personal_data(text: str, *, country: str | None, language: str) -> str:
    with translation.override(language):
        email_mark = "[" + _("email removed") + "]"
        link_mark = "[" + _("link removed") + "]"
        handle_mark = "[" + _("username removed") + "]"
        phone_mark = "[" + _("phone number removed") + "]"

    text = EMAIL.sub(email_mark, text)
    text = LINK.sub(link_mark, text)
    text = HANDLE.sub(handle_mark, text)
    for region in (country.upper() if country else None, None):
        text = _replace_phone_numbers(text, region, phone_mark)
    return DIGIT_RUN.sub(lambda m: phone_mark if _looks_like_phone(m.group()) else m.group(), text)


def _replace_phone_numbers(text: str, region: str | None, mark: str) -> str:
    matches = list(phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=phonenumbers.Leniency.VALID))
    for match in reversed(matches):
        text = text[: match.start] + mark + text[match.end :]
    return text


def _looks_like_phone(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 7 and not YEAR_RANGE.fullmatch(value.strip())
