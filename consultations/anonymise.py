"""Free text is scrubbed of contact details before it is saved (design rule 2).

Emails, web links, @handles, usernames given after a platform's name and phone numbers are
replaced by a placeholder in the respondent's language. Phone numbers are found by
libphonenumber's matcher twice — with the declared country (local formats) and with no
region ("+" formats) — and by a rule for long digit runs, which catches what the matcher
rejects as invalid (QQ numbers, numbers glued to Chinese or Arabic words).

Detection runs on a copy in which full-width Latin letters, digits and signs (common when
typing on a Chinese or Japanese keyboard) are folded to ASCII one character for one, so the
spans found map straight back onto the original, which is otherwise kept as typed.
Every repetition is bounded: 2,000 characters scrub in milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import phonenumbers
from django.utils import translation
from django.utils.translation import gettext as _

# Full-width ASCII variants (U+FF01–U+FF5E) to ASCII, one character for one.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}

_TLDS = (
    "com|net|org|info|biz|io|me|tv|gg|ly|app|xyz|link|site|online|live|club|top|fun|blog|"
    "edu|gov|int|co\\.[a-z]{2}|com\\.[a-z]{2}|ru|su|рф|su|ua|by|kz|cn|fr|es|de|uk|br|mx|ar|"
    "eg|sa|ae|ma|dz|tn|in|ng|ke|za|jp|kr|it|pl|tr|ir|pk|id|ph|vn|th|us|ca|au|nz|ch|be|nl|"
    "中国|公司|网络|مصر|السعودية|امارات"
)
# The mailbox part of an address.
_LOCAL = r"[\w.+'-]{1,64}"
_DOMAIN_LABEL = r"[\w-]{1,63}"
EMAIL = re.compile(
    # name@host(.tld)* — no spaces around a bare "@" ("we meet @ school" is not an address)
    rf"{_LOCAL}@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL}){{0,5}}"
    # name (at) host (dot) com, name [at] host.com
    rf"|{_LOCAL}\s{{0,3}}[(\[]\s?(?:at|arroba|собака)\s?[)\]]\s{{0,3}}{_DOMAIN_LABEL}"
    rf"(?:\s{{0,3}}(?:\.|[(\[]\s?(?:dot|punto|point|точка)\s?[)\]])\s{{0,3}}{_DOMAIN_LABEL}){{1,5}}"
    # name at host.com / name arroba host punto com — only with a known, lower-case ending
    rf"|{_LOCAL}\s{{1,3}}(?:at|arroba|собака)\s{{1,3}}(?:{_DOMAIN_LABEL}\s{{0,3}}(?:\.|\s(?:dot|punto|point|точка)\s)\s{{0,3}}){{1,4}}(?:{_TLDS})(?![\w])",
)
LINK = re.compile(
    r"(?:(?<![\w])(?:https?|ftp)://|(?<![\w.])www\.)\S{1,500}"
    # a host with a path, whatever its ending: ok.ru/profile/5
    r"|(?<![\w.@])(?:[\w-]{1,63}\.){1,5}[^\W\d_]{2,24}/\S{0,500}"
    # a bare host on a known ending, lower case only ("online.Me and…" is a missed space)
    rf"|(?<![\w.@])(?:[a-z0-9\u0400-\u04ff\u4e00-\u9fff-]{{1,63}}\.){{1,5}}(?:{_TLDS})(?![\w.])"
)
HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,30}")
# A username given after a platform's name: "snap: lily_2012", "insta lily.b.2012",
# "mi tiktok es mariaa.2011", "discord: bob#1234", "微信号是 wxid_abc123", "انستا: ahmed_k12".
# The name must look like a username (a digit, "_", "." or "#" in it), so that "I use insta
# every day" keeps its words.
_PLATFORMS = (
    r"(?<![A-Za-z])(?:snap(?:chat)?|insta(?:gram)?|ig|tik\s?tok|discord|telegram|tg|whats\s?app|facebook|fb|"
    r"twitter|youtube|yt|twitch|roblox|steam|kik|line|viber|signal|skype|vk|wechat|weibo|"
    r"вк|вконтакте|телеграм|тг|инст(?:а|аграм)|тикток|дискорд|ватсап|скайп)(?![A-Za-z])"
    r"|微信|[Qq]{2}|微博|抖音|小红书|快手"
    r"|انستا|انستغرام|انستقرام|إنستغرام|سناب(?:\s?شات)?|تيك\s?توك|ديسكورد|تلغرام|تليجرام|واتساب|فيسبوك"
)
_CONNECTOR = r"(?:[\s:：=\-–]{0,3}(?:is|es|est|это|是|号是|号|账号|帐号|id|ID|name|username|هو|ايدي)?[\s:：=\-–]{0,3})"
PLATFORM_USERNAME = re.compile(
    rf"(?:{_PLATFORMS}){_CONNECTOR}(?P<name>(?=[A-Za-z0-9_.#-]*[0-9_.#])[A-Za-z0-9][A-Za-z0-9_.#-]{{2,40}})"
)
DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\+?\d[\d\s().\-]{5,25}\d(?![0-9A-Za-z])")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
YEARS = re.compile(r"(?:(?:19|20)\d\d[\s,]+)+(?:19|20)\d\d")
THOUSANDS = re.compile(r"\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+")
DATE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")


def scrub_personal_data(text: str, *, country: str | None, language: str) -> str:
    with translation.override(language):
        marks = {
            "email": "[" + _("email removed") + "]",
            "link": "[" + _("link removed") + "]",
            "username": "[" + _("username removed") + "]",
            "phone": "[" + _("phone number removed") + "]",
        }
    folded = text.translate(_FULL_WIDTH)
    spans = sorted(_spans(folded, country.upper() if country else None))
    if not spans:
        return text
    pieces, position = [], 0
    merged: list[list[Any]] = []  # [start, end, kind]
    for start, end, kind in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)  # overlapping finds: keep the first kind
        else:
            merged.append([start, end, kind])
    for start, end, kind in merged:
        pieces += [text[position:start], marks[kind]]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _spans(text: str, region: str | None) -> Iterator[tuple[int, int, str]]:
    for match in EMAIL.finditer(text):
        yield match.start(), match.end(), "email"
    for match in LINK.finditer(text):
        yield match.start(), match.end(), "link"
    for match in HANDLE.finditer(text):
        yield match.start(), match.end(), "username"
    for match in PLATFORM_USERNAME.finditer(text):
        yield match.start("name"), match.end("name"), "username"
    for phone_region in (region, None):
        for found in phonenumbers.PhoneNumberMatcher(text, phone_region or "ZZ", leniency=phonenumbers.Leniency.VALID):
            yield found.start, found.end, "phone"
    for match in DIGIT_RUN.finditer(text):
        if _looks_like_phone(match.group()):
            yield match.start(), match.end(), "phone"


def _looks_like_phone(value: str) -> bool:
    value = value.strip()
    if sum(ch.isdigit() for ch in value) < 7:
        return False
    return not any(shape.fullmatch(value) for shape in (YEAR_RANGE, YEARS, THOUSANDS, DATE))
