"""/api/v1 as an agency's system uses it: keys, scope, the case list and its cursor, one
case, transitions, notes, referrals, finding a citizen, the directory and the document."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from casework.actors import Actor
from casework.api_keys import issue_key, revoke_key
from casework.models import AuditLog, CaseEvent, OutboundMessage, WebhookDelivery
from tests.factories import create_agency, create_citizen, create_service, lodge


@pytest.fixture
def scene(app):
    """An intake agency whose triage system holds a key, and a grants agency whose case
    officers' system holds another; two complaints lodged."""
    db = app.extensions["casework.db"]
    intake = create_agency(db, code="dsd", short_name="DSD", intake=True)
    grants = create_agency(db, code="sassa", short_name="SASSA")
    service = create_service(db, grants, code="child-support")
    first = lodge(db, phone="+27821110001")
    second = lodge(db, phone="+27821110002", category="staff_conduct", district="Cape Town")
    triage = issue_key(db, Actor.system(), agency_code="dsd", role="triage_officer", name="CRM")
    officer = issue_key(db, Actor.system(), agency_code="sassa", role="case_officer", name="SOCPEN")
    return {
        "db": db,
        "intake": intake,
        "grants": grants,
        "service": service,
        "cases": [first.grievance, second.grievance],
        "triage": {"Authorization": f"Bearer {triage.key}"},
        "officer": {"Authorization": f"Bearer {officer.key}"},
        "triage_prefix": triage.prefix,
    }


def test_api_refuses_calls_without_a_working_key(client, scene):
    for headers in ({}, {"Authorization": "Bearer thusa_000000000000_wrong"}, {"X": "y"}):
        answer = client.get("/api/v1/cases", headers=headers)
        assert answer.status_code == 401
        assert answer.json["title"] == "Unauthorised"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    revoke_key(scene["db"], Actor.system(), scene["triage_prefix"])
    assert client.get("/api/v1/cases", headers=scene["triage"]).status_code == 401


def test_api_lists_only_the_cases_in_the_keys_scope(client, scene):
    seen = client.get("/api/v1/cases", headers=scene["triage"]).json["cases"]
    assert {c["reference"] for c in seen} == {c.reference for c in scene["cases"]}
    assert all(c["kind"] == "grievance" and c["agency"] == "dsd" for c in seen)
    # The grants agency has no complaint of its own: its key sees none.
    assert client.get("/api/v1/cases", headers=scene["officer"]).json["cases"] == []


def test_api_case_list_walks_every_case_once_by_cursor(client, scene):
    db = scene["db"]
    for n in range(5):
        lodge(db, phone=f"+2782200000{n}")
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/cases", query_string=query, headers=scene["triage"]).json
        seen += [c["reference"] for c in page["cases"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7


def test_api_case_list_filters(client, scene):
    get = lambda **q: client.get("/api/v1/cases", query_string=q, headers=scene["triage"])  # noqa: E731
    assert [c["reference"] for c in get(district="Cape Town").json["cases"]] == [
        scene["cases"][1].reference
    ]
    assert len(get(category="staff_conduct").json["cases"]) == 1
    assert len(get(status="lodged", open="true").json["cases"]) == 2
    assert get(open="false").json["cases"] == []
    assert get(kind="application").json["cases"] == []
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert get(updated_since=later).json["cases"] == []


def test_api_case_list_says_what_is_wrong_with_a_query(client, scene):
    answer = client.get("/api/v1/cases?limit=500&kind=cat", headers=scene["triage"])
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json["errors"]} == {"limit", "kind"}
    forged = client.get("/api/v1/cases?cursor=bm9wZQ", headers=scene["triage"])
    assert forged.status_code == 422
    assert forged.json["errors"][0]["field"] == "cursor"


def test_api_case_shows_the_whole_case_and_audits_the_read(client, scene):
    case = scene["cases"][0]
    answer = client.get(f"/api/v1/cases/{case.reference}", headers=scene["triage"])
    assert answer.status_code == 200
    body = answer.json
    assert body["citizen"]["phone"] == "+27821110001"
    assert body["grievance"]["description"].startswith("I applied in March")
    assert [e["type"] for e in body["timeline"]] == ["created"]
    assert set(body["allowed_transitions"]) >= {"acknowledged", "rejected"}
    with scene["db"].read() as session:
        row = session.scalars(select(AuditLog).where(AuditLog.action == "case.viewed")).one()
        assert (row.actor_type, row.channel, row.case_id) == ("api", "api", case.id)
        assert row.actor_api_key_id is not None


def test_api_case_out_of_scope_is_not_found(client, scene):
    reference = scene["cases"][0].reference
    answer = client.get(f"/api/v1/cases/{reference}", headers=scene["officer"])
    assert answer.status_code == 404
    assert answer.json["status"] == 404
    assert client.get("/api/v1/cases/0000000000", headers=scene["triage"]).status_code == 404


def test_api_transition_moves_the_case_and_tells_the_citizen(client, scene):
    case = scene["cases"][0]
    url = f"/api/v1/cases/{case.reference}/transitions"
    answer = client.post(url, json={"to": "acknowledged"}, headers=scene["triage"])
    assert answer.status_code == 200
    assert answer.json["status"] == "acknowledged"
    assert answer.json["timeline"][-1]["actor"] == "api"
    with scene["db"].read() as session:
        templates = session.scalars(
            select(OutboundMessage.template).where(OutboundMessage.case_id == case.id)
        ).all()
        event = session.scalars(select(CaseEvent).order_by(CaseEvent.id.desc())).first()
    assert "grievance_acknowledged" in templates
    assert event.actor_type == "api" and event.actor_api_key_id is not None
    again = client.post(url, json={"to": "acknowledged"}, headers=scene["triage"])
    assert again.status_code == 409
    no_reason = client.post(url, json={"to": "rejected"}, headers=scene["triage"])
    assert no_reason.status_code == 422
    assert no_reason.json["errors"][0]["field"] == "reason"


def test_api_notes_internal_and_public(client, scene):
    case = scene["cases"][0]
    url = f"/api/v1/cases/{case.reference}/notes"
    internal = client.post(url, json={"body": "Called the office."}, headers=scene["triage"])
    assert internal.status_code == 201 and internal.json["public"] is False
    public = client.post(
        url, json={"body": "We are on it.", "public": True}, headers=scene["triage"]
    )
    assert public.status_code == 201 and public.json["type"] == "message"
    with scene["db"].read() as session:
        templates = session.scalars(
            select(OutboundMessage.template).where(OutboundMessage.case_id == case.id)
        ).all()
    assert templates.count("case_message") == 1  # the public note only
    empty = client.post(url, json={"body": ""}, headers=scene["triage"])
    assert empty.status_code == 422


def test_api_refers_a_citizen_by_case_or_by_phone(client, scene):
    source = scene["cases"][0]
    answer = client.post(
        "/api/v1/referrals",
        json={
            "to_agency": "sassa",
            "reason": "Needs the child support grant.",
            "source_case": source.reference,
            "service": "child-support",
            "urgency": "high",
        },
        headers=scene["triage"],
    )
    assert answer.status_code == 201
    referral = answer.json
    assert referral["kind"] == "referral" and referral["agency"] == "sassa"
    assert referral["referral"]["from_agency"] == "dsd"
    assert referral["referral"]["source_case"] == source.reference
    assert referral["channel"] == "api"
    # The receiving agency's system now sees it, and may accept it.
    seen = client.get(f"/api/v1/cases/{referral['reference']}", headers=scene["officer"]).json
    assert "accepted" in seen["allowed_transitions"]
    by_phone = client.post(
        "/api/v1/referrals",
        json={"to_agency": "sassa", "reason": "Grant.", "citizen_phone": "082 111 0002"},
        headers=scene["triage"],
    )
    assert by_phone.status_code == 201
    unknown = client.post(
        "/api/v1/referrals",
        json={"to_agency": "nobody", "reason": "x", "source_case": source.reference},
        headers=scene["triage"],
    )
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "to_agency"
    stranger = client.post(
        "/api/v1/referrals",
        json={"to_agency": "sassa", "reason": "x", "citizen_phone": "+27829999999"},
        headers=scene["triage"],
    )
    assert stranger.status_code == 404


def test_api_finds_a_citizen_by_phone_within_scope(client, scene):
    answer = client.get("/api/v1/citizens?phone=0821110001", headers=scene["triage"])
    assert answer.status_code == 200
    assert [c["reference"] for c in answer.json["cases"]] == [scene["cases"][0].reference]
    # The grants agency has nothing of this citizen's: as if the number were nobody's.
    assert (
        client.get("/api/v1/citizens?phone=0821110001", headers=scene["officer"]).status_code == 404
    )
    create_citizen(scene["db"], phone="+27823334444")
    assert (
        client.get("/api/v1/citizens?phone=0823334444", headers=scene["triage"]).status_code == 404
    )
    bad = client.get("/api/v1/citizens?phone=hello", headers=scene["triage"])
    assert bad.status_code == 422


def test_api_directory_lists_agencies_and_services(client, scene):
    agencies = client.get("/api/v1/directory/agencies", headers=scene["officer"]).json["agencies"]
    assert {a["code"] for a in agencies} == {"dsd", "sassa"}
    services = client.get("/api/v1/directory/services?language=zu", headers=scene["officer"]).json[
        "services"
    ]
    assert services[0]["code"] == "child-support" and services[0]["agency"] == "sassa"
    assert services[0]["language"] == "en"  # no isiZulu text: English, and it says so


def test_api_document_is_openapi_3_1_written_from_the_routes(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    assert {
        "/api/v1/cases",
        "/api/v1/cases/{reference}",
        "/api/v1/cases/{reference}/transitions",
        "/api/v1/cases/{reference}/notes",
        "/api/v1/referrals",
        "/api/v1/citizens",
        "/api/v1/directory/agencies",
        "/api/v1/directory/services",
    } <= set(document["paths"])
    assert document["components"]["securitySchemes"]["agencyKey"]["scheme"] == "bearer"


def test_api_unknown_address_and_wrong_method_answer_json(client, scene):
    missing = client.get("/api/v1/nothing-here", headers=scene["triage"])
    assert missing.status_code == 404 and missing.json["status"] == 404
    wrong = client.put("/api/v1/cases", headers=scene["triage"])
    assert wrong.status_code == 405 and "GET" in wrong.headers["Allow"]
    assert wrong.json["status"] == 405


def test_api_webhook_subscriptions(client, scene):
    created = client.post(
        "/api/v1/webhooks",
        json={"url": "https://crm.dsd.example/hooks", "events": ["case.status_changed"]},
        headers=scene["triage"],
    )
    assert created.status_code == 201
    assert len(created.json["secret"]) >= 32
    listed = client.get("/api/v1/webhooks", headers=scene["triage"]).json["webhooks"]
    assert [w["url"] for w in listed] == ["https://crm.dsd.example/hooks"]
    assert "secret" not in listed[0]
    # Another agency's system neither sees nor removes it.
    assert client.get("/api/v1/webhooks", headers=scene["officer"]).json["webhooks"] == []
    url = f"/api/v1/webhooks/{created.json['id']}"
    assert client.delete(url, headers=scene["officer"]).status_code == 404
    # A change to one of the agency's cases is queued for delivery.
    case = scene["cases"][0]
    client.post(
        f"/api/v1/cases/{case.reference}/transitions",
        json={"to": "acknowledged"},
        headers=scene["triage"],
    )
    with scene["db"].read() as session:
        events = session.scalars(select(WebhookDelivery.event)).all()
    assert events == ["case.status_changed"]
    assert client.delete(url, headers=scene["triage"]).status_code == 204
    assert client.get("/api/v1/webhooks", headers=scene["triage"]).json["webhooks"] == []
    refused = client.post(
        "/api/v1/webhooks", json={"url": "http://crm.example/hooks"}, headers=scene["triage"]
    )
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "url"
    wrong_type = client.post(
        "/api/v1/webhooks", data="url=https://x.example", headers=scene["triage"]
    )
    assert wrong_type.status_code == 415


def test_api_limits_calls_per_key_and_says_when_to_come_back(make_app, database_url, db):
    app = make_app(
        {"DATABASE_URL": database_url},
        TESTING=True,
        RATE_LIMITS={"api_call_per_key": "3 per minute"},
    )
    create_agency(db, code="dsd", short_name="DSD", intake=True)
    one = issue_key(db, Actor.system(), agency_code="dsd", role="supervisor", name="CRM")
    two = issue_key(db, Actor.system(), agency_code="dsd", role="supervisor", name="BI")
    client = app.test_client()
    first = {"Authorization": f"Bearer {one.key}"}
    answers = [client.get("/api/v1/cases", headers=first).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/cases", headers=first)
    assert refused.json["status"] == 429 and int(refused.headers["Retry-After"]) > 0
    # Another key of the same agency has its own count.
    other = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {two.key}"})
    assert other.status_code == 200


def test_api_wrong_keys_are_limited_per_address_and_never_use_up_a_real_keys_count(
    make_app, database_url, db
):
    app = make_app(
        {"DATABASE_URL": database_url},
        TESTING=True,
        RATE_LIMITS={
            "api_call_per_key": "3 per minute",
            "api_key_failure_per_address": "3 per minute",
        },
    )
    create_agency(db, code="dsd", short_name="DSD", intake=True)
    key = issue_key(db, Actor.system(), agency_code="dsd", role="supervisor", name="CRM")
    # Someone who learnt the key's public prefix tries secrets from their own address.
    forged = {"Authorization": f"Bearer thusa_{key.prefix}_not-the-secret"}
    attacker = app.test_client()
    tries = [
        attacker.get("/api/v1/cases", headers=forged, environ_base={"REMOTE_ADDR": "198.51.100.9"})
        for _ in range(4)
    ]
    assert [t.status_code for t in tries] == [401, 401, 401, 429]
    # The agency's own system, from its address, is not held back by any of that.
    real = {"Authorization": f"Bearer {key.key}"}
    own = app.test_client().get(
        "/api/v1/cases", headers=real, environ_base={"REMOTE_ADDR": "203.0.113.5"}
    )
    assert own.status_code == 200


def test_api_refuses_control_characters_and_impossible_dates_clearly(client, scene):
    case = scene["cases"][0]
    headers = scene["triage"]
    note = client.post(
        f"/api/v1/cases/{case.reference}/notes", json={"body": "a\u0000b"}, headers=headers
    )
    assert note.status_code == 422 and note.json["errors"][0]["field"] == "body"
    for since in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0.5"):
        answer = client.get("/api/v1/cases", query_string={"updated_since": since}, headers=headers)
        assert answer.status_code == 422, since
    assert client.get("/api/v1/cases?district=a%00b", headers=headers).status_code == 422
    assert client.get("/api/v1/cases/12345%0067890", headers=headers).status_code == 404
    hook = client.post(
        "/api/v1/webhooks", json={"url": "https://a\u0000.example/x"}, headers=headers
    )
    assert hook.status_code == 422
    with scene["db"].read() as session:
        assert session.scalars(select(CaseEvent.body).where(CaseEvent.type == "note")).all() == []


def test_api_updated_since_finds_a_case_that_only_got_a_note(client, scene):
    case = scene["cases"][0]
    since = dt.datetime.now(dt.UTC).isoformat()
    client.post(
        f"/api/v1/cases/{case.reference}/notes",
        json={"body": "We called.", "public": True},
        headers=scene["triage"],
    )
    changed = client.get(
        "/api/v1/cases", query_string={"updated_since": since}, headers=scene["triage"]
    ).json["cases"]
    assert [c["reference"] for c in changed] == [case.reference]


def test_api_says_when_the_body_is_not_json(client, scene):
    answer = client.post(
        f"/api/v1/cases/{scene['cases'][0].reference}/notes",
        data='{"body": "unfinished',
        content_type="application/json",
        headers=scene["triage"],
    )
    assert answer.status_code == 400 and "not valid JSON" in answer.json["detail"]


def test_api_shows_an_agency_how_its_deliveries_went(client, scene, fake):
    from notifications.gateways import AfricasTalkingGateway
    from notifications.relay import Relay, RelaySettings
    from tests.webhook_receiver import WebhookReceiver

    db = scene["db"]
    with WebhookReceiver() as receiver:
        created = client.post(
            "/api/v1/webhooks", json={"url": receiver.url + "/hooks"}, headers=scene["triage"]
        ).json
        receiver.secrets["/hooks"] = created["secret"]
        receiver.answer("/hooks", 410)  # the agency's server says "gone"
        case = scene["cases"][0]
        client.post(
            f"/api/v1/cases/{case.reference}/transitions",
            json={"to": "acknowledged"},
            headers=scene["triage"],
        )
        gateway = AfricasTalkingGateway(fake.username, fake.api_key, api_url=fake.url)
        Relay(db, gateway, RelaySettings()).run_once()
    url = f"/api/v1/webhooks/{created['id']}/deliveries"
    failed = client.get(url, query_string={"status": "failed"}, headers=scene["triage"]).json
    [delivery] = failed["deliveries"]
    assert delivery["event"] == "case.status_changed"
    assert delivery["reference"] == case.reference
    assert (delivery["response_status"], delivery["failure_reason"]) == (410, "HTTP 410")
    assert client.get(url, query_string={"status": "sent"}, headers=scene["triage"]).json == {
        "deliveries": []
    }
    # Another agency's system cannot read them.
    assert client.get(url, headers=scene["officer"]).status_code == 404
