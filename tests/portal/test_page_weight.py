"""Done when: every citizen page, with its one stylesheet, is under 30 KB gzipped, so it
loads in seconds on 2G; no page loads a script or a web font.

The sizes are printed as a table (run with -s to see it).
"""

from __future__ import annotations

import gzip
import re

import pytest

from tests.portal.citizen_walk import walk

BUDGET = 30 * 1024  # bytes, gzipped: the page's HTML plus its stylesheet
STYLESHEET = "/static/thusa.css"
STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel=[\"']?stylesheet\b[^>]*>", re.IGNORECASE)


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


@pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", marks=pytest.mark.sqlite)], indirect=True
)
def test_every_citizen_page_is_light(client, db):
    pages = walk(client, db)

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
