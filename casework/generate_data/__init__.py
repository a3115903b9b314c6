"""Realistic data at scale, for benchmarks and for trying the staff console on a full
database: citizens, and cases with whole timelines, written in bulk.

Not for production (the command refuses there): it writes straight to the tables, a
batch per transaction, without the audit rows or SMS a real case would leave. Cases are
lodged over the two years before `as_of`, more as the service grows and fewer at
weekends and at night, and each plays out along its workflow (casework.generate_data.
timelines). The same seed and `as_of` give the same data on the same starting database.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text

from casework.database import Database
from casework.generate_data.bulk_insert import BulkInsert
from casework.generate_data.cases import CaseBatch
from casework.generate_data.people import (
    CITIZEN_COLUMNS,
    LANGUAGE_WEIGHTS,
    LANGUAGES,
    PhoneNumbers,
    citizen_row,
)
from casework.generate_data.seeded import seeded
from casework.generate_data.setting import DirectoryMissing, load_setting
from casework.i18n import DISPLAY_TIMEZONE
from casework.models import Citizen, DashboardSnapshot, utcnow

__all__ = ["DirectoryMissing", "GenerateResult", "generate"]

SPAN_DAYS = 730
ANALYSED = ("citizens", "cases", "grievances", "applications", "referrals", "case_events")
CITIZEN_BATCH = 20_000
CASE_BATCH = 10_000
# The hour of day (local) a case is lodged, weighted: offices open 07:30-16:00, and USSD
# and the web carry on into the evening.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 13, 13, 12, 11, 12, 11, 10, 8, 7, 6, 5, 4, 3, 2, 1)


@dataclass(frozen=True)
class GenerateResult:
    citizens: int
    cases: int
    events: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        rows = self.citizens + 2 * self.cases + self.events  # a case is two rows
        return rows / self.seconds if self.seconds else 0.0


def generate(
    db: Database,
    *,
    citizens: int,
    cases: int,
    seed: int = 1,
    as_of: dt.datetime | None = None,
    progress: Callable[[int], None] = lambda done: None,
) -> GenerateResult:
    """Add `citizens` citizens and `cases` cases (with their timelines), dated up to
    `as_of` (default: the start of this hour). `progress` is told how many citizens or
    cases each batch wrote. Needs the directory (seed-demo) in place."""
    if cases and not citizens:
        raise ValueError("Cases need citizens: generate some citizens with them.")
    started = time.monotonic()
    as_of = as_of or utcnow().replace(minute=0, second=0, microsecond=0)
    now = as_of.timestamp()
    setting = load_setting(db, cases, seed)
    with db.read() as session:
        already = session.scalar(select(func.count(Citizen.id))) or 0
    people = GeneratedCitizens(db, seed, now, already)
    people.write(citizens, progress)
    batch = CaseBatch(setting, people, seed, now)
    events = 0
    case_times = _moments(seeded("cases", seed), cases, now)
    for start in range(0, cases, CASE_BATCH):
        chunk = case_times[start : start + CASE_BATCH]
        with db.transaction() as session:
            events += batch.write(BulkInsert(session), chunk, start)
        progress(len(chunk))
    with db.transaction() as session:
        # Kept dashboard figures no longer count what is there: the next look recounts.
        session.execute(delete(DashboardSnapshot))
    if db.is_postgresql:
        # Fresh statistics, so the planner knows the tables' new size at once.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ANALYSED:
                connection.execute(text(f"ANALYZE {table}"))
    return GenerateResult(citizens, cases, events, time.monotonic() - started)


class GeneratedCitizens:
    """The generated citizens, kept in memory in the order they first made contact, so a
    case lodged at a moment goes to someone already known by then."""

    def __init__(self, db: Database, seed: int, now: float, already: int) -> None:
        self._db = db
        self._seed = seed
        self._now = now
        self._phones = PhoneNumbers(seed).numbers(already)
        self.ids = array("q")
        self.times = array("d")
        self.languages = bytearray()
        self.national_ids: dict[int, str] = {}  # by position, for the few who gave one
        self._taken: set[str] = set()

    def count(self) -> int:
        return len(self.ids)

    def write(self, count: int, progress: Callable[[int], None]) -> None:
        rng = seeded("citizens", self._seed)
        moments = _moments(rng, count, self._now)
        with self._db.read() as session:
            self._taken = BulkInsert(session).all_values(Citizen.phone)
        for start in range(0, count, CITIZEN_BATCH):
            chunk = moments[start : start + CITIZEN_BATCH]
            with self._db.transaction() as session:
                writer = BulkInsert(session)
                ids = writer.reserve_ids("citizens", len(chunk))
                phones = self._fresh_phones(len(chunk))
                rows = []
                for citizen_id, phone, moment in zip(ids, phones, chunk, strict=True):
                    language = rng.choices(range(len(LANGUAGES)), LANGUAGE_WEIGHTS)[0]
                    at = dt.datetime.fromtimestamp(moment, dt.UTC)
                    row = citizen_row(rng, citizen_id, phone, LANGUAGES[language], at)
                    if row[3] is not None:
                        self.national_ids[len(self.ids)] = row[3]  # type: ignore[assignment]
                    rows.append(row)
                    self.ids.append(citizen_id)
                    self.times.append(moment)
                    self.languages.append(language)
                writer.write("citizens", CITIZEN_COLUMNS, rows)
            progress(len(chunk))

    def _fresh_phones(self, count: int) -> list[str]:
        """The next `count` numbers nobody had before this run (a citizen who registered
        by hand, or an earlier run's, may hold one); this run's never repeat."""
        phones: list[str] = []
        while len(phones) < count:
            phone = next(self._phones)
            if phone not in self._taken:
                phones.append(phone)
        return phones

    def known_at(self, rng: random.Random, moment: float) -> int:
        """The position of a citizen known by `moment`: half the time someone who has
        just made contact (a first case), otherwise anyone known by then."""
        known = max(1, bisect_right(self.times, moment))
        if rng.random() < 0.5:
            return rng.randrange(max(0, known - 1 - known // 100), known)
        return rng.randrange(known)


def _moments(rng: random.Random, count: int, now: float) -> array[float]:
    """`count` sorted moments in the SPAN_DAYS before `now`: the service grows (three
    times as busy at the end as at the start), and is quieter at weekends and at night."""
    start_day = dt.datetime.fromtimestamp(now, DISPLAY_TIMEZONE).date()
    start_day -= dt.timedelta(days=SPAN_DAYS)
    midnight = dt.datetime.combine(start_day, dt.time(), tzinfo=DISPLAY_TIMEZONE).timestamp()
    hours = range(24)
    moments = array("d")
    while len(moments) < count:
        # Density rising linearly from 0.5 to 1.5 across the span, drawn by inverting it.
        fraction = (math.sqrt(1 + 8 * rng.random()) - 1) / 2
        day = int(fraction * SPAN_DAYS)
        if (start_day.weekday() + day) % 7 >= 5 and rng.random() < 0.6:
            continue
        hour = rng.choices(hours, HOUR_WEIGHTS)[0]
        moment = midnight + day * 86_400 + (hour + rng.random()) * 3_600
        if moment < now:
            moments.append(moment)
    return array("d", sorted(moments))
