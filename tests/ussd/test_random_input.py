"""A hypothesis state machine presses random keys through the whole menu: every reply is
a valid screen within 182 characters, and nothing escapes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from casework.models import Case
from casework.seed_demo import seed_demo
from tests.ussd.phone import Phone
from ussd.session_store import MemorySessionStore

KEYS = st.sampled_from(["0", "00", "98", "1", "2", "3", "4", "5", "6", "7", "9", "*", "#"])
TYPED = st.one_of(
    KEYS,
    st.text(min_size=0, max_size=40),  # any unicode, control characters included
    st.text(alphabet="0123456789", min_size=1, max_size=14),
    st.text(alphabet="*", min_size=1, max_size=6),
    st.just("8001015009087"),
    st.just("27032024"),
)


def machine_for(db):
    class UssdMachine(RuleBasedStateMachine):
        @initialize()
        def dial(self):
            self.sent = set()
            self.phone = Phone(db, MemorySessionStore(), "+27821234567")
            self.phone.dial()

        @rule(key=TYPED)
        def press(self, key):
            if self.phone.reply.startswith("END "):
                self.phone.dial()
            self.phone.press(key)

        @rule()
        def redial(self):
            self.phone.dial()

        @rule()
        def gateway_repeats_the_hop(self):
            before = self.phone.reply
            assert self.phone._send() == before

        @invariant()
        def reply_is_a_screen(self):
            reply = self.phone.reply
            assert reply.startswith(("CON ", "END ")) and len(reply) <= 182
            if "sent. " in reply and reply.startswith("END "):
                self.sent.add(reply)

        @invariant()
        def every_case_was_confirmed_on_screen(self):
            with db.read() as session:
                cases = session.scalar(select(func.count(Case.id)))
            assert cases == len(self.sent)

    return UssdMachine


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_random_keys_through_the_whole_menu(db):
    seed_demo(db, with_staff=False)
    machine = machine_for(db)
    machine.TestCase.settings = settings(
        max_examples=60,
        stateful_step_count=40,
        deadline=None,
        derandomize=True,  # CI runs the same examples every time: a failure is a real one
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    machine.TestCase().runTest()
