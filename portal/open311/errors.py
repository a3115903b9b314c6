"""Every refusal as GeoReport v2 shapes it, never an HTML page or a bare 500:

    [{"code": 403, "description": "Invalid api_key ..."}]   (JSON)
    <errors><error><code>403</code><description>...</description></error></errors>

"HTTP error codes should always be 404 for resources that don't exist, 403 for errors
because of wrong or missing api_key and basically 400 for any other error" (Errors).
"""

from __future__ import annotations

import logging
import math
import time

from flask import Blueprint, Response, current_app
from werkzeug.exceptions import HTTPException, default_exceptions

from casework.database import DATABASE_UNAVAILABLE
from portal.open311.formats import render, requested_format

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
DEFAULT_RETRY_AFTER_SECONDS = 60


class Open311Error(Exception):
    """Raised by a view to answer with one spec-shaped error."""

    def __init__(
        self, status: int, description: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers


def error_response(
    status: int, description: str, headers: dict[str, str] | None = None
) -> Response:
    errors = [{"code": status, "description": description}]
    return render(requested_format(), "errors", errors, status, headers)


def install(blueprint: Blueprint) -> None:
    """Spec-shaped answers for whatever goes wrong in the blueprint's views.

    Flask asks handlers registered for an HTTP status code before handlers for a class,
    and the app's own (HTML pages for 404, 413, a stale form) before a blueprint's
    class-wide one: so each code gets this blueprint's handler of its own.
    """
    blueprint.register_error_handler(Open311Error, _refused)
    for code in default_exceptions:
        blueprint.register_error_handler(code, _http_error)
    for error_class in DATABASE_UNAVAILABLE:
        blueprint.register_error_handler(error_class, _database_unavailable)
    blueprint.register_error_handler(Exception, _unexpected)


def _refused(error: Open311Error) -> Response:
    return error_response(error.status, error.description, error.headers)


def _http_error(error: HTTPException) -> Response:
    headers: dict[str, str] = {}
    allowed = getattr(error, "valid_methods", None)
    if allowed:
        headers["Allow"] = ", ".join(allowed)
    if error.code == 429:  # the app's own per-key limit (portal.rate_limits), not ours
        headers["Retry-After"] = str(_retry_after())
        return error_response(
            429, f"Too many requests: try again in {headers['Retry-After']} seconds", headers
        )
    return error_response(error.code or 400, error.description or error.name, headers)


def _retry_after() -> int:
    current = getattr(current_app.extensions.get("rate_limits"), "current_limit", None)
    if current is None:
        return DEFAULT_RETRY_AFTER_SECONDS
    return max(1, math.ceil(current.window.reset_time - time.time()))


def _database_unavailable(error: Exception) -> Response:
    log.warning("open311: database unavailable: %s", type(getattr(error, "orig", error)).__name__)
    return error_response(
        503,
        "The service is not available right now. Try again shortly: sending the same"
        " request again is safe, it is never lodged twice.",
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _unexpected(error: Exception) -> Response:
    # The log masks phone and ID numbers, and the engine hides statement parameters.
    log.error("open311: unexpected error", exc_info=error)
    return error_response(
        500,
        "Something went wrong on our side. Try again later: sending the same request"
        " again is safe, it is never lodged twice.",
    )
