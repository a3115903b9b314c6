"""Posting one webhook delivery to its subscriber, signed with the subscription's secret.

Every delivery is a POST of a JSON body with these headers:

    Content-Type:     application/json
    Thusa-Event:      case.status_changed
    Thusa-Delivery:   1234          the delivery's id, also the body's "id"; the same on
                                    every attempt, so a receiver can drop a repeat
    Thusa-Timestamp:  1764000000    unix seconds, when this attempt was signed
    Thusa-Signature:  sha256=<hex>  HMAC-SHA256, keyed with the subscription's secret,
                                    of "<Thusa-Timestamp>.<raw body>"

To verify, a receiver takes the raw body bytes as received (before parsing the JSON),
computes HMAC-SHA256(secret, timestamp + "." + body), compares it with the signature in
constant time, and refuses a timestamp more than five minutes from its own clock. The
timestamp is inside the signed string so it cannot be changed without breaking the
signature: a captured request replayed later is refused, not just a forged one.

A 2xx answer is success. 408, 429, 5xx, timeouts and connection errors are transient (the
relay retries them with backoff); any other answer, redirects included (they are never
followed: a subscriber's URL is the one it registered), is permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from casework.webhook_outbox import ClaimedWebhook
from notifications.gateways import FAILED, RETRY, SENT

SIGNATURE_SCHEME = "sha256"
USER_AGENT = "Thusa-Webhooks/1"
# Answers worth trying again: the receiver timed out, asked us to slow down, or failed.
TRANSIENT_STATUSES = frozenset({408, 429})


@dataclass(frozen=True)
class PostResult:
    outcome: str  # SENT, RETRY or FAILED (notifications.gateways)
    response_status: int | None = None
    reason: str | None = None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The Thusa-Signature header's value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={digest.hexdigest()}"


class WebhookSender:
    """Posts deliveries. Used by the relay only, never in a web request."""

    def __init__(
        self,
        timeout: float = 5.0,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
        private_addresses: bool = True,
    ) -> None:
        self.timeout = timeout
        self.session = session or requests.Session()
        self.clock = clock
        # False in production: a subscriber's public name that resolves to this system's
        # own network (a metadata address, a database) is refused when sending, which
        # the check on subscribing (casework.webhooks) cannot see.
        self.private_addresses = private_addresses

    def post(self, delivery: ClaimedWebhook) -> PostResult:
        if not self.private_addresses and _resolves_inside(delivery.url):
            return PostResult(FAILED, reason="Refused: the address resolves to a private network")
        timestamp = int(self.clock())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Thusa-Event": delivery.event,
            "Thusa-Delivery": str(delivery.id),
            "Thusa-Timestamp": str(timestamp),
            "Thusa-Signature": sign(delivery.secret, timestamp, delivery.body),
        }
        try:
            # stream=True: the answer's body is never read, so a subscriber cannot make
            # the relay download anything; only its status counts.
            response = self.session.post(
                delivery.url,
                data=delivery.body,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            )
        except requests.Timeout:
            return PostResult(RETRY, reason="Timeout")
        except requests.ConnectionError as error:
            return PostResult(RETRY, reason=type(error).__name__)
        except requests.RequestException as error:
            # An address requests cannot use at all (InvalidURL, say): no retry mends it.
            return PostResult(FAILED, reason=type(error).__name__)
        with response:
            return outcome_of(response.status_code)


def outcome_of(status: int) -> PostResult:
    if 200 <= status < 300:
        return PostResult(SENT, status)
    if status in TRANSIENT_STATUSES or status >= 500:
        return PostResult(RETRY, status, f"HTTP {status}")
    if 300 <= status < 400:
        return PostResult(FAILED, status, f"HTTP {status}: redirects are not followed")
    return PostResult(FAILED, status, f"HTTP {status}")


def _resolves_inside(url: str) -> bool:
    """Whether the URL's host resolves to any address that is not on the internet. A name
    that does not resolve now is left to the POST (a transient DNS failure is retried)."""
    host = urlsplit(url).hostname or ""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(str(item[4][0]).split("%")[0]) for item in found}
    return any(not address.is_global for address in addresses)
