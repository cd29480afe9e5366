from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from consultations import ratelimit
from consultations.models import Response
from consultations.tests.factories import answer_data, form_token, make_consultation

pytestmark = pytest.mark.django_db


def _send(client, consultation, language="en", **extra):
    token = form_token(client, consultation, language)
    return client.post(
        f"/{language}/consultations/{consultation.slug}/answer/", answer_data(consultation, token), **extra
    )


def test_more_submissions_than_the_hourly_limit_get_a_polite_refusal_and_keep_their_answers(client, settings):
    settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS = 2
    consultation = make_consultation()
    assert _send(client, consultation, "ru").status_code == 200
    assert _send(client, consultation, "ru").status_code == 200
    refused = _send(client, consultation, "ru")

    assert refused.status_code == 429
    assert Response.objects.count() == 2
    html = refused.content.decode()
    with translation.override("ru"):
        assert gettext("Please wait a little") in html
        assert gettext("Please wait a little") != "Please wait a little"
    assert "Schools should teach us how to block people.</textarea>" in html


def test_another_address_is_not_affected(client, settings):
    settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS = 1
    consultation = make_consultation()
    _send(client, consultation, REMOTE_ADDR="192.0.2.1")
    assert _send(client, consultation, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert _send(client, consultation, REMOTE_ADDR="192.0.2.2").status_code == 200


def _cache_keys() -> list[str]:
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):  # local memory
        return list(cache._cache.keys())
    return [k.decode() for k in cache._cache.get_client().keys("*")]  # Redis


def test_the_address_is_kept_only_as_a_keyed_hash_in_the_cache(client, settings):
    consultation = make_consultation()
    _send(client, consultation, REMOTE_ADDR="198.51.100.77")
    keys = _cache_keys()
    assert any("ratelimit:submit" in key for key in keys)
    assert not any("198.51.100.77" in key for key in keys)
    assert all("198.51.100.77" not in str(cache.get(key.split(":", 2)[-1])) for key in keys)


def _at(day: int, hour: int):
    return mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, day, hour, 30, tzinfo=UTC))


def _counter_made_by(request, day: int, hour: int) -> list[str]:
    """Count one submission from ``request`` at a time in November 2026; return its cache key's parts."""
    prefix = cache.make_key("ratelimit:submit:")
    before = {key for key in _cache_keys() if key.startswith(prefix)}
    with _at(day, hour):
        ratelimit.record_submission(request)
    (key,) = {key for key in _cache_keys() if key.startswith(prefix)} - before
    return key.split(":")


def test_a_limit_reached_one_day_does_not_block_the_next(rf, settings):
    settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS = 1
    request = rf.post("/", REMOTE_ADDR="203.0.113.5")
    with _at(23, 23):  # Monday night
        assert not ratelimit.submissions_exceeded(request)
        ratelimit.record_submission(request)
        assert ratelimit.submissions_exceeded(request)
    with _at(24, 0):  # Tuesday morning
        assert not ratelimit.submissions_exceeded(request)


def test_the_salt_changes_every_day_so_counters_cannot_be_linked(rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.5")
    monday = _counter_made_by(request, 23, 10)
    later_on_monday = _counter_made_by(request, 23, 11)
    tuesday = _counter_made_by(request, 24, 10)
    someone_else_on_tuesday = _counter_made_by(rf.post("/", REMOTE_ADDR="198.51.100.8"), 24, 10)

    shared_by_everyone = set(tuesday) & set(someone_else_on_tuesday)
    # Within a day an address is counted under a name that links its hours together (which is
    # what makes the hourly limit work, and shows that comparing names can reveal a link) ...
    assert (set(monday) & set(later_on_monday)) - shared_by_everyone
    # ... but Monday's counter has no more in common with Tuesday's than two different people's do.
    assert set(monday) & set(tuesday) <= shared_by_everyone


def test_only_trusted_proxies_decide_the_address(rf, settings):
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "192.0.2.9"


def test_answering_goes_on_when_the_cache_is_down(client, settings):
    settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS = 1
    consultation = make_consultation()
    with (
        mock.patch("consultations.ratelimit.cache.get", side_effect=ConnectionError("cache down")),
        mock.patch("consultations.ratelimit.cache.add", side_effect=ConnectionError("cache down")),
    ):
        assert _send(client, consultation).status_code == 200
        assert _send(client, consultation).status_code == 200
    assert Response.objects.count() == 2


def test_addresses_in_one_ipv6_64_share_a_counter(client, settings):
    settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS = 1
    consultation = make_consultation()
    assert _send(client, consultation, REMOTE_ADDR="2001:db8:1:2::1").status_code == 200
    assert _send(client, consultation, REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert _send(client, consultation, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
