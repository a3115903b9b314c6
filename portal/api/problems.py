"""Errors as machines read them: one JSON shape (after RFC 9457's problem details) for
every refusal of the API, whatever raised it, so an agency's system never has to parse
an HTML page meant for people."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

# The JSON interfaces whose refusals (an unknown address, a wrong method, a limit) must
# be JSON too. Open311 answers in its own shapes (portal.open311).
JSON_PREFIXES = ("/api/v1/", "/open-referral/")


def is_api_request() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {"title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
