"""Every transition each workflow allows, for every role that may make it, and every one it
forbids: by the pair of statuses, or by the role."""

import pytest
from sqlalchemy import select

from casework.actors import Actor
from casework.errors import InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from casework.models import AuditLog, Case, CaseEvent, OutboundMessage
from casework.services import lodge_grievance, refer, submit_application, transition
from casework.workflows import ALL_ROLES, WORKFLOWS
from tests.casework.scenes import build_world
from tests.factories import set_status

TRANSITIONS = [
    pytest.param(step, id=f"{kind}:{step.source}->{step.target}")
    for kind, workflow in WORKFLOWS.items()
    for step in workflow.transitions
]
FORBIDDEN_PAIRS = [
    pytest.param(kind, source, id=f"{kind}:{source}")
    for kind, workflow in WORKFLOWS.items()
    for source in workflow.statuses
]


@pytest.fixture
def world(db):
    return build_world(db)


def new_case(db, world, kind):
    if kind == "grievance":
        return lodge_grievance(
            db,
            phone=world.citizen.phone,
            category="payment",
            description="No payment.",
            channel="web",
            language="zu",
            country="ZA",
            district="eThekwini",
        ).grievance
    if kind == "application":
        return submit_application(
            db,
            phone=world.citizen.phone,
            service_id=world.intake_service.id,
            answers={"children": 2},
            channel="web",
            language="zu",
        )
    return refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        citizen_id=world.citizen.id,
        reason="Needs a grant.",
    )


def test_workflows_only_name_their_own_statuses():
    for workflow in WORKFLOWS.values():
        assert workflow.initial in workflow.statuses
        for step in workflow.transitions:
            assert {step.source, step.target} <= set(workflow.statuses)
            assert step.roles <= ALL_ROLES
        # Every status can be reached, and every non-final status can be left.
        reachable = {workflow.initial} | {step.target for step in workflow.transitions}
        assert reachable == set(workflow.statuses)
        for status in set(workflow.statuses) - workflow.final:
            assert workflow.targets(status), f"{workflow.kind}: {status} is a dead end"


@pytest.mark.parametrize("step", TRANSITIONS)
def test_transition_allowed_for_each_permitted_role(db, world, step):
    kind = next(k for k, w in WORKFLOWS.items() if step in w.transitions)
    for role in sorted(step.roles):
        case = new_case(db, world, kind)
        set_status(db, case, step.source)
        # A referral is answered by the agency it was sent to, and called off by the sender.
        receiving = kind == "referral" and step.target != "cancelled"
        actor = world.actor(role, receiving=receiving)
        event = transition(db, case.id, step.target, actor, reason="Because.")
        with db.read() as session:
            assert session.get(Case, case.id).status == step.target, role
            stored = session.get(CaseEvent, event.id)
            assert (stored.from_status, stored.to_status) == (step.source, step.target)
            # The citizen sees the steps they are told about, and only those.
            assert stored.public is (step.template is not None)
            assert session.scalar(
                select(AuditLog.id).where(
                    AuditLog.case_id == case.id, AuditLog.action == "case.transition"
                )
            )
            sms = session.scalars(
                select(OutboundMessage).where(OutboundMessage.case_event_id == event.id)
            ).all()
        assert [m.template for m in sms] == ([step.template] if step.template else []), role
        if step.template:
            assert sms[0].to == world.citizen.phone and sms[0].language == "zu"


@pytest.mark.parametrize("step", TRANSITIONS)
def test_transition_forbidden_for_every_other_role(db, world, step):
    kind = next(k for k, w in WORKFLOWS.items() if step in w.transitions)
    case = new_case(db, world, kind)
    set_status(db, case, step.source)
    for role in sorted(ALL_ROLES - step.roles):
        with pytest.raises(NotPermitted):
            transition(db, case.id, step.target, world.actor(role), reason="Because.")
    with db.read() as session:
        assert session.get(Case, case.id).status == step.source


@pytest.mark.parametrize(("kind", "source"), FORBIDDEN_PAIRS)
def test_transition_not_in_the_workflow_is_refused_for_everyone(db, world, kind, source):
    workflow = WORKFLOWS[kind]
    case = new_case(db, world, kind)
    set_status(db, case, source)
    allowed = set(workflow.targets(source))
    for target in [*workflow.statuses, "nonsense"]:
        if target in allowed:
            continue
        with pytest.raises(TransitionNotAllowed):
            transition(db, case.id, target, world.actor("administrator"), reason="Because.")
    with db.read() as session:
        assert session.get(Case, case.id).status == source
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
        assert len(events) == 1


def test_transition_requiring_a_reason_refuses_without_one(db, world):
    case = new_case(db, world, "grievance")
    with pytest.raises(InvalidInput, match="Give a reason"):
        transition(db, case.id, "rejected", world.actor("triage_officer"), reason="  ")
    event = transition(db, case.id, "rejected", world.actor("triage_officer"), reason="Duplicate")
    assert event.body == "Duplicate"


def test_transition_to_a_final_status_closes_the_case(db, world):
    case = new_case(db, world, "grievance")
    set_status(db, case, "in_progress")
    transition(db, case.id, "resolved", world.actor("case_officer"), reason="Paid on 3 May.")
    with db.read() as session:
        assert session.get(Case, case.id).closed_at is None
    transition(db, case.id, "closed", world.actor("citizen"))
    with db.read() as session:
        assert session.get(Case, case.id).closed_at is not None


def test_citizen_cannot_move_someone_elses_case(db, world):
    case = new_case(db, world, "application")
    stranger = Actor.citizen(world.citizen.id + 1000, "web")
    with pytest.raises(NotFound):
        transition(db, case.id, "withdrawn", stranger)


def test_nobody_without_a_citizen_id_can_act_as_the_owner_of_an_anonymous_grievance(db, world):
    anonymous = lodge_grievance(
        db,
        phone="+27830000003",
        category="fraud_corruption",
        description="Bribe.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
        anonymous=True,
    ).grievance
    set_status(db, anonymous, "resolved")
    with pytest.raises(NotFound):
        transition(db, anonymous.id, "closed", Actor.citizen(None, "ussd"))


def test_staff_cannot_change_another_agencys_case(db, world):
    application = new_case(db, world, "application")  # the intake agency's
    outsider = Actor.staff(world.other_officer)
    with pytest.raises(NotFound):
        transition(db, application.id, "under_review", outsider)
    grievance = new_case(db, world, "grievance")
    with pytest.raises(NotFound):
        transition(db, grievance.id, "escalated", outsider, reason="Not mine.")
    # Both agencies of a referral work on it.
    referral = new_case(db, world, "referral")
    transition(db, referral.id, "accepted", outsider)
    transition(db, referral.id, "cancelled", world.actor("case_officer"), reason="Moved away.")
