"""The fake Africa's Talking gateway, driven through the real SDK as our code will drive it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests
from africastalking.Application import ApplicationService
from africastalking.Service import AfricasTalkingException
from africastalking.SMS import SMSService

from tests.fake_africastalking import FakeAfricasTalking, SentSms

NUMBER = "+27821234567"
FAST = (1, 1)  # connect and read timeouts: the fake is local, so anything slower is a fault


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests honours HTTP(S)_PROXY; a developer's proxy must not see traffic meant for us.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def fake() -> Iterator[FakeAfricasTalking]:
    server = FakeAfricasTalking()
    yield server
    server.stop()


def sms_client(fake: FakeAfricasTalking, api_key: str | None = None) -> SMSService:
    sms = SMSService(fake.username, api_key or fake.api_key)
    sms._baseUrl = f"{fake.url}/version1"
    return sms


def test_success_returns_the_real_apis_shape_and_is_recorded(fake: FakeAfricasTalking) -> None:
    response = sms_client(fake).send("Jou aansoek is ontvang", [NUMBER], timeout=FAST)

    assert isinstance(response, dict), "the SDK only parses JSON for exactly application/json"
    data = response["SMSMessageData"]
    assert data["Message"] == "Sent to 1/1 Total Cost: ZAR 0.3500"
    [recipient] = data["Recipients"]
    assert recipient["statusCode"] == 101
    assert recipient["status"] == "Success"
    assert recipient["number"] == NUMBER
    assert recipient["cost"] == "ZAR 0.3500"
    assert recipient["messageParts"] == 1
    assert recipient["messageId"].startswith("ATXid_")

    [sent] = fake.sent
    assert sent.to == NUMBER
    assert sent.message == "Jou aansoek is ontvang"
    assert sent.sender is None
    assert sent.message_id == recipient["messageId"]
    assert fake.requests == 1


def test_each_recipient_sender_and_part_count(fake: FakeAfricasTalking) -> None:
    numbers = [NUMBER, "+27731234567"]
    message = "Sawubona " + "ê" * 70  # UCS-2, 80 units: two parts

    response = sms_client(fake).send(message, numbers, sender_id="THUSA", timeout=FAST)

    data = response["SMSMessageData"]
    assert data["Message"] == "Sent to 2/2 Total Cost: ZAR 1.4000"
    assert [r["number"] for r in data["Recipients"]] == numbers
    assert {r["messageParts"] for r in data["Recipients"]} == {2}
    assert {r["cost"] for r in data["Recipients"]} == {"ZAR 0.7000"}
    assert [(s.to, s.sender, s.message) for s in fake.sent] == [
        (number, "THUSA", message) for number in numbers
    ]


def test_http500_raises_and_sends_nothing(fake: FakeAfricasTalking) -> None:
    fake.fail_next("http500")

    with pytest.raises(AfricasTalkingException, match="Internal Server Error"):
        sms_client(fake).send("Hello", [NUMBER], timeout=FAST)

    assert fake.sent == []
    assert fake.requests == 1


def test_faults_are_consumed_in_order_then_sending_recovers(fake: FakeAfricasTalking) -> None:
    fake.fail_next("http500", count=2)
    fake.fail_next(("recipient", 405, "InsufficientBalance"))
    sms = sms_client(fake)

    for _ in range(2):
        with pytest.raises(AfricasTalkingException):
            sms.send("Hello", [NUMBER], timeout=FAST)
    failed = sms.send("Hello", [NUMBER], timeout=FAST)
    ok = sms.send("Hello", [NUMBER], timeout=FAST)

    assert failed["SMSMessageData"]["Recipients"][0]["status"] == "InsufficientBalance"
    assert ok["SMSMessageData"]["Recipients"][0]["status"] == "Success"
    assert len(fake.sent) == 1
    assert fake.requests == 4


def test_timeout_fault_times_the_client_out_and_is_not_recorded(
    fake: FakeAfricasTalking,
) -> None:
    fake.timeout_sleep = 1.5
    fake.fail_next("timeout")
    started = time.monotonic()

    with pytest.raises(requests.exceptions.Timeout):
        sms_client(fake).send("Hello", [NUMBER], timeout=(1, 0.5))

    assert time.monotonic() - started < 1.4
    assert fake.sent == []
    assert fake.requests == 1
    # The fixture's stop() wakes the sleeping handler rather than waiting out its 1.5 s.


def test_timeout_fault_with_record_late_counts_as_sent(fake: FakeAfricasTalking) -> None:
    fake.timeout_sleep = 0.3
    fake.fail_next("timeout", record_late=True)

    with pytest.raises(requests.exceptions.Timeout):
        sms_client(fake).send("Hello", [NUMBER], timeout=(1, 0.1))

    [late] = fake.wait_for(1, timeout=2)
    assert late.to == NUMBER


def test_stop_does_not_wait_out_a_sleeping_timeout_fault() -> None:
    fake = FakeAfricasTalking(timeout_sleep=30)
    try:
        fake.fail_next("timeout")
        with pytest.raises(requests.exceptions.Timeout):
            sms_client(fake).send("Hello", [NUMBER], timeout=(1, 0.2))
    finally:
        started = time.monotonic()
        fake.stop()
    assert time.monotonic() - started < 2


def test_recipient_fault_returns_the_failure_entry(fake: FakeAfricasTalking) -> None:
    fake.fail_next(("recipient", 403, "InvalidPhoneNumber"))

    response = sms_client(fake).send("Hello", [NUMBER], timeout=FAST)

    data = response["SMSMessageData"]
    assert data["Message"] == "Sent to 0/1 Total Cost: 0"
    assert data["Recipients"] == [
        {
            "statusCode": 403,
            "number": NUMBER,
            "status": "InvalidPhoneNumber",
            "cost": "0",
            "messageId": "None",
            "messageParts": 1,
        }
    ]
    assert fake.sent == []


def test_queued_status_counts_as_accepted(fake: FakeAfricasTalking) -> None:
    fake.fail_next(("recipient", 102, "Queued"))

    response = sms_client(fake).send("Hello", [NUMBER], timeout=FAST)

    [recipient] = response["SMSMessageData"]["Recipients"]
    assert recipient["status"] == "Queued"
    assert recipient["messageId"].startswith("ATXid_")
    assert len(fake.sent) == 1


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("http404", {}),
        (("recipient", 403, "InvalidNumber"), {}),
        (("recipient", 418, "Teapot"), {}),
        ("http500", {"record_late": True}),
        ("timeout", {"count": 0}),
    ],
)
def test_fail_next_rejects_faults_it_does_not_know(
    fake: FakeAfricasTalking, kind: object, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        fake.fail_next(kind, **kwargs)  # type: ignore[arg-type]


def test_bad_api_key_is_refused(fake: FakeAfricasTalking) -> None:
    with pytest.raises(AfricasTalkingException, match="The supplied authentication is invalid"):
        sms_client(fake, api_key="wrong").send("Hello", [NUMBER], timeout=FAST)
    assert fake.sent == []
    assert fake.requests == 1


def test_bad_username_is_refused(fake: FakeAfricasTalking) -> None:
    sms = SMSService("someone-else", fake.api_key)
    sms._baseUrl = f"{fake.url}/version1"
    with pytest.raises(AfricasTalkingException, match="authentication is invalid"):
        sms.send("Hello", [NUMBER], timeout=FAST)


def test_wait_for_returns_messages_sent_from_another_thread(fake: FakeAfricasTalking) -> None:
    sms = sms_client(fake)
    sender = threading.Thread(
        target=lambda: [sms.send(f"Message {i}", [NUMBER], timeout=FAST) for i in range(3)]
    )
    sender.start()
    try:
        sent = fake.wait_for(3, timeout=5)
    finally:
        sender.join()
    assert [s.message for s in sent] == ["Message 0", "Message 1", "Message 2"]
    assert all(isinstance(s, SentSms) for s in sent)


def test_wait_for_times_out_with_a_helpful_message(fake: FakeAfricasTalking) -> None:
    with pytest.raises(AssertionError, match=r"waited 0.1s for 1 SMS .* accepted 0"):
        fake.wait_for(1, timeout=0.1)


def test_failure_rate_fails_some_and_not_others(fake: FakeAfricasTalking) -> None:
    fake.timeout_sleep = 0.4
    fake.failure_rate(0.3, seed=1)
    sms = sms_client(fake)
    delivered: list[str] = []
    failures = 0

    for i in range(30):
        message = f"Message {i}"
        try:
            response = sms.send(message, [NUMBER], timeout=(1, 0.2))
        except (AfricasTalkingException, requests.exceptions.Timeout):
            failures += 1
            continue
        if response["SMSMessageData"]["Recipients"][0]["statusCode"] == 101:
            delivered.append(message)
        else:
            failures += 1

    assert delivered
    assert failures > 0
    assert len(delivered) + failures == 30
    # Not an equality: on a stalled machine a healthy request can still time out client-side,
    # and the fake rightly counts that one as sent.
    assert set(delivered) <= {s.message for s in fake.sent}
    assert fake.requests == 30

    fake.failure_rate(0)
    [recipient] = sms.send("Recovered", [NUMBER], timeout=FAST)["SMSMessageData"]["Recipients"]
    assert recipient["status"] == "Success"


def test_failure_rate_is_reproducible_and_mixes_all_three_faults() -> None:
    draws = []
    for _ in range(2):
        with FakeAfricasTalking() as fake:
            fake.failure_rate(0.5, seed=7)
            draws.append([fake._next_fault() for _ in range(200)])
    assert draws[0] == draws[1]
    kinds = {(f.kind, f.status_code) for f in draws[0] if f is not None}
    assert kinds == {("http500", 0), ("timeout", 0), ("recipient", 501)}
    assert None in draws[0]


def test_scripted_faults_take_precedence_over_the_failure_rate(fake: FakeAfricasTalking) -> None:
    fake.failure_rate(1.0, seed=3)
    fake.fail_next(("recipient", 406, "UserInBlacklist"))

    response = sms_client(fake).send("Hello", [NUMBER], timeout=FAST)

    assert response["SMSMessageData"]["Recipients"][0]["status"] == "UserInBlacklist"


def test_balance_through_the_application_service(fake: FakeAfricasTalking) -> None:
    fake.balance = "ZAR 12.3400"
    app = ApplicationService(fake.username, fake.api_key)
    app._baseUrl = f"{fake.url}/version1"

    assert app.fetch_application_data(timeout=FAST) == {"UserData": {"balance": "ZAR 12.3400"}}


def test_unknown_paths_are_404(fake: FakeAfricasTalking) -> None:
    for response in (
        requests.get(f"{fake.url}/version1/nothing", timeout=FAST),
        requests.post(f"{fake.url}/version2/messaging", data={"a": "b"}, timeout=FAST),
    ):
        with response:
            assert response.status_code == 404


def test_context_manager_stops_the_server() -> None:
    with FakeAfricasTalking() as fake:
        url = fake.url
        assert requests.get(f"{url}/version1/nothing", timeout=FAST).status_code == 404
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{url}/version1/nothing", timeout=FAST)
    fake.stop()  # a second stop is harmless
