"""Putting USSD into the Flask app: the callback, the session store, `flask ussd dial`."""

from __future__ import annotations

from flask import Flask

from ussd import dial, webhook
from ussd.session_store import MemorySessionStore, RedisSessionStore


def init_app(app: Flask) -> None:
    client = app.extensions.get("redis")
    # Redis when configured: the next hop may reach another worker or machine.
    app.extensions["ussd.store"] = RedisSessionStore(client) if client else MemorySessionStore()
    # The web's form drafts (too big for a cookie) live in the same kind of store.
    app.extensions["drafts"] = app.extensions["ussd.store"]
    app.register_blueprint(webhook.blueprint)
    app.cli.add_command(dial.commands)
