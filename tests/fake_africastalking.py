"""A fake Africa's Talking HTTP API, for driving the real SDK in tests.

It speaks the same wire format as the real gateway (form-encoded POST in, JSON out with the exact
`application/json` content type the SDK insists on) so that our code is tested through the
official `africastalking` package rather than a mock of it. Faults can be scripted or made
random, because the point of testing SMS delivery is what happens when the gateway misbehaves.

    with FakeAfricasTalking() as fake:
        sms = SMSService(fake.username, fake.api_key)
        sms._baseUrl = f"{fake.url}/version1"
        fake.fail_next("http500")
        ...
        fake.wait_for(1)
"""

from __future__ import annotations

import json
import random
import secrets
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import requests

from casework.text_encoding import measure

# The per-recipient statuses the real API documents.
RECIPIENT_STATUSES: dict[int, str] = {
    100: "Processed",
    101: "Success",
    102: "Queued",
    401: "RiskHold",
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}
# The gateway took these messages on, so they are charged, get a message id and count as sent.
ACCEPTED_STATUSES = frozenset({100, 101, 102})

PRICE_PER_PART = 0.35  # ZAR; only the shape of the cost string matters to our code
AUTH_FAILED = "The supplied authentication is invalid"
JSON = "application/json"  # exactly this: the SDK returns the raw text for anything else
TEXT = "text/plain"

FaultKind = Literal["http500", "timeout"] | tuple[str, int, str]


@dataclass(frozen=True)
class SentSms:
    to: str
    message: str
    sender: str | None
    message_id: str
    received_at: float


@dataclass(frozen=True)
class Attempt:
    """One messaging request as the gateway saw it, faulted or not: what a relay's retries
    and backoff look like from the outside."""

    to: str
    message: str
    received_at: float
    outcome: str  # "accepted", "http500", "timeout", or the recipient status ("GatewayError")


@dataclass(frozen=True)
class _Fault:
    kind: Literal["http500", "timeout", "recipient"]
    record_late: bool = False
    status_code: int = 0
    status: str = ""


@dataclass(frozen=True)
class _Reply:
    status: int
    content_type: str
    body: str


_RANDOM_FAULTS = (
    _Fault("http500"),
    _Fault("timeout"),
    _Fault("recipient", status_code=501, status="GatewayError"),
)


class FakeAfricasTalking(ThreadingHTTPServer):
    # Request threads are tracked (not daemons) so that stop() joins every one of them and no
    # test leaves a thread running into the next.
    daemon_threads = False
    block_on_close = True

    def __init__(
        self,
        username: str = "thusa",
        api_key: str = "test-key",
        *,
        balance: str = "ZAR 100.0000",
        timeout_sleep: float = 2.0,
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.username = username
        self.api_key = api_key
        self.balance = balance
        self.timeout_sleep = timeout_sleep
        # What the messaging answer says it is; a proxy may add a charset the SDK won't parse.
        self.content_type = JSON
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._sent: list[SentSms] = []
        self._attempts: list[Attempt] = []
        self._report_url: str | None = None
        self._report_statuses: dict[str, list[str]] = {}
        self._reports_at_once = False
        self._report_answers: list[int] = []
        self._requests = 0
        self._faults: deque[_Fault] = deque()
        self._failure_rate = 0.0
        self._rng = random.Random()
        # Set by stop() so that a handler sleeping out a "timeout" fault wakes at once instead
        # of holding up the join.
        self._stopping = threading.Event()
        self._stopped = False
        host, port = self.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-africastalking-{port}",
            daemon=True,
        )
        self._thread.start()

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name with getfqdn(), a reverse DNS lookup
        # that can take seconds on a badly configured machine and that we never use.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def __enter__(self) -> FakeAfricasTalking:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving, close the listening socket and join every thread. Safe to repeat."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._stopping.set()
        self.shutdown()
        self._thread.join()
        self.server_close()  # also joins request threads, because block_on_close is set

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client whose read timeout fired hangs up before we answer; that is a scenario the
        # tests create on purpose, not an error worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)

    # -- what the tests inspect ------------------------------------------------------------

    @property
    def sent(self) -> list[SentSms]:
        """A snapshot of every message the gateway accepted, one entry per recipient."""
        with self._lock:
            return list(self._sent)

    @property
    def requests(self) -> int:
        """How many HTTP requests arrived, faulted or not, on any path."""
        with self._lock:
            return self._requests

    @property
    def attempts(self) -> list[Attempt]:
        """Every messaging request in the order they arrived, one entry per recipient."""
        with self._lock:
            return list(self._attempts)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[SentSms]:
        """Block until at least `count` messages have been accepted; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._sent) >= count, timeout):
                raise AssertionError(
                    f"waited {timeout}s for {count} SMS at the fake Africa's Talking but it "
                    f"accepted {len(self._sent)} from {self._requests} requests "
                    f"({len(self._faults)} scripted faults still unused): {self._sent!r}"
                )
            return list(self._sent)

    # -- fault injection -------------------------------------------------------------------

    def fail_next(self, kind: FaultKind, count: int = 1, *, record_late: bool = False) -> None:
        """Make the next `count` messaging requests fail as `kind`, after any already queued.

        kind is "http500", "timeout" (answer only after `timeout_sleep` seconds; the message
        counts as sent only with record_late=True), or ("recipient", status_code, status).
        """
        fault = _parse_fault(kind, record_late)
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        with self._lock:
            self._faults.extend([fault] * count)

    def failure_rate(self, rate: float, seed: int | None = None) -> None:
        """Fail each later messaging request with probability `rate`; 0 turns this off.

        The fault is drawn at random from an HTTP 500, a timeout whose message is not sent, and
        a 501 GatewayError for the recipients. Scripted fail_next() faults still come first.
        """
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, not {rate}")
        with self._lock:
            self._failure_rate = rate
            # Seeded, so a run that exposed a bug can be replayed fault for fault.
            self._rng = random.Random(seed)

    def report_to(self, url: str, statuses: dict[str, list[str]], *, at_once: bool = False) -> None:
        """Post delivery reports to `url` for every message later accepted for a number in
        `statuses`: that number's statuses, in order (or all at once, each on a thread of
        its own, with `at_once`), before answering the send. So each report reaches the app
        before the relay has recorded the send, as a quick network's report can, and in
        whatever order and number the list says. `report_answers` keeps the HTTP statuses.
        """
        with self._lock:
            self._report_url, self._report_statuses = url, dict(statuses)
            self._reports_at_once = at_once

    @property
    def report_answers(self) -> list[int]:
        with self._lock:
            return list(self._report_answers)

    def _post_reports(self, accepted: list[SentSms]) -> None:
        with self._lock:
            url, plan, at_once = self._report_url, self._report_statuses, self._reports_at_once
        if url is None:
            return
        posts = [
            {"id": sms.message_id, "status": status, "phoneNumber": sms.to, "networkCode": "65501"}
            | ({"failureReason": "UserInBlacklist"} if status in ("Failed", "Rejected") else {})
            for sms in accepted
            for status in plan.get(sms.to, [])
        ]

        def post(fields: dict[str, str]) -> None:
            answer = requests.post(url, data=fields, timeout=10).status_code
            with self._lock:
                self._report_answers.append(answer)

        if not at_once:
            for fields in posts:
                post(fields)
            return
        threads = [threading.Thread(target=post, args=(fields,)) for fields in posts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _next_fault(self) -> _Fault | None:
        with self._lock:
            if self._faults:
                return self._faults.popleft()
            if self._failure_rate and self._rng.random() < self._failure_rate:
                return self._rng.choice(_RANDOM_FAULTS)
            return None

    # -- the API ---------------------------------------------------------------------------

    def _count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def _authenticated(self, api_key: str | None, username: str | None) -> bool:
        return api_key == self.api_key and username == self.username

    def _user(self, api_key: str | None, query: dict[str, list[str]]) -> _Reply:
        if not self._authenticated(api_key, _first(query, "username")):
            return _Reply(401, TEXT, AUTH_FAILED)
        return _Reply(200, JSON, json.dumps({"UserData": {"balance": self.balance}}))

    def _messaging(self, api_key: str | None, form: dict[str, list[str]]) -> _Reply:
        received_at = time.time()
        if not self._authenticated(api_key, _first(form, "username")):
            return _Reply(401, TEXT, AUTH_FAILED)
        numbers = [number.strip() for number in (_first(form, "to") or "").split(",")]
        numbers = [number for number in numbers if number]
        message = _first(form, "message")
        if not numbers or message is None:
            return _Reply(400, TEXT, "Request is missing required form field 'to' or 'message'")
        sender = _first(form, "from")

        fault = self._next_fault()
        outcome = "accepted" if fault is None else fault.status or fault.kind
        with self._lock:
            self._attempts.extend(Attempt(n, message, received_at, outcome) for n in numbers)
        record = True
        status_code, status = 101, "Success"
        if fault is not None and fault.kind == "http500":
            return _Reply(500, TEXT, "Internal Server Error")
        if fault is not None and fault.kind == "timeout":
            self._stopping.wait(self.timeout_sleep)
            record = fault.record_late
        if fault is not None and fault.kind == "recipient":
            status_code, status = fault.status_code, fault.status

        parts = measure(message).parts
        recipients: list[dict[str, Any]] = []
        accepted: list[SentSms] = []
        for number in numbers:
            if status_code in ACCEPTED_STATUSES:
                message_id = f"ATXid_{secrets.token_hex(16)}"
                cost = f"ZAR {PRICE_PER_PART * parts:.4f}"
                accepted.append(SentSms(number, message, sender, message_id, received_at))
            else:
                # What the real API puts in these fields for a recipient it did not send to.
                message_id, cost = "None", "0"
            recipients.append(
                {
                    "statusCode": status_code,
                    "number": number,
                    "status": status,
                    "cost": cost,
                    "messageId": message_id,
                    "messageParts": parts,
                }
            )
        total = f"ZAR {PRICE_PER_PART * parts * len(accepted):.4f}" if accepted else "0"
        summary = f"Sent to {len(accepted)}/{len(numbers)} Total Cost: {total}"
        if record and accepted:
            with self._changed:
                self._sent.extend(accepted)
                self._changed.notify_all()
            self._post_reports(accepted)
        body = {"SMSMessageData": {"Message": summary, "Recipients": recipients}}
        return _Reply(201, self.content_type, json.dumps(body))


class _Handler(BaseHTTPRequestHandler):
    server: FakeAfricasTalking
    # A client that connects and then goes quiet must not keep stop() waiting for its thread.
    timeout = 5

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; failures are reported by assertions, not access logs

    def do_GET(self) -> None:
        self._serve(self._get)

    def do_POST(self) -> None:
        self._serve(self._post)

    def _get(self) -> _Reply:
        url = urlsplit(self.path)
        if url.path != "/version1/user":
            return _Reply(404, TEXT, "Not Found")
        return self.server._user(self.headers.get("apiKey"), parse_qs(url.query))

    def _post(self) -> _Reply:
        if urlsplit(self.path).path != "/version1/messaging":
            return _Reply(404, TEXT, "Not Found")
        form = parse_qs(self._body(), keep_blank_values=True)
        return self.server._messaging(self.headers.get("apiKey"), form)

    def _body(self) -> str:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8")

    def _serve(self, route: Callable[[], _Reply]) -> None:
        self.server._count_request()
        reply = route()
        payload = reply.body.encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a "timeout" fault); nobody is left to tell


def _first(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    return values[0] if values else None


def _parse_fault(kind: FaultKind, record_late: bool) -> _Fault:
    if record_late and kind != "timeout":
        raise ValueError("record_late only applies to a 'timeout' fault")
    if kind == "http500":
        return _Fault("http500")
    if kind == "timeout":
        return _Fault("timeout", record_late=record_late)
    if isinstance(kind, tuple) and len(kind) == 3 and kind[0] == "recipient":
        _, status_code, status = kind
        if RECIPIENT_STATUSES.get(status_code) != status:
            raise ValueError(
                f"unknown recipient status {status_code} {status!r}; "
                f"the API's are {RECIPIENT_STATUSES}"
            )
        return _Fault("recipient", status_code=status_code, status=status)
    raise ValueError(
        f"unknown fault {kind!r}: use 'http500', 'timeout' or ('recipient', code, status)"
    )
