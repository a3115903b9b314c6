"""Hypothesis types anything into the citizen forms anyone can reach without signing in
(make a complaint, track a case, search the directory): random unicode, NUL and other
control characters, direction marks, 3,000-character answers, values no list offers.

Every answer is a page (the form again with its errors, the next step, or "too many
tries"), never a 500; a complaint is stored whole, as typed less control characters, or
not at all.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from casework.models import Grievance
from casework.seed_demo import seed_demo
from portal.page_helpers import clean_text
from tests.portal.web import token
from tests.ussd.test_fuzzed_callbacks import whole_case_counts

TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80),
    st.text(alphabet="\x00\x01\x1b\x7f\u202e\u200b\ufeff\n\r\t ab<>\"'&{}%*#", max_size=40),
    st.integers(1990, 3000).map(lambda n: "é" * n),  # around the 2,000-character limit
    st.sampled_from(["", "   ", "<script>alert(1)</script>", "{{7*7}}", "0821234567"]),
)

# Any unicode with something left once control characters and spaces are dropped.
SOMETHING_TYPED = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=300
).filter(clean_text)


def usually(expected, anything):
    """Mostly what the form offers, so that some examples get through to be stored."""
    return st.one_of(expected, expected, expected, anything)


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # CI runs the same examples every time: a failure is a real one
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def open_app(make_app, database_url, db):
    seed_demo(db, with_staff=False)
    # Many complaints from one test address: the per-address limit is not under test here.
    return make_app(
        {
            "DATABASE_URL": database_url,
            "RATE_LIMIT_SUBMISSION_PER_ADDRESS": "10000 per hour",
            "RATE_LIMIT_PIN_CHECK_PER_ADDRESS": "10000 per hour",
            "RATE_LIMIT_PIN_CHECK_PER_REFERENCE": "10000 per hour",
        },
        TESTING=True,
    )


def assert_a_page(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 302, 404, 429), (response.status_code, page[:500])
    if response.status_code == 200 and response.request.method == "POST":
        assert "<title>Error: " in page  # sent back: with the reason at the top
    return page


def test_complaint_form_fuzzed_is_asked_again_or_stored_whole(open_app, db):
    lodged: list[str] = []

    @SETTINGS
    @given(
        category=usually(st.sampled_from(["payment", "staff_conduct"]), TEXT),
        place=usually(st.just("district:eThekwini"), TEXT),
        description=usually(SOMETHING_TYPED, TEXT),
        anonymous=usually(st.just("yes"), TEXT),
        sms_to=usually(st.sampled_from(["", "0821234567"]), TEXT),
    )
    def complain(category, place, description, anonymous, sms_to):
        client = open_app.test_client()
        page = client.get("/complaint").get_data(as_text=True)
        fields = {
            "category": category,
            "place": place,
            "description": description,
            "anonymous": anonymous,
            "sms_to": sms_to,
        }
        response = client.post("/complaint", data={**fields, "csrf_token": token(page)})
        assert_a_page(response)
        with db.read() as session:
            before = session.scalar(select(func.count(Grievance.id)))
        if response.status_code == 302:
            check = client.get("/complaint/check")
            assert_a_page(check)
            sent = client.post(
                "/complaint/check", data={"csrf_token": token(check.get_data(as_text=True))}
            )
            assert_a_page(sent)
        with db.read() as session:
            stored = session.scalars(select(Grievance).order_by(Grievance.id.desc())).first()
            after = session.scalar(select(func.count(Grievance.id)))
        cases, broken = whole_case_counts(db)
        assert broken == [] and cases == after
        if after > before:  # sent: anonymous, as typed less the control characters
            assert after == before + 1 and stored.anonymous
            assert stored.description == clean_text(description)
            lodged.append(description)

    complain()
    assert lodged, "no fuzzed complaint got through: the test would prove too little"


def test_track_and_search_fuzzed_always_answer_with_a_page(open_app):
    client = open_app.test_client()

    @SETTINGS
    @given(reference=TEXT, phone=TEXT, pin=TEXT, query=TEXT)
    def track_and_search(reference, phone, pin, query):
        page = client.get("/track").get_data(as_text=True)
        data = {"reference": reference, "phone": phone, "pin": pin}
        assert_a_page(client.post("/track", data={**data, "csrf_token": token(page)}))
        assert_a_page(client.get("/services/search", query_string={"q": query}))

    track_and_search()
