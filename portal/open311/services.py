"""GET Service List and GET Service Definition: one Open311 service per grievance
category, each with the same three attributes.

Why categories, not the directory's services: a grievance is filed, triaged and given its
deadline by category, and partners' apps show a short list of request types to choose
from. Every directory service times every kind of complaint would be a list nobody
could choose from, and it would say nothing the category does not. Which directory
service a complaint is about is an attribute instead (a `singlevaluelist`, optional): it
sends the complaint to the office of the agency that delivers the service.
"""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue

from casework.grievance_categories import BY_CODE, CATEGORIES, GrievanceCategory
from casework.open311_directory import GrievanceChoices, grievance_choices
from portal.open311.blueprint import blueprint
from portal.open311.catalogue import listing, promise
from portal.open311.errors import Open311Error
from portal.open311.formats import render
from portal.services import get_db

FORMAT = "<any(json, xml):fmt>"
# The attributes a POST may send (`attribute[code]=value`); see `attributes` below.
ATTRIBUTE_CODES = ("service", "district", "anonymous")
YES_NO = ("true", "false")


@blueprint.get(f"/services.{FORMAT}")
def service_list(fmt: str) -> ResponseReturnValue:
    return render(fmt, "services", [_service(category) for category in CATEGORIES])


@blueprint.get(f"/services/<service_code>.{FORMAT}")
def service_definition(fmt: str, service_code: str) -> ResponseReturnValue:
    category = category_for(service_code)
    definition = {
        "service_code": category.code,
        "attributes": attributes(grievance_choices(get_db())),
    }
    return render(fmt, "service_definition", definition)


def category_for(service_code: str | None) -> GrievanceCategory:
    if not service_code:
        raise Open311Error(400, "service_code was not provided")
    category = BY_CODE.get(service_code)
    if category is None:
        raise Open311Error(404, f"service_code {service_code!r} was not found")
    return category


def _service(category: GrievanceCategory) -> dict[str, Any]:
    words = listing(category)
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": f"{words.description} {promise(category.code)}",
        "metadata": True,  # every category has the attributes below
        "type": "realtime",  # the reference comes back at once
        "keywords": words.keywords,
        "group": words.group,
    }


def attributes(choices: GrievanceChoices) -> list[dict[str, Any]]:
    """None is required: a point, an address or an address id says where as well as a
    district does, and most complaints are about no one service."""
    return [
        _attribute(
            1,
            "service",
            "Which service is the complaint about?",
            "A service from the directory, if the complaint is about one: it goes to the"
            " office of the agency that delivers it, in the district of the complaint.",
            [{"key": choice.key, "name": choice.name} for choice in choices.services],
        ),
        _attribute(
            2,
            "district",
            "Which district did it happen in?",
            "Needed when lat/long, address_string or address_id do not say where. Given,"
            " it is used rather than the district nearest lat/long.",
            [{"key": name, "name": name} for name in choices.districts],
        ),
        _attribute(
            3,
            "anonymous",
            "Should the complaint be anonymous?",
            "true: the phone number only gets the reference and PIN by SMS and is not kept"
            " with the complaint. Without a phone number a complaint is always anonymous.",
            [{"key": "true", "name": "Yes, anonymous"}, {"key": "false", "name": "No"}],
        ),
    ]


def _attribute(
    order: int, code: str, description: str, explained: str, values: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": explained,
        "order": order,
        "description": description,
        "values": values,
    }
