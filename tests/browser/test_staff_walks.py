"""Done when (issue 6): officers at their desks, in a real browser, walk a complaint
(acknowledge, assign, resolve) and a referral between agencies (sent, accepted, completed),
and every SMS the citizen should get arrives on the fake Africa's Talking gateway, sent
there by the server's own relay thread. axe checks every console page they pass through.

Each officer has a browser context of their own (their own desk and cookies), on a
tablet-sized screen: the console is for desktops and tablets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from casework.database import Database
from casework.models import Agency, Grievance, Referral
from casework.references import format_reference
from casework.services import lodge_grievance
from tests.browser.conftest import TIMEOUT_MS, AxeChecks, _path
from tests.factories import STAFF_PASSWORD, create_staff_user
from tests.fake_africastalking import FakeAfricasTalking

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", marks=pytest.mark.sqlite)], indirect=True
)

CITIZEN = "+27821234567"
DESK = {"width": 1024, "height": 768}


class Desk:
    """One officer's browser: sign in, go to a page, and have axe check it on arrival."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.context = browser.new_context(
            base_url=base_url, viewport=DESK, bypass_csp=True, locale="en-ZA"
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.axe = AxeChecks(self.page)

    def arrive(self, path: str) -> None:
        self.page.wait_for_url(lambda url: _path(url).split("?")[0] == path)
        self.axe.check()

    def sign_in(self, username: str) -> None:
        self.page.goto("/staff/sign-in")
        self.arrive("/staff/sign-in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(STAFF_PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.arrive("/staff")

    def open_case(self, reference: str) -> None:
        self.page.get_by_role("link", name=reference, exact=True).first.click()
        self.arrive(f"/staff/cases/{re.sub(r'[^0-9]', '', reference)}")

    def change_status(self, target: str, reason: str = "") -> None:
        form = self.page.locator("form").filter(has=self.page.get_by_label("New status"))
        form.get_by_label("New status").select_option(label=target)
        if reason:
            form.get_by_label("Reason (the citizen may see it)").fill(reason)
        with self.page.expect_navigation():
            form.get_by_role("button", name="Change status").click()
        self.axe.check()
        assert "Done." in self.main(), self.main()

    def main(self) -> str:
        return self.page.get_by_role("main").inner_text()


@pytest.fixture
def desks(browser, live_server: str) -> Iterator[Any]:
    opened: list[Desk] = []

    def open_desk() -> Desk:
        opened.append(Desk(browser, live_server))
        return opened[-1]

    yield open_desk
    for desk in opened:
        desk.axe.assert_clean()
        desk.context.close()


def agency(db: Database, code: str) -> Agency:
    with db.read() as session:
        return session.scalars(select(Agency).where(Agency.code == code)).one()


def sms_to_citizen(fake: FakeAfricasTalking, count: int) -> list[str]:
    """Wait until the citizen has `count` SMS; their texts, oldest first."""
    fake.wait_for(count, timeout=10)
    texts = [sms.message for sms in fake.sent if sms.to == CITIZEN]
    assert len(texts) == count, texts
    return texts


def a_complaint(db: Database) -> Grievance:
    return lodge_grievance(
        db,
        phone=CITIZEN,
        category="payment",
        description="My child support grant did not come this month.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
        privacy_consent=True,  # as from the USSD confirmation: no SMS notice follows
    ).grievance


def test_a_complaint_is_acknowledged_assigned_and_resolved(desks, db, fake):
    dsd = agency(db, "dsd")  # the intake agency
    triage = create_staff_user(db, dsd, "triage_officer", display_name="Thandi Triage")
    officer = create_staff_user(db, dsd, "case_officer", display_name="Sipho Officer")
    grievance = a_complaint(db)
    reference = format_reference(grievance.reference, "grievance")
    assert "we received your complaint" in sms_to_citizen(fake, 1)[0]

    intake = desks()
    intake.sign_in(triage.username)
    intake.page.get_by_role("link", name="Complaints to triage").click()
    intake.arrive("/staff/grievances")
    intake.open_case(reference)
    intake.change_status("acknowledged")
    assert "has been read" in sms_to_citizen(fake, 2)[-1]

    assign = intake.page.locator("form").filter(has=intake.page.get_by_label("Officer"))
    assign.get_by_label("Officer").select_option(label="Sipho Officer (DSD, case officer)")
    with intake.page.expect_navigation():
        assign.get_by_role("button", name="Assign").click()
    intake.axe.check()
    assert "is now with an officer" in sms_to_citizen(fake, 3)[-1]

    desk = desks()
    desk.sign_in(officer.username)
    desk.open_case(reference)  # their own open cases, on their home page
    desk.change_status("in progress")
    desk.change_status("resolved", reason="The grant was paid on the 14th.")
    texts = sms_to_citizen(fake, 5)
    assert "working on your complaint" in texts[3]
    assert "is resolved" in texts[4] and reference in texts[4]
    timeline = desk.page.locator("ol.timeline").inner_text()
    for status in ("acknowledged", "assigned", "in progress", "resolved"):
        assert status in timeline


def test_a_referral_is_sent_accepted_and_completed(desks, db, fake):
    dsd, sassa = agency(db, "dsd"), agency(db, "sassa")
    sender = create_staff_user(db, dsd, "case_officer", display_name="Sender Officer")
    receiver = create_staff_user(db, sassa, "case_officer", display_name="Receiver Officer")
    grievance = a_complaint(db)
    sms_to_citizen(fake, 1)

    sending = desks()
    sending.sign_in(sender.username)
    sending.open_case(format_reference(grievance.reference, "grievance"))
    refer = sending.page.locator("form").filter(has=sending.page.get_by_label("Refer to"))
    refer.get_by_label("Refer to").select_option(label="SASSA (any service)")
    refer.get_by_label("Urgency").select_option("urgent")
    refer.get_by_label("Why (the receiving agency reads this)").fill(
        "Grant stopped in May; please check the payment record."
    )
    with sending.page.expect_navigation():
        refer.get_by_role("button", name="Send referral").click()
    sending.axe.check()
    with db.read() as session:
        referral = session.scalars(select(Referral)).one()
    ref = format_reference(referral.reference, "referral")
    assert "referred to SASSA" in sms_to_citizen(fake, 2)[-1]

    receiving = desks()
    receiving.sign_in(receiver.username)
    receiving.page.get_by_role("link", name="Referrals").click()
    receiving.arrive("/staff/referrals")
    receiving.open_case(ref)
    assert "Grant stopped in May" in receiving.main()
    receiving.change_status("accepted")
    assert "your referral was accepted" in sms_to_citizen(fake, 3)[-1]
    receiving.change_status("in progress")
    receiving.change_status("completed")
    assert "your referral is complete" in sms_to_citizen(fake, 4)[-1]

    # Both agencies read one timeline: the sender sees what the receiver did.
    sending.page.goto(f"/staff/cases/{referral.reference}")
    sending.arrive(f"/staff/cases/{referral.reference}")
    timeline = sending.page.locator("ol.timeline").inner_text()
    for status in ("accepted", "in progress", "completed"):
        assert status in timeline
