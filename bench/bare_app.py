"""The yardsticks for the USSD benchmark: Flask answering `POST /ussd` with a fixed screen,
and `POST /ussd-session` doing the least any callback that keeps a session must.

Both read the same form as the real callback and answer the same way (text/plain,
`CON `), so under the same gunicorn settings the difference is what a real hop costs: the
menu engine, the session store, the abuse limits and the database.

`/ussd-session` is what no design keeping a session between hops can skip, when any
worker may get the next hop: in one round trip to Redis take the session's lock and read
it, in a second write it back and release the lock (as `ussd.session_store` does, with no
menu, no limits and no database).
"""

from __future__ import annotations

import json
import os
import secrets

import redis
from flask import Flask, request

# The session store's own release: the lock is deleted only if it is still this hop's.
from ussd.session_store import _RELEASE

HOME = (
    "CON Thusa: how can we help?\n1 Apply for a service\n2 Track my cases\n"
    "3 Make a complaint\n4 Find a service\n5 Language\n6 Privacy notice"
)
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}
UNREADABLE = "END Sorry, we could not read that."


def create_app() -> Flask:
    app = Flask(__name__)
    store = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"))

    @app.post("/ussd")
    def hop() -> tuple[str, int, dict[str, str]]:
        form = request.form
        if not form.get("sessionId") or not form.get("phoneNumber"):
            return UNREADABLE, 200, PLAIN
        form.get("text", "")
        return HOME, 200, PLAIN

    @app.post("/ussd-session")
    def hop_with_session() -> tuple[str, int, dict[str, str]]:
        form = request.form
        session_id = form.get("sessionId")
        if not session_id or not form.get("phoneNumber"):
            return UNREADABLE, 200, PLAIN
        key, token = "bare:session:" + session_id, secrets.token_hex(16)
        taking = store.pipeline(transaction=False)
        taking.set(key + ":lock", token, nx=True, px=30_000)
        taking.get(key)
        _, kept = taking.execute()
        session = json.loads(kept) if kept else {"seen": []}
        session["seen"].append(form.get("text", "").rsplit("*", 1)[-1])
        leaving = store.pipeline(transaction=False)
        leaving.set(key, json.dumps(session), px=300_000)
        leaving.eval(_RELEASE, 1, key + ":lock", token)
        leaving.execute()
        return HOME, 200, PLAIN

    return app
