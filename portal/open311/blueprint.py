"""The `/open311/v2` blueprint and what every call goes through: the per-address limit,
spec-shaped errors, and a spec-shaped 404 (or 405) for any other path under it.

CSRF-exempt (portal/__init__.py): callers are systems that authenticate with a key, not
browsers carrying a session cookie.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from portal.open311 import errors, limits
from portal.open311.errors import Open311Error
from portal.rate_limits import client_address

blueprint = Blueprint("open311", __name__, url_prefix="/open311/v2")
errors.install(blueprint)

_ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@blueprint.before_request
def _count_address() -> None:
    limits.count("open311_per_address", client_address())


@blueprint.route("/", methods=_ANY_METHOD)
@blueprint.route("/<path:unknown>", methods=_ANY_METHOD)
def unknown(unknown: str = "") -> ResponseReturnValue:
    """Not one of the spec's resources, or not with this method."""
    allowed = _methods_for(request.path)
    if allowed:
        raise Open311Error(
            405, f"{request.method} is not allowed here", {"Allow": ", ".join(allowed)}
        )
    raise Open311Error(
        404, "No such resource: start from discovery.xml, services.xml and requests.xml"
    )


def _methods_for(path: str) -> list[str]:
    """The methods another route of this blueprint answers on `path`."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    found = []
    for method in ("GET", "POST"):
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:
            continue
        if endpoint != "open311.unknown":
            found.append(method)
    return found
