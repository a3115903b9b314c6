"""The catalog template translators work from is complete and current."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("casework", "notifications", "portal", "ussd")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None}


def extracted() -> set[str]:
    found = set()
    for package in PACKAGES:
        method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
        for _filename, _line, message, *_rest in extract_from_dir(
            ROOT / package, method_map=method_map, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_messages_pot_has_every_message_the_code_marks():
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        catalog = read_po(handle)
    in_pot = {
        message.id[0] if isinstance(message.id, tuple) else message.id
        for message in catalog
        if message.id
    }
    missing = extracted() - in_pot
    assert not missing, f"re-extract translations/messages.pot (README); missing: {missing}"


def test_no_message_hides_inside_an_f_string():
    # pybabel does not look inside f-strings: a message there is never translated.
    hidden = re.compile(r"""\{[^{}]*\b(gettext|_|N_)\(\s*['"]""")
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                assert not hidden.search(line), f"{path}:{number}: {line.strip()}"
