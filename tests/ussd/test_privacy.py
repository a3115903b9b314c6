"""The privacy notice on a feature phone: one line on every confirmation screen with the
code that reads it, consent recorded when the citizen sends (not before), none for an
anonymous complaint, and the notice itself from the home menu or dialled straight."""

from __future__ import annotations

from sqlalchemy import select

from casework.models import PrivacyConsent
from casework.privacy import NOTICE_VERSION, USSD_MENU_KEY
from tests.ussd.phone import Phone
from tests.ussd.test_journeys import apply_for_child_support
from ussd.engine import handle_hop

LINE = "Sending accepts our privacy notice: *120*3210*6#"


def consents(db):
    with db.read() as session:
        return [
            (c.channel, c.how, c.notice_version)
            for c in session.scalars(select(PrivacyConsent).order_by(PrivacyConsent.id))
        ]


def to_complaint_confirmation(phone: Phone, *, anonymous: bool) -> str:
    phone.dial()
    for label in ("Make a complaint", "Delay in a service", "eThekwini"):
        phone.choose(label)
    phone.press("2")
    phone.press("Nobody answered my calls")
    return phone.choose("stay anonymous" if anonymous else "use my number")


def test_the_complaint_confirmation_says_sending_accepts_the_notice(phone, directory):
    screen = to_complaint_confirmation(phone, anonymous=False)
    assert screen.startswith("CON Check your complaint:")
    assert LINE in screen.splitlines() and '"Nobody answered my calls"' in screen
    assert consents(directory) == []  # nothing recorded before sending
    assert phone.choose("Send complaint").startswith("END Complaint sent.")
    assert consents(directory) == [("ussd", "agreed", NOTICE_VERSION)]


def test_an_anonymous_complaint_records_no_consent(phone, directory):
    screen = to_complaint_confirmation(phone, anonymous=True)
    assert LINE in screen.splitlines()
    phone.choose("Send complaint")
    assert consents(directory) == []


def test_the_application_confirmation_says_it_and_sending_records_it(phone, directory):
    reply = apply_for_child_support(phone)  # presses "Send application" on the check screen
    assert reply.startswith("END Application sent.")
    assert consents(directory) == [("ussd", "agreed", NOTICE_VERSION)]


def test_the_application_check_screen_carries_the_line(phone):
    phone.dial()
    for label in ("Apply for a service", "Grants and money", "Child support grant", "Yes"):
        phone.choose(label)
    phone.press("2")
    phone.press("8001015009087")
    while "Check your answers" not in phone.reply:
        phone.press("1" if "\n1 " in phone.reply else "5000")
    assert phone.reply.splitlines()[-4] == LINE  # just above "1 Send application"


def test_the_notice_is_the_sixth_option_at_home(phone):
    home = phone.dial()
    assert f"{USSD_MENU_KEY} Privacy notice" in home.splitlines()
    first = phone.press(USSD_MENU_KEY)
    assert first.startswith("CON Thusa keeps your number") and "98 More" in first
    pages = [first]
    while "98 More" in phone.reply and len(pages) < 10:
        pages.append(phone.press("98"))
    assert "sign in on our website" in " ".join(pages)


def test_dialling_the_privacy_code_opens_the_notice_straight_away(directory, store):
    phone = Phone(directory, store)
    phone.session_id = "ATUid_shortcut"
    # *120*3210*6# reaches us as a first hop whose text is already "6".
    reply = handle_hop(phone.context(), store, USSD_MENU_KEY)
    assert reply.startswith("CON Thusa keeps your number")
