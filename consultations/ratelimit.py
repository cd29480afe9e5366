"""Submissions per address per hour, counted without ever storing an address.

The address is turned into an HMAC with a random salt that lives only in the cache and is
replaced every day, so yesterday's counters cannot be linked to today's, and nothing in
the database ever sees it. If the cache is down, answering carries on unlimited: losing a
young person's answers would be worse than letting a burst through.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

log = logging.getLogger(__name__)

DAY = 24 * 60 * 60
HOUR = 60 * 60


def client_address(request: HttpRequest) -> str:
    """The caller's address, taking only as many X-Forwarded-For hops as proxies we trust."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= trusted:
            return hops[-trusted]
    address: str = request.META.get("REMOTE_ADDR", "")
    return address


def _daily_salt() -> bytes:
    key = f"ratelimit-salt:{timezone.now():%Y-%m-%d}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(32), DAY + HOUR)
        salt = cache.get(key)
    return bytes.fromhex(salt)


def _network(address: str) -> str:
    # An IPv6 visitor usually holds a whole /64 and could hop between its addresses.
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _counter_key(request: HttpRequest, scope: str) -> str:
    digest = hmac.new(_daily_salt(), _network(client_address(request)).encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{scope}:{timezone.now():%Y%m%d%H}:{digest[:32]}"


def submissions_exceeded(request: HttpRequest, scope: str = "submit") -> bool:
    try:
        return (cache.get(_counter_key(request, scope)) or 0) >= settings.SUBMISSIONS_PER_HOUR_PER_ADDRESS
    except Exception:  # a cache outage must not stop anyone answering
        log.warning("rate limit unavailable: cache error", exc_info=False)
        return False


def record_submission(request: HttpRequest, scope: str = "submit") -> None:
    try:
        key = _counter_key(request, scope)
        if not cache.add(key, 1, HOUR + 60):
            cache.incr(key)
    except Exception:
        log.warning("rate limit unavailable: cache error", exc_info=False)
