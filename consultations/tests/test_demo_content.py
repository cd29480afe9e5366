import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Consultation

DEMO = Path(settings.BASE_DIR) / "consultations" / "demo"


@pytest.mark.django_db
def test_the_demo_loads_two_open_and_one_closed_consultation_complete_in_six_languages_and_reloads_safely():
    call_command("load_demo", verbosity=0)
    first = {c.slug: (c.pk, len(c.ordered_questions())) for c in Consultation.objects.with_content()}
    call_command("load_demo", verbosity=0)
    consultations = list(Consultation.objects.with_content().order_by("slug"))
    assert {c.slug: (c.pk, len(c.ordered_questions())) for c in consultations} == first
    assert sorted(c.slug for c in Consultation.objects.open()) == ["cyberbullying", "digital-skills"]
    assert [c.slug for c in Consultation.objects.closed()] == ["gaming-safety"]
    for consultation in consultations:
        assert consultation.languages() == settings.LANGUAGE_CODES
        questions = consultation.ordered_questions()
        assert 6 <= len(questions) <= 12
        assert {q.kind for q in questions} == {"single", "multiple", "rating", "text"}
        for question in questions:
            if question.kind in ("single", "multiple"):
                assert len(question.ordered_choices()) >= 2


@pytest.mark.django_db
def test_a_demo_file_gives_its_schedule_and_the_others_open_yesterday_for_60_days():
    before = timezone.now()
    call_command("load_demo", verbosity=0)
    after = timezone.now()
    gaming = Consultation.objects.get(slug="gaming-safety")
    assert before - timedelta(days=75) <= gaming.opens_at <= after - timedelta(days=75)
    assert before - timedelta(days=14) <= gaming.closes_at <= after - timedelta(days=14)
    for slug in ("cyberbullying", "digital-skills"):
        consultation = Consultation.objects.get(slug=slug)
        assert before - timedelta(days=1) <= consultation.opens_at <= after - timedelta(days=1)
        assert before + timedelta(days=60) <= consultation.closes_at <= after + timedelta(days=60)


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.json")), ids=lambda p: p.stem)
def test_demo_schedules_are_well_formed(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) <= {"slug", "title", "introduction", "questions", "demo_schedule"}
    schedule = data.get("demo_schedule")
    if schedule is not None:
        assert set(schedule) == {"opened_days_ago", "closed_days_ago"}
        assert schedule["opened_days_ago"] > schedule["closed_days_ago"]


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
