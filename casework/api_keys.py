"""Agencies' API keys: issued once, kept as a hash, presented on every call.

A key reads `thusa_<prefix>_<secret>`. The prefix finds the row (and is safe to show in
lists and logs); only the SHA-256 of the secret is kept, compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput, NotFound
from casework.models import Agency, ApiKey, Role, WebhookSubscription, utcnow
from casework.recording import audit

KEY_PREFIX = "thusa"
# Writing `last_used_at` on every call would turn each read into a write: once a minute
# says as much to whoever checks which keys are still in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    id: int
    prefix: str
    # The whole key, shown once: nothing can show it again.
    key: str


def issue_key(db: Database, actor: Actor, *, agency_code: str, role: str, name: str) -> IssuedKey:
    """A new key for an agency's system, acting with `role` (scoped like staff)."""
    if role not in {member.value for member in Role}:
        raise InvalidInput("role", N_("Choose a role"))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("name", N_("Name the system the key is for"))
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    with db.transaction() as session:
        agency = session.scalars(select(Agency).where(Agency.code == agency_code)).one_or_none()
        if agency is None:
            raise InvalidInput("agency", N_("Choose an agency from the list"))
        key = ApiKey(
            agency_id=agency.id, name=name, role=role, prefix=prefix, secret_hash=_hash(secret)
        )
        session.add(key)
        session.flush()
        audit(session, actor, "api_key.issued", detail={"api_key": key.id, "role": role})
        return IssuedKey(key.id, prefix, f"{KEY_PREFIX}_{prefix}_{secret}")


def revoke_key(db: Database, actor: Actor, prefix: str) -> None:
    """Stop the key working at once, and end the webhook subscriptions made with it."""
    with db.transaction() as session:
        key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()
        if key is None:
            raise NotFound(N_("We could not find that key"))
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            # Whoever held the key must not keep hearing about cases through the webhooks
            # it subscribed: they end with it.
            ended = session.scalars(
                update(WebhookSubscription)
                .where(WebhookSubscription.api_key_id == key.id, WebhookSubscription.active)
                .values(active=False, disabled_at=key.revoked_at)
                .returning(WebhookSubscription.id)
            ).all()
            audit(
                session,
                actor,
                "api_key.revoked",
                detail={"api_key": key.id, "webhooks_ended": sorted(ended)},
            )


def list_keys(db: Database) -> list[ApiKey]:
    with db.read() as session:
        keys = session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
        for key in keys:
            _ = key.agency.code  # loaded for the caller, after the session closes
        return list(keys)


def authenticate(db: Database, presented: str | None) -> Actor | None:
    """The actor a presented key acts as, or None for a missing, wrong or revoked key.

    A wrong key and an unknown one take the same path (a hash and a compare), so timing
    does not tell a caller which prefixes exist.
    """
    prefix, secret = _split(presented or "")
    with db.read() as session:
        key = session.scalars(
            select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        ).one_or_none()
        expected = key.secret_hash if key is not None else _hash("")
        matches = hmac.compare_digest(_hash(secret), expected)
        if key is None or not matches or not secret:
            return None
        actor = Actor.api(key)
        stale = key.last_used_at is None or key.last_used_at < utcnow() - LAST_USED_RESOLUTION
    if stale:
        with db.transaction() as session:
            session.execute(
                update(ApiKey).where(ApiKey.id == actor.api_key_id).values(last_used_at=utcnow())
            )
    return actor


def _split(presented: str) -> tuple[str, str]:
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return "", ""
    return parts[1], parts[2]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
