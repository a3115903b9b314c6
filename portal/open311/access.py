"""Who is calling: the agency's key, as GeoReport's `api_key` parameter.

Grievances are sensitive, so reading requests needs a key too (the spec leaves that to
the server); the key then sees what a staff member of its agency with its role sees.
Listing services does not: the directory is public on the web already.
"""

from __future__ import annotations

from flask import request

from casework.actors import Actor
from casework.api_keys import authenticate
from portal.open311 import limits
from portal.open311.errors import Open311Error
from portal.services import get_db

# The spec's own name, in the query or the form. The header says the same without
# leaving the key in access logs, which record query strings.
KEY_PARAMETER = "api_key"
KEY_HEADER = "X-Api-Key"


def calling_actor(action: str) -> Actor:
    """The actor the presented key acts as; Open311Error 403 for a missing or wrong one.

    `action` names the call in the refusal, as the spec's example does ("can't proceed
    with create_request").
    """
    presented = request.values.get(KEY_PARAMETER) or request.headers.get(KEY_HEADER)
    if not presented:
        raise Open311Error(403, f"Missing api_key -- can't proceed with {action}.")
    # A key is printable: anything else is not one, and must not reach the database.
    actor = authenticate(get_db(), presented) if presented.isprintable() else None
    if actor is None:
        raise Open311Error(403, f"Invalid api_key received -- can't proceed with {action}.")
    limits.count("open311_per_key", str(actor.api_key_id))
    return actor
