"""The service directory as an Open Referral HSDS 3.0 API, under `/open-referral/`.

Public and read-only, like the directory pages: no key, no session, GET only (so no CSRF
token is ever asked for). Lists are HSDS pages (`?page=`, `?per_page=`) of each record's
direct fields, or of whole records with `?full=true`; one record comes whole. `?language=`
picks the language of the text, from the ones this deployment offers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from casework import hsds_export
from casework.database import Database
from portal.services import get_db

blueprint = Blueprint("open_referral", __name__, url_prefix="/open-referral")

# The published HSDS 3.0 API definition and reference: Thusa serves base HSDS, no profile.
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
PROFILE_URL = "https://docs.openreferral.org/en/3.0/hsds/schema_reference.html"
PER_PAGE = 20
MAX_PER_PAGE = 100


class BadQuery(ValueError):
    """A query parameter this API cannot use; its message says what to send instead."""


@blueprint.get("/")
def about() -> Response:
    return jsonify(version=hsds_export.HSDS_VERSION, profile=PROFILE_URL, openapi_url=OPENAPI_URL)


@blueprint.get("/services")
def services() -> Response:
    return _page(hsds_export.services)


@blueprint.get("/services/<hsds_id>")
def service(hsds_id: str) -> Response:
    return _one(hsds_export.service, hsds_id, "service")


@blueprint.get("/organizations")
def organizations() -> Response:
    return _page(hsds_export.organizations)


@blueprint.get("/organizations/<hsds_id>")
def organization(hsds_id: str) -> Response:
    return _one(hsds_export.organization, hsds_id, "organization")


def _page(records: Callable[[Database, str], list[dict[str, Any]]]) -> Response:
    try:
        language = _language()
        page = _number("page", default=1)
        per_page = _number("per_page", default=PER_PAGE, most=MAX_PER_PAGE)
        full = _flag("full")
    except BadQuery as error:
        return _problem(400, "Bad query", str(error))
    everything = records(get_db(), language)
    contents = everything[(page - 1) * per_page : page * per_page]
    total_pages = math.ceil(len(everything) / per_page)
    return jsonify(
        total_items=len(everything),
        total_pages=total_pages,
        page_number=page,
        size=len(contents),
        first_page=page == 1,
        last_page=page >= total_pages,
        empty=not contents,
        contents=contents if full else [hsds_export.one_to_one(record) for record in contents],
    )


def _one(
    record: Callable[[Database, str, str], dict[str, Any] | None], hsds_id: str, kind: str
) -> Response:
    try:
        language = _language()
    except BadQuery as error:
        return _problem(400, "Bad query", str(error))
    found = record(get_db(), hsds_id, language)
    if found is None:
        return _problem(404, "Not found", f"There is no {kind} with id {hsds_id}.")
    return jsonify(found)


def _language() -> str:
    offered = current_app.config["PORTAL_LANGUAGES"]
    language = request.args.get("language", offered[0])
    if language not in offered:
        raise BadQuery(f"language must be one of {', '.join(offered)}.")
    return language


def _number(name: str, *, default: int, most: int | None = None) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    limits = f"from 1 to {most}" if most else "1 or more"
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= (most or math.inf):
        raise BadQuery(f"{name} must be a whole number {limits}.")
    return int(value)


def _flag(name: str) -> bool:
    value = request.args.get(name, "false")
    if value not in ("true", "false"):
        raise BadQuery(f"{name} must be true or false.")
    return value == "true"


def _problem(status: int, title: str, detail: str) -> Response:
    # The same shape (RFC 9457 problem details) as the rest of Thusa's JSON refusals.
    response = jsonify(title=title, status=status, detail=detail)
    response.status_code = status
    return response
