import datetime as dt

import pytest
from sqlalchemy import func, select

from casework.case_queries import anonymous_case_id
from casework.errors import InvalidInput, NotPermitted
from casework.models import AuditLog, Case, CaseEvent, Citizen, Grievance, OutboundMessage
from casework.passwords import hash_secret, verify_secret
from casework.references import format_reference, is_valid
from casework.services import submit_application
from tests.casework.scenes import build_world
from tests.factories import create_service, lodge


@pytest.fixture
def world(db):
    return build_world(db)


def outbox(db):
    with db.read() as session:
        return session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()


def test_lodge_grievance_records_case_event_audit_and_sms(db, world):
    lodged = lodge(db)
    grievance = lodged.grievance
    assert is_valid(grievance.reference)
    assert lodged.pin is None
    with db.read() as session:
        stored = session.get(Grievance, grievance.id)
        assert stored.status == "lodged"
        assert stored.citizen.phone == "+27821234567"
        assert stored.agency_id == world.intake.id  # no office: the intake agency's queue
        assert stored.due_at > stored.created_at
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == grievance.id))
        assert [(e.type, e.public, e.to_status) for e in events] == [("created", True, "lodged")]
        audit = session.scalars(select(AuditLog)).one()
        assert (audit.action, audit.case_id, audit.channel) == (
            "grievance.lodged",
            grievance.id,
            "ussd",
        )
        # The audit trail never copies the complaint's words.
        assert "March" not in str(audit.detail)
    [sms] = outbox(db)
    assert (sms.to, sms.template, sms.language, sms.status) == (
        "+27821234567",
        "grievance_lodged",
        "zu",
        "queued",
    )
    assert sms.params == {"reference": format_reference(grievance.reference, "grievance")}


def test_lodge_grievance_at_an_office_goes_to_that_offices_agency(db, world):
    lodged = lodge(db, office_id=world.office.id, district=None)
    assert lodged.grievance.agency_id == world.office.agency_id
    assert lodged.grievance.district == "eThekwini"


def test_lodge_grievance_sensitive_category_is_urgent(db, world):
    assert lodge(db, category="gender_based_violence").grievance.priority == "urgent"
    assert lodge(db, category="payment").grievance.priority == "normal"


def test_lodge_anonymous_grievance_keeps_no_citizen_and_sends_reference_and_pin(db, world):
    lodged = lodge(db, anonymous=True, phone="+27830000001")
    assert lodged.pin is not None and len(lodged.pin) == 4 and lodged.pin.isdigit()
    with db.read() as session:
        stored = session.get(Grievance, lodged.grievance.id)
        assert stored.citizen_id is None and stored.anonymous
        assert verify_secret(stored.pin_hash, lodged.pin)
        assert not verify_secret(stored.pin_hash, f"{(int(lodged.pin) + 1) % 10000:04d}")
        assert session.scalar(select(func.count(Citizen.id))) == 1  # only the world's citizen
    [sms] = outbox(db)
    assert sms.to == "+27830000001"
    assert sms.template == "grievance_lodged_anonymous"
    assert sms.params["pin"] == lodged.pin


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": "weather"}, "category", "Choose what your complaint is about"),
        ({"description": "   "}, "description", "Describe what happened"),
        ({"description": "x" * 2001}, "description", "2000 characters or fewer"),
        ({"district": None}, "district", "Choose your office or district"),
        ({"office_id": 99999}, "office", "Choose an office from the list"),
        ({"phone": "0821234567"}, "phone", "Enter a phone number"),
    ],
)
def test_lodge_grievance_bad_input_says_what_to_fix_and_stores_nothing(
    db, world, overrides, field, message
):
    with pytest.raises(InvalidInput) as error:
        lodge(db, **overrides)
    assert error.value.field == field
    assert message in str(error.value)
    with db.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 0
        assert session.scalar(select(func.count(OutboundMessage.id))) == 0


def test_lodge_grievance_description_at_the_limit_is_kept_whole(db, world):
    text = "é" * 2000
    assert lodge(db, description=text).grievance.description == text


def test_submit_application_validates_answers_and_confirms_by_sms(db, world):
    application = submit_application(
        db,
        phone="+27821234567",
        service_id=world.service.id,
        answers={"children": "3"},
        channel="ussd",
        language="zu",
    )
    assert application.status == "submitted"
    assert application.answers == {"children": 3}
    assert application.agency_id == world.other.id
    working_days = 0
    day = application.created_at
    while day.date() < application.due_at.date():
        day += dt.timedelta(days=1)
        working_days += day.weekday() < 5
    assert working_days == 10
    [sms] = outbox(db)
    assert (sms.template, sms.language) == ("application_submitted", "zu")
    assert sms.params["service"] == world.service.texts[0].short_name


def test_submit_application_reuses_the_citizen_of_that_phone(db, world):
    submit_application(
        db,
        phone="+27821234567",
        service_id=world.service.id,
        answers={"children": 1},
        channel="web",
        language="en",
        name="Thandi Mokoena",
    )
    with db.read() as session:
        assert session.scalar(select(func.count(Citizen.id))) == 1
        citizen = session.get(Citizen, world.citizen.id)
        assert citizen.name == "Thandi Mokoena"
        assert citizen.language == "zu"  # a saved preference is not overwritten


def test_submit_application_bad_answer_stores_nothing(db, world):
    with pytest.raises(InvalidInput) as error:
        submit_application(
            db,
            phone="+27829999999",
            service_id=world.service.id,
            answers={"children": "many"},
            channel="web",
            language="en",
        )
    assert error.value.field == "children"
    with db.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 0
        assert session.scalar(select(func.count(Citizen.id))) == 1


def test_submit_application_refuses_a_channel_the_service_does_not_offer(db, world):
    in_person = create_service(db, world.other, channels=["assisted"], application_fields=[])
    with pytest.raises(NotPermitted):
        submit_application(
            db,
            phone="+27821234567",
            service_id=in_person.id,
            answers={},
            channel="ussd",
            language="en",
        )
    # An officer at the office can still apply on the citizen's behalf.
    assisted = submit_application(
        db,
        phone="+27821234567",
        service_id=in_person.id,
        answers={},
        channel="assisted",
        language="en",
    )
    assert assisted.channel == "assisted"


def test_submit_application_checks_id_number_fields(db, world):
    service = create_service(
        db,
        world.other,
        application_fields=[
            {"name": "child_id", "type": "id_number", "label": {"en": "Child's ID"}},
        ],
    )
    with pytest.raises(InvalidInput, match="mistyped"):
        submit_application(
            db,
            phone="+27821234567",
            service_id=service.id,
            answers={"child_id": "8001015009088"},
            channel="web",
            language="en",
        )
    application = submit_application(
        db,
        phone="+27821234567",
        service_id=service.id,
        answers={"child_id": "800101 5009 087"},
        channel="web",
        language="en",
    )
    assert application.answers == {"child_id": "8001015009087"}


def test_submitting_twice_with_one_idempotency_key_makes_one_case(db, world):
    first = lodge(db, idempotency_key="ussd:abc:1*2")
    again = lodge(db, idempotency_key="ussd:abc:1*2")
    assert again.grievance.id == first.grievance.id and again.pin is None
    application = submit_application(
        db,
        phone="+27821234567",
        service_id=world.service.id,
        answers={"children": 1},
        channel="ussd",
        language="en",
        idempotency_key="ussd:def:1",
    )
    repeat = submit_application(
        db,
        phone="+27821234567",
        service_id=world.service.id,
        answers={"children": 1},
        channel="ussd",
        language="en",
        idempotency_key="ussd:def:1",
    )
    assert repeat.id == application.id
    with db.read() as session:
        assert session.scalar(select(func.count(Case.id))) == 2
        assert session.scalar(select(func.count(OutboundMessage.id))) == 2


def test_a_complaint_pin_is_hashed_with_argon2id_at_the_pin_cost(db, world):
    lodged = lodge(db, anonymous=True, phone="+27830000001")
    with db.read() as session:
        stored = session.get(Grievance, lodged.grievance.id).pin_hash
    # 4 digits: what protects them is the limit on tries, not a slow hash (passwords.py).
    assert stored.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert anonymous_case_id(db, lodged.grievance.reference, lodged.pin) == lodged.grievance.id


def test_a_pin_hashed_at_the_password_cost_still_opens_its_complaint(db, world):
    lodged = lodge(db, anonymous=True, phone="+27830000001")
    with db.transaction() as session:
        session.get(Grievance, lodged.grievance.id).pin_hash = hash_secret(lodged.pin)
    reference = lodged.grievance.reference
    assert anonymous_case_id(db, reference, lodged.pin) == lodged.grievance.id
    assert anonymous_case_id(db, reference, f"{(int(lodged.pin) + 1) % 10000:04d}") is None
