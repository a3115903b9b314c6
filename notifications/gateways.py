"""SMS gateways: Africa's Talking (the official SDK) and the console (the embedded default).

A gateway sends one message to one number and says what happened, in four outcomes the
relay acts on: sent, retry (transient), failed (permanent) and pause (no retry can help
until someone acts: no balance, a rejected sender id, wrong credentials).
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

import requests
from africastalking.Service import AfricasTalkingException
from africastalking.SMS import SMSService

from casework.phones import mask_phone

log = logging.getLogger(__name__)

SENT, RETRY, FAILED, PAUSE = "sent", "retry", "failed", "pause"


@dataclass(frozen=True)
class SendResult:
    outcome: str
    reason: str | None = None
    message_id: str | None = None
    cost: str | None = None


class Gateway(Protocol):
    name: str

    def send(self, to: str, text: str) -> SendResult: ...


class ConsoleGateway:
    """Prints each SMS, for `make run` without an Africa's Talking account."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, to: str, text: str) -> SendResult:
        stream = self.stream or sys.stdout
        print(f"SMS to {mask_phone(to)}: {text}", file=stream, flush=True)
        return SendResult(SENT, message_id=f"console-{uuid.uuid4().hex}", cost="0")


# Per-recipient statusCode of the messaging API.
_SENT_CODES = {100, 101, 102}  # Processed, Sent, Queued
_PERMANENT_CODES = {403, 404, 406, 409, 502}  # invalid, unsupported, blacklisted, DND, rejected
_PAUSE_CODES = {402, 405}  # InvalidSenderId, InsufficientBalance: nothing to retry until fixed


class AfricasTalkingGateway:
    """The official `africastalking` SDK. Used by the relay only, never in a web request:
    a slow gateway must never hold up a citizen's page or USSD hop."""

    name = "africastalking"

    def __init__(
        self,
        username: str,
        api_key: str,
        *,
        sender_id: str | None = None,
        api_url: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.sms = SMSService(username, api_key)
        if api_url:
            # The SDK has no public setting for its base URL; AT_API_URL replaces the
            # scheme and host it would use (https://api.africastalking.com).
            self.sms._baseUrl = api_url.rstrip("/") + "/version1"
        self.sender_id = sender_id
        self.timeout = (min(3.05, timeout), timeout)

    def send(self, to: str, text: str) -> SendResult:
        try:
            response = self.sms.send(text, [to], sender_id=self.sender_id, timeout=self.timeout)
        except ValueError:
            return SendResult(FAILED, "InvalidPhoneNumber")  # the SDK's own number check
        except requests.Timeout:
            return SendResult(RETRY, "Timeout")
        except requests.RequestException as error:
            return SendResult(RETRY, f"NetworkError: {type(error).__name__}")
        except AfricasTalkingException as error:
            # The SDK keeps only the body of a non-2xx answer, not its status code.
            body = str(error)[:200]
            if "authentication" in body.lower():
                return SendResult(PAUSE, "AuthenticationFailed")
            return SendResult(RETRY, f"GatewayHttpError: {body}")
        return self._read(response, to)

    def _read(self, response: Any, to: str) -> SendResult:
        """HTTP 201 is not "sent": the answer lists each recipient with its own status."""
        if isinstance(response, str):
            # The SDK parses JSON only for exactly `application/json`; a proxy that adds
            # `; charset=utf-8` hands us the text of the same answer.
            try:
                response = json.loads(response)
            except ValueError:
                response = None
        try:
            recipients = response["SMSMessageData"]["Recipients"]
            entry = next(
                (r for r in recipients if r.get("number") == to),
                recipients[0] if len(recipients) == 1 else None,
            )
        except (TypeError, KeyError, IndexError):
            entry = None
        if entry is None:
            log.warning("unexpected gateway answer for %s", mask_phone(to))
            return SendResult(RETRY, "UnexpectedResponse")
        code, status = int(entry.get("statusCode", 0)), str(entry.get("status", ""))
        if code in _SENT_CODES:
            return SendResult(SENT, message_id=entry.get("messageId"), cost=entry.get("cost"))
        if code in _PERMANENT_CODES:
            return SendResult(FAILED, status or str(code))
        if code in _PAUSE_CODES:
            return SendResult(PAUSE, status or str(code))
        return SendResult(RETRY, status or str(code))  # RiskHold, CouldNotRoute, 500, 501


def build_gateway(config: dict[str, Any]) -> Gateway:
    """Africa's Talking when an account is configured, else the console."""
    if config.get("AT_USERNAME") and config.get("AT_API_KEY"):
        return AfricasTalkingGateway(
            config["AT_USERNAME"],
            config["AT_API_KEY"],
            sender_id=config.get("AT_SENDER_ID"),
            api_url=config.get("AT_API_URL"),
            timeout=float(config.get("SMS_SEND_TIMEOUT", 10.0)),
        )
    return ConsoleGateway()
