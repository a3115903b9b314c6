"""A citizen's walk through every page of the portal: the directory, an anonymous
complaint and tracking it, signing in with the SMS code and the signed-in pages, and
applying online. Shared by the page-weight and the every-language tests."""

from __future__ import annotations

import re

from casework.database import Database
from casework.references import format_reference
from casework.seed_demo import seed_demo
from casework.services import lodge_grievance
from tests.portal.web import last_code, submit

PHONE = "+27821234567"


def walk(client, db: Database, language: str = "en") -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Every citizen page, as the citizen saw it in `language`: {path: body}."""
    seed_demo(db, with_staff=False)
    client.set_cookie("lang", language)
    pages: dict[str, bytes] = {}

    def fetch(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.location)
        assert response.mimetype == "text/html", path
        pages[path] = response.get_data()

    # The directory, as anyone sees it.
    for path in (
        "/",
        "/services",
        "/services/category/grants",
        "/services/search?q=grant",
        "/services/child-support-grant",
        "/privacy",
    ):
        fetch(path)

    # An anonymous complaint, start to end (the page with the reference and the PIN).
    fetch("/complaint")
    submit(
        client,
        "/complaint",
        {
            "category": "service_delay",
            "place": "district:eThekwini",
            "description": "I waited 6 hours and was sent home.\nNobody explained why.",
            "anonymous": "yes",
        },
    )
    fetch("/complaint/check")
    submit(client, "/complaint/check", {})
    fetch("/complaint/sent")
    sent = pages["/complaint/sent"].decode()
    reference = re.search(r"G \d{4} \d{4} \d{2}", sent)
    pin = re.search(r"<br><strong[^>]*>(\d{4})<", sent)
    assert reference and pin, sent

    # Tracking it with its PIN.
    fetch("/track")
    tracked = submit(client, "/track", {"reference": reference.group(0), "pin": pin.group(1)})
    assert tracked.location == "/track/case"
    fetch("/track/case")

    # Signing in, and the signed-in pages, with a case of the citizen's own.
    mine = lodge_grievance(
        db,
        phone=PHONE,
        category="payment",
        description="My grant was not paid this month.",
        channel="ussd",
        language=language,
        country="ZA",
        district="eThekwini",
    ).grievance
    fetch("/sign-in")
    submit(client, "/sign-in", {"phone": PHONE})
    fetch("/sign-in/code")
    signed_in = submit(client, "/sign-in/code", {"code": last_code(db, PHONE)})
    assert signed_in.location == "/my-cases"
    fetch("/my-cases")
    assert format_reference(mine.reference, "grievance").encode() in pages["/my-cases"]
    fetch(f"/my-cases/{mine.reference}")
    fetch("/my-details")

    # Applying online: the form, the check page and the confirmation.
    fetch("/apply/child-support-grant")
    answers = {
        "answer_primary_caregiver": "yes",
        "answer_children": "2",
        "answer_youngest_child_id": "8001015009087",
        "answer_monthly_income": "12500",
        "answer_married": "no",
    }
    assert submit(client, "/apply/child-support-grant", answers).location.endswith("/check")
    fetch("/apply/child-support-grant/check")
    submit(client, "/apply/child-support-grant/check", {})
    fetch("/apply/child-support-grant/sent")

    return pages
