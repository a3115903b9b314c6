"""AT_CALLBACK_TOKEN: when set, gateway callbacks must carry `?token=<value>`.

Africa's Talking cannot sign its callbacks, so a secret in the callback URL is what
keeps strangers from posting fake delivery reports, inbound SMS or USSD hops.
"""

from __future__ import annotations

import hmac

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue


def protect(app: Flask, *blueprint_names: str) -> None:
    protected = set(blueprint_names)

    @app.before_request
    def require_callback_token() -> ResponseReturnValue | None:
        expected = current_app.config.get("AT_CALLBACK_TOKEN")
        if not expected or request.blueprint not in protected:
            return None
        given = request.args.get("token", "")
        if hmac.compare_digest(given.encode(), expected.encode()):
            return None
        return "Forbidden", 403, {"Content-Type": "text/plain; charset=utf-8"}
