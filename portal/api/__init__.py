"""`/api/v1`: JSON for agencies' systems, described by an OpenAPI 3.1 document at
`/api/v1/openapi.json` that spectree writes from the routes themselves."""

from __future__ import annotations

from flask import Flask, jsonify

from portal.api import cases, directory, referrals, webhooks  # noqa: F401  (their routes)
from portal.api.blueprint import blueprint, spec

__all__ = ["blueprint", "init_app"]


def init_app(app: Flask) -> None:
    """Register the API and its document. The API authenticates by key, so it takes no
    CSRF token (the caller must exempt `blueprint`)."""
    app.register_blueprint(blueprint)
    # Public, like any published API description; spectree writes it from the routes of
    # the app serving it (one document per process: every app has the same routes).
    app.add_url_rule("/api/v1/openapi.json", "api_openapi", lambda: jsonify(spec.spec))
