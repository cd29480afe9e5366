"""Email subscriptions to new documents: no account, double opt-in, one-click unsubscribe.

Two kinds of link reach a subscriber, and they are made differently on purpose:

- The confirmation link carries a random secret (secrets.token_urlsafe) of which only the
  SHA-256 digest is stored, so a copy of the database cannot confirm anyone's address.
  Asking again replaces the secret, so only the latest confirmation email works.
- The unsubscribe link (in every notification, and in the "already subscribed" email)
  must keep working for as long as the subscription lives, and the confirmation secret
  cannot serve: only its digest is stored, so it cannot be put into later emails. So the
  token is `signing.dumps({"s": <subscription id>}, salt="unsubscribe")`: the id, readable
  by anyone who base64-decodes it, with an HMAC of SECRET_KEY that nobody can forge for
  another id. Nothing about it is stored; it has no expiry date and is the same in every
  email to that subscription. Once the subscription is deleted the link only says "you
  are unsubscribed". Changing SECRET_KEY breaks every link already sent, unless the old key
  stays in SECRET_KEY_FALLBACKS.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from consultations.models import Meeting
from cop_site.emails import email_queue, site_reverse
from reports.models import Document, DocumentNotification, Subscription

log = logging.getLogger(__name__)

# A confirmation link older than this no longer works; the visitor simply asks again.
CONFIRM_WITHIN = timedelta(days=7)
# Emails (confirmation or "already subscribed") one address can be sent in an hour: enough
# for someone who lost the first one, too few to bomb a mailbox through our form.
EMAILS_PER_ADDRESS_PER_HOUR = 3
NOTIFIED_STATUSES = (Document.Status.PUBLISHED, Document.Status.FOR_COMMENT)
UNSUBSCRIBE_SALT = "unsubscribe"
# The emails' templates: <EMAILS><name>_subject.txt, _message.txt and _message.html.
EMAILS = "reports/email/subscription_"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def email_normalise(email: str) -> str:
    # Stored lower-case so that "Ana@Example.org" and "ana@example.org" are one subscription.
    return email.strip().lower()


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk}, salt=UNSUBSCRIBE_SALT)


def subscription_for_unsubscribe_token(token: str) -> Subscription | None:
    """The subscription a link names; None if it was already deleted.

    Raises signing.BadSignature for a link we never made.
    """
    value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(value, dict) or not isinstance(value.get("s"), int):
        raise signing.BadSignature("unexpected payload")
    return Subscription.objects.select_related("meeting").filter(pk=value["s"]).first()


def subscription_for_secret(secret: str, *, now: datetime) -> Subscription | None:
    """The subscription a confirmation link names, unless the link has expired."""
    subscription = Subscription.objects.select_related("meeting").filter(token_digest=secret_digest(secret)).first()
    if subscription is None:
        return None
    if subscription.confirmed_at is None and subscription.created_at < now - CONFIRM_WITHIN:
        return None
    return subscription


def subscription_email_allowed(*, email: str) -> bool:
    """Count one more email to this address this hour; False once there were too many.

    The counter's key is an HMAC of the address (keyed with SECRET_KEY) and lives only in
    the cache for an hour. With the cache down, nothing is limited: the per-address limit
    is a courtesy to mailboxes, not a security boundary.
    """
    digest = salted_hmac("reports.documents.subscriptions.ratelimit", email_normalise(email)).hexdigest()[:32]
    key = f"ratelimit:subscribe:{timezone.now():%Y%m%d%H}:{digest}"
    try:
        cache.add(key, 0, 60 * 60 + 60)
        return cache.incr(key) <= EMAILS_PER_ADDRESS_PER_HOUR
    except Exception:
        log.warning("subscription rate limit unavailable: cache error", exc_info=False)
        return True


def subscription_request(*, email: str, meeting: Meeting | None, language: str, now: datetime) -> None:
    """Start (or restart) the double opt-in for an address, and email it.

    The caller shows the same page whatever happens here, so nobody can learn from the
    site whether an address is subscribed. An address already confirmed is told so by
    email (with its unsubscribe link) and nothing changes: a stranger typing it in cannot
    alter someone's subscription, not even its language.
    """
    email = email_normalise(email)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email, meeting=meeting).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, meeting=meeting, language=language, token_digest=secret_digest(secret)
                    )
            except IntegrityError:  # the same address asked twice at once: the other request wins
                return
        elif subscription.confirmed_at is None:
            subscription.token_digest = secret_digest(secret)
            subscription.language = language
            subscription.created_at = now  # the confirmation link's week starts again
            subscription.save(update_fields=["token_digest", "language", "created_at"])
        else:
            email_queue(
                f"{EMAILS}already_subscribed",
                to=[email],
                language=language,
                context={
                    "following": following_text(subscription.meeting, language),
                    "unsubscribe_link": site_reverse(
                        language, "documents:unsubscribe", unsubscribe_token(subscription)
                    ),
                },
            )
            return
        email_queue(
            f"{EMAILS}confirm",
            to=[email],
            language=language,
            context={
                "following": following_text(meeting, language),
                "confirm_link": site_reverse(language, "documents:confirm", secret),
                "days": CONFIRM_WITHIN.days,
            },
        )


def subscription_confirm(*, subscription: Subscription, now: datetime) -> None:
    Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(confirmed_at=now)


def subscription_delete(*, subscription: Subscription) -> None:
    Subscription.objects.filter(pk=subscription.pk).delete()


def subscribers_notify(*, document_id: int) -> int:
    """Email each confirmed subscriber of a published document once; return how many were sent.

    Safe to run twice, or twice at once: the DocumentNotification row is written before the
    email is queued (on commit), and its unique constraint lets only one run write it. An
    address following both every document and the document's meeting gets one email.
    """
    document = Document.objects.select_related("meeting").filter(pk=document_id).first()
    if document is None or document.status not in NOTIFIED_STATUSES:
        return 0
    subscriptions = (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .filter(Q(meeting__isnull=True) | Q(meeting_id=document.meeting_id))
        .select_related("meeting")
        # For an address with both kinds, the all-documents subscription is the one used.
        .order_by("email", "meeting_id", "pk")
    )
    already_told = set(
        DocumentNotification.objects.filter(document=document).values_list("subscription__email", flat=True)
    )
    chosen: dict[str, Subscription] = {}
    for subscription in subscriptions:
        if subscription.email not in already_told:
            chosen.setdefault(subscription.email, subscription)
    sent = 0
    for subscription in chosen.values():
        try:
            with transaction.atomic():
                DocumentNotification.objects.create(subscription=subscription, document=document)
                _queue_notification(subscription, document)
        except IntegrityError:  # another run told this subscriber first
            continue
        sent += 1
    return sent


def _queue_notification(subscription: Subscription, document: Document) -> None:
    language = subscription.language
    unsubscribe_link = site_reverse(language, "documents:unsubscribe", unsubscribe_token(subscription))
    # These two headers let a mail client offer its own "unsubscribe" button, which POSTs
    # to the link without opening it (RFC 2369, RFC 8058).
    headers = {"List-Unsubscribe": f"<{unsubscribe_link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    email_queue(
        f"{EMAILS}document_published",
        to=[subscription.email],
        language=language,
        headers=headers,
        context={
            "document": document,
            "symbol": document.symbol,
            "title": document.title_in(language),
            "meeting": document.meeting.display_name(language),
            "is_for_comment": document.status == Document.Status.FOR_COMMENT,
            "document_link": site_reverse(language, "documents:detail", document.slug),
            "following": following_text(subscription.meeting, language),
            "unsubscribe_link": unsubscribe_link,
        },
    )


def following_text(meeting: Meeting | None, language: str) -> str:
    with translation.override(language):
        if meeting is None:
            return gettext("every new document")
        return gettext("the documents of %(meeting)s") % {"meeting": meeting.display_name(language)}
