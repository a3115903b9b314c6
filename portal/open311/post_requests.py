"""POST Service Request: a partner's system lodges a grievance for a citizen, through
the same `lodge_grievance` as every channel, as the key's actor on the `api` channel.

- A phone number makes it the citizen's own: they get the SMS with the reference, and
  one with every update. Without one it is anonymous (as it is with `attribute[anonymous]
  =true`): its PIN comes back in service_notice, once, for the partner to hand to the
  citizen, who needs reference and PIN to follow it (web, USSD, SMS).
- `email`, `device_id` and `account_id` are accepted and not kept: a citizen is known by
  their phone. `media_url` is not fetched: a server that fetches any URL it is sent can
  be turned on the network behind it, and documents come in through the portal's checks.
- A retried POST never lodges twice. With an `Idempotency-Key` header, the key's
  requests under one header value are one grievance. Without one, the same form sent
  again by the same key within 10 to 20 minutes is taken for a retry: Open311 clients
  retry a request whose answer they lost, and send no such header.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time

from flask import Response, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from casework.errors import InvalidInput
from casework.models import Channel
from casework.open311_directory import Place, locate
from casework.open311_queries import lodged_before
from casework.phones import normalise_phone
from casework.references import format_reference
from casework.services import lodge_grievance
from casework.services.lodge_grievance import DESCRIPTION_MAX
from portal.open311.access import calling_actor
from portal.open311.blueprint import blueprint
from portal.open311.catalogue import promise
from portal.open311.errors import Open311Error
from portal.open311.formats import render
from portal.open311.services import ATTRIBUTE_CODES, FORMAT, YES_NO, category_for
from portal.page_helpers import clean_text
from portal.services import get_db

RETRY_WINDOW_SECONDS = 600
IDEMPOTENCY_HEADER = "Idempotency-Key"
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]*)\](\[\])?$")
# Casework names what it refused in its own words; a partner knows the spec's.
_FIELD = {"category": "service_code", "office": "address_id", "name": "first_name"}


@blueprint.post(f"/requests.{FORMAT}")
def create_request(fmt: str) -> ResponseReturnValue:
    actor = calling_actor("create_request")
    # As a web form's text is cleaned: no NUL (PostgreSQL refuses it) or other control
    # characters, no surrounding spaces.
    form = MultiDict((name, clean_text(value)) for name, value in request.form.items(multi=True))
    category = category_for(form.get("service_code"))
    attributes = _attributes(form, category.code)
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description was not provided")
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, f"description may be at most {DESCRIPTION_MAX} characters")
    place = _place(form, attributes)
    config = current_app.config
    phone = _phone(form.get("phone"), config["PORTAL_COUNTRY"])
    anonymous = phone is None or attributes.get("anonymous") == "true"
    keys = _idempotency_keys(actor.api_key_id, form, phone)
    earlier = lodged_before(get_db(), keys) if keys else None
    if earlier is not None:
        return _answer(fmt, earlier, category.code, anonymous, phone, pin=None, again=True)
    try:
        lodged = lodge_grievance(
            get_db(),
            phone=phone,
            category=category.code,
            description=description,
            channel=Channel.API.value,
            language=_language(),
            country=config["PORTAL_COUNTRY"],
            office_id=place.office_id,
            district=place.district,
            anonymous=anonymous,
            name=None if anonymous else _name(form),
            idempotency_key=keys[0] if keys else None,
            holidays=config["PUBLIC_HOLIDAYS"],
            recorded_by=actor,
            # The partner, not this service, showed the citizen any privacy notice: none
            # is recorded as agreed here.
            privacy_consent=False,
        )
    except InvalidInput as error:
        raise Open311Error(400, f"{_FIELD.get(error.field, error.field)}: {error}") from None
    except IntegrityError:
        # Two tries of one request at once: the other committed first. Answer with it.
        earlier = lodged_before(get_db(), keys[:1])
        if earlier is None:
            raise
        return _answer(fmt, earlier, category.code, anonymous, phone, pin=None, again=True)
    reference = lodged.grievance.reference
    # An anonymous grievance lodged just now has a PIN; without one, it was lodged before.
    again = anonymous and lodged.pin is None
    return _answer(fmt, reference, category.code, anonymous, phone, lodged.pin, again)


def _answer(
    fmt: str,
    reference: str,
    category: str,
    anonymous: bool,
    phone: str | None,
    pin: str | None,
    again: bool,
) -> Response:
    notice = f"Reference {format_reference(reference, 'grievance')}. {promise(category)}"
    if not anonymous:
        notice += " The citizen gets an SMS with the reference, and one with every update."
    elif phone:
        notice += (
            " Anonymous: the reference and PIN went by SMS to the number given, which is not"
            " kept with the complaint."
        )
    elif again:
        notice += " Anonymous: this request was lodged before; its PIN was in the first answer."
    else:
        notice += (
            f" Anonymous: give the citizen the reference and PIN {pin}. They need both to"
            " follow the complaint, and the PIN is shown only this once."
        )
    # No account is kept for a citizen (they are known by their phone): none to return.
    answer = [{"service_request_id": reference, "service_notice": notice, "account_id": None}]
    return render(fmt, "service_requests", answer)


def _attributes(form: MultiDict[str, str], service_code: str) -> dict[str, str]:
    """`attribute[code]=value` pairs. A code the service does not define is refused, not
    ignored: a misspelt `attribute[distrct]` would otherwise file the complaint elsewhere
    without a word."""
    found = {}
    for name, value in form.items():
        match = _ATTRIBUTE.match(name)
        if match is None:
            continue
        code = match.group(1)
        if code not in ATTRIBUTE_CODES:
            raise Open311Error(
                400,
                f"attribute[{code}] is not an attribute of {service_code}:"
                f" its attributes are {', '.join(ATTRIBUTE_CODES)}",
            )
        if value.strip():
            found[code] = value.strip()
    if found.get("anonymous", "false") not in YES_NO:
        raise Open311Error(400, "attribute[anonymous] must be true or false")
    return found


def _place(form: MultiDict[str, str], attributes: dict[str, str]) -> Place:
    address_id = (form.get("address_id") or "").strip()
    address = (form.get("address_string") or "").strip() or None
    point = _point(form.get("lat"), form.get("long"))
    district = attributes.get("district")
    if not (address_id or address or point or district):
        raise Open311Error(
            400, "Say where: send lat and long, address_string, address_id or attribute[district]"
        )
    if address_id and not address_id.isdigit():
        raise Open311Error(400, "address_id must be the id of an office (digits)")
    try:
        return locate(
            get_db(),
            office_id=int(address_id) if address_id else None,
            point=point,
            district=district,
            address=address,
            service_code=attributes.get("service"),
        )
    except InvalidInput as error:
        raise Open311Error(400, str(error)) from None


def _point(lat: str | None, long: str | None) -> tuple[float, float] | None:
    lat, long = (lat or "").strip(), (long or "").strip()
    if not lat and not long:
        return None
    if not lat or not long:
        raise Open311Error(400, "lat and long must be sent together")
    try:
        point = (float(lat), float(long))
    except ValueError:
        point = None
    if point is None or not all(map(math.isfinite, point)):
        raise Open311Error(400, "lat and long must be decimal degrees (WGS84)")
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise Open311Error(400, "lat must be within -90..90 and long within -180..180")
    return point


def _phone(raw: str | None, country: str) -> str | None:
    if not (raw or "").strip():
        return None
    try:
        return normalise_phone(raw or "", country)
    except InvalidInput as error:
        raise Open311Error(400, f"phone: {error}") from None


def _name(form: MultiDict[str, str]) -> str | None:
    parts = (form.get("first_name"), form.get("last_name"))
    return " ".join(part.strip() for part in parts if part and part.strip()) or None


def _language() -> str:
    """The language of the citizen's SMS: the one the partner asks for (Accept-Language),
    else the deployment's own. A citizen known already keeps the one they chose."""
    offered = current_app.config["PORTAL_LANGUAGES"]
    return request.accept_languages.best_match(offered) or offered[0]


def _idempotency_keys(
    api_key_id: int | None, form: MultiDict[str, str], phone: str | None
) -> list[str]:
    """The case idempotency keys this request could have been lodged under: the one to
    lodge it under first. Hashed with the API key's id: one partner's keys never meet
    another's, and none of the form's text is kept in them.

    Without the header, the same form from the same key a moment later is a retry only
    when it names a phone: two citizens at one kiosk may send the very same short
    anonymous complaint, and neither may lose theirs (nor its PIN) to the other's.
    """
    header = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if header:
        if len(header) > 255:
            raise Open311Error(400, f"{IDEMPOTENCY_HEADER} may be at most 255 characters")
        return [_digest([api_key_id, "header", header])]
    if phone is None:
        return []
    sent = sorted((name, value) for name, value in form.items(multi=True) if name != "api_key")
    window = int(time.time() // RETRY_WINDOW_SECONDS)
    # This window's key and the last one's: a retry just past the boundary still matches.
    return [_digest([api_key_id, at, sent]) for at in (window, window - 1)]


def _digest(parts: list[object]) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return "open311:" + hashlib.sha256(text.encode()).hexdigest()
