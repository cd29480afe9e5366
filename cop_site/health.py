"""Readiness: can this process reach the database, the cache and the Celery broker?"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("health", "ok", 10)
    if cache.get("health") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # embedded: tasks run in-process, there is no broker to reach
    from cop_site.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in (("database", _database), ("cache", _cache), ("broker", _broker)):
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # a health check reports failures, it never raises them
            log.warning("health: %s unavailable: %s", name, type(error).__name__)
            results[name] = "unavailable"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **results}, status=200 if healthy else 503)
