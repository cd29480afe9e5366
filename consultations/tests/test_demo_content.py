import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from consultations.models import Consultation

DEMO = Path(settings.BASE_DIR) / "consultations" / "demo"


@pytest.mark.django_db
def test_the_demo_loads_two_open_consultations_complete_in_six_languages_and_reloads_safely():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    consultations = list(Consultation.objects.open().with_content())
    assert sorted(c.slug for c in consultations) == ["cyberbullying", "digital-skills"]
    for consultation in consultations:
        assert consultation.languages() == settings.LANGUAGE_CODES
        questions = consultation.ordered_questions()
        assert 8 <= len(questions) <= 12
        assert {q.kind for q in questions} == {"single", "multiple", "rating", "text"}


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.json")), ids=lambda p: p.stem)
def test_demo_texts_are_real_translations_not_english_copies(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    texts = [data["title"], data["introduction"]]
    for question in data["questions"]:
        texts += [
            question["text"],
            question.get("help_text"),
            question.get("scale_min_label"),
            question.get("scale_max_label"),
        ]
        texts += [choice["text"] for choice in question.get("choices") or []]
    for text in filter(None, texts):
        assert set(text) == set(settings.LANGUAGE_CODES)
        for code in settings.LANGUAGE_CODES:
            assert text[code].strip()
            if code != "en":
                assert text[code] != text["en"], (code, text["en"])
        assert any("\u0600" <= ch <= "\u06ff" for ch in text["ar"])
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text["zh-hans"])
        assert any("\u0400" <= ch <= "\u04ff" for ch in text["ru"])
