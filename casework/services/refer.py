"""Sending a citizen from one agency to another's service."""

from __future__ import annotations

from casework.actors import Actor
from casework.database import Database
from casework.errors import N_, InvalidInput, NotFound, NotPermitted
from casework.models import Agency, Case, Channel, Citizen, Referral, Service, utcnow
from casework.privacy import follow_with_notice
from casework.recording import audit, insert_case, queue_sms, record_event
from casework.workflows import CASEWORK, REFERRAL, TRIAGE
from casework.working_days import add_working_days

URGENCY_WORKING_DAYS = {"urgent": 1, "high": 2, "normal": 5}
REASON_MAX = 2000


def refer(
    db: Database,
    actor: Actor,
    *,
    to_agency_id: int,
    reason: str,
    urgency: str = "normal",
    citizen_id: int | None = None,
    source_case_id: int | None = None,
    service_id: int | None = None,
) -> Referral:
    """Refer the citizen (given directly, or as the citizen of `source_case_id`).

    The referral is a case of its own, owned by the receiving agency and due by urgency;
    the citizen gets an SMS that it was sent.
    """
    if not actor.is_staff_like or actor.role not in CASEWORK | {TRIAGE}:
        raise NotPermitted(N_("Your role cannot refer citizens"))
    if urgency not in URGENCY_WORKING_DAYS:
        raise InvalidInput("urgency", N_("Choose how urgent this is"))
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("reason", N_("Give a reason for the referral"))
    if len(text) > REASON_MAX:
        raise InvalidInput(
            "reason", N_("The reason must be %(limit)s characters or fewer"), limit=REASON_MAX
        )
    with db.transaction() as session:
        if session.get(Agency, to_agency_id) is None:
            raise InvalidInput("agency", N_("Choose an agency from the list"))
        if to_agency_id == actor.agency_id:
            raise InvalidInput("agency", N_("Choose another agency than your own"))
        service = session.get(Service, service_id) if service_id is not None else None
        if service_id is not None and (service is None or service.agency_id != to_agency_id):
            raise InvalidInput("service", N_("Choose a service of that agency"))
        if source_case_id is not None:
            source = session.get(Case, source_case_id)
            if source is None:
                raise NotFound(N_("We could not find that case"))
            citizen_id = source.citizen_id
        citizen = session.get(Citizen, citizen_id) if citizen_id is not None else None
        if citizen is None:
            raise InvalidInput("citizen", N_("Choose the citizen to refer"))
        referral = Referral(
            kind=REFERRAL.kind,
            status=REFERRAL.initial,
            citizen=citizen,
            agency_id=to_agency_id,
            from_agency_id=actor.agency_id,
            service=service,
            source_case_id=source_case_id,
            reason=text,
            urgency=urgency,
            # An officer refers on the citizen's behalf; an agency system through the API.
            channel=Channel.API.value
            if actor.channel == Channel.API.value
            else Channel.ASSISTED.value,
            language=citizen.language,
            due_at=add_working_days(utcnow(), URGENCY_WORKING_DAYS[urgency]),
        )
        insert_case(session, referral)
        event = record_event(
            session, referral, actor, "created", public=True, to_status=REFERRAL.initial
        )
        audit(
            session,
            actor,
            "referral.sent",
            case=referral,
            detail={"to_agency": to_agency_id, "urgency": urgency},
        )
        agency = session.get(Agency, to_agency_id)
        told = queue_sms(
            session,
            referral,
            event,
            REFERRAL.created_template,
            params={"agency": agency.short_name if agency else ""},
        )
        if told is not None and told.to:
            # Staff gave us this number: if its owner never saw the notice, it follows.
            follow_with_notice(session, told.to, told.language)
    return referral
