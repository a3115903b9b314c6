"""Done when: every citizen page, with its one stylesheet, is under 30 KB gzipped, so it
loads in seconds on 2G; no page loads a script or a web font.

The sizes are printed as a table (run with -s to see it).
"""

from __future__ import annotations

import gzip
import re

import pytest

from casework.references import format_reference
from casework.seed_demo import seed_demo
from casework.services import lodge_grievance
from tests.portal.web import last_code, submit

BUDGET = 30 * 1024  # bytes, gzipped: the page's HTML plus its stylesheet
STYLESHEET = "/static/thusa.css"
PHONE = "+27821234567"
STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel=[\"']?stylesheet\b[^>]*>", re.IGNORECASE)


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


@pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", marks=pytest.mark.sqlite)], indirect=True
)
def test_every_citizen_page_is_light(client, db):
    seed_demo(db, with_staff=False)
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
    pin = re.search(r"Your PIN<br><strong[^>]*>(\d{4})<", sent)
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
        language="en",
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
        "answer_monthly_income": "0",
        "answer_married": "no",
    }
    assert submit(client, "/apply/child-support-grant", answers).location.endswith("/check")
    fetch("/apply/child-support-grant/check")
    submit(client, "/apply/child-support-grant/check", {})
    fetch("/apply/child-support-grant/sent")

    css = client.get(STYLESHEET)
    assert css.status_code == 200
    css_body = css.get_data()
    css.close()
    css_size = gzipped(css_body)

    rows = [(path, gzipped(body), gzipped(body) + css_size) for path, body in pages.items()]
    width = max(len(path) for path in pages)
    print(f"\n{'page':<{width}}  {'html gzip':>9}  {'total':>6}  (+ {STYLESHEET} {css_size} B)")
    for path, html_size, total in rows:
        print(f"{path:<{width}}  {html_size:>9}  {total:>6}")

    assert b"@font-face" not in css_body, "no web fonts: system fonts only"
    for path, body in pages.items():
        html = body.decode()
        links = STYLESHEET_LINK.findall(html)
        assert len(links) == 1, f"{path} links {len(links)} stylesheets: {links}"
        assert STYLESHEET in links[0], f"{path} links {links[0]}, not {STYLESHEET}"
        assert "<script" not in html.lower(), f"{path} has a <script>"
    heavy = [(path, total) for path, _html, total in rows if total >= BUDGET]
    assert not heavy, f"over {BUDGET} bytes gzipped with the stylesheet: {heavy}"
