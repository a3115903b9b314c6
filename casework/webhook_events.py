"""What a case event tells the agencies that subscribed to webhooks.

`record_event` calls `queue_webhooks` in the caller's transaction, so a delivery commits
with the change it reports or not at all, exactly like the citizen's SMS. The relay sends
it afterwards (notifications.webhook_relay).

The payload is thin on purpose: ids, reference, statuses and dates, never a phone number,
name, ID number, grievance description or note text. A receiver that wants more fetches
the case through the API with its key (`GET /api/v1/cases/{reference}`), where it is
scoped, checked and audited like any other read; a payload copied into a partner's logs
then holds nothing worth leaking.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from casework.models import Agency, Case, CaseEvent, WebhookDelivery, WebhookSubscription

CASE_CREATED = "case.created"
CASE_STATUS_CHANGED = "case.status_changed"
CASE_ASSIGNED = "case.assigned"
CASE_NOTE_ADDED = "case.note_added"
CASE_REFERRED = "case.referred"
EVENTS = (CASE_CREATED, CASE_STATUS_CHANGED, CASE_ASSIGNED, CASE_NOTE_ADDED, CASE_REFERRED)


def webhook_event(case: Case, event: CaseEvent) -> str | None:
    """The webhook event a timeline event is, or None for what agencies are not told.

    A new referral is `case.referred` (the receiving agency's new work, the sender's
    record of it), not `case.created`. Only public notes and messages are `note_added`:
    internal notes, reclassifications and citizens' texts attached by staff stay inside,
    and the referring agency in particular learns nothing of the receiver's own notes.
    """
    if event.type == "created":
        return CASE_REFERRED if case.kind == "referral" else CASE_CREATED
    if event.type == "status_changed":
        return CASE_STATUS_CHANGED
    if event.type == "assigned":
        return CASE_ASSIGNED
    if event.type in ("message", "note") and event.public:
        return CASE_NOTE_ADDED
    return None


def queue_webhooks(session: Session, case: Case, event: CaseEvent) -> list[WebhookDelivery]:
    """Queue a delivery of `event` for each active subscription that wants it, of the
    case's agency and, for a referral, of the agency that referred it.

    One query whether or not anyone subscribed: the agencies' codes (for the payload)
    with their active subscriptions joined on.
    """
    name = webhook_event(case, event)
    if name is None:
        return []
    from_agency_id = getattr(case, "from_agency_id", None)
    agency_ids = {case.agency_id} | ({from_agency_id} if from_agency_id is not None else set())
    rows = session.execute(
        select(Agency.id, Agency.code, WebhookSubscription.id, WebhookSubscription.events)
        .outerjoin(
            WebhookSubscription,
            and_(WebhookSubscription.agency_id == Agency.id, WebhookSubscription.active.is_(True)),
        )
        .where(Agency.id.in_(agency_ids))
        .order_by(WebhookSubscription.id)
    ).all()
    codes = {agency_id: code for agency_id, code, _, _ in rows}
    wanted = [
        subscription_id
        for _, _, subscription_id, events in rows
        if subscription_id is not None and (not events or name in events)
    ]
    if not wanted:
        return []
    payload = event_payload(case, event, name, codes, from_agency_id)
    deliveries = [
        WebhookDelivery(
            subscription_id=subscription_id, case_id=case.id, event=name, payload=payload
        )
        for subscription_id in wanted
    ]
    session.add_all(deliveries)
    return deliveries


def event_payload(
    case: Case,
    event: CaseEvent,
    name: str,
    agency_codes: dict[int, str],
    from_agency_id: int | None,
) -> dict[str, Any]:
    """The event as subscribers receive it (the delivery's `id` goes first when sent)."""
    # The reference names the case (as /api/v1/cases/{reference} does), never the row id:
    # ids count up across every agency, and would tell a subscriber how many cases the
    # whole system takes in.
    summary: dict[str, Any] = {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "agency": agency_codes.get(case.agency_id),
        "due_at": case.due_at.isoformat() if case.due_at else None,
    }
    if from_agency_id is not None:
        summary["from_agency"] = agency_codes.get(from_agency_id)
    return {
        "event": name,
        "occurred_at": event.at.isoformat(),
        "case": summary,
        "change": {"from_status": event.from_status, "to_status": event.to_status},
    }
