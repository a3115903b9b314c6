"""Answers to a service's application form, as casework.application_fields would store
them: only the questions the channel asks, every required one answered."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from casework.generate_data.people import south_african_id
from casework.generate_data.texts import ANSWER_TEXTS


def application_answers(
    rng: random.Random,
    fields: tuple[dict[str, Any], ...],
    channel: str,
    national_id: str | None,
    created: float,
) -> dict[str, Any]:
    today = dt.datetime.fromtimestamp(created, dt.UTC).date()
    answers: dict[str, Any] = {}
    for field in fields:
        if channel not in field.get("channels", (channel,)):
            continue
        if not field.get("required", True) and rng.random() < 0.3:
            continue
        answers[field["name"]] = _answer(rng, field, national_id, today)
    return answers


def _answer(
    rng: random.Random, field: dict[str, Any], national_id: str | None, today: dt.date
) -> Any:
    kind = field["type"]
    if kind == "yes_no":
        return rng.random() < 0.5
    if kind == "choice":
        return rng.choice(field["choices"])["value"]
    if kind == "number":
        low = field.get("min", 0)
        high = field.get("max", 10**9)
        # Incomes and fees spread wide; counts stay small, as people's answers do.
        top = min(high, low + (20_000 if high >= 100_000 else 10))
        return rng.randint(low, top)
    if kind == "text":
        return rng.choice(ANSWER_TEXTS)[: field.get("max_length", 500)]
    if kind == "id_number":
        # The applicant's own number when the question is theirs to answer, and otherwise
        # (a child's, a mother's) another valid one.
        return national_id if national_id and rng.random() < 0.3 else south_african_id(rng, today)
    if kind == "date":
        return (today - dt.timedelta(days=rng.randrange(30, 365 * 40))).isoformat()
    raise ValueError(f"unknown field type {kind!r}")
