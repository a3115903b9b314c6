"""The shipped catalogs: complete, checked, plural forms as CLDR has them, compiled copies
up to date, and present in an installed copy of the app."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.plural import to_python

from casework.demo_directory_data import SERVICES
from casework.i18n import LANGUAGE_NAMES, TRANSLATIONS_DIR, languages_with_catalogs
from casework.seed_demo import directory_texts
from casework.text_encoding import measure

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [language for language in LANGUAGE_NAMES if language != "en"]
SHORT_NAME_MAX = 24  # the longest short name the SMS size tests fill in


def catalog(language: str):  # type: ignore[no-untyped-def]
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def template():  # type: ignore[no-untyped-def]
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as handle:
        return read_po(handle)


def test_every_language_thusa_offers_has_a_compiled_catalog():
    assert languages_with_catalogs() == ["en", *sorted(SHIPPED)]


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalog(language)
    expected = {m.id for m in template() if m.id}
    present = {m.id for m in po if m.id}
    assert expected <= present, f"run `flask translate update`: {expected - present}"
    untranslated = [
        m.id
        for m in po
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert not untranslated, f"{language}: {len(untranslated)} to do, e.g. {untranslated[:5]}"


@pytest.mark.parametrize("language", SHIPPED)
def test_placeholders_survive_translation(language):
    # Babel's own checks: the same %(name)s placeholders, of the same types.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog(language).check()]
    assert not problems, problems


@pytest.mark.parametrize("language", SHIPPED)
def test_plural_forms_follow_cldr(language):
    po = catalog(language)
    rule = Locale.parse(language).plural_form
    cldr = to_python(rule)
    # The header's C expression, evaluated the way gettext does for integers.
    expression = po.plural_expr.replace("&&", " and ").replace("||", " or ").replace("!", "not ")
    expression = expression.replace("not =", "!=")
    header = eval(f"lambda n: int({expression})")
    forms = po.num_plurals
    # Order the CLDR categories as gettext numbers them: `one` first, `other` last.
    order = [c for c in ("zero", "one", "two", "few", "many") if c in rule.tags] + ["other"]
    assert forms == len(order), (language, forms, order)
    for n in range(0, 1001):
        assert header(n) == order.index(cldr(n)), (language, n)


@pytest.mark.parametrize("language", SHIPPED)
def test_each_catalog_says_it_awaits_a_native_speakers_review(language):
    text = (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").read_text()
    assert "AWAITS REVIEW BY A NATIVE SPEAKER" in text.split("msgid", 1)[0]
    assert (ROOT / "TRANSLATING.md").exists()


def _plain(string):  # type: ignore[no-untyped-def]
    return tuple(string) if isinstance(string, list | tuple) else string


@pytest.mark.parametrize("language", SHIPPED)
def test_the_compiled_catalog_is_up_to_date(language):
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = {_plain(m.id): _plain(m.string) for m in read_mo(handle) if m.id}
    source = {_plain(m.id): _plain(m.string) for m in catalog(language) if m.id and not m.fuzzy}
    assert compiled == source, "run `flask --app portal translate compile`"


def test_an_installed_copy_carries_the_compiled_catalogs(tmp_path):
    # A wheel is what `pip install` (without -e) puts on a server.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("thusa-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in SHIPPED:
        assert f"translations/{language}/LC_MESSAGES/messages.mo" in names, language
        assert f"casework/demo_directory_text/{language}.json" in names, language


@pytest.mark.parametrize("language", SHIPPED)
def test_the_demo_directory_has_every_service_and_question_in_every_language(language):
    texts = directory_texts()[language]
    for service in SERVICES:
        text = texts["services"][service["code"]]
        assert set(text) == set(service["text"]), service["code"]
        assert all(text.values()), service["code"]
        # Shown on USSD menus and inside one-part SMS.
        assert len(text["short_name"]) <= SHORT_NAME_MAX, text["short_name"]
        assert measure(text["short_name"]).encoding == "GSM-7", text["short_name"]
        for field in service["application_fields"]:
            for label in (field["label"], *(c["label"] for c in field.get("choices", ()))):
                assert label["en"] in texts["questions"], (language, label["en"])
