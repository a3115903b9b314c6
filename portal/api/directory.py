"""The directory as agencies' systems need it: who can be referred to, and for what."""

from __future__ import annotations

from typing import Any

from flask import current_app

from casework.directory import agency_records, list_services
from portal.api.blueprint import blueprint, db, responses, spec
from portal.api.schemas import AgencyList, LanguageQuery, Problem, ServiceList


@blueprint.get("/directory/agencies")
@spec.validate(resp=responses(HTTP_200=AgencyList), tags=["directory"], operation_id="listAgencies")
def agencies_list() -> Any:
    """Every agency, with its code (what a referral names)."""
    return AgencyList.model_validate({"agencies": agency_records(db())})


@blueprint.get("/directory/services")
@spec.validate(
    query=LanguageQuery,
    resp=responses(HTTP_200=ServiceList, HTTP_422=Problem),
    tags=["directory"],
    operation_id="listServices",
)
def services_list(query: LanguageQuery) -> Any:
    """Active services, with their texts in `language` (English where not translated).
    The whole directory, with locations and schedules, is also published as Open Referral
    HSDS at `/open-referral/`."""
    language = query.language
    if language not in current_app.config["PORTAL_LANGUAGES"]:
        language = "en"
    services = [
        {
            "code": service.code,
            "agency": service.agency_code,
            "category": service.category,
            "name": service.name,
            "short_name": service.short_name,
            "description": service.description,
            "language": service.language,
            "channels": list(service.channels),
        }
        for service in list_services(db(), language)
    ]
    return ServiceList.model_validate({"services": services})
