"""Phone and ID numbers masked: the helpers staff lists use, and every log line of the app
and the relay, including the database's own error text."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import IntegrityError

from casework.masking import mask_id, mask_personal_numbers, mask_phone
from casework.models import Citizen
from notifications.gateways import ConsoleGateway
from notifications.relay import Relay

PHONE = "+27821234567"
ORIGINAL_MAKE_RECORD = getattr(logging.Logger.makeRecord, "__wrapped__", logging.Logger.makeRecord)
SA_ID = "8001015009087"


def test_mask_phone_shows_the_country_the_network_and_two_last_digits():
    assert mask_phone(PHONE) == "+27 82 *** **67"
    assert mask_phone("+233241234567") == "+233 24 *** **67"
    assert mask_phone("27821234567") == "+27 82 *** **67"
    assert mask_phone(None) == "-"


def test_mask_id_keeps_the_last_three_digits():
    assert mask_id(SA_ID) == "**********087"
    assert mask_id("GHA-123456789-0") == "GHA-*******89-0"


def test_free_text_loses_phone_and_id_numbers_but_keeps_references_and_times():
    text = (
        f"Key (phone)=({PHONE}) exists; call 082 123 4567 or 27821234567; ID {SA_ID},"
        " card gha123456789-0; case 4827193506 (4827 1935 06) at 2026-11-24 10:15:02"
    )
    masked = mask_personal_numbers(text)
    for whole in (PHONE, "082 123 4567", "27821234567", SA_ID, "123456789"):
        assert whole not in masked
    assert "+27 82 *** **67" in masked and "**********087" in masked
    assert "4827193506" in masked and "4827 1935 06" in masked
    assert "2026-11-24 10:15:02" in masked


@pytest.fixture
def plain_logging() -> Iterator[io.StringIO]:
    """Logging as a fresh process has it (no masking installed yet), written to a stream
    through an ordinary handler and formatter, as gunicorn or a terminal would."""
    make_record = logging.Logger.makeRecord
    logging.Logger.makeRecord = ORIGINAL_MAKE_RECORD  # type: ignore[method-assign]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter("%(levelname)s %(name)s %(message)s %(where)s", defaults={"where": ""})
    )
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
    logging.Logger.makeRecord = make_record  # type: ignore[method-assign]


def duplicate_phone_error(db) -> IntegrityError:
    """A real IntegrityError from the database: the same phone inserted twice."""
    with db.transaction() as session:
        session.add(Citizen(phone=PHONE, language="en"))
    with pytest.raises(IntegrityError) as caught, db.transaction() as session:
        session.add(Citizen(phone=PHONE, language="en"))
    return caught.value


def assert_no_whole_number(output: str) -> None:
    squeezed = output.replace(" ", "")
    for whole in (PHONE, PHONE[1:], "821234567", SA_ID):
        assert whole not in squeezed, output


def test_an_integrity_error_logged_by_the_app_carries_no_whole_number(
    plain_logging, make_app, database_url, db
):
    make_app({"DATABASE_URL": database_url})
    error = duplicate_phone_error(db)
    if db.is_postgresql:
        # PostgreSQL names the value that broke the constraint, even with hidden parameters.
        assert PHONE in str(error.orig)
    try:
        raise error
    except IntegrityError:
        logging.getLogger("portal").exception("saving failed", extra={"where": SA_ID})
    output = plain_logging.getvalue()
    assert "IntegrityError" in output and "saving failed" in output
    assert_no_whole_number(output)
    if db.is_postgresql:
        assert "(phone)=(+27 82 *** **67)" in output


def test_the_relay_masks_its_log_lines_however_it_was_started(plain_logging, db):
    relay = Relay(db, ConsoleGateway(io.StringIO()))
    relay.stop()
    relay.run()  # returns at once: stopped before it started, masking installed
    error = duplicate_phone_error(db)
    log = logging.getLogger("notifications.relay")
    log.warning("SMS to %s failed", PHONE, extra={"where": f"national id {SA_ID}"})
    log.error("batch failed", exc_info=error)
    output = plain_logging.getvalue()
    assert "SMS to +27 82 *** **67 failed national id **********087" in output
    assert "IntegrityError" in output
    assert_no_whole_number(output)
