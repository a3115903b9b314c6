"""Done when (issue 7): every citizen web page, rendered in each of the six languages,
speaks that language: the right `lang`, and no English left over (proper names and
references aside)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import render_template_string

from casework.i18n import LANGUAGE_NAMES, format_day, format_number
from tests.leftover_english import english_left, visible_text
from tests.portal.citizen_walk import walk

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", marks=pytest.mark.sqlite)], indirect=True
)


@pytest.mark.parametrize("language", [code for code in LANGUAGE_NAMES if code != "en"])
def test_every_citizen_page_speaks_the_citizens_language(client, db, language):
    pages = walk(client, db, language)
    left = {}
    for path, body in pages.items():
        page = body.decode()
        assert f'<html lang="{language}"' in page, path
        found = english_left(visible_text(page), language)
        if found:
            left[path] = found
    assert not left, f"English left in {language}: {left}"
    # Numbers as the reader writes them (12 500 in Afrikaans and isiXhosa, 12,500 in isiZulu).
    check = pages["/apply/child-support-grant/check"].decode()
    assert format_number(12500, language) in check


@pytest.mark.parametrize("language", list(LANGUAGE_NAMES))
def test_dates_and_numbers_follow_the_readers_locale(app, language):
    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        shown = render_template_string("{{ format_day('2024-12-31') }} {{ format_number(1234.5) }}")
    assert (
        shown == f"{format_day(dt.date(2024, 12, 31), language)} {format_number(1234.5, language)}"
    )
    if language == "af":
        assert shown == "31 Des. 2024 1\xa0234,5"
