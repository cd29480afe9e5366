"""Per-answer figures become public only through releases: final after closing, interim on request."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest

from consultations.tests.factories import make_consultation
from reports.models import ScopeTally, TallyRun
from reports.statistics import tallies
from reports.statistics.releases import ReleaseRefused, release_publish
from reports.statistics.tasks import publish_final_releases
from reports.tests.helpers import add_responses

pytestmark = pytest.mark.django_db


def closed_consultation(**kwargs):
    return make_consultation(opens_in=timedelta(days=-10), closes_in=timedelta(days=-1), **kwargs)


def test_beat_makes_the_final_release_of_closed_consultations_once_and_nothing_else() -> None:
    open_one = make_consultation(slug="open-one")
    closed = closed_consultation(slug="closed-one")
    upcoming = make_consultation(slug="later", opens_in=timedelta(days=3))
    add_responses(open_one, 30, seed=1)
    add_responses(closed, 30, seed=2)

    assert publish_final_releases.delay() is not None
    final = TallyRun.objects.get(consultation=closed)
    assert (final.is_final, final.number, final.respondents) == (True, 1, 30)
    # An open consultation is no longer recounted and published behind everyone's back.
    assert not TallyRun.objects.filter(consultation=open_one).exists()
    assert not TallyRun.objects.filter(consultation=upcoming).exists()

    publish_final_releases.delay()
    assert list(TallyRun.objects.filter(consultation=closed)) == [final]


def test_a_release_is_kept_with_its_number_date_threshold_and_method(settings) -> None:
    settings.REPORTS_MIN_COUNT = 5
    consultation = make_consultation()
    add_responses(consultation, 40, seed=3, countries=("KE",), ages=("15-17",), sexes=("male",), skip_rate=0)
    first = release_publish(consultation=consultation, final=False)
    assert (first.number, first.threshold, first.is_final) == (1, 5, False)
    assert first.method and first.computed_at


def test_an_interim_release_that_would_reveal_one_new_respondent_is_refused() -> None:
    consultation = make_consultation()
    add_responses(consultation, 60, seed=4, countries=("KE", "NG"))
    first = release_publish(consultation=consultation, final=False)
    add_responses(consultation, 1, seed=5, countries=("KE",), ages=("15-17",), sexes=("male",))
    with pytest.raises(ReleaseRefused) as refused:
        release_publish(consultation=consultation, final=False)
    assert any("too few new responses since the last release" in reason for reason in refused.value.reasons)
    assert any("Kenya" in reason for reason in refused.value.reasons)
    assert list(TallyRun.objects.filter(consultation=consultation)) == [first]


def test_an_interim_release_with_enough_new_respondents_everywhere_is_published() -> None:
    consultation = make_consultation(kinds=("single",), required=True)
    same = {"countries": ("KE",), "ages": ("15-17",), "sexes": ("male",), "skip_rate": 0}
    add_responses(consultation, 20, seed=6, **same)
    release_publish(consultation=consultation, final=False)
    # Ten more who all answered alike: every figure moves by 0 or 10, never by 1 to 4.
    choice = consultation.ordered_questions()[0].ordered_choices()[0]
    for response in add_responses(consultation, 10, seed=7, **same):
        response.answers.update(choice=choice)
    second = release_publish(consultation=consultation, final=False)
    assert second.number == 2 and second.respondents == 30
    assert TallyRun.objects.filter(consultation=consultation).count() == 2


def test_no_interim_release_once_closed_and_no_final_release_while_open() -> None:
    open_one = make_consultation()
    add_responses(open_one, 10, seed=8)
    with pytest.raises(ReleaseRefused):
        release_publish(consultation=open_one, final=True)
    closed = closed_consultation()
    add_responses(closed, 10, seed=9)
    with pytest.raises(ReleaseRefused):
        release_publish(consultation=closed, final=False)
    release_publish(consultation=closed, final=True)
    with pytest.raises(ReleaseRefused, match="already published"):
        release_publish(consultation=closed, final=True)


def test_counts_from_different_moments_are_never_published(monkeypatch) -> None:
    consultation = closed_consultation()
    add_responses(consultation, 12, seed=10)
    real_gather = tallies._gather

    def answers_seen_after_respondents(found):
        counts = real_gather(found)
        counts.respondents = {key: n - 1 for key, n in counts.respondents.items()}
        return counts

    monkeypatch.setattr(tallies, "_gather", answers_seen_after_respondents)
    with pytest.raises(tallies.InconsistentCounts):
        release_publish(consultation=consultation, final=True)
    assert not TallyRun.objects.filter(consultation=consultation).exists()


@pytest.mark.fullstack
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: runs in the full-stack pass of .ci/run")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_makes_the_final_release(settings) -> None:
    from celery.contrib.testing.worker import start_worker

    from cop_site.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    consultation = closed_consultation(slug="worker-released")
    add_responses(consultation, 25, seed=11)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            # beat's task fans out one final release per consultation, both through Redis.
            publish_final_releases.delay()
            deadline = time.monotonic() + 60
            while not TallyRun.objects.filter(consultation=consultation).exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    run = TallyRun.objects.get(consultation=consultation)
    assert run.respondents == 25 and run.is_final
    assert ScopeTally.objects.filter(run=run, scope="world").exists()


def _public_view(client, slug: str) -> dict[str, str]:
    """Everything an outsider can fetch about a consultation's results, in a few views."""
    seen = {}
    for path in (
        f"/en/results/{slug}/",
        f"/en/results/{slug}/?by=age-sex",
        f"/en/results/{slug}/?country=KEN",
        f"/en/api/v1/results/{slug}/",
        f"/en/api/v1/results/{slug}/?by=age-sex&country=KEN",
        f"/en/results/{slug}/download.csv",
        "/en/results/",
    ):
        response = client.get(path)
        seen[path] = f"{response.status_code} {response.content.decode()}"
    return seen


def test_while_open_the_public_sees_only_the_rounded_count_and_one_more_answer_changes_nothing(
    client, settings
) -> None:
    settings.REPORTS_OPEN_COUNT_STEP = 10
    twelve = ("KE", "NG", "BR", "IN", "FR", "EG", "RU", "MX", "PH", "DE", "JP", "CN")
    consultation = make_consultation(slug="open-now")
    add_responses(consultation, 301, seed=12, countries=twelve)
    page = client.get("/en/results/open-now/").content.decode()
    assert "At least 300 young people have answered so far." in page
    assert "Kenya" not in page and "Release" not in page
    api = client.get("/en/api/v1/results/open-now/")
    assert api.status_code == 404
    assert api.json()["answered_so_far"] == 300 and "questions" not in api.json()

    from django.core.cache import cache

    before = _public_view(client, "open-now")
    # A child in Kenya, 15–17, male, answers: nothing anyone can fetch moves.
    add_responses(consultation, 1, seed=13, countries=("KE",), ages=("15-17",), sexes=("male",))
    cache.clear()  # not even once the rounded count is counted again
    assert _public_view(client, "open-now") == before


def test_after_closing_the_final_release_appears_and_earlier_releases_keep_their_address(client) -> None:
    consultation = make_consultation(slug="soon-closed", kinds=("single",), required=True)
    same = {"countries": ("KE",), "ages": ("15-17",), "sexes": ("male",), "skip_rate": 0}
    add_responses(consultation, 20, seed=14, **same)
    release_publish(consultation=consultation, final=False)
    first_page = client.get("/en/results/soon-closed/releases/1/").content.decode()
    assert "Release 1, an interim release" in first_page

    from django.utils import timezone

    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save(update_fields=["closes_at"])
    add_responses(consultation, 10, seed=15, **same)
    publish_final_releases.delay()
    latest = client.get("/en/results/soon-closed/").content.decode()
    assert "Release 2, the final figures" in latest
    assert "/en/results/soon-closed/releases/1/" in latest  # the earlier one is listed
    api = client.get("/en/api/v1/results/soon-closed/").json()
    assert api["release"]["number"] == 2 and api["release"]["final"] is True
    assert api["release"]["url"] == "/en/api/v1/results/soon-closed/releases/2/"
    earlier = client.get("/en/api/v1/results/soon-closed/releases/1/").json()
    assert earlier["release"]["number"] == 1 and earlier["columns"][0]["respondents"] == 20
    download = client.get("/en/results/soon-closed/releases/1/download.csv")
    assert download["Content-Disposition"].endswith('-results-release-1.csv"')


def test_the_secretariat_publishes_an_interim_release_and_is_told_why_one_is_refused(client) -> None:
    from accounts.tests.factories import make_secretariat, signed_in

    signed_in(client, make_secretariat())
    consultation = make_consultation(slug="interim")
    add_responses(consultation, 80, seed=16, countries=("KE", "NG"))
    page = client.get("/en/secretariat/consultations/interim/releases/").content.decode()
    assert "Nothing has been released yet." in page and "Publish an interim release" in page

    published = client.post("/en/secretariat/consultations/interim/releases/", follow=True).content.decode()
    assert "Release 1 is published, with 80 respondents." in published
    assert "/en/results/interim/releases/1/" in published

    add_responses(consultation, 1, seed=17, countries=("NG",), ages=("12-14",), sexes=("female",))
    refused = client.post("/en/secretariat/consultations/interim/releases/", follow=True).content.decode()
    assert "The interim release was not published" in refused
    assert "too few new responses since the last release in Nigeria" in refused
    assert TallyRun.objects.filter(consultation=consultation).count() == 1


def test_only_the_secretariat_can_publish_a_release(client) -> None:
    from accounts.tests.factories import make_member_state, signed_in

    consultation = make_consultation(slug="guarded")
    add_responses(consultation, 30, seed=18)
    assert client.post("/en/secretariat/consultations/guarded/releases/").status_code == 302  # to login
    signed_in(client, make_member_state())
    assert client.post("/en/secretariat/consultations/guarded/releases/").status_code == 403
    assert not TallyRun.objects.filter(consultation=consultation).exists()


def test_a_figure_that_changes_between_hidden_and_shown_is_refused_even_when_its_total_moved_enough() -> None:
    from reports.statistics.releases import Published, release_refusal_reasons

    layout = {"columns": ["*|*", "15-17|male"]}
    # Kenya's 15–17 boys: 3 (hidden), then 8 (shown); the total moved by 5, which alone is fine.
    earlier = Published(layout, {"country:KE": {"respondents": [40, None], "questions": {}}})
    later = Published(layout, {"country:KE": {"respondents": [45, 8], "questions": {}}})
    reasons = release_refusal_reasons([earlier], later, 5)
    assert reasons and "Kenya" in reasons[0]
    # Shown in both with a difference of 0 or at least K, hidden in both: nothing given away.
    steady = Published(layout, {"country:KE": {"respondents": [45, None], "questions": {}}})
    assert release_refusal_reasons([earlier], steady, 5) == []
