"""The USSD sessions the load generator replays, as a citizen walks them on a handset.

Each journey is a list of steps: what the citizen types on a screen, and what the next
screen must say. `@label` presses the option showing `label` on the current screen
(paging with 98 while it is not there), as a citizen reads before pressing. The last
step's check is the screen the session must end on; a session that ends anywhere else
is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import cycle, islice

HOME = "how can we help?"
SERVICE_CODE = "*120*3210#"
NETWORK = "65501"  # Safaricom's code, as Africa's Talking's simulator sends


@dataclass(frozen=True)
class Journey:
    kind: str
    steps: tuple[tuple[str, str], ...]  # (typed, the next screen contains); dial first
    ends: str  # the last screen starts with this (after placeholders are filled)


# A full application to a real seeded service, with every question answered.
APPLY_CHILD_SUPPORT = Journey(
    "apply",
    (
        ("", HOME),
        ("@Apply for a service", "What do you need?"),
        ("@Grants and money", "Choose a service"),
        ("@Child support grant", "main caregiver"),
        ("@Yes", "How many children"),
        ("2", "ID number of the youngest child"),
        ("8001015009087", "income per month"),
        ("@Type a number", "Type a number"),
        ("1500", "Are you married?"),
        ("@No", "Check your answers"),
        ("@Send application", "Application sent"),
    ),
    "END Application sent. Your reference is A ",
)
APPLY_OLDER_PERSONS = Journey(
    "apply",
    (
        ("", HOME),
        ("@Apply for a service", "What do you need?"),
        ("@Grants and money", "Choose a service"),
        ("@Older persons grant", "date of birth"),
        ("01041955", "income per month"),
        ("@None (0)", "state-funded care home"),
        ("@No", "How do you want to be paid?"),
        ("@SASSA", "Check your answers"),
        ("@Send application", "Application sent"),
    ),
    "END Application sent. Your reference is A ",
)
GRIEVANCE_NAMED = Journey(
    "grievance",
    (
        ("", HOME),
        ("@Make a complaint", "What is your complaint about?"),
        ("@Delay in a service", "Where did it happen?"),
        ("@eThekwini", "Which office?"),
        ("2", "What happened?"),
        ("Waited 3 months for my grant and nobody answers the phone", "Give your number"),
        ("@use my number", "Check your complaint"),
        ("@Send complaint", "Complaint sent"),
    ),
    "END Complaint sent. Your reference is G ",
)
GRIEVANCE_ANONYMOUS = Journey(
    "grievance",
    (
        ("", HOME),
        ("@Make a complaint", "What is your complaint about?"),
        ("@Staff conduct", "Where did it happen?"),
        ("@eThekwini", "Which office?"),
        ("1", "What happened?"),
        ("The officer asked me for R200 to speed up my application", "Give your number"),
        ("@stay anonymous", "Check your complaint"),
        ("@Send complaint", "Complaint sent"),
    ),
    "END Complaint sent. Reference G ",
)
# {reference} and {pin}: a case seeded for this session's phone, or an anonymous one.
TRACK_OWN = Journey(
    "track",
    (("", HOME), ("@Track my cases", "Your open cases:"), ("1", "Status: ")),
    "CON {reference}\n",
)
TRACK_BY_REFERENCE = Journey(
    "track",
    (
        ("", HOME),
        ("@Track my cases", "Your open cases:"),
        ("@Type a reference", "Type the reference"),
        ("{reference}", "Status: "),
    ),
    "CON {reference}\n",
)
TRACK_BY_PIN = Journey(
    "track",
    (
        ("", HOME),
        ("@Track my cases", "You have no open cases."),
        ("@Type a reference", "Type the reference"),
        ("{reference}", "If it has a PIN"),
        ("{pin}", "Status: "),
    ),
    "CON {reference}\n",
)

# How often each is walked: applications and complaints are the writes, tracking the
# reads (a third of sessions, as status questions are what most callers dial for).
MIX = (
    (APPLY_CHILD_SUPPORT, 2),
    (APPLY_OLDER_PERSONS, 1),
    (GRIEVANCE_NAMED, 2),
    (GRIEVANCE_ANONYMOUS, 1),
    (TRACK_OWN, 2),
    (TRACK_BY_REFERENCE, 1),
    (TRACK_BY_PIN, 1),
)


def journeys(start: int = 0) -> islice[Journey]:
    """The mix, interleaved, forever (from position `start` of the cycle)."""
    order = [journey for journey, weight in MIX for _ in range(weight)]
    # Spread each kind through the cycle rather than in runs of the same journey.
    spread = [order[(i * 7) % len(order)] for i in range(len(order))]
    return islice(cycle(spread), start % len(spread), None)


def hops_per_session() -> float:
    total = sum(weight for _, weight in MIX)
    return sum(len(journey.steps) * weight for journey, weight in MIX) / total


def choose(screen: str, label: str) -> str | None:
    """The key of the option showing `label` on `screen`; None if it is not there."""
    for line in screen.split("\n")[1:]:
        number, _, text = line.partition(" ")
        if label in text and number.isdigit():
            return number
    return None
