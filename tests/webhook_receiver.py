"""A webhook subscriber on loopback, for driving the real relay and sender in tests.

It checks each delivery as an agency's system would: the HMAC-SHA256 of
"<Thusa-Timestamp>.<raw body>" with its secret, compared in constant time, and a
timestamp close to its own clock. A delivery that fails the check is answered 401 (and
recorded as such), so a signing mistake shows up as a failed delivery, not a pass.
Answers can be scripted per path: `answer("/a", 500, 500)` then 200 by default.

    with WebhookReceiver() as receiver:
        receiver.secrets["/a"] = secret
        ... subscribe(url=receiver.url + "/a") ...
        receiver.wait_for(1)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


def signature_is_valid(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a subscriber runs on every request: recompute, compare, check the clock."""
    timestamp = headers.get("Thusa-Timestamp", "")
    signature = headers.get("Thusa-Signature", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(signature, "sha256=" + expected.hexdigest())


class WebhookReceiver:
    def __init__(self) -> None:
        self.secrets: dict[str, str] = {}
        self.received: list[Received] = []
        self.delay = 0.0  # seconds before answering, for timeouts
        self._answers: dict[str, deque[int]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def answer(self, path: str, *statuses: int) -> None:
        """Answer the next requests to `path` with `statuses`, in turn; then 200."""
        with self._lock:
            self._answers[path].extend(statuses)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.received)} of {count} deliveries arrived")
                self._arrived.wait(left)
            return list(self.received)

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        if self.delay:
            time.sleep(self.delay)
        secret = self.secrets.get(path)
        verified = secret is not None and signature_is_valid(secret, headers, body)
        with self._arrived:
            scripted = self._answers[path]
            status = (scripted.popleft() if scripted else 200) if verified else 401
            self.received.append(Received(path, headers, body, verified, status))
            self._arrived.notify_all()
        return status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver._handle(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                if status in (301, 302, 307):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: pytest shows what matters

        return Handler
