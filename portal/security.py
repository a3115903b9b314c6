"""Headers and cookie settings every response gets, and CSRF on every form.

The citizen pages use no JavaScript at all, so the CSP allows none: an injected script
has nowhere to run.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def init_app(app: Flask, *, exempt: tuple[Blueprint, ...] = ()) -> None:
    """`exempt`: blueprints the gateway posts to, which carry a callback token instead."""
    production = app.config["PORTAL_ENV"] == "production"
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        WTF_CSRF_TIME_LIMIT=None,  # a slow form-filler on 2G must not lose their work
    )
    csrf.init_app(app)
    for blueprint in exempt:
        csrf.exempt(blueprint)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
