"""A reference alone never reveals a case: 1,000 random references, some of them real,
tried by a stranger on every channel, each get the answer a reference that does not exist
gets, byte for byte once the echoed reference is set aside; and in the same time.

Positive controls in each test (the owner, or the right PIN, does see the case) prove
that the channel can tell cases apart, so identical answers mean something.
"""

from __future__ import annotations

import io
import itertools
import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.abuse_limits import LIMITS
from casework.documents import documents_of_case, store
from casework.models import InboundMessage, OutboundMessage
from casework.references import format_reference, new_reference
from casework.seed_demo import seed_demo
from casework.services import submit_application
from tests.factories import create_agency, create_service, lodge
from tests.portal.web import sign_in, token
from tests.ussd.caller import Caller

OWNER = "+27821110000"
STRANGER = "+27829990000"
TRIES = 1000
# Everyone's limits out of the way: what is tested here is the answers (the limits have
# tests of their own, in tests/*/test_abuse_limits.py).
NO_LIMITS = {name: "1000000 per hour" for name in LIMITS}
_sms_ids = itertools.count(1)


class World:
    def __init__(self, app, db) -> None:  # type: ignore[no-untyped-def]
        self.app, self.db = app, db
        self.named = [lodge(db, phone=OWNER, language="en").grievance for _ in range(3)]
        self.anonymous = [lodge(db, phone=None, anonymous=True, language="en") for _ in range(2)]
        self.real = [g.reference for g in self.named] + [
            lodged.grievance.reference for lodged in self.anonymous
        ]
        pins = {lodged.pin for lodged in self.anonymous}
        self.wrong_pin = next(pin for pin in ("0000", "1111", "2222") if pin not in pins)
        self.missing = fresh_reference(set(self.real))

    def references(self) -> list[str]:
        """1,000 random references with valid check digits, the real ones among them."""
        references = [fresh_reference(set(self.real)) for _ in range(TRIES)]
        spots = random.Random(8).sample(range(TRIES), len(self.real))
        for spot, real in zip(spots, self.real, strict=True):
            references[spot] = real
        return references

    def pin_sample(self) -> list[str]:
        """The real references and a few made-up ones: what the (deliberately slow) PIN
        check is tried on; its timing has a test of its own."""
        return [*self.real, *self.references()[:7]]


def fresh_reference(taken: set[str]) -> str:
    while (reference := new_reference()) in taken:
        pass
    return reference


@pytest.fixture
def world(make_app, database_url, db) -> World:  # type: ignore[no-untyped-def]
    seed_demo(db, with_staff=False)
    app = make_app({"DATABASE_URL": database_url}, TESTING=True, RATE_LIMITS=NO_LIMITS)
    return World(app, db)


def shape(response, reference: str) -> tuple[int, str | None, bytes]:  # type: ignore[no-untyped-def]
    """What a response shows of itself, with the echoed reference and CSRF tokens set
    aside (their lengths never vary)."""
    body = response.get_data()
    body = re.sub(rb'(name="csrf_token"[^>]*value=")[^"]+', rb"\1-", body)
    location = response.headers.get("Location")
    for typed in (reference, format_reference(reference)):
        body = body.replace(typed.encode(), b"REF")
        location = location.replace(typed, "REF") if location else location
    return response.status_code, location, body


def post_form(client, path: str, csrf: str, **fields: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={**fields, "csrf_token": csrf})


def test_web_tracking_answers_every_reference_alike(world):
    tracker = world.app.test_client()
    csrf = token(tracker.get("/track").get_data(as_text=True))
    signed_in = world.app.test_client()
    sign_in(signed_in, world.db, STRANGER)

    def by_phone(reference: str):  # type: ignore[no-untyped-def]
        return post_form(tracker, "/track", csrf, reference=reference, phone=STRANGER)

    def my_case(reference: str):  # type: ignore[no-untyped-def]
        return signed_in.get(f"/my-cases/{reference}")

    def by_pin(reference: str):  # type: ignore[no-untyped-def]
        return post_form(tracker, "/track", csrf, reference=reference, pin=world.wrong_pin)

    for ask, references in (
        (by_phone, world.references()),
        (my_case, world.references()),
        (by_pin, world.pin_sample()),
    ):
        baseline = ask(world.missing)
        missing, length = shape(baseline, world.missing), len(baseline.get_data())
        assert missing[0] in (200, 302, 404)
        for reference in references:
            response = ask(reference)
            assert shape(response, reference) == missing, (ask.__name__, reference)
            assert len(response.get_data()) == length

    # Controls: the owner, signed in, and the right PIN do open the cases.
    owner = world.app.test_client()
    sign_in(owner, world.db, OWNER)
    assert owner.get(f"/my-cases/{world.named[0].reference}").status_code == 200
    lodged = world.anonymous[0]
    opened = post_form(
        tracker, "/track", csrf, reference=lodged.grievance.reference, pin=lodged.pin
    )
    assert opened.headers["Location"] == "/track/case"


def ussd_answers(caller: Caller, references: list[str], pin: str | None) -> Iterator[str]:
    """The screen each reference (and then `pin`, if given) gets on "Track my cases"."""
    for n, reference in enumerate(references):
        if n % 40 == 0:  # a new session now and then: the gateway's text only grows
            caller.dial()
            caller.press("2")
            caller.choose("Type a reference")
        reply = caller.press(reference)
        if pin is not None:
            reply += "\n--\n" + caller.press(pin)
        yield reply
        caller.press("0")  # back to typing a reference


def test_ussd_tracking_answers_every_reference_alike(world):
    stranger = Caller(world.app.test_client(), STRANGER)
    [missing] = ussd_answers(stranger, [world.missing], None)
    assert missing.startswith("CON ")
    references = world.references()
    for reference, reply in zip(references, ussd_answers(stranger, references, None), strict=True):
        assert reply == missing, reference
    [missing_pin] = ussd_answers(stranger, [world.missing], world.wrong_pin)
    sample = world.pin_sample()
    for reference, reply in zip(
        sample, ussd_answers(stranger, sample, world.wrong_pin), strict=True
    ):
        assert reply == missing_pin, reference
    # Controls: the owner's number sees its case; the right PIN opens the anonymous one.
    [own] = ussd_answers(Caller(world.app.test_client(), OWNER), [world.named[0].reference], None)
    assert format_reference(world.named[0].reference, "grievance") in own
    lodged = world.anonymous[0]
    [opened] = ussd_answers(stranger, [lodged.grievance.reference], lodged.pin)
    assert format_reference(lodged.grievance.reference, "grievance") in opened


def text_status(client, sender: str, reference: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/sms/inbound",
        data={
            "from": sender,
            "to": "32100",
            "text": f"STATUS {format_reference(reference)}",
            "id": f"ATXid_enum_{next(_sms_ids)}",
        },
    )


def status_replies(db, sender: str) -> list[tuple[str, dict, str]]:  # type: ignore[no-untyped-def]
    """The reply queued for each STATUS `sender` texted, in order."""
    with db.read() as session:
        return [
            (template, params, language)
            for template, params, language in session.execute(
                select(OutboundMessage.template, OutboundMessage.params, OutboundMessage.language)
                .join(InboundMessage, InboundMessage.reply_id == OutboundMessage.id)
                .where(InboundMessage.sender == sender)
                .order_by(InboundMessage.id)
            )
        ]


def test_sms_status_answers_every_reference_alike(world):
    client = world.app.test_client()
    baseline = text_status(client, STRANGER, world.missing)
    references = world.references()
    for reference in references:
        response = text_status(client, STRANGER, reference)
        assert (response.status_code, response.get_data()) == (200, baseline.get_data())
    replies = status_replies(world.db, STRANGER)
    assert len(replies) == TRIES + 1
    assert set(map(repr, replies)) == {repr(("reply_status_unknown", {}, "en"))}
    # Control: the owner's number is told the status.
    text_status(client, OWNER, world.named[0].reference)
    assert status_replies(world.db, OWNER)[0][0] == "reply_status"


def test_someone_elses_document_answers_like_one_that_does_not_exist(world):
    stored = store(Path(world.app.config["DOCUMENTS_DIR"]), io.BytesIO(b"%PDF-1.4 x"), "id.pdf")
    service = create_service(world.db, create_agency(world.db))
    application = submit_application(
        world.db,
        phone=OWNER,
        service_id=service.id,
        answers={"children": 1},
        channel="web",
        language="en",
        documents=[stored.as_dict()],
    )
    document_id = documents_of_case(world.db, application.id)[0].id
    stranger = world.app.test_client()
    sign_in(stranger, world.db, STRANGER)
    theirs = stranger.get(f"/documents/{document_id}")
    missing = stranger.get(f"/documents/{document_id + 1000}")
    assert theirs.status_code == missing.status_code == 404
    # The page names its own address (the language switch comes back to it).
    assert theirs.get_data().replace(f"/documents/{document_id}".encode(), b"/documents/ID") == (
        missing.get_data().replace(f"/documents/{document_id + 1000}".encode(), b"/documents/ID")
    )
    owner = world.app.test_client()
    sign_in(owner, world.db, OWNER)
    with owner.get(f"/documents/{document_id}") as response:
        assert response.status_code == 200  # control: the owner gets it


def median_ratio(existing: Callable[[], object], missing: Callable[[], object], n: int) -> float:
    """Median time of `existing` over median time of `missing`, tried in turn, `n` each:
    interleaved, so a busy machine slows both alike."""
    times: dict[str, list[float]] = {"existing": [], "missing": []}
    missing()  # warm up (the decoy hash is made on first use)
    for _ in range(n):
        for name, call in (("existing", existing), ("missing", missing)):
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    return statistics.median(times["existing"]) / statistics.median(times["missing"])


# Generous on purpose: the same path takes the same time give or take a loaded CI
# machine's noise; a missing reference skipping the PIN hash is 100 times quicker.
BAND = (0.5, 2.0)


def test_pin_checks_take_as_long_for_cases_that_exist_as_for_those_that_do_not(world):
    lodged = world.anonymous[0]
    reference = lodged.grievance.reference
    client = world.app.test_client()
    csrf = token(client.get("/track").get_data(as_text=True))
    web = median_ratio(
        lambda: post_form(client, "/track", csrf, reference=reference, pin=world.wrong_pin),
        lambda: post_form(client, "/track", csrf, reference=world.missing, pin=world.wrong_pin),
        n=5,
    )
    callers = {
        name: Caller(world.app.test_client(), number)
        for name, number in (("existing", STRANGER), ("missing", "+27829990001"))
    }
    for name, target in (("existing", reference), ("missing", world.missing)):
        caller = callers[name]
        caller.dial()
        caller.press("2")
        caller.choose("Type a reference")
        caller.press(target)
    # Each wrong PIN leaves the caller on the PIN prompt: the next try is another PIN.
    ussd = median_ratio(
        lambda: callers["existing"].press(world.wrong_pin),
        lambda: callers["missing"].press(world.wrong_pin),
        n=5,
    )
    assert BAND[0] < web < BAND[1], web
    assert BAND[0] < ussd < BAND[1], ussd


def test_reference_lookups_take_as_long_for_cases_that_exist_as_for_those_that_do_not(world):
    theirs = world.named[0].reference
    signed_in = world.app.test_client()
    sign_in(signed_in, world.db, STRANGER)
    web = median_ratio(
        lambda: signed_in.get(f"/my-cases/{theirs}"),
        lambda: signed_in.get(f"/my-cases/{world.missing}"),
        n=25,
    )
    client = world.app.test_client()
    sms = median_ratio(
        lambda: text_status(client, STRANGER, theirs),
        lambda: text_status(client, STRANGER, world.missing),
        n=25,
    )
    stranger = Caller(world.app.test_client(), STRANGER)
    answers = {
        name: (lambda target=target: next(ussd_answers(stranger, [target], None)))
        for name, target in (("existing", theirs), ("missing", world.missing))
    }
    ussd = median_ratio(answers["existing"], answers["missing"], n=25)
    for ratio in (web, sms, ussd):
        assert BAND[0] < ratio < BAND[1], (web, sms, ussd)
