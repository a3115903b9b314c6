"""The `/api/v1` blueprint, its OpenAPI document and what every call goes through: the
agency's key, the problem-shaped errors, and casework's errors mapped to HTTP.

The document is written by spectree from the routes it validates (`spec.validate`) and
the pydantic models in `portal.api.schemas`: nothing of it is written by hand.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from flask.typing import ResponseReturnValue
from spectree import Response as SpecResponse
from spectree import SecurityScheme, SecuritySchemeData, SpecTree
from werkzeug.exceptions import HTTPException

from casework.actors import Actor
from casework.api_keys import authenticate
from casework.database import DATABASE_UNAVAILABLE, Database
from casework.errors import (
    CaseworkError,
    InvalidInput,
    NotFound,
    NotPermitted,
    TransitionNotAllowed,
)
from portal.api.problems import problem
from portal.api.schemas import Problem

log = logging.getLogger(__name__)

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# Which HTTP status each casework refusal is. 404 for what is out of scope too: a key
# learns nothing about cases it may not see.
STATUS_OF = {NotFound: 404, NotPermitted: 403, TransitionNotAllowed: 409, InvalidInput: 422}
TITLE_OF = {
    404: "Not found",
    403: "Not permitted",
    409: "Conflict",
    422: "Invalid input",
    400: "Bad request",
    401: "Unauthorised",
    415: "Unsupported media type",
}


def _validation_problem(
    req: Any, resp: Any, error: Exception | None, instance: Any, adapter: Any
) -> None:
    """Spectree's refusal of a request that does not fit the schema, reshaped in place
    into the API's one error shape (the response spectree aborts with is this one)."""
    if error is None or resp is None:
        return
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())) or "body",
            "message": str(item.get("msg", "is not valid")),
        }
        for item in adapter.validation_errors(error)
    ]
    resp.set_data(problem(422, TITLE_OF[422], errors=errors).get_data())
    resp.mimetype = "application/json"


spec = SpecTree(
    "flask",
    mode="strict",
    # Spectree leaves routes under its own path out of the document; ours is served by
    # `portal.api.init_app` at /api/v1/openapi.json.
    path="api/v1/openapi",
    title="Thusa API",
    version="1",
    description=(
        "For agencies' systems. Every call carries the agency's key as a bearer token; a key"
        " sees and changes what a staff member of its agency with the key's role would."
    ),
    # No documentation pages: they would load scripts from a CDN. The JSON is enough
    # for any OpenAPI viewer.
    page_templates={},
    security_schemes=[
        SecurityScheme(name="agencyKey", data=SecuritySchemeData(type="http", scheme="bearer"))
    ],
    security={"agencyKey": []},
    validation_error_status=422,
    validation_error_model=Problem,
    before=_validation_problem,
    # Plain model names: every model lives in portal.api.schemas, so names cannot clash,
    # and client generators make readable type names from them.
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda parent, child: child,
)


def db() -> Database:
    return current_app.extensions["casework.db"]


def actor() -> Actor:
    """The key's actor; every view runs after `_authenticate` has set it."""
    return g.api_actor


@blueprint.before_request
def _authenticate() -> ResponseReturnValue | None:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    bearer = scheme.lower() == "bearer" and presented.isprintable()
    found = authenticate(db(), presented) if bearer else None
    if found is None:
        refused = _count("api_key_failure_per_address", request.remote_addr)
        return refused or problem(
            401,
            TITLE_OF[401],
            "Send the agency's API key as `Authorization: Bearer <key>`.",
            headers={"WWW-Authenticate": 'Bearer realm="thusa"'},
        )
    refused = _count("api_call_per_key", str(found.api_key_id))
    if refused is not None:
        return refused
    g.api_actor = found
    if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
        # Read as anything else, the body would be taken as empty: say what went wrong.
        return problem(415, "Unsupported media type", "Send the body as application/json.")
    if request.is_json and request.get_data() and request.get_json(silent=True) is None:
        return problem(400, TITLE_OF[400], "The body is not valid JSON.")
    return None


def _count(limit: str, value: str | None) -> Response | None:
    """One call counted against `limit` (casework.abuse_limits); the 429 past it."""
    limits = current_app.extensions.get("abuse_limits")  # absent: limits turned off
    refusal = limits.hit(limit, value) if limits is not None and value else None
    if refusal is None:
        return None
    wait = str(refusal.retry_after)
    return problem(
        429, "Too many requests", f"Try again in {wait} s.", headers={"Retry-After": wait}
    )


@blueprint.errorhandler(CaseworkError)
def _casework_refused(error: CaseworkError) -> Response:
    status = next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)
    errors = (
        [{"field": error.field, "message": str(error)}] if isinstance(error, InvalidInput) else None
    )
    return problem(status, TITLE_OF.get(status, "Refused"), str(error), errors=errors)


@blueprint.errorhandler(HTTPException)
def _http_refused(error: HTTPException) -> Response:
    if error.response is not None:  # spectree's own answer to an invalid request
        return error.response  # type: ignore[return-value]
    return http_problem(error)


def http_problem(error: HTTPException) -> Response:
    """A werkzeug refusal (404, 405, 413...) in the API's shape; 405 keeps its Allow."""
    allow = getattr(error, "valid_methods", None)
    headers = {"Allow": ", ".join(allow)} if allow else None
    return problem(error.code or 500, error.name, headers=headers)


def _database_unavailable(error: Exception) -> Response:
    log.warning("API: database unavailable: %s", type(getattr(error, "orig", error)).__name__)
    return problem(503, "Unavailable", "Try again shortly.", headers={"Retry-After": "30"})


for _error_class in DATABASE_UNAVAILABLE:
    blueprint.register_error_handler(_error_class, _database_unavailable)


def responses(**statuses: Any) -> SpecResponse:
    """A spectree Response with the refusals every authenticated call can give."""
    return SpecResponse(HTTP_401=Problem, HTTP_429=Problem, HTTP_503=Problem, **statuses)


def write_responses(**statuses: Any) -> SpecResponse:
    """`responses` for a call with a JSON body, which refuses any other kind of body."""
    return responses(HTTP_400=Problem, HTTP_415=Problem, **statuses)
