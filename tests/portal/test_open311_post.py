"""POST Service Request: a partner lodges a grievance; the citizen gets their SMS."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from casework.models import AuditLog, Citizen, Grievance, OutboundMessage
from tests.portal.open311_calls import (
    BASE,
    DURBAN,
    SPEC_ERROR_XML,
    SPEC_POST_BODY,
    SPEC_POST_PATH,
    SPEC_POST_RESPONSE_XML,
    agency_id,
    body,
    new_key,
    office_named,
    post,
    seeded,
    shape,
    xml,
)

FORM = "application/x-www-form-urlencoded; charset=utf-8"


@pytest.fixture
def directory(db):
    return seeded(db)


@pytest.fixture
def key(directory):
    return new_key(directory)


def replay(client, body_text: str):
    """The spec's example request, sent as it is written (its path under ours)."""
    path = BASE + SPEC_POST_PATH.split("/dev/v2", 1)[1]
    return client.post(path, data=body_text, content_type=FORM)


def only(db, model):
    with db.read() as session:
        return session.scalars(select(model)).one()


def count(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_spec_example_request_as_written_is_refused_for_its_key(client, directory):
    response = replay(client, SPEC_POST_BODY)  # api_key=xyz
    assert response.status_code == 403
    assert shape(xml(response)) == shape(ET.fromstring(SPEC_ERROR_XML))
    assert xml(response).findtext("error/description") == (
        "Invalid api_key received -- can't proceed with create_request."
    )
    assert count(directory, Grievance) == 0


def test_the_spec_example_request_with_our_key_names_what_this_server_cannot_use(
    client, directory, key
):
    # The example's service code, then its place (San Francisco), its phone number
    # (111111111) and its attributes (WHISPAWN, WHISDORN) mean nothing here: each is
    # refused with a 400 or 404 that says which, until the request is one we can use.
    text = SPEC_POST_BODY.replace("api_key=xyz", f"api_key={key}")
    response = replay(client, text)
    assert response.status_code == 404
    assert xml(response).findtext("error/description") == "service_code '001' was not found"

    text = text.replace("service_code=001", "service_code=other")
    response = replay(client, text)
    assert response.status_code == 400
    assert "attribute[WHISPAWN] is not an attribute of other" in response.get_data(as_text=True)

    text = text.replace("&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001", "")
    response = replay(client, text)
    assert response.status_code == 400
    assert "more than 100 km from every office" in xml(response).findtext("error/description")

    text = text.replace("lat=37.76524078&long=-122.4212043", "lat=-29.8587&long=31.0218")
    response = replay(client, text)
    assert response.status_code == 400
    assert xml(response).findtext("error/description").startswith("phone: ")
    assert count(directory, Grievance) == 0

    text = text.replace("phone=111111111", "phone=0821234567")
    response = replay(client, text)
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = xml(response)
    assert shape(answer) == shape(ET.fromstring(SPEC_POST_RESPONSE_XML))
    grievance = only(directory, Grievance)
    assert answer.findtext("request/service_request_id") == grievance.reference
    assert answer.find("request/account_id").text is None  # <account_id/>, as in the spec
    assert grievance.district == "eThekwini"  # the office nearest the point is in it


def test_a_lodged_request_is_the_citizens_own_and_they_get_the_sms(client, directory, key):
    response = post(client, key, fmt="json")
    assert response.status_code == 200
    [answer] = body(response)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    grievance = only(directory, Grievance)
    assert answer["service_request_id"] == grievance.reference
    assert answer["service_notice"].startswith("Reference G ")
    assert "Acknowledged within 2 working days" in answer["service_notice"]
    assert grievance.channel == "api" and grievance.category == "service_delay"
    assert grievance.district == "City of Johannesburg" and grievance.office_id is None
    assert grievance.agency_id == agency_id(directory, "dsd")  # the intake triages it
    citizen = only(directory, Citizen)
    assert citizen.phone == "+27821234567" and citizen.name == "Thandi Nkosi"
    sms = only(directory, OutboundMessage)
    assert sms.to == "+27821234567" and sms.template == "grievance_lodged"
    assert sms.case_id == grievance.id
    with directory.read() as session:
        lodged = session.scalars(
            select(AuditLog).where(AuditLog.action == "grievance.lodged")
        ).one()
    assert lodged.actor_type == "api" and lodged.actor_api_key_id is not None


def test_without_a_phone_it_is_anonymous_and_the_pin_comes_back_once(client, directory, key):
    response = post(client, key, phone="", first_name="", last_name="")
    notice = body(response)[0]["service_notice"]
    grievance = only(directory, Grievance)
    assert grievance.anonymous and grievance.citizen_id is None
    assert "Anonymous: give the citizen the reference and PIN " in notice
    pin = notice.split("PIN ")[1][:4]
    assert pin.isdigit() and grievance.pin_hash and pin not in grievance.pin_hash
    assert count(directory, OutboundMessage) == 0  # nobody to text

    # The same words again, with no phone and no Idempotency-Key: another citizen at the
    # same kiosk, whose complaint (and PIN) must not be lost to the first one's.
    other = body(post(client, key, phone="", first_name="", last_name=""))[0]
    assert other["service_request_id"] != grievance.reference
    assert "Anonymous: give the citizen the reference and PIN " in other["service_notice"]
    assert count(directory, Grievance) == 2

    # A partner that retries says so with the header, and gets the first answer's case.
    once = {"Idempotency-Key": "kiosk-7-0042"}
    first = body(post(client, key, phone="", first_name="", last_name="", headers=once))[0]
    again = body(post(client, key, phone="", first_name="", last_name="", headers=once))[0]
    assert again["service_request_id"] == first["service_request_id"]
    assert "PIN was in the first answer" in again["service_notice"]
    assert count(directory, Grievance) == 3


def test_anonymous_with_a_phone_texts_the_pin_and_keeps_no_number(client, directory, key):
    response = post(client, key, **{"attribute[anonymous]": "true"})
    notice = body(response)[0]["service_notice"]
    grievance = only(directory, Grievance)
    assert grievance.anonymous and grievance.citizen_id is None
    assert count(directory, Citizen) == 0
    sms = only(directory, OutboundMessage)
    assert sms.template == "grievance_lodged_anonymous" and sms.to == "+27821234567"
    assert sms.params["pin"] not in notice and "went by SMS" in notice


def test_a_retried_post_lodges_one_grievance_and_sends_one_sms(client, directory, key):
    first = body(post(client, key))[0]
    second = body(post(client, key))[0]
    assert first == second
    assert count(directory, Grievance) == 1 and count(directory, OutboundMessage) == 1
    # Another complaint (other words) is another grievance.
    other = body(post(client, key, description="The office was closed on a weekday."))[0]
    assert other["service_request_id"] != first["service_request_id"]


def test_the_idempotency_key_header_makes_one_grievance_of_its_requests(client, directory, key):
    first = body(post(client, key, headers={"Idempotency-Key": "crm-4411"}))[0]
    edited = body(
        post(client, key, description="Edited text.", headers={"Idempotency-Key": "crm-4411"})
    )[0]
    assert edited["service_request_id"] == first["service_request_id"]
    # The same form under another header value is a request of its own.
    again = body(post(client, key, headers={"Idempotency-Key": "crm-4412"}))[0]
    assert again["service_request_id"] != first["service_request_id"]
    assert count(directory, Grievance) == 2
    # Another key's header of the same value never meets this one's.
    theirs = new_key(directory, agency="sassa", role="case_officer")
    other = body(post(client, theirs, headers={"Idempotency-Key": "crm-4411"}))[0]
    assert other["service_request_id"] != first["service_request_id"]


def test_a_named_service_sends_the_complaint_to_the_office_that_delivers_it(client, directory, key):
    post(client, key, service_code="payment", **{"attribute[service]": "child-support-grant"})
    grievance = only(directory, Grievance)
    jabulani = office_named(directory, "SASSA Jabulani Local Office")
    assert grievance.office_id == jabulani.id
    assert grievance.agency_id == agency_id(directory, "sassa")
    assert grievance.district == "City of Johannesburg"


@pytest.mark.parametrize(
    ("fields", "district", "office"),
    [
        ({"address_string": "12 Long Street, Umlazi, eThekwini"}, "eThekwini", None),
        ({"address_string": "Plot 4, Mthatha, or tambo"}, "OR Tambo", None),
        ({"address_string": "Soweto, Johannesburg"}, "City of Johannesburg", None),
        ({"attribute[district]": "Mangaung", "lat": str(DURBAN[0])}, "Mangaung", None),
        ({"address_id": "office"}, "eThekwini", "SASSA Umlazi Local Office"),
    ],
)
def test_where_comes_from_a_district_an_address_or_an_office(
    client, directory, key, fields, district, office
):
    place = {"lat": "", "long": ""} | fields
    if office:
        place["address_id"] = str(office_named(directory, office).id)
    if "lat" in fields:
        place["long"] = str(DURBAN[1])
    response = post(client, key, **place)
    assert response.status_code == 200, response.get_data(as_text=True)
    grievance = only(directory, Grievance)
    assert grievance.district == district
    assert grievance.office_id == (office_named(directory, office).id if office else None)


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"service_code": ""}, 400, "service_code was not provided"),
        ({"service_code": "potholes"}, 404, "service_code 'potholes' was not found"),
        ({"description": "  "}, 400, "description was not provided"),
        ({"description": "x" * 2001}, 400, "description may be at most 2000 characters"),
        ({"lat": "", "long": ""}, 400, "Say where: send lat and long"),
        ({"long": ""}, 400, "lat and long must be sent together"),
        ({"lat": "north"}, 400, "lat and long must be decimal degrees"),
        ({"lat": "nan"}, 400, "lat and long must be decimal degrees"),
        ({"lat": "91"}, 400, "lat must be within -90..90"),
        ({"address_id": "HQ"}, 400, "address_id must be the id of an office"),
        ({"address_id": "999999"}, 400, "address_id names no office"),
        ({"attribute[district]": "Gotham"}, 400, "attribute[district] names no district"),
        ({"attribute[service]": "time-travel"}, 400, "attribute[service] names no service"),
        ({"attribute[anonymous]": "maybe"}, 400, "attribute[anonymous] must be true or false"),
        ({"attribute[distrct]": "eThekwini"}, 400, "attribute[distrct] is not an attribute"),
        ({"phone": "12"}, 400, "phone: Enter a phone number like"),
        ({"phone": "011 123 4567"}, 400, "phone: Enter a mobile number that can get SMS"),
        (
            {"lat": "", "long": "", "address_string": "Somewhere"},
            400,
            "address_string names no district we know",
        ),
    ],
)
def test_a_request_that_cannot_be_used_says_why_and_lodges_nothing(
    client, directory, key, fields, status, says
):
    for fmt in ("json", "xml"):
        response = post(client, key, fmt=fmt, **fields)
        assert response.status_code == status, response.get_data(as_text=True)
        if fmt == "json":
            [error] = body(response)
            assert error["code"] == status and error["description"].startswith(says), error
        else:
            assert xml(response).findtext("error/description").startswith(says)
    assert count(directory, Grievance) == 0 and count(directory, OutboundMessage) == 0


def test_a_missing_or_revoked_key_is_refused_with_403(client, directory, key):
    from casework.actors import Actor
    from casework.api_keys import revoke_key

    missing = post(client, None)
    assert missing.status_code == 403
    assert body(missing)[0]["description"].startswith("Missing api_key")
    revoke_key(directory, Actor.system(), key.split("_")[1])
    assert post(client, key).status_code == 403
    assert count(directory, Grievance) == 0
