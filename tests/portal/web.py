"""Helpers for driving the citizen pages as a browser would: CSRF tokens, the SMS code."""

from __future__ import annotations

import re

from sqlalchemy import select

from casework.database import Database
from casework.models import OutboundMessage


def token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, f"no CSRF token on the page:\n{page[:3000]}"
    return match.group(1)


def submit(client, path: str, data: dict, **kwargs):  # type: ignore[no-untyped-def]
    """GET the form, then POST it with its CSRF token, as a browser would."""
    page = client.get(path, **kwargs).get_data(as_text=True)
    return client.post(path, data={**data, "csrf_token": token(page)}, **kwargs)


def last_code(db: Database, phone: str) -> str:
    with db.read() as session:
        message = session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.to == phone, OutboundMessage.template == "sign_in_code")
            .order_by(OutboundMessage.id.desc())
        ).first()
    assert message is not None, "no sign-in code was queued"
    return message.params["code"]


def sign_in(client, db: Database, phone: str = "+27821234567", next_page: str = ""):  # type: ignore[no-untyped-def]
    suffix = f"?next={next_page}" if next_page else ""
    submit(client, f"/sign-in{suffix}", {"phone": phone})
    return submit(client, f"/sign-in/code{suffix}", {"code": last_code(db, phone)})


def as_staff(client, user):  # type: ignore[no-untyped-def]
    """Sign `user` (made by tests.factories, with its shared password) into the console."""
    from tests.factories import STAFF_PASSWORD

    submit(client, "/staff/sign-in", {"username": user.username, "password": STAFF_PASSWORD})
    return client


def staff_act(client, reference: str, action: str, **fields: str):  # type: ignore[no-untyped-def]
    """Post one of a case page's action forms, with its prefixed fields."""
    page = client.get(f"/staff/cases/{reference}").get_data(as_text=True)
    data = {"action": action, "csrf_token": token(page)}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/staff/cases/{reference}", data=data)


def sms_templates(db: Database, case_id: int) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(OutboundMessage.template)
                .where(OutboundMessage.case_id == case_id)
                .order_by(OutboundMessage.id)
            )
        )
