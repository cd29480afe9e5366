"""On a fresh clone the demo shows real results: the closed demo consultation has its final,
made-up release; the open ones show only how many have answered so far."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from consultations.models import Answer, Consultation, Response
from reports.models import ScopeTally, TallyRun

pytestmark = pytest.mark.django_db

CLOSED, OPEN = "gaming-safety", ("cyberbullying", "digital-skills")


def load_demo() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_demo_results", responses=200, stdout=StringIO())


def state() -> dict:
    return {
        # The open demos are reopened for 60 days on every run, as before; the closed one keeps
        # the dates its final release was made with.
        "closed": sorted(Consultation.objects.filter(slug=CLOSED).values_list("slug", "opens_at", "closes_at")),
        "open": sorted(Consultation.objects.open().values_list("slug", flat=True)),
        "responses": Response.objects.count(),
        "runs": sorted(TallyRun.objects.values_list("consultation__slug", "number", "is_final", "computed_at")),
        "scopes": ScopeTally.objects.count(),
    }


def test_the_closed_demo_consultation_has_its_final_made_up_release_and_the_open_ones_only_a_count(client) -> None:
    load_demo()

    release = TallyRun.objects.get(consultation__slug=CLOSED)
    assert (release.number, release.is_final, release.is_demo, release.respondents) == (1, True, True, 200)
    page = client.get(f"/en/results/{CLOSED}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Demonstration:" in html and "No young person gave these answers." in html
    assert "Release 1, the final figures" in html
    assert "How often do you play games online?" in html and "Every day" in html
    every_day = Answer.objects.filter(
        question__consultation__slug=CLOSED, question__position=1, choice__position=1
    ).count()
    assert every_day >= release.threshold and f"{every_day} <span" in html and f"({every_day / 200:.1%})" in html
    assert "young people have answered so far" not in html

    for slug in OPEN:
        assert not TallyRun.objects.filter(consultation__slug=slug).exists()
        html = client.get(f"/en/results/{slug}/").content.decode()
        assert "At least 200 young people have answered so far." in html
        assert "Demonstration:" not in html and "Release" not in html


def test_running_both_commands_again_changes_nothing() -> None:
    load_demo()
    before = state()
    assert before["responses"] == 600 and len(before["runs"]) == 1 and before["open"] == list(OPEN)
    cache.clear()
    load_demo()
    assert state() == before
