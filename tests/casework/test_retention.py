"""Retention: closed cases older than the retention age lose every personal detail and
keep their statistics; open and recent cases are untouched; a dry run changes nothing;
running twice changes nothing more."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from casework import documents
from casework.actors import Actor
from casework.dashboard import dashboard_figures
from casework.models import (
    Application,
    AuditLog,
    Case,
    CaseEvent,
    Citizen,
    Document,
    Grievance,
    InboundMessage,
    OutboundMessage,
    SignInCode,
    utcnow,
)
from casework.retention import anonymise_old_cases
from casework.services import add_note, lodge_grievance, submit_application
from casework.services.inbox import attach_inbound
from casework.services.sign_in import send_sign_in_code
from casework.services.sms_requests import receive_sms
from casework.services.triage import message_citizen
from tests.casework.scenes import World, build_world
from tests.factories import create_service

NOW = utcnow()
FIVE_YEARS = dt.timedelta(days=1825)
OLD = NOW - dt.timedelta(days=2000)
RECENT = NOW - dt.timedelta(days=30)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GONE_PHONE, KEPT_PHONE, RECENT_PHONE = "+27825550001", "+27825550002", "+27825550003"
SA_ID = "8001015009087"
WORDS = "My neighbour hits me; he knows I am alone"
FIELDS = [
    {"name": "children", "type": "number", "label": {"en": "Children?"}, "max": 20},
    {"name": "married", "type": "yes_no", "label": {"en": "Married?"}},
    {
        "name": "grant",
        "type": "choice",
        "label": {"en": "Which grant?"},
        "choices": [{"value": "child", "label": {"en": "Child"}}],
    },
    {"name": "child_id", "type": "id_number", "label": {"en": "Child's ID"}},
    {"name": "born", "type": "date", "label": {"en": "Born"}},
    {"name": "story", "type": "text", "label": {"en": "Tell us more"}},
]
ANSWERS = {
    "children": 2,
    "married": False,
    "grant": "child",
    "child_id": SA_ID,
    "born": "1980-01-01",
    "story": WORDS,
}


@dataclass
class Scene:
    world: World
    old_grievance: int
    old_application: int
    anonymous: int
    kept_citizens_old: int
    kept_citizens_open: int
    recent: int
    files: Path


def complain(db, phone, **overrides):
    values = {
        "phone": phone,
        "category": "staff_conduct",
        "description": WORDS,
        "channel": "ussd",
        "language": "en",
        "country": "ZA",
        "district": "eThekwini",
    }
    return lodge_grievance(db, **(values | overrides)).grievance


def close(db, case_id: int, status: str, at: dt.datetime) -> None:
    with db.transaction() as session:
        case = session.get(Case, case_id)
        case.status, case.closed_at = status, at


@pytest.fixture
def scene(db, tmp_path) -> Scene:
    world = build_world(db)
    officer = world.actor("triage_officer")
    files = tmp_path / "documents"
    service = create_service(db, world.intake, application_fields=FIELDS)
    stored = documents.store(files, io.BytesIO(PNG), "my id.png").as_dict()

    gone = complain(db, GONE_PHONE, name="Thandi Mokoena")
    add_note(db, gone.id, officer, f"Her brother called from 0821234567 about {WORDS}")
    message_citizen(db, gone.id, officer, "Please come in with your ID on Monday")
    receive_sms(
        db,
        gateway_id="in-1",
        sender=GONE_PHONE,
        to="32100",
        text=f"It happened again. {WORDS}",
        link_id=None,
        received_at=OLD,
        command="other",
        reply_template="reply_received",
        reply_params={},
        reply_language="en",
    )
    with db.read() as session:
        inbound_id = session.scalar(select(InboundMessage.id))
    attach_inbound(db, inbound_id, officer, gone.reference)
    send_sign_in_code(db, GONE_PHONE, "en")
    application = submit_application(
        db,
        phone=GONE_PHONE,
        service_id=service.id,
        answers=ANSWERS,
        channel="web",
        language="en",
        national_id=SA_ID,
        documents=[stored],
    )
    anonymous = complain(db, None, anonymous=True)
    kept_old = complain(db, KEPT_PHONE)
    kept_open = complain(db, KEPT_PHONE, description="Still waiting for my grant")
    recent = complain(db, RECENT_PHONE)
    for case_id, status, at in (
        (gone.id, "closed", OLD),
        (application.id, "approved", OLD),
        (anonymous.id, "closed", OLD),
        (kept_old.id, "closed", OLD),
        (recent.id, "closed", RECENT),
    ):
        close(db, case_id, status, at)
    return Scene(
        world, gone.id, application.id, anonymous.id, kept_old.id, kept_open.id, recent.id, files
    )


def statistics(db) -> list[tuple]:
    """What the dashboard and exports count, per case."""
    with db.read() as session:
        return [
            (c.id, c.kind, c.status, c.channel, c.agency_id, c.created_at, c.closed_at)
            + ((c.category, c.district, c.office_id) if isinstance(c, Grievance) else ())
            for c in session.scalars(select(Case).order_by(Case.id))
        ]


def run(db, scene, **options):
    return anonymise_old_cases(
        db, older_than=FIVE_YEARS, documents_dir=scene.files, now=NOW, **options
    )


def test_old_closed_cases_lose_every_personal_detail(db, scene):
    result = run(db, scene)
    assert (result.cases, result.citizens, result.documents) == (4, 1, 1)
    with db.read() as session:
        grievance = session.get(Grievance, scene.old_grievance)
        assert grievance.description == "" and grievance.anonymised_at is not None
        bodies = session.scalars(
            select(CaseEvent.body).where(CaseEvent.case_id == scene.old_grievance)
        ).all()
        assert bodies and set(bodies) == {None}  # the note, the message, the attached SMS
        application = session.get(Application, scene.old_application)
        assert application.answers == {"children": 2, "married": False, "grant": "child"}
        assert session.scalars(select(Document)).all() == []
        inbound = session.scalars(select(InboundMessage)).one()
        assert (inbound.text, inbound.sender) == ("", None)
        for message in session.scalars(
            select(OutboundMessage).where(
                OutboundMessage.case_id.in_([scene.old_grievance, scene.old_application])
            )
        ):
            assert message.to is None and "text" not in message.params
        citizen = session.get(Citizen, grievance.citizen_id)
        assert (citizen.phone, citizen.name, citizen.national_id) == (None, None, None)
        assert citizen.language == "en"  # a statistic, not an identity
        assert session.scalars(select(SignInCode)).all() == []
        assert not session.scalars(
            select(OutboundMessage).where(OutboundMessage.to == GONE_PHONE)
        ).all()
        assert session.scalar(select(Grievance.pin_hash).where(Grievance.anonymous)) is None
    assert list(scene.files.iterdir()) == []


def test_open_and_recently_closed_cases_and_their_citizens_are_untouched(db, scene):
    run(db, scene)
    with db.read() as session:
        still_open = session.get(Grievance, scene.kept_citizens_open)
        recent = session.get(Grievance, scene.recent)
        assert still_open.description == "Still waiting for my grant"
        assert recent.description == WORDS and recent.anonymised_at is None
        # A citizen with an open case keeps their number; only their old case is emptied.
        assert still_open.citizen.phone == KEPT_PHONE
        assert session.get(Grievance, scene.kept_citizens_old).description == ""
        assert recent.citizen.phone == RECENT_PHONE
        assert session.scalar(select(Citizen.id).where(Citizen.phone == scene.world.citizen.phone))


def test_statistics_and_the_dashboard_count_anonymised_cases_the_same(db, scene):
    admin = Actor.staff(scene.world.staff["administrator"])
    before, figures = statistics(db), dashboard_figures(db, admin, now=NOW)
    run(db, scene)
    after = dashboard_figures(db, admin, now=NOW)
    assert statistics(db) == before
    assert (after.by_status, after.by_channel, after.by_district, after.by_category) == (
        figures.by_status,
        figures.by_channel,
        figures.by_district,
        figures.by_category,
    )
    assert after.total == 5


def test_a_dry_run_counts_what_would_go_and_changes_nothing(db, scene):
    before = statistics(db)
    with db.read() as session:
        words = session.scalars(select(Grievance.description).order_by(Grievance.id)).all()
    dry = run(db, scene, dry_run=True)
    assert (dry.cases, dry.citizens, dry.documents, dry.dry_run) == (4, 1, 1, True)
    with db.read() as session:
        assert session.scalars(select(Grievance.description).order_by(Grievance.id)).all() == words
        assert session.scalar(select(Citizen.id).where(Citizen.phone == GONE_PHONE))
        assert not session.scalars(
            select(AuditLog).where(AuditLog.action.like("retention.%"))
        ).all()
    assert statistics(db) == before and len(list(scene.files.iterdir())) == 1
    real = run(db, scene)
    assert (real.cases, real.citizens, real.documents) == (dry.cases, dry.citizens, dry.documents)


def test_running_again_changes_nothing_and_the_audit_holds_counts_only(db, scene):
    run(db, scene, batch_size=1)  # one case a transaction: every batch is audited
    again = run(db, scene)
    assert (again.cases, again.citizens, again.documents) == (0, 0, 0)
    with db.read() as session:
        audited = session.scalars(
            select(AuditLog).where(AuditLog.action.like("retention.%")).order_by(AuditLog.id)
        ).all()
    assert [row.action for row in audited] == ["retention.cases_anonymised"] * 4 + [
        "retention.citizens_anonymised"
    ]
    assert sum(row.detail["cases"] for row in audited[:4]) == 4
    for row in audited:
        assert row.actor_type == "system" and row.case_id is None and row.citizen_id is None
        assert set(row.detail) <= {"cases", "documents", "citizens"}
        assert all(isinstance(value, int) for value in row.detail.values())
