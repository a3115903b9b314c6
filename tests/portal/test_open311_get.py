"""GET Service Requests and GET Service Request: a key sees what its staff would see,
filtered as the spec says, with workflow statuses mapped to open and closed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select, update

from casework.actors import Actor
from casework.models import Agency, AuditLog, Case, Grievance, utcnow
from casework.services import transition
from tests.factories import create_staff_user, lodge
from tests.portal.open311_calls import (
    SPEC_ERROR_XML,
    SPEC_REQUEST_URL,
    SPEC_REQUESTS_URL,
    SPEC_REQUESTS_XML,
    body,
    get,
    lodged_id,
    new_key,
    office_named,
    ours,
    seeded,
    shape,
    xml,
)

SPEC_FIELDS = [element.tag for element in ET.fromstring(SPEC_REQUESTS_XML).find("request")]


@pytest.fixture
def directory(db):
    return seeded(db)


@pytest.fixture
def triage(directory):
    """The intake's system: sees every grievance, as triage officers do."""
    return new_key(directory)


def staff(db, role: str, agency: str = "dsd") -> Actor:
    with db.read() as session:
        found = session.scalars(select(Agency).where(Agency.code == agency)).one()
    return Actor.staff(create_staff_user(db, found, role))


def case_id(db, reference: str) -> int:
    with db.read() as session:
        return session.scalars(select(Case.id).where(Case.reference == reference)).one()


def requests(client, key, **params):
    response = get(client, "requests.json", key, **params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return body(response)


def ids(client, key, **params) -> list[str]:
    return [r["service_request_id"] for r in requests(client, key, **params)]


def test_the_spec_sample_url_is_answered_in_the_spec_shape(client, directory, triage):
    lodged_id(client, triage)
    # May and June 2010, status open: nothing lodged then.
    empty = client.get(ours(SPEC_REQUESTS_URL) + f"&api_key={triage}")
    assert empty.status_code == 200
    assert xml(empty).tag == "service_requests" and list(xml(empty)) == []

    listed = xml(get(client, "requests.xml", triage))
    assert shape(listed) == shape(ET.fromstring(SPEC_REQUESTS_XML))
    assert [element.tag for element in listed[0]] == SPEC_FIELDS


def test_a_request_has_the_spec_fields_and_no_personal_details(client, directory, triage):
    reference = lodged_id(client, triage)
    [found] = requests(client, triage)
    assert list(found) == SPEC_FIELDS
    assert found["service_request_id"] == reference
    assert found["status"] == "open" and found["status_notes"] == "lodged: received"
    assert found["service_code"] == "service_delay"
    assert found["service_name"] == "Delay in a service"
    assert found["agency_responsible"] == "Department of Social Development"
    assert found["address"] == "City of Johannesburg" and found["address_id"] is None
    assert found["lat"] is None and found["expected_datetime"] is None  # not yet promised
    requested = dt.datetime.fromisoformat(found["requested_datetime"])
    assert found["requested_datetime"].endswith("Z")
    assert abs(requested - utcnow()) < dt.timedelta(minutes=5)
    assert "Acknowledged within 2 working days" in found["service_notice"]
    # The list carries no complaint text; the one request does, read on its own.
    assert found["description"] is None
    [single] = body(get(client, f"requests/{reference}.json", triage))
    assert single["description"].startswith("I applied for a grant in March")
    for answer in (found, single):
        text = str(answer)
        assert "Thandi" not in text and "Nkosi" not in text and "123 4567" not in text


def test_reading_one_request_is_audited_as_a_case_view(client, directory, triage):
    reference = lodged_id(client, triage)
    get(client, f"requests/{reference}.xml", triage)
    requests(client, triage)
    with directory.read() as session:
        actions = [
            (row.action, row.actor_type, row.channel)
            for row in session.scalars(select(AuditLog).where(AuditLog.actor_type == "api"))
        ]
    assert ("case.viewed", "api", "api") in actions
    assert ("open311.requests_read", "api", "api") in actions


def test_the_spec_sample_id_and_any_unknown_one_is_a_404(client, directory, triage):
    response = client.get(ours(SPEC_REQUEST_URL) + f"&api_key={triage}")  # 123456
    assert response.status_code == 404
    assert shape(xml(response)) == shape(ET.fromstring(SPEC_ERROR_XML))
    assert get(client, "requests/4827193506.json", triage).status_code == 404


def test_reading_requests_needs_a_valid_key(client, directory, triage):
    reference = lodged_id(client, triage)
    for path in ("requests.json", f"requests/{reference}.json"):
        missing = get(client, path, None)
        assert missing.status_code == 403
        assert body(missing)[0]["description"].startswith("Missing api_key")
        wrong = get(client, path, triage[:-2] + "xx")
        assert wrong.status_code == 403
        assert body(wrong)[0]["description"].startswith("Invalid api_key")
    header = client.get("/open311/v2/requests.json", headers={"X-Api-Key": triage})
    assert header.status_code == 200 and len(body(header)) == 1


def test_a_key_sees_what_its_agencys_staff_see(client, directory, triage):
    intake = lodged_id(client, triage)  # no office: the intake agency's (DSD) queue
    sassa = lodged_id(
        client,
        triage,
        service_code="payment",
        description="My grant stopped in May.",
        **{"attribute[service]": "child-support-grant"},
    )
    sassa_key = new_key(directory, agency="sassa", role="case_officer")
    health_key = new_key(directory, agency="health", role="supervisor")

    assert set(ids(client, triage)) == {intake, sassa}  # triage: every grievance
    assert ids(client, sassa_key) == [sassa]
    assert ids(client, health_key) == []
    assert get(client, f"requests/{intake}.json", sassa_key).status_code == 404
    assert ids(client, health_key, service_request_id=f"{intake},{sassa}") == []
    [found] = body(get(client, f"requests/{sassa}.json", sassa_key))
    jabulani = office_named(directory, "SASSA Jabulani Local Office")
    assert found["agency_responsible"] == "South African Social Security Agency"
    assert found["address_id"] == str(jabulani.id)
    assert found["address"] == f"{jabulani.address}, City of Johannesburg"
    assert (found["lat"], found["long"]) == (jabulani.latitude, jabulani.longitude)


def test_filters_by_id_service_code_status_and_dates(client, directory, triage):
    delay = lodged_id(client, triage)
    payment = lodged_id(client, triage, service_code="payment", description="Not paid.")
    old = lodged_id(client, triage, service_code="other", description="Long ago.")
    long_ago = utcnow() - dt.timedelta(days=120)
    with directory.transaction() as session:
        session.execute(update(Case).where(Case.reference == old).values(created_at=long_ago))
    supervisor = staff(directory, "supervisor")
    transition(directory, case_id(directory, payment), "rejected", supervisor, reason="Duplicate.")

    assert ids(client, triage) == [payment, delay]  # newest first; the last 90 days
    spaced = f"G {payment[:4]} {payment[4:8]} {payment[8:]}"
    assert set(ids(client, triage, service_request_id=f"{spaced}, {old},bogus")) == {
        payment,
        old,
    }
    assert ids(client, triage, service_code="payment,other") == [payment]
    assert ids(client, triage, status="open") == [delay]
    assert ids(client, triage, status="closed") == [payment]
    assert ids(client, triage, status="open,closed") == [payment, delay]
    start = (long_ago - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(client, triage, start_date=start) == [old]  # 90 days from the start
    end = (long_ago + dt.timedelta(days=1)).isoformat(timespec="seconds")
    assert end.endswith("+00:00")
    assert ids(client, triage, start_date=start, end_date=end) == [old]
    # The offset's `+` sent unencoded arrives as a space: forgiven.
    raw = client.get(f"/open311/v2/requests.json?api_key={triage}&end_date={end}")
    assert [r["service_request_id"] for r in body(raw)] == [old]


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        (
            {"start_date": "2010-01-01T00:00:00Z", "end_date": "2010-06-01T00:00:00Z"},
            400,
            "start_date and end_date may not span more than 90 days",
        ),
        (
            {"start_date": "2010-06-01T00:00:00Z", "end_date": "2010-01-01T00:00:00Z"},
            400,
            "end_date is before start_date",
        ),
        ({"start_date": "2010-01-01"}, 400, "start_date must be a W3C datetime with a time"),
        ({"end_date": "yesterday"}, 400, "end_date must be a W3C datetime"),
        ({"status": "pending"}, 400, "status must be open or closed, not pending"),
        ({"service_code": "potholes"}, 404, "service_code 'potholes' was not found"),
    ],
)
def test_a_search_that_cannot_be_run_says_why(client, directory, triage, params, status, says):
    response = get(client, "requests.json", triage, **params)
    assert response.status_code == status
    assert body(response)[0]["description"].startswith(says)
    assert xml(get(client, "requests.xml", triage, **params)).findtext("error/code") == str(status)


def test_status_follows_the_grievance_workflow(client, directory, triage):
    reference = lodged_id(client, triage)
    case = case_id(directory, reference)
    supervisor = staff(directory, "supervisor")

    def seen() -> dict:
        [found] = body(get(client, f"requests/{reference}.json", triage))
        return found

    transition(directory, case, "acknowledged", supervisor)
    found = seen()
    assert found["status"] == "open" and found["status_notes"] == "acknowledged: acknowledged"
    with directory.read() as session:
        due = session.get(Grievance, case).due_at
    assert dt.datetime.fromisoformat(found["expected_datetime"]) == due.replace(microsecond=0)

    transition(directory, case, "assigned", supervisor)
    transition(directory, case, "in_progress", supervisor)
    assert seen()["status_notes"] == "in_progress: being worked on"

    transition(directory, case, "resolved", supervisor, reason="Your grant was paid on 3 May.")
    found = seen()
    assert found["status"] == "closed" and found["expected_datetime"] is None
    assert found["status_notes"] == (
        "resolved: resolved (the citizen may reopen it until it is closed)."
        " Your grant was paid on 3 May."
    )
    with directory.read() as session:
        grievance = session.get(Grievance, case)
    assert found["updated_datetime"] == grievance.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(client, triage, status="closed") == [reference]
    # A list carries no officer's words: only the one request, whose read is audited.
    listed = body(get(client, "requests.json", triage, status="closed"))
    assert listed[0]["status_notes"] == (
        "resolved: resolved (the citizen may reopen it until it is closed)"
    )

    citizen = Actor.citizen(grievance.citizen_id, "web")
    transition(directory, case, "reopened", citizen, reason="Only half was paid, call 0821234567")
    found = seen()
    assert found["status"] == "open" and found["status_notes"] == "reopened: reopened"
    assert "0821234567" not in str(found)  # the citizen's own words stay out

    transition(directory, case, "in_progress", supervisor)
    transition(directory, case, "resolved", supervisor, reason="The rest was paid.")
    transition(directory, case, "closed", supervisor)
    found = seen()
    assert found["status"] == "closed" and found["status_notes"] == "closed: closed"
    with directory.read() as session:
        closed_at = session.get(Grievance, case).closed_at
    assert found["updated_datetime"] == closed_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_xml_stays_readable_whatever_the_citizen_typed(client, directory, triage):
    # By USSD, say: characters XML 1.0 cannot carry are left out of the XML answer.
    lodged = lodge(directory, description="Pasted text\x07 with a bell <b>&</b>")
    reference = lodged.grievance.reference
    document = xml(get(client, f"requests/{reference}.xml", triage))
    assert document.findtext("request/description") == "Pasted text with a bell <b>&</b>"
    [found] = body(get(client, f"requests/{reference}.json", triage))
    assert found["description"] == "Pasted text\x07 with a bell <b>&</b>"


def test_control_characters_sent_to_the_api_are_never_a_500(client, directory, triage):
    reference = lodged_id(client, triage, description="No\x00 NUL\x07 here", last_name="N\x00")
    [found] = body(get(client, f"requests/{reference}.json", triage))
    assert found["description"] == "No NUL here"
    assert get(client, "requests.json", "thusa_ab\x00c_secret").status_code == 403
    assert get(client, "requests.json", triage, service_code="pay\x00ment").status_code == 404


def test_dates_at_the_ends_of_the_calendar_are_a_400_not_a_500(client, directory, triage):
    for name, moment in (
        ("start_date", "9999-12-31T00:00:00Z"),
        ("end_date", "0001-01-01T00:00:00Z"),
        ("start_date", "0001-01-01T00:00:00+14:00"),
    ):
        answer = get(client, "requests.json", triage, **{name: moment})
        assert answer.status_code == 400, (name, moment)
        assert body(answer)[0]["code"] == 400
