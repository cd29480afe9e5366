"""The five catalogues are complete, compile cleanly and are real translations."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALES = ["ar", "zh_Hans", "fr", "ru", "es"]
# Entries that are the same in every language: names and codes.
SAME_EVERYWHERE = {
    "CWG-COP",
    "ITU",
    "CSV",
    "JSON",
    "Excel (XLSX)",
    "WhatsApp",
    "Telegram",
    "URL",
    "%(share)s%%",
    "%(age)s, %(sex)s",
}
# Words that are spelt the same in English and in that language.
# Words French spells as English does.
SAME_IN = {
    "fr": {
        "Europe",
        "Type",
        "type",
        "format",
        "Format",
        "Contribution",
        "document",
        "documents",
        "Documents",
        "version",
        "Version",
        "Version %(version)s",
        "Actions",
        "Pages",
    }
}


def _entries(path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry, header and obsolete entries left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        text = "\n".join(lines)
        if "msgid " not in text:
            continue
        msgid = "".join(re.findall(r'^msgid "(.*)"((?:\n".*")*)', text, re.M)[0]).replace('"\n"', "")
        msgid = msgid.replace("\n", "").replace('"', "")
        if not msgid:
            continue
        msgstrs = [
            "".join(parts).replace("\n", "").replace('"', "")
            for parts in re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', text, re.M)
        ]
        entries.append((msgid, msgstrs, "fuzzy" in "".join(line for line in lines if line.startswith("#,"))))
    return entries


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_is_translated_and_none_is_fuzzy(locale):
    path = settings.BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"
    entries = _entries(path)
    assert len(entries) > 150
    untranslated = [msgid for msgid, msgstrs, _ in entries if not all(s.strip() for s in msgstrs)]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries if is_fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_is_left_in_the_catalogue(locale):
    path = settings.BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"
    copied = [
        msgid
        for msgid, msgstrs, _ in _entries(path)
        if msgid not in SAME_EVERYWHERE | SAME_IN.get(locale, set())
        and any(s == msgid for s in msgstrs)
        and re.search(r"[A-Za-z]{3}", msgid)
    ]
    assert copied == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_catalogue_compiles_with_matching_placeholders(locale):
    path = settings.BASE_DIR / "locale" / locale / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """makemessages finds no msgid that any of the five catalogues lacks."""
    import shutil

    work = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        work,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "*.sqlite3", "bench", "node_modules"),
    )
    result = subprocess.run(
        [
            str(Path(settings.BASE_DIR) / ".venv" / "bin" / "python"),
            "manage.py",
            "makemessages",
            *[arg for locale in LOCALES for arg in ("-l", locale)],
            "--no-location",
            "--no-obsolete",
            "-i",
            ".venv/*",
        ],
        cwd=work,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for locale in LOCALES:
        catalogue = Path("locale") / locale / "LC_MESSAGES" / "django.po"
        refreshed = {msgid for msgid, _, _ in _entries(work / catalogue)}
        current = {msgid for msgid, _, _ in _entries(settings.BASE_DIR / catalogue)}
        assert refreshed - current == set(), locale
