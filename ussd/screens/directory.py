"""Find a service: who qualifies, what to bring, where to go and when, and how to apply."""

from __future__ import annotations

from typing import Any

from casework.directory import CATEGORIES
from casework.errors import N_
from ussd.directory_cache import cache
from ussd.screen_kit import Context, Go, Info, Menu, Outcome, Screen
from ussd.screens.apply import CHANNEL as APPLY_CHANNEL
from ussd.screens.apply import first_question

TOPICS = (
    ("eligibility", N_("Who qualifies")),
    ("documents", N_("Documents to bring")),
    ("offices", N_("Where to go and hours")),
    ("cost", N_("Cost")),
)


def show_category(ctx: Context, data: dict[str, Any]) -> Menu:
    labels = [ctx.gettext(CATEGORIES[code]) for code in cache.categories(ctx.db)]
    return Menu(ctx.gettext("Find a service:"), labels)


def answer_category(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    return Go("find_service", {"category": cache.categories(ctx.db)[index]})


def show_service(ctx: Context, data: dict[str, Any]) -> Menu:
    services = cache.services_in_category(ctx.db, data["category"], ctx.language)
    return Menu(ctx.gettext("Choose a service"), [s.short_name for s in services])


def answer_service(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    service = cache.services_in_category(ctx.db, data["category"], ctx.language)[index]
    return Go("find_detail", {"service_id": service.id})


def _options(ctx: Context, data: dict[str, Any]) -> tuple[Any, list[str]]:
    detail = cache.service_detail(ctx.db, data["service_id"], ctx.language)
    options = [ctx.gettext(label) for _, label in TOPICS]
    if detail is not None and APPLY_CHANNEL in detail.summary.channels:
        options.append(ctx.gettext("Apply now"))
    return detail, options


def show_detail(ctx: Context, data: dict[str, Any]) -> Menu:
    detail, options = _options(ctx, data)
    return Menu(detail.summary.short_name if detail else "", options)


def answer_detail(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    if index == len(TOPICS):
        return first_question(ctx, data["service_id"])
    topic = TOPICS[index][0]
    if topic == "offices":
        return Go("find_offices")
    return Go("find_info", {"topic": topic})


def show_info(ctx: Context, data: dict[str, Any]) -> Info:
    detail = cache.service_detail(ctx.db, data["service_id"], ctx.language)
    if detail is None:
        return Info(ctx.gettext("This service is no longer listed."))
    if data["topic"] == "documents":
        return Info("; ".join(detail.required_documents))
    if data["topic"] == "cost":
        return Info(detail.cost)
    return Info(detail.eligibility)


def show_offices(ctx: Context, data: dict[str, Any]) -> Menu:
    detail = cache.service_detail(ctx.db, data["service_id"], ctx.language)
    offices = detail.offices if detail else ()
    return Menu(ctx.gettext("Where to go:"), [f"{o.name} ({o.district})" for o in offices])


def answer_offices(ctx: Context, data: dict[str, Any], index: int) -> Outcome:
    detail = cache.service_detail(ctx.db, data["service_id"], ctx.language)
    return Go("find_office", {"office_index": index}) if detail else Go("find_category")


def show_office(ctx: Context, data: dict[str, Any]) -> Info:
    detail = cache.service_detail(ctx.db, data["service_id"], ctx.language)
    if detail is None or data["office_index"] >= len(detail.offices):
        return Info(ctx.gettext("This service is no longer listed."))
    office = detail.offices[data["office_index"]]
    hours = "; ".join(f"{h['days']} {h['opens']}-{h['closes']}" for h in office.opening_hours)
    lines = [office.name, office.address, hours]
    if office.phone:
        lines.append(ctx.gettext("Phone: %(phone)s") % {"phone": office.phone})
    return Info("\n".join(lines))


SCREENS = {
    "find_category": Screen(show_category, answer_category),
    "find_service": Screen(show_service, answer_service),
    "find_detail": Screen(show_detail, answer_detail),
    "find_info": Screen(show_info),
    "find_offices": Screen(show_offices, answer_offices),
    "find_office": Screen(show_office),
}
