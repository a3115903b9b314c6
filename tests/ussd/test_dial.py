"""`flask --app portal ussd dial`: a phone in the terminal."""

from sqlalchemy import select

from casework.i18n import translations
from casework.models import Citizen
from casework.seed_demo import seed_demo


def test_dial_shows_each_screen_and_reads_the_next_key(app, db):
    seed_demo(db, with_staff=False)
    result = app.test_cli_runner().invoke(
        args=["ussd", "dial", "--phone", "+27825550000", "--lang", "zu"],
        input="4\n1\n98\n00\n",
    )
    assert result.exit_code == 0, result.output
    # In the language asked for: isiZulu.
    zu = translations("zu").gettext
    assert zu("Thusa: how can we help?") != "Thusa: how can we help?"
    assert zu("Thusa: how can we help?") in result.output
    assert zu("Find a service:") in result.output and zu("Choose a service") in result.output
    assert "Hung up." in result.output
    assert " characters)" in result.output  # each screen's length, as the handset counts it
    with db.read() as session:
        assert session.scalars(select(Citizen.language)).one() == "zu"


def test_dial_ends_with_the_end_screen(app, db):
    seed_demo(db, with_staff=False)
    keys = "3\n1\n1\n1\nThe clinic was closed\n1\n1\n"
    result = app.test_cli_runner().invoke(args=["ussd", "dial"], input=keys)
    assert result.exit_code == 0, result.output
    assert "Complaint sent. Your reference is G " in result.output
    assert "Hung up." not in result.output


def test_dial_explains_a_bad_phone_or_language(app, db):
    runner = app.test_cli_runner()
    bad_phone = runner.invoke(args=["ussd", "dial", "--phone", "12"])
    assert bad_phone.exit_code == 2 and "Enter a phone number like" in bad_phone.output
    bad_lang = runner.invoke(args=["ussd", "dial", "--lang", "fr"])
    assert bad_lang.exit_code == 2 and "Choose a language from the list" in bad_lang.output
    local = runner.invoke(
        args=["ussd", "dial", "--phone", "082 123 4567", "--lang", "zu"], input=""
    )
    assert local.exit_code == 0, local.output
