"""0 back, 00 home, 98 more, errors that re-show the screen, replays and resuming."""

import json

import pytest
from sqlalchemy import func, select

from casework.models import Case
from tests.ussd.phone import Phone
from ussd.engine import new_input
from ussd.session_store import MemorySessionStore


def test_back_returns_to_the_previous_screen_and_home_to_the_menu(phone):
    phone.dial()
    categories = phone.choose("Apply for a service")
    phone.choose("Grants and money")
    assert phone.press("0") == categories
    assert phone.press("00").startswith("CON Thusa: how can we help?")
    assert phone.press("0").startswith("CON Thusa: how can we help?")


def test_every_screen_below_home_offers_back_and_home(phone):
    phone.dial()
    for label in ("Find a service", "Grants and money", "Older persons grant", "Who qualifies"):
        phone.choose(label)
        assert phone.reply.splitlines()[-1] == "0 Back 00 Home"


def test_more_pages_through_a_long_list_and_comes_round_again(phone):
    phone.dial()
    phone.choose("Make a complaint")
    first = phone.reply
    assert "98 More" in first
    second = phone.press("98")
    assert second != first and "Something else" in second
    assert phone.press("98") == first


def test_invalid_choice_shows_the_same_screen_with_a_short_error(phone):
    phone.dial()
    screen = phone.choose("Apply for a service")
    for wrong in ("9", "abc", "", "1*2", "🙂"):
        reply = phone.press(wrong)
        assert reply.startswith("CON Choose a number from the list\n")
        assert reply.replace("Choose a number from the list\n", "") == screen


def test_replayed_hop_gets_the_identical_reply_and_no_second_case(phone, directory):
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    phone.choose("eThekwini")
    phone.press("1", "My grant did not come", "1")
    final = phone.choose("Send complaint")
    assert final.startswith("END ")
    assert phone._send() == final  # the gateway sends the last hop again
    assert phone._send() == final
    with directory.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 1


def test_replayed_hop_mid_session_does_not_advance(phone):
    phone.dial()
    menu = phone.choose("Apply for a service")
    assert phone._send() == menu
    assert phone.press("1").startswith("CON Choose a service")


def test_a_retried_submit_hop_after_the_store_lost_the_session_submits_nothing(phone, directory):
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    phone.choose("eThekwini")
    phone.press("1", "Late", "1")
    phone.choose("Send complaint")
    phone.store.delete(f"session:{phone.session_id}")
    # Rebuilt from the gateway's text, it stops at the confirmation, saying why it asks
    # again: nothing sent again.
    again = phone._send()
    assert again.startswith("CON Sorry, we lost your place. Choose again.\n")
    assert "\n1 Send complaint\n" in again
    with directory.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 1


@pytest.mark.parametrize(
    ("seen", "text", "typed"),
    [
        ("", "", ""),
        ("", "1", "1"),
        ("1", "1*2", "2"),
        ("1*3", "1*3*Paid R5*2", "Paid R5*2"),
        ("1*3*a*b", "1*3*a*b*", ""),
        ("1", "2", "2"),
        ("1*2", "9*8*7", "7"),
    ],
)
def test_new_input_is_what_follows_the_text_seen_last_hop(seen, text, typed):
    assert new_input(seen, text) == typed


def test_a_dropped_session_is_offered_back_when_the_number_dials_again(phone):
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    where = phone.reply
    offered = phone.dial()  # the call dropped; a new session from the same number
    assert offered.startswith("CON You did not finish last time.")
    assert phone.choose("Continue where you left off") == where
    phone.choose("eThekwini")
    assert phone.reply.startswith("CON Which office?")


def test_a_dropped_session_can_be_set_aside(phone):
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    phone.dial()
    assert phone.choose("Start again").startswith("CON Thusa: how can we help?")
    assert phone.dial().startswith("CON Thusa: how can we help?")


def test_a_finished_session_or_one_only_reading_is_not_offered_back(phone):
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    phone.press("00")
    assert phone.dial().startswith("CON Thusa: how can we help?")
    for label in ("Find a service", "Grants and money", "Older persons grant", "Cost"):
        phone.choose(label)
    assert phone.dial().startswith("CON Thusa: how can we help?")


def test_the_offer_lapses_after_ten_minutes(directory):
    now = [1000.0]
    store = MemorySessionStore(clock=lambda: now[0])
    phone = Phone(directory, store)
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    now[0] += 9 * 60
    assert phone.dial().startswith("CON You did not finish last time.")
    phone.press("1")  # continue, then drop again
    now[0] += 10 * 60 + 1
    assert phone.dial().startswith("CON Thusa: how can we help?")


def test_a_hop_for_a_session_the_store_lost_is_rebuilt_from_the_text(phone):
    phone.dial()
    phone.choose("Make a complaint")
    phone.store.delete(f"session:{phone.session_id}")
    assert phone.press("1").startswith("CON Where did it happen?")


def test_a_shortcut_dialled_with_the_code_goes_straight_there(phone):
    phone.session_id = "ATUid_shortcut"
    phone.inputs = ["3"]  # *120*3210*3#
    assert phone._send().startswith("CON What is your complaint about?")
    assert phone.press("0").startswith("CON Thusa: how can we help?")


def test_an_old_hop_sent_again_changes_nothing(phone, directory):
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("payment problem")
    phone.choose("eThekwini")
    phone.press("1", "Late", "2")
    before_send = list(phone.inputs)
    final = phone.choose("Send complaint")
    phone.inputs = before_send  # the gateway resends the hop before "Send"
    assert phone._send() == final
    phone.inputs = before_send[:2]
    assert phone._send() == final
    with directory.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 1


@pytest.mark.parametrize("typed", ["¹", "②", "٣", "１", "1²"])
def test_digits_that_are_not_keypad_digits_are_refused_politely(phone, typed):
    phone.dial()
    assert phone.press(typed).startswith("CON Choose a number from the list")
    for label in ("Apply for a service", "Grants and money", "Child support grant", "Yes"):
        phone.choose(label)
    assert phone.press(typed).startswith("CON Enter a whole number, like 3")


def test_back_through_a_long_form_keeps_its_answers_and_the_session_stays_small(phone, store):
    phone.dial()
    for label in ("Apply for a service", "Grants and money", "Child support grant", "Yes"):
        phone.choose(label)
    phone.press("2", "8001015009087")
    phone.choose("Type a number")
    phone.press("1500")
    assert "Check your answers" in phone.choose("No")
    # Each screen behind this one is kept as what changed, not as a copy of the form
    # and its questions (which made this session about 14 kB).
    assert len(json.dumps(store.get("session:" + phone.session_id))) < 5000
    assert "Are you married?" in phone.press("0")
    assert "Type a number" in phone.press("0")
    assert "None (0)" in phone.press("0")
    phone.choose("None (0)")
    confirm = phone.choose("Yes")
    assert "Child support grant, Yes, 2, 8001015009087, 0, Yes" in confirm
