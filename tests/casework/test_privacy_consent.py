"""Consent to the privacy notice: recorded where a citizen gives us personal information
(when, channel, which version), once per channel and version; none for anonymous
complaints; the SMS notice for numbers that never had it (here: a staff referral)."""

from __future__ import annotations

from sqlalchemy import select

from casework.migrate import downgrade, upgrade
from casework.models import Case, CaseEvent, Citizen, OutboundMessage, PrivacyConsent, utcnow
from casework.privacy import NOTICE_VERSION, privacy_shortcut
from casework.services import lodge_grievance, refer, submit_application
from casework.services.sign_in import check_sign_in_code, send_sign_in_code
from tests.casework.scenes import build_world
from tests.factories import create_service
from tests.portal.web import last_code

PHONE = "+27821234567"


def consents(db) -> list[tuple[int | None, str | None, str, str, str]]:
    with db.read() as session:
        return [
            (c.citizen_id, c.phone, c.channel, c.how, c.notice_version)
            for c in session.scalars(select(PrivacyConsent).order_by(PrivacyConsent.id))
        ]


def complain(db, **overrides):
    values = {
        "phone": PHONE,
        "category": "service_delay",
        "description": "Nobody called me back.",
        "channel": "ussd",
        "language": "en",
        "country": "ZA",
        "district": "eThekwini",
        "privacy_consent": True,
    }
    return lodge_grievance(db, **(values | overrides))


def test_a_named_complaint_sent_under_the_notice_records_consent_once_per_channel(db):
    build_world(db)
    before = utcnow()
    first = complain(db).grievance
    complain(db, description="And again.")
    complain(db, channel="web", description="From the web this time.")
    citizen_id = first.citizen_id
    assert consents(db) == [
        (citizen_id, None, "ussd", "agreed", NOTICE_VERSION),
        (citizen_id, None, "web", "agreed", NOTICE_VERSION),
    ]
    with db.read() as session:
        at = session.scalars(select(PrivacyConsent.at)).first()
    assert before <= at <= utcnow()


def test_an_anonymous_complaint_keeps_no_number_and_records_no_consent(db):
    build_world(db)
    complain(db, anonymous=True)
    assert consents(db) == []


def test_an_application_sent_under_the_notice_records_consent(db):
    world = build_world(db)
    service = create_service(db, world.intake, channels=["web", "ussd"])
    application = submit_application(
        db,
        phone="+27829990001",
        service_id=service.id,
        answers={"children": 2},
        channel="web",
        language="en",
        privacy_consent=True,
    )
    assert consents(db) == [(application.citizen_id, None, "web", "agreed", NOTICE_VERSION)]


def test_signing_in_on_the_web_records_consent(db):
    send_sign_in_code(db, PHONE, "en")
    citizen = check_sign_in_code(db, PHONE, last_code(db, PHONE), language="en", country="ZA")
    assert citizen is not None
    assert consents(db) == [(citizen.id, None, "web", "agreed", NOTICE_VERSION)]


def notices(db) -> list[tuple[str, str]]:
    with db.read() as session:
        return list(
            session.execute(
                select(OutboundMessage.to, OutboundMessage.language)
                .where(OutboundMessage.template == "privacy_notice")
                .order_by(OutboundMessage.id)
            )
        )


def test_a_citizen_referred_by_staff_gets_the_notice_after_the_referral_sms_once(db):
    world = build_world(db)  # its citizen never used a channel: staff gave us the number
    officer = world.actor("case_officer")
    for _ in range(2):
        refer(
            db,
            officer,
            to_agency_id=world.other.id,
            reason="Needs food parcels",
            citizen_id=world.citizen.id,
        )
    assert notices(db) == [(world.citizen.phone, "zu")]
    with db.read() as session:
        templates = list(
            session.scalars(select(OutboundMessage.template).order_by(OutboundMessage.id))
        )
    assert templates == ["referral_sent", "privacy_notice", "referral_sent"]
    assert consents(db) == [(world.citizen.id, None, "sms", "notified", NOTICE_VERSION)]


def test_a_citizen_who_agreed_on_a_channel_is_not_texted_the_notice(db):
    world = build_world(db)
    complain(db, phone="+27829990002")  # agreed by USSD
    with db.read() as session:
        citizen_id = session.scalar(select(Citizen.id).where(Citizen.phone == "+27829990002"))
    refer(
        db,
        world.actor("case_officer"),
        to_agency_id=world.other.id,
        reason="Food",
        citizen_id=citizen_id,
    )
    assert notices(db) == []


def test_the_privacy_code_is_the_ussd_code_with_the_menu_key():
    assert privacy_shortcut("*120*3210#") == "*120*3210*6#"
    assert privacy_shortcut("*384*12#") == "*384*12*6#"


def test_going_back_before_0007_keeps_every_case(db, database_url):
    """0007's downgrade drops a column of `cases`: done natively, never by copying the
    table (which on SQLite would cascade-delete every case's rows)."""
    build_world(db)
    lodged = complain(db).grievance
    db.engine.dispose()
    downgrade(database_url, "0006")
    upgrade(database_url)
    with db.read() as session:
        assert session.get(Case, lodged.id) is not None
        assert session.scalars(select(CaseEvent).where(CaseEvent.case_id == lodged.id)).all()
