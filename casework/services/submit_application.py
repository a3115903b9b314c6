"""A citizen applies for a service from the directory."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload

from casework.actors import Actor
from casework.application_fields import validate_answers
from casework.citizens import find_or_register_citizen
from casework.database import Database
from casework.errors import N_, InvalidInput, NotPermitted
from casework.models import Application, Channel, Document, Service, utcnow
from casework.privacy import record_consent
from casework.recording import (
    audit,
    case_for_idempotency_key,
    insert_case,
    queue_sms,
    record_event,
)
from casework.workflows import APPLICATION
from casework.working_days import add_working_days

# Officers and the API apply on a citizen's behalf for any service.
_ALWAYS_OPEN = {Channel.ASSISTED.value, Channel.API.value}


def submit_application(
    db: Database,
    *,
    phone: str,
    service_id: int,
    answers: dict[str, Any],
    channel: str,
    language: str,
    name: str | None = None,
    national_id: str | None = None,
    idempotency_key: str | None = None,
    documents: list[dict[str, Any]] | None = None,
    recorded_by: Actor | None = None,
    privacy_consent: bool = False,
) -> Application:
    """Check the answers against the service's form, record the application, confirm by SMS.

    The due date is the service level, in working days from now. `documents` are files
    already stored (casework.documents.store), as `StoredFile.as_dict()`. `recorded_by` is
    the officer who filled it in with the citizen (channel "assisted").
    `privacy_consent`: the citizen sent it under the privacy notice; recorded with it.
    """
    with db.transaction() as session:
        earlier = case_for_idempotency_key(session, idempotency_key)
        if isinstance(earlier, Application):
            return earlier
        # Its agency (the country) and texts (the SMS) in the same query.
        service = session.get(
            Service, service_id, options=[joinedload(Service.agency), joinedload(Service.texts)]
        )
        if service is None or not service.active:
            raise InvalidInput("service", N_("Choose a service from the list"))
        if channel not in service.channels and channel not in _ALWAYS_OPEN:
            raise NotPermitted(N_("You cannot apply for this service here"))
        country = service.agency.country
        clean = validate_answers(
            service.application_fields, answers, channel=channel, country=country
        )
        citizen = find_or_register_citizen(
            session,
            phone,
            language=language,
            country=country,
            name=name,
            national_id=national_id,
        )
        if privacy_consent:
            record_consent(session, citizen, channel)
        application = Application(
            kind=APPLICATION.kind,
            status=APPLICATION.initial,
            citizen=citizen,
            agency_id=service.agency_id,
            channel=channel,
            language=language,
            service=service,
            answers=clean,
            due_at=add_working_days(utcnow(), service.service_level_days),
            idempotency_key=idempotency_key,
        )
        insert_case(session, application)
        for document in documents or ():
            session.add(Document(case_id=application.id, **document))
        actor = recorded_by or Actor.citizen(citizen.id, channel)
        event = record_event(
            session, application, actor, "created", public=True, to_status=APPLICATION.initial
        )
        audit(
            session,
            actor,
            "application.submitted",
            case=application,
            detail={"service": service.code},
        )
        queue_sms(
            session,
            application,
            event,
            APPLICATION.created_template,
            params={"service": service.text(citizen.language).short_name},
        )
    return application
