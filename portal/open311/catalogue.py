"""How each grievance category reads in an Open311 service list: its group, keywords and
description, and what an agency promises once one is lodged. English: Open311 is a
machine interface, and partners show these words in their own products.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.grievance_categories import BY_CODE, GrievanceCategory
from casework.service_levels import (
    ACKNOWLEDGE_WITHIN_WORKING_DAYS,
    DEFAULT_RESOLVE_WITHIN_WORKING_DAYS,
    RESOLVE_WITHIN_WORKING_DAYS,
    SENSITIVE_WITHIN,
)


@dataclass(frozen=True)
class Listing:
    group: str
    keywords: str
    description: str


LISTINGS = {
    "service_delay": Listing(
        "Service",
        "delay, waiting, late, slow, backlog, no answer, application, referral",
        "A service, application or referral that is taking too long.",
    ),
    "payment": Listing(
        "Grants and payments",
        "grant, payment, money, not paid, wrong amount, stopped, suspended",
        "A grant or payment that is late, wrong, stopped or missing.",
    ),
    "staff_conduct": Listing(
        "Conduct",
        "staff, official, rude, behaviour, discrimination, neglect",
        "How an official treated someone: rudeness, discrimination or neglect.",
    ),
    "fraud_corruption": Listing(
        "Conduct",
        "fraud, corruption, bribe, theft, scam, identity",
        "A bribe asked for, theft, a false claim, or someone using another's grant or ID.",
    ),
    "access": Listing(
        "Service",
        "access, disability, wheelchair, ramp, language, distance, queue",
        "An office or service someone cannot reach or use: disability access, language, distance.",
    ),
    "gender_based_violence": Listing(
        "Safety",
        "GBV, gender-based violence, domestic violence, abuse, assault",
        "Gender-based violence, or a service that failed someone facing it. Urgent. Someone"
        " in danger now needs the police, not a complaint.",
    ),
    "child_abuse": Listing(
        "Safety",
        "child abuse, neglect, child protection, children",
        "Abuse or neglect of a child, or a child protection service that failed. Urgent."
        " A child in danger now needs the police, not a complaint.",
    ),
    "other": Listing(
        "Other", "other, general, complaint", "Any other complaint about a social service."
    ),
}


def listing(category: GrievanceCategory) -> Listing:
    # A category added later reads plainly until it is given a listing of its own.
    return LISTINGS.get(
        category.code, Listing("Other", category.label.lower(), f"{category.label}.")
    )


def promise(category_code: str) -> str:
    """What the agency owes once a grievance of this category is lodged."""
    if BY_CODE[category_code].sensitive:
        hours = int(SENSITIVE_WITHIN.total_seconds() // 3600)
        return (
            f"Urgent: acknowledged within {hours} hours, and resolved within {hours} hours"
            " after that."
        )
    days = RESOLVE_WITHIN_WORKING_DAYS.get(category_code, DEFAULT_RESOLVE_WITHIN_WORKING_DAYS)
    return (
        f"Acknowledged within {ACKNOWLEDGE_WITHIN_WORKING_DAYS} working days, and resolved"
        f" within {days} working days after that."
    )
