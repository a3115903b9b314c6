"""Agencies' webhook subscriptions: tell an agency's system about events on its cases.

An agency subscribes a URL to some events (casework.webhook_events.EVENTS, none meaning
all) and receives each as a signed POST (notifications.webhook_sender). The signing
secret is shown once, when it subscribes. Only staff and agency systems (API keys) of an
agency manage its subscriptions, and only its own.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput, NotFound, NotPermitted
from casework.models import WebhookDelivery, WebhookSubscription, utcnow
from casework.recording import audit
from casework.webhook_events import EVENTS

__all__ = [
    "EVENTS",
    "DeliveryView",
    "SubscriptionView",
    "delivery_log",
    "list_subscriptions",
    "subscribe",
    "unsubscribe",
]

URL_MAX = 500
# Every event is sent to every matching subscription: a cap keeps one agency from turning
# each case change into hundreds of requests.
MAX_ACTIVE_SUBSCRIPTIONS = 10
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription as its agency sees it: never with its secret."""

    id: int
    url: str
    events: list[str]
    active: bool
    created_at: dt.datetime


def subscribe(
    db: Database,
    actor: Actor,
    *,
    url: str,
    events: list[str],
    allow_loopback_http: bool = False,
) -> tuple[SubscriptionView, str]:
    """Subscribe the actor's agency's `url` to `events` (empty: every event).

    Returns the subscription and its signing secret, which nothing shows again. The URL
    must be https, name a host on the internet and carry no user name or password (each
    delivery is signed instead). `allow_loopback_http` lets http://127.0.0.1 and
    http://localhost through, for tests and development only.
    """
    agency_id = _agency_of(actor)
    checked_url = _checked_url(url, allow_loopback_http)
    wanted = _checked_events(events)
    secret = secrets.token_urlsafe(32)
    with db.transaction() as session:
        active = session.scalar(
            select(func.count(WebhookSubscription.id)).where(
                WebhookSubscription.agency_id == agency_id, WebhookSubscription.active.is_(True)
            )
        )
        if (active or 0) >= MAX_ACTIVE_SUBSCRIPTIONS:
            raise InvalidInput(
                "url",
                N_("An agency may have at most %(limit)s webhooks: remove one first"),
                limit=MAX_ACTIVE_SUBSCRIPTIONS,
            )
        subscription = WebhookSubscription(
            agency_id=agency_id,
            api_key_id=actor.api_key_id,
            url=checked_url,
            secret=secret,
            events=wanted,
        )
        session.add(subscription)
        session.flush()
        audit(
            session,
            actor,
            "webhook.subscribed",
            detail={"subscription": subscription.id, "events": wanted},
        )
        return _view(subscription), secret


def list_subscriptions(db: Database, actor: Actor) -> list[SubscriptionView]:
    """The actor's agency's subscriptions, oldest first; unsubscribed ones are gone."""
    agency_id = _agency_of(actor)
    with db.read() as session:
        return [
            _view(subscription)
            for subscription in session.scalars(
                select(WebhookSubscription)
                .where(
                    WebhookSubscription.agency_id == agency_id,
                    WebhookSubscription.active.is_(True),
                )
                .order_by(WebhookSubscription.id)
            )
        ]


def unsubscribe(db: Database, actor: Actor, subscription_id: int) -> None:
    """End a subscription of the actor's agency. Deliveries still queued for it are not
    sent (the relay ends them `failed`, "Unsubscribed"); those sent stay on record.

    Another agency's subscription, or one already ended, answers NotFound: an id alone
    tells nobody what other agencies subscribed.
    """
    agency_id = _agency_of(actor)
    with db.transaction() as session:
        subscription = session.get(WebhookSubscription, subscription_id, with_for_update=True)
        if subscription is None or subscription.agency_id != agency_id or not subscription.active:
            raise NotFound(N_("We could not find that webhook"))
        subscription.active = False
        subscription.disabled_at = utcnow()
        audit(session, actor, "webhook.unsubscribed", detail={"subscription": subscription.id})


@dataclass(frozen=True)
class DeliveryView:
    """One delivery as its agency sees it: what was sent and how it went, for finding
    out why a system stopped hearing (never the body's secret parts: there are none)."""

    id: int
    event: str
    reference: str | None
    status: str
    attempts: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    response_status: int | None
    failure_reason: str | None


def delivery_log(
    db: Database, actor: Actor, subscription_id: int, *, status: str | None, limit: int
) -> list[DeliveryView]:
    """A subscription's deliveries, newest first (`status` narrows them). Ended
    subscriptions keep theirs; another agency's subscription is NotFound."""
    agency_id = _agency_of(actor)
    with db.read() as session:
        subscription = session.get(WebhookSubscription, subscription_id)
        if subscription is None or subscription.agency_id != agency_id:
            raise NotFound(N_("We could not find that webhook"))
        query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
        if status:
            query = query.where(WebhookDelivery.status == status)
        rows = session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit))
        return [
            DeliveryView(
                id=row.id,
                event=row.event,
                reference=(row.payload.get("case") or {}).get("reference"),
                status=row.status,
                attempts=row.attempts,
                created_at=row.created_at,
                sent_at=row.sent_at,
                next_attempt_at=row.next_attempt_at if row.status == "queued" else None,
                response_status=row.response_status,
                failure_reason=row.failure_reason,
            )
            for row in rows
        ]


def _agency_of(actor: Actor) -> int:
    if not actor.is_staff_like or actor.agency_id is None:
        raise NotPermitted(N_("Your role cannot manage webhooks"))
    return actor.agency_id


def _checked_url(url: str, allow_loopback_http: bool) -> str:
    text = (url or "").strip()
    if not text or len(text) > URL_MAX:
        raise InvalidInput("url", N_("Enter the https address to send events to"))
    parts = urlsplit(text)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        host = None
    if not host:
        raise InvalidInput("url", N_("Enter the https address to send events to"))
    if parts.username is not None or parts.password is not None:
        raise InvalidInput(
            "url", N_("Leave the user name and password out of the address: deliveries are signed")
        )
    loopback_allowed = allow_loopback_http and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback_allowed):
        raise InvalidInput("url", N_("The address must start with https://"))
    if not loopback_allowed and _internal(host):
        # The relay must not become a way to reach this system's own network (a cloud's
        # metadata address, a database port) on an agency's say-so.
        raise InvalidInput("url", N_("The address must be reachable on the internet"))
    return text


def _internal(host: str) -> bool:
    """A host that names this machine or a private network by itself. A public name that
    resolves to a private address is not caught here: that needs a check when sending."""
    if host in LOOPBACK_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def _checked_events(events: list[str] | None) -> list[str]:
    wanted: list[str] = []
    for name in events or []:
        if name not in EVENTS:
            raise InvalidInput(
                "events", N_("Choose events from: %(events)s"), events=", ".join(EVENTS)
            )
        if name not in wanted:
            wanted.append(name)
    return wanted


def _view(subscription: WebhookSubscription) -> SubscriptionView:
    return SubscriptionView(
        id=subscription.id,
        url=subscription.url,
        events=list(subscription.events),
        active=subscription.active,
        created_at=subscription.created_at,
    )
