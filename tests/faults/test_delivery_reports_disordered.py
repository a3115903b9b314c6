"""Fault: delivery reports that come early, late, twice, at once and contradicting each
other, posted by the fake gateway into the running app before it even answers the send
(so before the relay has recorded it).

What must hold: every report gets a 200; a message's status ends where its first final
report puts it (Success: delivered; Failed or Rejected: failed, with the reason) and never
goes back, whatever comes after; a message with only interim reports stays sent.
"""

from __future__ import annotations

import pytest

from notifications.relay import Relay
from tests.faults.served_app import served
from tests.notifications.conftest import quick_settings
from tests.notifications.outbox_rows import queue, rows

# Recipient -> the reports the gateway posts for its message, in order -> final status.
SCRIPT = {
    "+27830000001": (["Success", "Sent", "Success", "Failed", "Buffered"], "delivered"),
    "+27830000002": (["Buffered", "Failed", "Success", "Failed"], "failed"),
    "+27830000003": (["Submitted", "Submitted", "Buffered", "Sent"], "sent"),
    "+27830000004": (["Rejected", "Rejected", "Success"], "failed"),
}


@pytest.mark.parametrize("at_once", [False, True], ids=["in-order", "all-at-once"])
def test_disordered_and_repeated_reports_end_at_the_first_final_status(
    make_app, db, database_url, fake, gateway, at_once
):
    app = make_app({"DATABASE_URL": database_url})
    statuses = {number: reports for number, (reports, _) in SCRIPT.items()}
    if at_once:
        # All at once only makes sense for one kind of news: the same report many times.
        statuses = {number: [final_report(reports)] * 4 for number, reports in statuses.items()}
    for number in SCRIPT:
        queue(db, 1, to=number)
    with served(app) as url:
        fake.report_to(f"{url}/sms/delivery-reports", statuses, at_once=at_once)
        assert Relay(db, gateway, quick_settings()).run_once() == len(SCRIPT)
    assert fake.report_answers == [200] * sum(len(reports) for reports in statuses.values())
    for row in rows(db):
        expected = SCRIPT[row.to][1]
        assert row.status == expected, (row.to, row.status)
        if expected == "delivered":
            assert row.delivered_at is not None and row.failure_reason is None
        if expected == "failed":
            assert row.failure_reason == "UserInBlacklist" and row.delivered_at is None


def test_reports_arriving_after_the_send_never_move_a_message_back(
    make_app, db, database_url, fake, gateway
):
    queue(db, 1, to="+27830000009")
    Relay(db, gateway, quick_settings()).run_once()
    [row] = rows(db)
    client = make_app({"DATABASE_URL": database_url}).test_client()
    delivered_at = None
    for status in ("Success", "Success", "Sent", "Buffered", "Failed", "Rejected"):
        answer = client.post(
            "/sms/delivery-reports",
            data={"id": row.gateway_message_id, "status": status, "phoneNumber": row.to},
        )
        assert answer.status_code == 200
        [now] = rows(db)
        delivered_at = delivered_at or now.delivered_at
        assert now.status == "delivered" and now.delivered_at == delivered_at
        assert now.failure_reason is None


def final_report(reports: list[str]) -> str:
    return next((r for r in reports if r in ("Success", "Failed", "Rejected")), reports[-1])
