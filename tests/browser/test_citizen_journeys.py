"""Done when: a person on a small phone, in a real browser, can make a complaint (anonymous
or signed in with the code from an SMS), apply for a service with a document, and track a
case (with a PIN, or with their phone), and axe finds no WCAG 2.x A/AA violation on any page
they pass through.

Each walk clicks and types as a person does: fields by their labels, buttons and links by
their names. The SMS codes come from the fake Africa's Talking gateway, sent there by the
server's own relay thread, as they would reach a phone.

SQLite only: these walks test the pages in a browser, not the database, which the rest of
the suite covers on both backends.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from casework.references import format_reference
from casework.services import lodge_grievance
from tests.fake_africastalking import FakeAfricasTalking

if TYPE_CHECKING:  # Playwright is imported only where it is used, so a missing one skips
    from playwright.sync_api import Page

Arrive = Callable[[str], None]

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", marks=pytest.mark.sqlite)], indirect=True
)

REFERENCE = re.compile(r"G \d{4} \d{4} \d{2}")
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def sms_code(fake: FakeAfricasTalking, number: str, after: int, timeout: float = 10) -> str:
    """The 6-digit code in the first SMS to `number` among those the gateway accepted
    after the first `after`."""
    deadline = time.monotonic() + timeout
    count = after + 1
    while True:
        sent = fake.wait_for(count, timeout=max(deadline - time.monotonic(), 0.1))
        for sms in sent[after:]:
            match = CODE.search(sms.message)
            if sms.to == number and match:
                return match.group(1)
        count = len(sent) + 1


def digits(reference: str) -> str:
    return re.sub(r"\D", "", reference)


def main_text(page: Page) -> str:
    return page.get_by_role("main").inner_text()


def sign_in(page: Page, arrive: Arrive, fake: FakeAfricasTalking, typed: str, number: str) -> None:
    """From the sign-in page: the number, then the code from the SMS."""
    arrive("/sign-in")
    seen = len(fake.sent)
    page.get_by_label("Mobile number").fill(typed)
    page.get_by_role("button", name="Send the code").click()
    type_the_code(page, arrive, fake, number, seen)


def type_the_code(
    page: Page, arrive: Arrive, fake: FakeAfricasTalking, number: str, seen: int
) -> None:
    arrive("/sign-in/code")
    code = sms_code(fake, number, after=seen)
    page.get_by_label("Code from the SMS").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_anonymous_complaint_then_track_it_with_the_reference_and_pin(page, arrive, axe):
    page.goto("/")
    arrive("/")
    page.get_by_role("link", name="Make a complaint").click()
    arrive("/complaint")

    # Continue with nothing filled in: the error summary, checked by axe too.
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    arrive("/complaint")
    assert page.title().startswith("Error: Make a complaint")

    page.get_by_label("Fraud or corruption").check()
    page.get_by_label("Where did it happen?").select_option(label="Somewhere in eThekwini")
    page.get_by_label("What happened?").fill("The clerk asked me for R200 to process my form.")
    page.get_by_label("No, stay anonymous: I get a reference and a PIN").check()
    page.get_by_role("button", name="Continue").click()

    arrive("/complaint/check")
    check = main_text(page)
    assert "R200 to process my form" in check and "eThekwini" in check
    assert "Not given: anonymous" in check
    page.get_by_role("button", name="Send complaint").click()

    arrive("/complaint/sent")
    sent = main_text(page)
    reference = re.search(r"Your reference\s+(G[\d ]+)", sent)
    pin = re.search(r"Your PIN\s+(\d{4})", sent)
    assert reference and pin, sent
    assert REFERENCE.fullmatch(reference.group(1).strip())
    page.get_by_role("link", name="Track with a reference number").click()

    arrive("/track")
    page.get_by_label("Reference number").fill(reference.group(1).strip())
    page.get_by_label("PIN", exact=True).fill(pin.group(1))
    page.get_by_role("button", name="Continue").click()

    arrive("/track/case")
    case = main_text(page)
    assert "Fraud or corruption" in case
    assert digits(reference.group(1)) in digits(case)
    assert "What has happened" in case
    timeline = page.get_by_role("list").filter(has=page.locator("time"))
    assert timeline.get_by_role("listitem").count() >= 1
    axe.assert_clean()


def test_named_complaint_signs_in_with_the_sms_code_and_shows_in_my_cases(page, arrive, axe, fake):
    number = "+27821234567"
    page.goto("/complaint")
    arrive("/complaint")
    page.get_by_label("Staff conduct").check()
    page.get_by_label("Where did it happen?").select_option(label="SASSA Umlazi Local Office")
    page.get_by_label("What happened?").fill("The guard shouted at the people in the queue.")
    page.get_by_label("Yes, so you can update me").check()
    page.get_by_role("button", name="Continue").click()

    arrive("/complaint/check")
    assert "Given, so we can update you" in main_text(page)
    page.get_by_role("button", name="Send complaint").click()

    # Sending a named complaint checks the number first, then comes back here.
    sign_in(page, arrive, fake, typed="082 123 4567", number=number)
    arrive("/complaint/check")
    page.get_by_role("button", name="Send complaint").click()

    arrive("/complaint/sent")
    sent = main_text(page)
    reference = REFERENCE.search(sent)
    assert reference, sent
    assert "PIN" not in sent

    page.get_by_role("link", name="My cases").click()
    arrive("/my-cases")
    listed = page.get_by_role("listitem").filter(has_text=reference.group(0))
    assert "Staff conduct" in listed.inner_text()
    listed.get_by_role("link").click()

    arrive(f"/my-cases/{digits(reference.group(0))}")
    assert "Staff conduct" in main_text(page)

    # The relay thread confirms the complaint to the phone through the gateway.
    deadline = time.monotonic() + 10
    while not any(
        sms.to == number and digits(reference.group(0)) in digits(sms.message) for sms in fake.sent
    ):
        assert time.monotonic() < deadline, f"no SMS with the reference: {fake.sent}"
        time.sleep(0.1)
    axe.assert_clean()


def test_track_with_the_reference_and_phone_opens_the_case(page, arrive, axe, fake, db):
    number = "+27831112222"
    lodged = lodge_grievance(
        db,
        phone=number,
        category="payment",
        description="My grant was not paid this month.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    )
    reference = format_reference(lodged.grievance.reference, "grievance")

    page.goto("/")
    arrive("/")
    page.get_by_role("link", name="Track with a reference number").click()
    arrive("/track")
    seen = len(fake.sent)
    page.get_by_label("Reference number").fill(reference)
    page.get_by_label("Mobile number").fill("083 111 2222")
    page.get_by_role("button", name="Continue").click()

    type_the_code(page, arrive, fake, number, seen)
    arrive(f"/my-cases/{lodged.grievance.reference}")
    case = main_text(page)
    assert "Grant or payment problem" in case
    assert "What has happened" in case
    axe.assert_clean()


def test_directory_and_my_details_pages(page, arrive, axe, fake):
    page.goto("/")
    arrive("/")
    page.get_by_role("link", name="Apply for a service").click()
    arrive("/services")

    # A search with nothing typed: the error summary, then a real search.
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    arrive("/services/search")
    assert page.title().startswith("Error: Find a service")
    page.get_by_label("Search for a service").fill("child grant")
    page.get_by_role("button", name="Search").click()
    arrive("/services/search")
    assert "Child Support Grant" in main_text(page)

    page.get_by_role("link", name="See all topics").click()
    arrive("/services")
    page.get_by_role("link", name="Grants and money").click()
    arrive("/services/category/grants")
    page.get_by_role("link", name="Child Support Grant").click()
    arrive("/services/child-support-grant")
    assert "Who qualifies" in main_text(page)

    page.goto("/my-details")
    sign_in(page, arrive, fake, typed="072 555 0101", number="+27725550101")
    arrive("/my-details")
    page.get_by_label("Only SMS about my own cases").check()
    page.get_by_role("button", name="Save").click()
    arrive("/my-details")
    assert "Your details are saved." in main_text(page)
    axe.assert_clean()


def test_apply_online_with_a_document_from_the_service_page(page, arrive, axe, fake, tmp_path):
    number = "+27824445555"
    photo = tmp_path / "birth certificate.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.goto("/services/child-support-grant")
    arrive("/services/child-support-grant")
    page.get_by_role("link", name="Apply online").click()

    # Applying needs the phone checked first; then straight back to the form.
    sign_in_started = len(fake.sent)
    arrive("/sign-in")
    page.get_by_label("Mobile number").fill("082 444 5555")
    page.get_by_role("button", name="Send the code").click()
    type_the_code(page, arrive, fake, number, sign_in_started)

    arrive("/apply/child-support-grant")
    page.get_by_role("group", name="Are you the child's main caregiver?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("How many children do you apply for?").fill("2")
    page.get_by_label("ID number of the youngest child").fill("8001015009088")
    page.get_by_label("Your income per month, in rand").fill("1500")
    page.get_by_role("group", name="Are you married?").get_by_label("No").check()
    page.get_by_label("Supporting documents (optional)").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()

    # A mistyped ID number is caught next to its question, and the form keeps the rest.
    arrive("/apply/child-support-grant")
    assert page.title().startswith("Error: Apply:")
    page.get_by_label("ID number of the youngest child").fill("8001015009087")
    page.get_by_label("Supporting documents (optional)").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()

    arrive("/apply/child-support-grant/check")
    check = main_text(page)
    assert "8001015009087" in check and "birth certificate.png" in check
    page.get_by_role("button", name="Send application").click()

    arrive("/apply/child-support-grant/sent")
    reference = re.search(r"A \d{4} \d{4} \d{2}", main_text(page))
    assert reference, main_text(page)
    deadline = time.monotonic() + 10
    while not any(
        sms.to == number and digits(reference.group(0)) in digits(sms.message) for sms in fake.sent
    ):
        assert time.monotonic() < deadline, f"no SMS with the reference: {fake.sent}"
        time.sleep(0.1)
    page.get_by_role("link", name="My cases").first.click()
    arrive("/my-cases")
    assert reference.group(0) in main_text(page)
    axe.assert_clean()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services",
        "/services/child-support-grant",
        "/complaint",
        "/track",
        "/sign-in",
        "/privacy",
    ],
)
def test_pages_fit_a_320_pixel_screen_without_sideways_scrolling(page, arrive, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    arrive(path.split("?")[0])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 320px screen"
