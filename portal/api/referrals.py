"""Referrals sent by an agency's system, and finding a citizen by phone number."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app

from casework.api_case_queries import (
    case_detail,
    case_id_in_scope,
    citizen_with_cases,
    directory_ids,
)
from casework.citizen_record import findable_citizen
from casework.errors import N_, InvalidInput
from casework.phones import normalise_phone
from casework.services.refer import refer
from portal.api.blueprint import actor, blueprint, db, responses, spec, write_responses
from portal.api.schemas import CaseDetail, CitizenCases, CitizenQuery, Problem, ReferralIn


@blueprint.post("/referrals")
@spec.validate(
    json=ReferralIn,
    resp=write_responses(HTTP_201=CaseDetail, HTTP_403=Problem, HTTP_404=Problem, HTTP_422=Problem),
    tags=["referrals"],
    operation_id="createReferral",
)
def referral_create(json: ReferralIn) -> Any:
    """Refer a citizen to another agency: the citizen of `source_case`, or the citizen
    with `citizen_phone`. The referral is a case of the receiving agency; the citizen is
    told by SMS."""
    agency_id, service_id = directory_ids(db(), json.to_agency, json.service)
    if agency_id is None:
        raise InvalidInput("to_agency", N_("Choose an agency from the list"))
    if json.service and service_id is None:
        raise InvalidInput("service", N_("Choose a service of that agency"))
    source_case_id = citizen_id = None
    if json.source_case:
        source_case_id = case_id_in_scope(db(), actor(), json.source_case)
        if source_case_id is None:
            abort(404)
    elif json.citizen_phone:
        citizen_id = findable_citizen(db(), actor(), _phone(json.citizen_phone))
        if citizen_id is None:
            abort(404)
    else:
        raise InvalidInput("source_case", N_("Choose the citizen to refer"))
    referral = refer(
        db(),
        actor(),
        to_agency_id=agency_id,
        reason=json.reason,
        urgency=json.urgency,
        citizen_id=citizen_id,
        source_case_id=source_case_id,
        service_id=service_id,
    )
    return CaseDetail.model_validate(case_detail(db(), actor(), referral.reference)), 201


@blueprint.get("/citizens")
@spec.validate(
    query=CitizenQuery,
    resp=responses(HTTP_200=CitizenCases, HTTP_404=Problem, HTTP_422=Problem),
    tags=["citizens"],
    operation_id="findCitizen",
)
def citizen_lookup(query: CitizenQuery) -> Any:
    """The citizen with this phone number and their cases this key may see. A citizen
    with no case in scope is not found, exactly like a number nobody has. Audited."""
    found = citizen_with_cases(db(), actor(), _phone(query.phone))
    if found is None:
        abort(404)
    return CitizenCases.model_validate(found)


def _phone(raw: str) -> str:
    return normalise_phone(raw, current_app.config["PORTAL_COUNTRY"], mobile_only=False)
