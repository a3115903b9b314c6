"""Fault: the gateway sends the same callback again, one after another and several at
once (it retries when our answer is slow, and a slow answer may still be running): the
USSD hop that sends a complaint, and an inbound SMS.

What must hold: every copy gets a 200 and the same answer; one case, one inbound row, one
set of reply SMS, each SMS delivered once. USSD runs with the session store in Redis (as
in production) and in the process (the dev server).
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import requests
from sqlalchemy import func, select

from casework.models import Case, InboundMessage, OutboundMessage
from casework.seed_demo import seed_demo
from notifications.app_setup import relay_settings
from notifications.relay import Relay
from tests.faults.menu_keys import COMPLAINT_TO_CONFIRM
from tests.faults.served_app import served

COPIES = 4


def at_once(count: int, send) -> list[requests.Response]:  # type: ignore[no-untyped-def]
    """`send()` `count` times on threads of their own, released together."""
    start, answers = threading.Barrier(count), [None] * count

    def run(position: int) -> None:
        start.wait()
        answers[position] = send()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers  # type: ignore[return-value]


def count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count(model.id)).where(*where))


@pytest.mark.parametrize("store", [pytest.param("redis", marks=pytest.mark.redis), "memory"])
def test_a_complaint_hop_sent_again_and_at_once_lodges_one_case_with_one_reply(
    make_app, db, database_url, request, store
):
    seed_demo(db, with_staff=False)
    environ = {"DATABASE_URL": database_url}
    if store == "redis":
        environ["REDIS_URL"] = request.getfixturevalue("redis_url")
    with served(make_app(environ)) as url:

        def hop(*keys: str) -> requests.Response:
            fields = {
                "sessionId": "ATUid_retried",
                "serviceCode": "*120*3210#",
                "phoneNumber": "+27821112222",
                "networkCode": "65501",
                "text": "*".join(keys),
            }
            return requests.post(f"{url}/ussd", data=fields, timeout=30)

        for n in range(len(COMPLAINT_TO_CONFIRM) + 1):
            assert hop(*COMPLAINT_TO_CONFIRM[:n]).text.startswith("CON ")
        send = (*COMPLAINT_TO_CONFIRM, "1")
        answers = at_once(COPIES, lambda: hop(*send))
        answers += [hop(*send), hop(*send)]
    assert {answer.status_code for answer in answers} == {200}
    replies = {answer.text for answer in answers}
    assert len(replies) == 1, replies
    assert replies.pop().startswith("END Complaint sent. Your reference is")
    assert count(db, Case) == 1
    assert count(db, OutboundMessage) == 1


def test_an_inbound_sms_sent_again_and_at_once_is_kept_and_answered_once(
    make_app, db, database_url, fake, gateway
):
    app = make_app({"DATABASE_URL": database_url})
    with served(app) as url:

        def inbound(gateway_id: str, sender: str) -> requests.Response:
            fields = {
                "id": gateway_id,
                "from": sender,
                "to": "32100",
                "text": "HELP",
                "date": "2026-11-24 10:15:02",
                "linkId": "",
            }
            return requests.post(f"{url}/sms/inbound", data=fields, timeout=30)

        # Once, from one number: what a single HELP leaves behind.
        assert inbound("ATXid_once", "+27823330000").status_code == 200
        replies_to_one = count(db, OutboundMessage, OutboundMessage.to == "+27823330000")
        # The same, from another number, arriving four times at once and twice more later.
        answers = at_once(COPIES, lambda: inbound("ATXid_retried", "+27823331111"))
        answers += [inbound("ATXid_retried", "+27823331111") for _ in range(2)]
    assert [(answer.status_code, answer.text) for answer in answers] == [(200, "OK")] * (COPIES + 2)
    assert count(db, InboundMessage, InboundMessage.gateway_id == "ATXid_retried") == 1
    assert replies_to_one >= 1
    assert count(db, OutboundMessage, OutboundMessage.to == "+27823331111") == replies_to_one
    # And each reply SMS reaches the phone once.
    Relay(db, gateway, relay_settings(app.config)).run_once()
    texts = Counter(sms.message for sms in fake.sent if sms.to == "+27823331111")
    assert sum(texts.values()) == replies_to_one and set(texts.values()) == {1}
