"""Every USSD screen, in every language with a catalog, with the longest realistic data,
on every page and with an error shown: within 182 characters as the handset counts them,
without the last-resort cut."""

from __future__ import annotations

import pytest

from casework.actors import Actor
from casework.case_queries import open_cases_for_phone
from casework.directory import categories, districts, offices_in_district, service_detail
from casework.grievance_categories import CATEGORIES as COMPLAINT_CATEGORIES
from casework.i18n import LANGUAGE_NAMES, languages_with_catalogs, translations
from casework.models import Service
from casework.seed_demo import seed_demo
from casework.services import add_note, lodge_grievance, submit_application
from casework.text_encoding import measure
from tests.leftover_english import english_left
from tests.ussd.phone import Phone
from ussd import engine, webhook
from ussd.screen_kit import LIMIT, Context, Info, Menu, Prompt, compose, fit, length, page_count
from ussd.screens import SCREENS, apply, complaint
from ussd.screens.apply import ussd_questions
from ussd.screens.complaint import DESCRIPTION_MAX
from ussd.screens.directory import TOPICS

LONGEST_ERRORS = {
    # Menus show a one-line error; a question shows the longest a validation can give.
    "menu": "Choose a number from the list",
    "prompt": "Check your ID number: the first 6 digits must be your date of birth",
}
PHONE = "+27821234567"


@pytest.fixture
def world(db):
    seed_demo(db, with_staff=False)
    with db.read() as session:
        services = session.query(Service).all()
    # A citizen with many cases, one of them carrying a long public message.
    for service in services:
        fields = [
            f for f in service.application_fields if "assisted" in f.get("channels", ("assisted",))
        ]
        submit_application(
            db,
            phone=PHONE,
            service_id=service.id,
            answers=longest_answers(fields),
            channel="assisted",
            language="en",
        )
    lodged = lodge_grievance(
        db,
        phone=PHONE,
        category="gender_based_violence",
        description="x" * 2000,
        channel="web",
        language="en",
        country="ZA",
        district="eThekwini",
    )
    add_note(
        db,
        lodged.grievance.id,
        Actor("system", "system", "system"),
        "We have spoken to the office manager. " * 20,
        public=True,
    )
    return db


def every_state(ctx: Context):
    """(screen, data) for every screen, with every piece of data it can show."""
    db, language = ctx.db, ctx.language
    yield "home", {}
    yield "language", {}
    yield "privacy", {}
    yield "apply_category", {}
    yield "find_category", {}
    for category in categories(db):
        yield "apply_service", {"category": category}
        yield "find_service", {"category": category}
    with db.read() as session:
        service_ids = [s.id for s in session.query(Service).all()]
    for service_id in service_ids:
        yield "find_detail", {"service_id": service_id}
        yield "find_offices", {"service_id": service_id}
        for topic, _ in TOPICS:
            if topic != "offices":
                yield "find_info", {"service_id": service_id, "topic": topic}
        detail = service_detail(db, service_id, language)
        for index in range(len(detail.offices)):
            yield "find_office", {"service_id": service_id, "office_index": index}
        questions = ussd_questions(detail.application_fields)
        journey = {
            "service_id": service_id,
            "questions": questions,
            "service_name": detail.summary.short_name,
            "answers": {},
        }
        for index, field in enumerate(questions):
            yield "apply_question", {**journey, "question": index}
            if field["type"] == "number":
                yield "apply_number", {**journey, "question": index}
        yield (
            "apply_confirm",
            {**journey, "question": len(questions), "answers": longest_answers(questions)},
        )
    yield "track_cases", {}
    yield "track_reference", {}
    yield "track_pin", {"reference": "4827193506"}
    for case in open_cases_for_phone(db, PHONE, language):
        yield "track_case", {"case_id": case.id}
        yield "track_case", {"case_id": case.id, "opened_by_pin": True}
    yield "complaint_category", {}
    yield "complaint_district", {}
    for district in districts(db):
        yield "complaint_office", {"district": district}
        for office in offices_in_district(db, district):
            for category in COMPLAINT_CATEGORIES:
                yield (
                    "complaint_confirm",
                    {
                        "category": category.code,
                        "district": district,
                        "office_id": office.id,
                        "description": "w" * DESCRIPTION_MAX,
                        "anonymous": True,
                    },
                )
    yield "complaint_description", {}
    yield "complaint_anonymous", {}


def longest_answers(questions):
    answers = {}
    for field in questions:
        if field["type"] == "choice":
            answers[field["name"]] = max(
                field["choices"], key=lambda c: len(c["label"].get("en", ""))
            )["value"]
        elif field["type"] == "text":
            answers[field["name"]] = "w" * field.get("max_length", 60)
        elif field["type"] == "number":
            answers[field["name"]] = field.get("max", 999999)
        elif field["type"] == "yes_no":
            answers[field["name"]] = True
        elif field["type"] == "date":
            answers[field["name"]] = "2024-12-31"
        else:
            answers[field["name"]] = "8001015009087"
    return answers


@pytest.mark.parametrize("language", languages_with_catalogs())
def test_every_screen_fits_in_every_language(world, store, language):
    ctx = Phone(world, store, PHONE, (language, *LANGUAGE_NAMES)).context()
    seen = set()
    for name, data in every_state(ctx):
        view = SCREENS[name].show(ctx, data)
        seen.add(name)
        kind = "prompt" if isinstance(view, Prompt) else "menu"
        for page in range(page_count(ctx, view)):
            for error in (None, ctx.gettext(LONGEST_ERRORS[kind])):
                reply = compose(ctx, view, page, error)
                assert length(reply) <= LIMIT, f"{name} {data} page {page}:\n{reply}"
                # A letter outside GSM-7 (ê, curly quotes) can halve what a network shows:
                # what is sent is folded into GSM-7, and no longer.
                sent = fit(reply)
                assert measure(sent).encoding == "GSM-7" and length(sent) <= length(reply)
                if language != "en":
                    left = english_left(reply, language)
                    assert not left, f"English in {language} {name}: {left}\n{reply}"
        assert isinstance(view, Menu | Prompt | Info)
    assert seen == set(SCREENS), f"never rendered: {set(SCREENS) - seen}"


@pytest.mark.parametrize("language", languages_with_catalogs())
def test_every_final_screen_fits_in_every_language(language):
    gettext = translations(language).gettext
    longest = {"reference": "G 4827 1935 06", "pin": "4821"}
    for text in (
        apply.SENT,
        apply.NOT_BY_USSD,
        complaint.SENT,
        complaint.SENT_ANONYMOUS,
        engine.BUSY,
        engine.WRONG_PHONE,
        webhook.UNREADABLE,
        webhook.BAD_NUMBER,
        webhook.FAILED,
    ):
        assert length("END " + gettext(text) % longest) <= LIMIT, text


@pytest.mark.parametrize("language", languages_with_catalogs())
def test_the_resume_offer_and_notes_above_home_fit(world, store, language):
    ctx = Phone(world, store, PHONE, (language, *LANGUAGE_NAMES)).context()
    resume = {
        "screen": "resume",
        "data": {"resume": {}},
        "page": 0,
        "stack": [],
        "language": language,
    }
    home = engine.home_state(language)
    replies = [engine._render(ctx, resume, ctx.gettext("Choose a number from the list"))]
    for note in (ctx.gettext("Nothing was sent."), *LANGUAGE_NAMES.values()):
        replies.append(engine._render(ctx, home, note))
    for reply in replies:
        assert length(reply) <= LIMIT and not reply.endswith("..."), reply
