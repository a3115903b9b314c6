"""The shared handles a request reaches: the casework database and, if configured, Redis."""

from __future__ import annotations

import redis
from flask import current_app

from casework.database import Database


def get_db() -> Database:
    return current_app.extensions["casework.db"]


def get_redis() -> redis.Redis | None:
    """The Redis client, or None when REDIS_URL is unset (single-process stores)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("redis")
    if client is None:
        # Short timeouts: a Redis that stopped answering must fail a check fast, not hang it.
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions["redis"] = client
    return client
