"""The shared handles a request reaches: the casework database and, if configured, Redis."""

from __future__ import annotations

import redis
from flask import current_app

from casework.database import Database


def get_db() -> Database:
    return current_app.extensions["casework.db"]


def get_redis() -> redis.Redis | None:
    """The Redis client, or None when REDIS_URL is unset (single-process stores)."""
    return current_app.extensions.get("redis")
