"""Done when (issue 8, privacy): in a real browser on a small phone, a citizen finds the
privacy notice from any page, signs in from it (the sign-in page says what signing in
accepts) and downloads everything Thusa keeps about them; axe finds no WCAG A/AA
violation on the pages they pass through. SQLite only, like the other walks."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.browser.test_citizen_journeys import main_text, sms_code

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("sqlite", marks=pytest.mark.sqlite)], indirect=True
)


def test_from_the_notice_to_a_download_of_your_own_data(page, arrive, axe, fake, tmp_path):
    page.goto("/")
    arrive("/")
    page.get_by_role("link", name="Privacy notice").click()
    arrive("/privacy")
    assert "What we keep" in main_text(page) and "*120*3210*6#" in main_text(page)

    page.get_by_role("link", name="Sign in to download everything we keep about you").click()
    arrive("/sign-in")
    assert "Signing in means you accept our privacy notice." in main_text(page)
    page.get_by_label("Mobile number").fill("072 555 0199")
    page.get_by_role("button", name="Send the code").click()
    arrive("/sign-in/code")
    page.get_by_label("Code from the SMS").fill(sms_code(fake, "+27725550199", after=0))
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Sign in").click()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)

    data = json.loads(zipfile.ZipFile(saved).read("my-data.json"))
    assert data["profile"]["phone"] == "+27725550199"
    assert [c["channel"] for c in data["privacy_consents"]] == ["web"]
    axe.assert_clean()
