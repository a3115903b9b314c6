"""How each kind of generated case plays out: who lodges it, who answers it, how long
each step takes and how often a case goes the other way (rejected, declined, reopened).
The figures are plausible guesses for a busy provincial deployment, not measurements."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from casework.generate_data.answers import application_answers
from casework.generate_data.texts import (
    APPLICATION_REJECTIONS,
    CANCEL_REASONS,
    CITIZEN_ANSWERS,
    COMPLAINT_DETAILS,
    COMPLAINT_OPENINGS,
    DECLINE_REASONS,
    INTERNAL_NOTES,
    MORE_INFO_REASONS,
    REFERRAL_REASONS,
    REJECTION_REASONS,
    REOPEN_REASONS,
    RESOLUTION_REASONS,
    STAFF_MESSAGES,
)
from casework.generate_data.timelines import (
    CITIZEN_ACTOR,
    SYSTEM_ACTOR,
    Actor,
    Story,
    acknowledge_due,
    resolve_due,
    utc_working_days_after,
    wait,
)
from casework.grievance_categories import BY_CODE
from casework.services.refer import URGENCY_WORKING_DAYS

CATEGORIES = tuple(BY_CODE)
CATEGORY_WEIGHTS = (30, 25, 10, 5, 8, 5, 4, 13)  # in grievance_categories' order
GRIEVANCE_CHANNELS = (("ussd", "web", "sms", "assisted"), (45, 20, 10, 25))
REFERRAL_CHANNELS = (("assisted", "api"), (90, 10))
URGENCIES = (("normal", "high", "urgent"), (70, 20, 10))


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    agency_id: int
    channels: tuple[str, ...]
    level_days: int
    fields: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Setting:
    """The seeded directory and the staff who work the generated cases."""

    intake_id: int
    agency_ids: tuple[int, ...]
    offices: tuple[tuple[int, int, str], ...]  # (office id, agency id, district)
    districts: tuple[str, ...]
    services: tuple[ServiceInfo, ...]
    service_weights: tuple[int, ...]
    officers: dict[int, tuple[Actor, ...]]  # agency id -> case officers
    supervisors: dict[int, tuple[Actor, ...]]
    triage: tuple[Actor, ...]  # the intake agency's triage officers


def _pick(rng: random.Random, options: tuple[tuple[Any, ...], tuple[int, ...]]) -> Any:
    return rng.choices(options[0], options[1])[0]


def grievance(
    rng: random.Random, setting: Setting, created: float, now: float, anonymous: bool
) -> tuple[Story, str, tuple[Any, ...]]:
    """(story, channel, details): details in the `grievances` table's column order after id."""
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    channel = _pick(rng, GRIEVANCE_CHANNELS)
    if rng.random() < 0.4:
        office_id, agency_id, district = rng.choice(setting.offices)
    else:
        office_id, agency_id, district = None, setting.intake_id, rng.choice(setting.districts)
    story = Story(rng, "grievance", "lodged", created, now, acknowledge_due(category, created))
    story.category = category
    officer = rng.choice(setting.officers[agency_id])
    intake = setting.triage + setting.supervisors[agency_id]
    lodger = officer if channel == "assisted" else CITIZEN_ACTOR
    story.events.append(
        (created, "created", True, None, "lodged", None, lodger.type, lodger.staff_id)
    )
    sensitive = BY_CODE[category].sensitive
    priority = "urgent" if sensitive else rng.choices(("normal", "high", "low"), (85, 8, 7))[0]
    _play_grievance(rng, story, officer, intake, anonymous)
    description = f"{rng.choice(COMPLAINT_OPENINGS[category])} {rng.choice(COMPLAINT_DETAILS)}"
    details = (
        category,
        description.strip(),
        office_id,
        district,
        anonymous,
        None,  # the PIN hash: set by the caller, which hashes one for all of them
        priority,
        story.acknowledged,
    )
    return story, channel, (agency_id, *details)


def _play_grievance(
    rng: random.Random, story: Story, officer: Actor, intake: tuple[Actor, ...], anonymous: bool
) -> None:
    category = story.category or "other"
    t = wait(rng, story.created, 12)
    if not story.reach(t):
        return
    if story.status == "lodged":
        if rng.random() < 0.04:
            story.move(t, "rejected", rng.choice(intake), rng.choice(REJECTION_REASONS))
            return
        story.move(t, "acknowledged", rng.choice(intake))
        story.acknowledged = t
        story.due = resolve_due(category, t)
    t = wait(rng, t, 6)
    if not story.reach(t):
        return
    assigner = rng.choice(intake)
    story.event(t, "assigned", assigner, public=False, body=officer.name)
    story.assigned_to = officer.staff_id
    story.move(t, "assigned", assigner)
    t = wait(rng, t, 18)
    if not story.reach(t):
        return
    story.move(t, "in_progress", officer)
    reopened = False
    while True:
        if rng.random() < 0.3:
            t = wait(rng, t, 30)
            if not story.reach(t):
                return
            story.event(t, "note", officer, public=False, body=rng.choice(INTERNAL_NOTES))
        if rng.random() < 0.1 and not anonymous:
            t = wait(rng, t, 12)
            if not story.reach(t):
                return
            story.event(t, "message", officer, public=True, body=rng.choice(STAFF_MESSAGES))
        t = wait(rng, t, 4 * 24, 0.8)
        if not story.reach(t):
            return
        story.move(t, "resolved", officer, rng.choice(RESOLUTION_REASONS))
        t = wait(rng, t, 3 * 24)
        if not story.reach(t):
            return
        if not reopened and rng.random() < 0.06:
            reopener = CITIZEN_ACTOR if not anonymous else rng.choice(intake)
            story.move(t, "reopened", reopener, rng.choice(REOPEN_REASONS))
            story.due = resolve_due(category, t)
            reopened = True
            t = wait(rng, t, 24)
            if not story.reach(t):
                return
            story.move(t, "in_progress", officer)
            continue
        closer = rng.choice((officer, SYSTEM_ACTOR) if anonymous else (officer, CITIZEN_ACTOR))
        story.move(t, "closed", closer)
        return


def application(
    rng: random.Random, setting: Setting, created: float, now: float, national_id: str | None
) -> tuple[Story, str, tuple[Any, ...]]:
    service = rng.choices(setting.services, setting.service_weights)[0]
    channels = tuple(c for c in service.channels if c != "assisted")
    channel = rng.choice(channels) if channels and rng.random() < 0.75 else "assisted"
    due = utc_working_days_after(created, service.level_days)
    story = Story(rng, "application", "submitted", created, now, due)
    officer = rng.choice(setting.officers[service.agency_id])
    lodger = officer if channel == "assisted" else CITIZEN_ACTOR
    story.events.append(
        (created, "created", True, None, "submitted", None, lodger.type, lodger.staff_id)
    )
    answers = application_answers(rng, service.fields, channel, national_id, created)
    _play_application(rng, story, officer)
    return story, channel, (service.agency_id, service.id, answers)


def _play_application(rng: random.Random, story: Story, officer: Actor) -> None:
    t = wait(rng, story.created, 24)
    if not story.reach(t):
        return
    if rng.random() < 0.03:
        story.move(t, "withdrawn", CITIZEN_ACTOR)
        return
    if rng.random() < 0.7:
        story.event(t, "assigned", officer, public=False, body=officer.name)
        story.assigned_to = officer.staff_id
    story.move(t, "under_review", officer)
    if rng.random() < 0.15:
        t = wait(rng, t, 48)
        if not story.reach(t):
            return
        story.move(t, "more_info_needed", officer, rng.choice(MORE_INFO_REASONS))
        t = wait(rng, t, 96)
        if not story.reach(t):
            return
        if rng.random() < 0.12:
            story.move(t, "withdrawn", CITIZEN_ACTOR)
            return
        story.event(t, "message", CITIZEN_ACTOR, public=True, body=rng.choice(CITIZEN_ANSWERS))
        story.move(t, "under_review", CITIZEN_ACTOR)
    t = wait(rng, t, 4 * 24, 0.8)
    if not story.reach(t):
        return
    if rng.random() < 0.72:
        story.move(t, "approved", officer)
    else:
        story.move(t, "rejected", officer, rng.choice(APPLICATION_REJECTIONS))


def referral(
    rng: random.Random, setting: Setting, created: float, now: float
) -> tuple[Story, str, tuple[Any, ...]]:
    to_agency = rng.choice(setting.agency_ids)
    from_agency = rng.choice([a for a in setting.agency_ids if a != to_agency])
    urgency = _pick(rng, URGENCIES)
    due = utc_working_days_after(created, URGENCY_WORKING_DAYS[urgency])
    story = Story(rng, "referral", "sent", created, now, due)
    sender = rng.choice(setting.officers[from_agency])
    story.events.append((created, "created", True, None, "sent", None, "staff", sender.staff_id))
    services = [s.id for s in setting.services if s.agency_id == to_agency]
    service_id = rng.choice(services) if services and rng.random() < 0.7 else None
    _play_referral(rng, story, rng.choice(setting.officers[to_agency]), sender)
    details = (from_agency, service_id, None, rng.choice(REFERRAL_REASONS), urgency)
    return story, _pick(rng, REFERRAL_CHANNELS), (to_agency, *details)


def _play_referral(rng: random.Random, story: Story, receiver: Actor, sender: Actor) -> None:
    t = wait(rng, story.created, 18)
    if not story.reach(t):
        return
    chance = rng.random()
    if chance < 0.12:
        story.move(t, "declined", receiver, rng.choice(DECLINE_REASONS))
        return
    if chance < 0.17:
        story.move(t, "cancelled", sender, rng.choice(CANCEL_REASONS))
        return
    story.assigned_to = receiver.staff_id
    story.move(t, "accepted", receiver)
    t = wait(rng, t, 24)
    if not story.reach(t):
        return
    story.move(t, "in_progress", receiver)
    t = wait(rng, t, 6 * 24)
    if not story.reach(t):
        return
    if rng.random() < 0.92:
        story.move(t, "completed", receiver)
    else:
        story.move(t, "cancelled", sender, rng.choice(CANCEL_REASONS))
