"""Every SMS template, in every language with a catalog, with the longest realistic
values: status updates and codes fit one part, and nothing is left untranslatable."""

import pytest

from casework.i18n import languages_with_catalogs
from casework.status_labels import STATUS_LABELS
from casework.text_encoding import measure
from casework.workflows import WORKFLOWS
from notifications.templates import TEMPLATES, render
from tests.leftover_english import english_left

LONGEST = {
    "reference": "G 4827 1935 06",
    "pin": "4821",
    "code": "482913",
    "ussd": "*120*3210#",
    "privacy": "*120*3210*6#",
    "service": "Social relief of distress",  # the longest short name in the directory: 24
    "agency": "Human Settlements",
    "languages": "en af zu xh st sw",
    "language": "Afrikaans",  # the longest of the languages' own names
    "text": "We found your file. Please bring your ID to the Umlazi office on Monday.",
}
LANGUAGES = languages_with_catalogs()


def longest_status_params():
    return max(
        (
            {"kind": kind, "status": status}
            for kind, labels in STATUS_LABELS.items()
            for status in labels
        ),
        key=lambda p: len(STATUS_LABELS[p["kind"]][p["status"]]),
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_renders_within_its_size_in_every_language(name, language):
    params = dict(LONGEST)
    if "%(status)s" in TEMPLATES[name].text:
        params |= longest_status_params()
    text = render(name, language, params)
    assert "%(" not in text
    if language != "en":
        assert not english_left(text, language), f"{name} in {language}: {text}"
    size = measure(text)
    if TEMPLATES[name].one_part:
        assert size.parts == 1, f"{name} in {language} is {size.units} {size.encoding}: {text}"


def test_english_templates_are_plain_gsm7():
    for name, template in TEMPLATES.items():
        assert measure(template.text).encoding == "GSM-7", name


def test_every_notifying_transition_has_a_template():
    for workflow in WORKFLOWS.values():
        assert workflow.created_template in TEMPLATES
        for step in workflow.transitions:
            assert step.template is None or step.template in TEMPLATES, step
    assert "grievance_lodged_anonymous" in TEMPLATES and "case_message" in TEMPLATES


def test_status_reply_names_the_status_in_words():
    text = render(
        "reply_status",
        "en",
        {"reference": "A 4827 1935 06", "kind": "application", "status": "more_info_needed"},
    )
    assert text == "Thusa: A 4827 1935 06 is waiting for more information from you."


def test_secrets_are_marked_so_the_outbox_forgets_them():
    assert TEMPLATES["sign_in_code"].secret_params == ("code",)
    assert TEMPLATES["grievance_lodged_anonymous"].secret_params == ("pin",)
    assert TEMPLATES["grievance_lodged_anonymous"].forget_recipient


def test_every_template_is_in_the_catalog_template_translators_work_from():
    from pathlib import Path

    from babel.messages.pofile import read_po

    pot = Path(__file__).resolve().parents[2] / "translations" / "messages.pot"
    with pot.open("rb") as handle:
        catalog = read_po(handle)
    for name, template in TEMPLATES.items():
        assert template.text in catalog, f"{name}: run the extraction again (see babel.cfg)"
