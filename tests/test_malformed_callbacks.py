"""Malformed gateway callbacks: `/ussd`, `/sms/inbound` and `/sms/delivery-reports` posted
with missing fields, wrong types, duplicated keys, JSON instead of a form, non-UTF-8
bytes, the wrong content type and bodies past the request limit.

The gateway always gets an answer it understands (USSD: a 200 with an END screen; SMS:
200 or a plain-text 400, never a 500 it would retry for ever), and nothing is stored
half-way: a refused callback leaves no row, an accepted one its whole record.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from casework.models import (
    Case,
    Citizen,
    EarlyDeliveryReport,
    InboundMessage,
    OutboundMessage,
)
from casework.text_encoding import is_gsm7
from ussd.screen_kit import LIMIT, length

PATHS = ("/ussd", "/sms/inbound", "/sms/delivery-reports")
FIELDS = (
    "sessionId",
    "serviceCode",
    "phoneNumber",
    "networkCode",
    "text",
    "id",
    "from",
    "to",
    "date",
    "linkId",
    "status",
    "failureReason",
)
FORM = "application/x-www-form-urlencoded"
VALUE = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
    st.sampled_from(["+27821234567", "27821234567", "Success", "Failed", "STOP", "1*2", "ATXid_1"]),
    st.integers().map(str),
    st.integers(2000, 3000).map(lambda n: "x" * n),  # past every field's limit
    st.just(""),
)
# A list is a key sent more than once.
FORM_FIELDS = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
    st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3)),
    max_size=8,
)
# What the gateway sends when all is well; the fuzzing drops, changes and repeats fields.
WELL_FORMED = {
    "/ussd": {
        "sessionId": "ATUid_fuzz",
        "serviceCode": "*120*3210#",
        "phoneNumber": "+27821234567",
        "networkCode": "65501",
        "text": "",
    },
    "/sms/inbound": {
        "id": "ATXid_in",
        "from": "+27821234567",
        "to": "32100",
        "text": "Please help",
        "date": "2026-11-24 10:15:02",
        "linkId": "link-1",
    },
    "/sms/delivery-reports": {
        "id": "ATXid_out",
        "status": "Failed",
        "phoneNumber": "+27821234567",
        "networkCode": "65501",
        "failureReason": "UserInBlacklist",
    },
}


@st.composite
def nearly_well_formed(draw, path):
    """The gateway's fields with some dropped, changed, repeated or added."""
    fields = {}
    for name, value in WELL_FORMED[path].items():
        action = draw(st.sampled_from(["keep", "keep", "keep", "drop", "change", "repeat"]))
        if action == "keep":
            fields[name] = value
        elif action == "change":
            fields[name] = draw(VALUE)
        elif action == "repeat":
            fields[name] = [value, *draw(st.lists(VALUE, min_size=1, max_size=2))]
    if "id" in fields and fields["id"] == WELL_FORMED[path]["id"]:
        fields["id"] += draw(st.text("0123456789", min_size=1, max_size=6))  # new, or a retry
    fields.update(draw(st.dictionaries(st.text(max_size=10), VALUE, max_size=2)))
    encoding = draw(st.sampled_from(["form", "form", "multipart", "json"]))
    return encoding, fields


BODY = st.one_of(
    FORM_FIELDS.map(lambda fields: ("form", fields)),
    FORM_FIELDS.map(lambda fields: ("json", fields)),
    st.tuples(
        st.sampled_from(
            [
                FORM,
                "multipart/form-data",
                "multipart/form-data; boundary=x",
                "application/json",
                "text/plain",
                "text/xml",
                f"{FORM}; charset=latin-1",
                "",
            ]
        ),
        st.binary(max_size=300),
    ),
)


def counts(db) -> dict[str, int]:
    with db.read() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Case, Citizen, InboundMessage, OutboundMessage, EarlyDeliveryReport)
        }


def post(client, path, body):
    kind, payload = body
    if kind in ("form", "multipart"):
        content_type = FORM if kind == "form" else "multipart/form-data"
        return client.post(path, data=MultiDict(payload), content_type=content_type)
    if kind == "json":
        return client.post(path, data=json.dumps(payload), content_type="application/json")
    return client.post(path, data=payload, content_type=kind or None)


def assert_answered_as_the_gateway_expects(path, response) -> None:
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/plain", (response.status_code, body[:200])
    if path == "/ussd":
        assert response.status_code == 200
        assert body.startswith(("CON ", "END ")) and length(body) <= LIMIT and is_gsm7(body)
    else:
        assert response.status_code in (200, 400), body


def assert_nothing_half_stored(db, before, after, response) -> None:
    assert after["Case"] == before["Case"]  # no callback of these can submit a case
    if response.status_code != 200 or response.request.path == "/ussd":
        # Refused, or a USSD hop (which stores sessions, not rows): no row at all...
        unchanged = ("InboundMessage", "OutboundMessage", "EarlyDeliveryReport")
        assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
        return
    # ...accepted: at most the one message or report, each reply queued with it.
    assert after["InboundMessage"] - before["InboundMessage"] <= 1
    assert after["EarlyDeliveryReport"] - before["EarlyDeliveryReport"] <= 1
    with db.read() as session:
        replies = set(session.scalars(select(InboundMessage.reply_id)).all()) - {None}
        queued = set(session.scalars(select(OutboundMessage.id)).all())
    assert replies <= queued


def test_callbacks_fuzzed_always_answer_and_store_nothing_half_way(app, db):
    client = app.test_client()

    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,  # CI runs the same examples every time: a failure is a real one
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(path=st.sampled_from(PATHS), data=st.data())
    def callback(path, data):
        body = data.draw(st.one_of(nearly_well_formed(path), BODY))
        before = counts(db)
        response = post(client, path, body)
        assert_answered_as_the_gateway_expects(path, response)
        assert_nothing_half_stored(db, before, counts(db), response)

    callback()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"sessionId": "1", "id": "1", "from": "+27821234567"}'),
        ("text/plain", b"sessionId=1&id=1&from=%2B27821234567"),
        ("multipart/form-data", b"no boundary at all"),
        (FORM, b"sessionId=\xff\xfe&id=\xc3\x28&from=\x80\x81&phoneNumber=\xed\xa0\x80"),
    ],
)
def test_callbacks_in_the_wrong_shape_get_the_answer_for_a_malformed_one(
    client, db, path, content_type, body
):
    before = counts(db)
    response = client.post(path, data=body, content_type=content_type)
    assert_answered_as_the_gateway_expects(path, response)
    text = response.get_data(as_text=True)
    if path == "/ussd":
        assert text.startswith("END Sorry, we could not read")
    else:
        assert response.status_code == 400 and "field: id" in text
    assert counts(db) == before


@pytest.mark.parametrize("path", PATHS)
def test_callbacks_past_the_request_limit_are_answered_not_shown_the_upload_page(client, db, path):
    """Regression: a body past MAX_CONTENT_LENGTH (or multipart with too many parts) got
    the citizen's HTML "That upload is too big" page with a 413, which drops a USSD
    session with a network error and which no gateway reads."""
    client.application.config["MAX_CONTENT_LENGTH"] = 10_000
    fields = {"sessionId": "ATUid_big", "phoneNumber": "+27821234567", "id": "big"}
    too_long = client.post(path, data={**fields, "text": "1" * 20_000})
    parts = "".join(
        f'--x\r\nContent-Disposition: form-data; name="f{n}"\r\n\r\n1\r\n' for n in range(1500)
    )
    too_many = client.post(
        path, data=parts + "--x--\r\n", content_type="multipart/form-data; boundary=x"
    )
    for response in (too_long, too_many):
        assert_answered_as_the_gateway_expects(path, response)
        if path == "/ussd":
            assert response.get_data(as_text=True).startswith("END Sorry, we could not read")
        else:
            assert response.status_code == 400
            assert response.get_data(as_text=True) == "Request too large"
    assert counts(db)["InboundMessage"] == 0


def test_callbacks_with_a_key_sent_twice_take_the_first_and_store_one(client, db):
    data = MultiDict(
        [
            ("id", "ATXid_twice"),
            ("id", "ATXid_other"),
            ("from", "+27821234567"),
            ("from", "+27839999999"),
            ("text", "HELP"),
            ("text", "STOP"),
        ]
    )
    assert client.post("/sms/inbound", data=data).status_code == 200
    with db.read() as session:
        [kept] = session.scalars(select(InboundMessage)).all()
    assert (kept.gateway_id, kept.sender, kept.text) == ("ATXid_twice", "+27821234567", "HELP")
    hop = MultiDict(
        [("sessionId", "A"), ("sessionId", "B"), ("phoneNumber", "+27821234567"), ("text", "")]
    )
    assert client.post("/ussd", data=hop).get_data(as_text=True).startswith("CON ")
