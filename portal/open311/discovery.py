"""Service Discovery (wiki.open311.org/Service_Discovery): where the endpoint is, what it
speaks, and when what partners cache of it last changed."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request
from flask.typing import ResponseReturnValue

from casework.open311_directory import directory_changed_at
from portal.open311.blueprint import blueprint
from portal.open311.formats import MIMETYPES, render
from portal.services import get_db

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's own service list or definitions last changed shape; the directory
# they list (services, districts) changes on its own and counts too.
CODE_CHANGESET = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DEFAULT_CONTACT = "Ask the operator of this Thusa deployment."
DEFAULT_KEY_SERVICE = (
    "Keys are issued to government agencies' systems by the operator of this deployment"
    " (flask --app portal api-keys create). Send it as api_key, or in the X-Api-Key header."
)


@blueprint.get("/discovery.<any(json, xml):fmt>")
def discovery(fmt: str) -> ResponseReturnValue:
    config = current_app.config
    changed = max(filter(None, (CODE_CHANGESET, directory_changed_at(get_db()))))
    # Sortable, as the spec asks, and in its examples' shape: "2011-02-03 14:18".
    changeset = changed.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    endpoint = {
        "specification": SPECIFICATION,
        "url": request.host_url.rstrip("/") + (blueprint.url_prefix or ""),
        "changeset": changeset,
        "type": "production" if config["PORTAL_ENV"] == "production" else "test",
        "formats": [MIMETYPES["xml"], MIMETYPES["json"]],
    }
    payload = {
        "changeset": changeset,
        "contact": config.get("OPEN311_CONTACT") or DEFAULT_CONTACT,
        "key_service": config.get("OPEN311_KEY_SERVICE") or DEFAULT_KEY_SERVICE,
        "endpoints": [endpoint],
    }
    return render(fmt, "discovery", payload)
