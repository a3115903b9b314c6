"""Abuse limits on what costs money or invites guessing: SMS codes, sign-in checks.

Counts live in Redis when it is configured (every worker shares them), else in process.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)

    @app.errorhandler(TooManyRequests)
    def too_many(error: TooManyRequests) -> ResponseReturnValue:
        return render_template("too_many.html"), 429
