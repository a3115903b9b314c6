import pytest
from sqlalchemy import select

from casework.actors import Actor
from casework.errors import InvalidInput, NotFound, NotPermitted
from casework.models import AuditLog, Case, CaseEvent, OutboundMessage, Referral
from casework.services import add_note, assign, lodge_grievance, refer, transition
from tests.casework.scenes import build_world
from tests.factories import create_service


@pytest.fixture
def world(db):
    return build_world(db)


@pytest.fixture
def grievance(db, world):
    return lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="staff_conduct",
        description="Rude clerk.",
        channel="web",
        language="zu",
        country="ZA",
        district="eThekwini",
    ).grievance


def templates(db, case_id):
    with db.read() as session:
        return session.scalars(
            select(OutboundMessage.template)
            .where(OutboundMessage.case_id == case_id)
            .order_by(OutboundMessage.id)
        ).all()


def test_assign_acknowledged_grievance_moves_it_to_assigned_and_tells_the_citizen(
    db, world, grievance
):
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    assign(
        db,
        grievance.id,
        world.actor("triage_officer"),
        agency_id=world.other.id,
        officer_id=world.other_officer.id,
    )
    with db.read() as session:
        case = session.get(Case, grievance.id)
        assert (case.status, case.agency_id, case.assigned_to_id) == (
            "assigned",
            world.other.id,
            world.other_officer.id,
        )
        events = session.scalars(
            select(CaseEvent.type).where(CaseEvent.case_id == grievance.id).order_by(CaseEvent.id)
        ).all()
        assert events == ["created", "status_changed", "assigned", "status_changed"]
        actions = session.scalars(select(AuditLog.action).where(AuditLog.case_id == case.id))
        assert "case.assigned" in list(actions)
    assert templates(db, grievance.id)[-1] == "grievance_assigned"


def test_assign_refuses_an_officer_of_another_agency(db, world, grievance):
    with pytest.raises(InvalidInput, match="officer of that agency"):
        assign(db, grievance.id, world.actor("triage_officer"), officer_id=world.other_officer.id)
    with db.read() as session:
        assert session.get(Case, grievance.id).assigned_to_id is None


def test_case_officer_may_take_an_acknowledged_grievance(db, world, grievance):
    transition(db, grievance.id, "acknowledged", world.actor("triage_officer"))
    officer = world.actor("case_officer")
    assign(db, grievance.id, officer, officer_id=officer.staff_id)
    with db.read() as session:
        case = session.get(Case, grievance.id)
        assert (case.status, case.assigned_to_id) == ("assigned", officer.staff_id)
    with pytest.raises(NotPermitted):  # nor move it to another agency
        assign(db, grievance.id, officer, agency_id=world.other.id)


def test_case_officer_may_take_a_case_but_not_give_it_away(db, world, grievance):
    officer = world.actor("case_officer")
    with pytest.raises(NotPermitted):
        assign(db, grievance.id, officer, officer_id=world.staff["supervisor"].id)
    assign(db, grievance.id, officer, officer_id=officer.staff_id)
    with db.read() as session:
        assert session.get(Case, grievance.id).assigned_to_id == officer.staff_id


def test_add_note_internal_sends_nothing_public_note_is_a_message(db, world, grievance):
    internal = add_note(db, grievance.id, world.actor("case_officer"), "Called the office.")
    assert internal.public is False and internal.type == "note"
    assert templates(db, grievance.id) == ["grievance_lodged"]
    public = add_note(
        db, grievance.id, world.actor("case_officer"), "We found your file.", public=True
    )
    assert public.public is True and public.type == "message"
    assert templates(db, grievance.id) == ["grievance_lodged", "case_message"]


def test_add_note_by_the_citizen_is_public_and_sends_them_no_sms(db, world, grievance):
    event = add_note(db, grievance.id, world.actor("citizen"), "Here is my new address.")
    assert event.public is True
    assert templates(db, grievance.id) == ["grievance_lodged"]


def test_add_note_empty_or_on_someone_elses_case_is_refused(db, world, grievance):
    with pytest.raises(InvalidInput, match="Write the note"):
        add_note(db, grievance.id, world.actor("case_officer"), "   ")
    with pytest.raises(NotFound):
        add_note(db, grievance.id, Actor.citizen(None, "web"), "Not mine.")


def test_refer_creates_a_referral_owned_by_the_receiving_agency(db, world, grievance):
    service = world.service  # belongs to the other agency
    referral = refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        source_case_id=grievance.id,
        service_id=service.id,
        reason="Grant stopped.",
        urgency="urgent",
    )
    with db.read() as session:
        stored = session.get(Referral, referral.id)
        assert stored.status == "sent" and stored.channel == "assisted"
        assert (stored.agency_id, stored.from_agency_id) == (world.other.id, world.intake.id)
        assert stored.citizen_id == world.citizen.id
        assert stored.source_case_id == grievance.id
    assert templates(db, referral.id) == ["referral_sent"]
    transition(db, referral.id, "accepted", Actor.staff(world.other_officer))
    assert templates(db, referral.id) == ["referral_sent", "referral_accepted"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"urgency": "whenever"}, "urgency"),
        ({"to_agency_id": 99999}, "agency"),
        ({"citizen_id": None}, "citizen"),
    ],
)
def test_refer_bad_input_stores_nothing(db, world, overrides, field):
    values = {"to_agency_id": world.other.id, "citizen_id": world.citizen.id, "reason": "Why"}
    with pytest.raises(InvalidInput) as error:
        refer(db, world.actor("case_officer"), **(values | overrides))
    assert error.value.field == field
    with db.read() as session:
        assert session.scalars(select(Referral)).all() == []


def test_refer_to_own_agency_or_to_another_agencys_service_is_refused(db, world):
    with pytest.raises(InvalidInput, match="another agency"):
        refer(
            db,
            world.actor("case_officer"),
            to_agency_id=world.intake.id,
            citizen_id=world.citizen.id,
            reason="Why",
        )
    own_service = create_service(db, world.intake)
    with pytest.raises(InvalidInput, match="service of that agency"):
        refer(
            db,
            world.actor("case_officer"),
            to_agency_id=world.other.id,
            citizen_id=world.citizen.id,
            reason="Why",
            service_id=own_service.id,
        )


def test_citizens_and_the_system_cannot_refer(db, world):
    for role in ("citizen", "system"):
        with pytest.raises(NotPermitted):
            refer(
                db,
                world.actor(role),
                to_agency_id=world.other.id,
                citizen_id=world.citizen.id,
                reason="Why",
            )


def test_status_sms_goes_nowhere_for_an_anonymous_grievance(db, world):
    lodged = lodge_grievance(
        db,
        phone="+27830000002",
        category="fraud_corruption",
        description="Bribe asked.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
        anonymous=True,
    )
    transition(db, lodged.grievance.id, "acknowledged", world.actor("triage_officer"))
    assert templates(db, lodged.grievance.id) == ["grievance_lodged_anonymous"]
