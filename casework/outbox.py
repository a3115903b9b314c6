"""The SMS outbox's bookkeeping, for the relay (notifications.relay) and delivery reports.

Casework writes a queued OutboundMessage with every change; this module moves it along:
claimed (sending), sent, delivered, failed or expired. At-least-once: a row a relay
claimed but never finished goes back to the queue when the claim runs out, so a relay
killed half-way loses nothing (the one message it was sending may go twice). The claims
themselves are shared with the webhook deliveries (casework.outbox_claims).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text, update

from casework.database import Database
from casework.models import (
    Case,
    Citizen,
    EarlyDeliveryReport,
    GatewayPause,
    OutboundMessage,
    utcnow,
)
from casework.outbox_claims import (
    DELIVERED,
    EXPIRED,
    FAILED,
    SENDING,
    SENT,
    claim_due_rows,
    finish,
    held_row,
    release,
    requeue,
)

FINAL = (DELIVERED.value, FAILED.value, EXPIRED.value)


@dataclass(frozen=True)
class ClaimedMessage:
    id: int
    claim_token: str
    to: str | None
    template: str
    params: dict[str, Any]
    language: str
    attempts: int
    created_at: dt.datetime
    # The recipient sent STOP: only messages about their own cases may still go.
    opted_out: bool
    about_own_case: bool


def claim_due_messages(db: Database, limit: int, lease: dt.timedelta) -> list[ClaimedMessage]:
    """Claim up to `limit` due messages for this relay, oldest first (see
    `casework.outbox_claims.claim_due_rows` for what is due and how relays share)."""
    with db.transaction() as session:
        return _describe(session, claim_due_rows(session, OutboundMessage, limit, lease))


def _describe(session: Any, rows: Sequence[OutboundMessage]) -> list[ClaimedMessage]:
    """What the relay needs to know of each row, in two queries for the whole batch."""
    phones = {row.to for row in rows if row.to}
    citizens = {
        citizen.phone: citizen
        for citizen in session.scalars(select(Citizen).where(Citizen.phone.in_(phones)))
    }
    case_ids = {row.case_id for row in rows if row.case_id is not None}
    case_owner = dict(
        session.execute(select(Case.id, Case.citizen_id).where(Case.id.in_(case_ids))).all()
    )
    claimed = []
    for row in rows:
        citizen = citizens.get(row.to) if row.to else None
        owner = case_owner.get(row.case_id, -1) if row.case_id is not None else -1
        claimed.append(
            ClaimedMessage(
                id=row.id,
                claim_token=row.claim_token or "",
                to=row.to,
                template=row.template,
                params=dict(row.params),
                language=row.language,
                attempts=row.attempts,
                created_at=row.created_at,
                opted_out=bool(citizen and citizen.sms_opted_out),
                # Anonymous cases (no owner) were lodged from this very phone.
                about_own_case=owner is None or (citizen is not None and owner == citizen.id),
            )
        )
    return claimed


def record_sent(
    db: Database,
    message: ClaimedMessage,
    *,
    gateway_message_id: str,
    cost: str | None,
    parts: int,
    encoding: str,
    forget_recipient: bool = False,
    forget_params: tuple[str, ...] = (),
) -> bool:
    """The gateway took the message. `forget_*` drop what must not outlive the sending
    (an anonymous complainant's number, a PIN or a sign-in code). False if the claim
    was lost (the message may then have gone twice)."""
    values: dict[str, Any] = {
        "status": SENT.value,
        "attempts": OutboundMessage.attempts + 1,
        "sent_at": utcnow(),
        "gateway_message_id": gateway_message_id,
        "cost": cost,
        "parts": parts,
        "encoding": encoding,
        "failure_reason": None,
        "claimed_until": None,
        "claim_token": None,  # nosec B105: a claim cleared, not a password
    }
    if forget_recipient:
        values["to"] = None
    if forget_params:
        # The params cannot change while the message is claimed: the claim's copy is the row's.
        values["params"] = {k: v for k, v in message.params.items() if k not in forget_params}
    with db.transaction() as session:
        _serialise_on(session, gateway_message_id)
        # One statement, on every send: the row is updated only if this claim still holds it
        # (another relay's record wins once the claim ran out).
        held = session.execute(
            update(OutboundMessage)
            .where(
                OutboundMessage.id == message.id,
                OutboundMessage.status == SENDING.value,
                OutboundMessage.claim_token == message.claim_token,
            )
            .values(values)
            .returning(OutboundMessage.id)
            .execution_options(synchronize_session=False)
        ).first()
        if held is None:
            return False
        early = session.get(EarlyDeliveryReport, gateway_message_id)
        if early is not None:
            # The report came before this record (see `record_delivery_report`).
            row = session.get(OutboundMessage, message.id)
            if row is not None:
                _apply_report(
                    row, _REPORT_STATUS[early.status], early.failure_reason or early.status
                )
            session.delete(early)
    return True


def record_retry(
    db: Database, message: ClaimedMessage, reason: str, next_attempt_at: dt.datetime
) -> None:
    """A transient failure: back to the queue until `next_attempt_at`."""
    with db.transaction() as session:
        row = held_row(session, OutboundMessage, message)
        if row is not None:
            requeue(row, reason, next_attempt_at)


def record_final_failure(
    db: Database,
    message: ClaimedMessage,
    reason: str,
    *,
    status: str = FAILED.value,
    count_attempt: bool = True,
    forget_recipient: bool = False,
    forget_params: tuple[str, ...] = (),
) -> None:
    """A permanent failure (`failed`), or the retry window ran out (`expired`)."""
    with db.transaction() as session:
        row = held_row(session, OutboundMessage, message)
        if row is None:
            return
        finish(row, status, reason, count_attempt=count_attempt)
        _forget(row, forget_recipient, forget_params)


def release_claims(db: Database, messages: Sequence[ClaimedMessage], until: dt.datetime) -> None:
    """Hand claimed messages back untouched (paused, or stopping); no attempt is counted."""
    if messages:
        with db.transaction() as session:
            release(session, OutboundMessage, messages, until)


def _forget(row: OutboundMessage, recipient: bool, params: tuple[str, ...]) -> None:
    if recipient:
        row.to = None
    if params:
        row.params = {key: value for key, value in row.params.items() if key not in params}


# Delivery reports only ever move a message forward: a late "Buffered" after "Success"
# (reports arrive out of order and more than once) changes nothing.
_REPORT_STATUS = {
    "Sent": SENT.value,
    "Submitted": SENT.value,
    "Buffered": SENT.value,
    "Success": DELIVERED.value,
    "Rejected": FAILED.value,
    "Failed": FAILED.value,
}
REPORT_STATUSES = tuple(_REPORT_STATUS)


def record_delivery_report(
    db: Database, gateway_message_id: str, status: str, failure_reason: str | None = None
) -> bool:
    """Apply a delivery report; False when no message has that gateway id (yet: the
    report is kept, and applied if the relay records that id later)."""
    target = _REPORT_STATUS[status]
    with db.transaction() as session:
        _serialise_on(session, gateway_message_id)
        row = session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.gateway_message_id == gateway_message_id)
            .with_for_update()
        ).first()
        if row is not None:
            _apply_report(row, target, failure_reason or status)
            return True
        if target != SENT.value:
            early = session.get(EarlyDeliveryReport, gateway_message_id, with_for_update=True)
            if early is None:
                session.add(
                    EarlyDeliveryReport(
                        gateway_message_id=gateway_message_id,
                        status=status,
                        failure_reason=failure_reason,
                    )
                )
        return False


def _serialise_on(session: Any, gateway_message_id: str) -> None:
    """Make recording a send and receiving its report take turns.

    Otherwise, on PostgreSQL, each could miss the other's uncommitted write: the report
    finding no message with that id, the send finding no early report. SQLite's write
    lock already makes them take turns.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": gateway_message_id}
        )


def _apply_report(row: OutboundMessage, target: str, failure_reason: str) -> None:
    if row.status in FINAL or target == SENT.value:
        return
    row.status = target
    if target == DELIVERED.value:
        row.delivered_at = utcnow()
    else:
        row.failure_reason = failure_reason


def pause_gateway(db: Database, gateway: str, reason: str, until: dt.datetime) -> None:
    with db.transaction() as session:
        pause = session.get(GatewayPause, gateway, with_for_update=True)
        if pause is None:
            session.add(GatewayPause(gateway=gateway, reason=reason, paused_until=until))
        else:
            pause.reason, pause.paused_until = reason, until


def resume_gateway(db: Database, gateway: str) -> None:
    with db.transaction() as session:
        pause = session.get(GatewayPause, gateway)
        if pause is not None:
            session.delete(pause)


def gateway_pause(db: Database, gateway: str | None = None) -> GatewayPause | None:
    """The pause in force (of `gateway`, or of any gateway), if sending is paused."""
    with db.read() as session:
        query = select(GatewayPause).order_by(GatewayPause.since)
        if gateway is not None:
            query = query.where(GatewayPause.gateway == gateway)
        return session.scalars(query).first()
