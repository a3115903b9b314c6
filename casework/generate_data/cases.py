"""A batch of generated cases turned into rows: `cases`, each kind's own table, and the
timeline in `case_events`, with fresh unique references."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from casework.generate_data import flows
from casework.generate_data.bulk_insert import BulkInsert
from casework.generate_data.flows import Setting
from casework.generate_data.people import LANGUAGE_WEIGHTS, LANGUAGES
from casework.generate_data.seeded import seeded
from casework.generate_data.timelines import Story
from casework.models import Case
from casework.passwords import hash_pin
from casework.references import BODY_DIGITS, damm_digit

if TYPE_CHECKING:
    from casework.generate_data import GeneratedCitizens

# Of every 100 cases: applications, grievances, referrals.
KINDS = (("application", "grievance", "referral"), (50, 35, 15))
ANONYMOUS_SHARE = 0.08  # of grievances

CASE_COLUMNS = (
    "id",
    "reference",
    "kind",
    "status",
    "citizen_id",
    "agency_id",
    "assigned_to_id",
    "channel",
    "language",
    "due_at",
    "closed_at",
    "created_at",
    "updated_at",
)
DETAIL_COLUMNS = {
    "grievance": (
        "id",
        "category",
        "description",
        "office_id",
        "district",
        "anonymous",
        "pin_hash",
        "priority",
        "acknowledged_at",
    ),
    "application": ("id", "service_id", "answers"),
    "referral": ("id", "from_agency_id", "service_id", "source_case_id", "reason", "urgency"),
}
EVENT_COLUMNS = (
    "case_id",
    "at",
    "type",
    "public",
    "from_status",
    "to_status",
    "body",
    "actor_type",
    "actor_staff_id",
)


def _time(seconds: float | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, dt.UTC)


class CaseBatch:
    def __init__(self, setting: Setting, people: GeneratedCitizens, seed: int, now: float) -> None:
        self._setting = setting
        self._people = people
        self._seed = seed
        self._now = now
        # Every anonymous complaint shares one PIN hash (of a PIN nobody is told): hashing
        # one each at argon2's pace would take longer than the rest of the generation.
        self._pin_hash = hash_pin(f"{secrets.randbelow(10_000):04d}")
        self._used: set[str] | None = None

    def write(self, writer: BulkInsert, moments: Sequence[float], offset: int) -> int:
        """Write one batch of cases lodged at `moments`; returns the number of events.

        Each batch draws from a generator seeded by its position, so its cases do not
        depend on how far the earlier batches' random draws went.
        """
        rng = seeded("cases", self._seed, offset)
        ids = writer.reserve_ids("cases", len(moments))
        references = self._references(rng, writer, len(moments))
        cases: list[tuple[Any, ...]] = []
        details: dict[str, list[tuple[Any, ...]]] = {kind: [] for kind in DETAIL_COLUMNS}
        events: list[tuple[Any, ...]] = []
        for case_id, reference, moment in zip(ids, references, moments, strict=True):
            kind = rng.choices(KINDS[0], KINDS[1])[0]
            story, channel, citizen, language, detail = self._play(rng, kind, moment)
            agency_id, *rest = detail
            if kind == "grievance" and rest[4]:  # anonymous
                rest[5] = self._pin_hash
            cases.append(
                (
                    case_id,
                    reference,
                    kind,
                    story.status,
                    citizen,
                    agency_id,
                    story.assigned_to,
                    channel,
                    language,
                    _time(story.due),
                    _time(story.closed),
                    _time(moment),
                    _time(max(story.last, moment)),
                )
            )
            if kind == "grievance":
                rest[7] = _time(rest[7])  # acknowledged_at
            details[kind].append((case_id, *rest))
            events.extend((case_id, _time(e[0]), *e[1:]) for e in story.events)
        writer.write("cases", CASE_COLUMNS, cases)
        for kind, rows in details.items():
            writer.write(f"{kind}s", DETAIL_COLUMNS[kind], rows)
        writer.write("case_events", EVENT_COLUMNS, events)
        return len(events)

    def _play(
        self, rng: random.Random, kind: str, moment: float
    ) -> tuple[Story, str, int | None, str, list[Any]]:
        people, setting = self._people, self._setting
        anonymous = kind == "grievance" and rng.random() < ANONYMOUS_SHARE
        if anonymous:
            citizen = None
            language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        else:
            position = people.known_at(rng, moment)
            citizen = people.ids[position]
            language = LANGUAGES[people.languages[position]]
        if kind == "grievance":
            story, channel, detail = flows.grievance(rng, setting, moment, self._now, anonymous)
        elif kind == "application":
            national_id = people.national_ids.get(position)
            story, channel, detail = flows.application(rng, setting, moment, self._now, national_id)
        else:
            story, channel, detail = flows.referral(rng, setting, moment, self._now)
        return story, channel, citizen, language, list(detail)

    def _references(self, rng: random.Random, writer: BulkInsert, count: int) -> list[str]:
        """Unique references as casework.references makes them (nine digits not starting
        with 0, and the Damm digit), drawn from the seeded generator and never one a case
        already has (read once, on the first batch) or this run already used."""
        if self._used is None:
            self._used = writer.all_values(Case.reference)
        low = 10 ** (BODY_DIGITS - 1)
        chosen: list[str] = []
        while len(chosen) < count:
            body = str(rng.randrange(low, 10 * low))
            reference = body + damm_digit(body)
            if reference not in self._used:
                self._used.add(reference)
                chosen.append(reference)
        return chosen
