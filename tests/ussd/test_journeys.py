"""The four citizen journeys on a feature phone, screen by screen."""

from sqlalchemy import func, select

from casework.actors import Actor
from casework.models import Agency, Application, Case, Citizen, Grievance, OutboundMessage
from casework.references import format_reference, new_reference
from casework.services import transition
from tests.factories import create_staff_user
from tests.ussd.phone import Phone


def outbox(db):
    with db.read() as session:
        return session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()


def apply_for_child_support(phone: Phone) -> str:
    phone.dial()
    phone.choose("Apply for a service")
    phone.choose("Grants and money")
    phone.choose("Child support grant")
    assert "main caregiver" in phone.reply
    phone.choose("Yes")
    assert "How many children" in phone.reply
    phone.press("2")
    assert "ID number" in phone.reply
    phone.press("8001015009087")
    while "Check your answers" not in phone.reply:
        if "1 Yes" in phone.reply:
            phone.choose("No")
        elif "\n1 " in phone.reply:
            phone.press("1")
        else:
            phone.press("5000")
    return phone.choose("Send application")


def test_apply_ends_with_the_reference_and_queues_the_sms(phone, directory):
    reply = apply_for_child_support(phone)
    assert reply.startswith("END Application sent. Your reference is A ")
    with directory.read() as session:
        application = session.scalars(select(Application)).one()
        assert application.channel == "ussd" and application.answers["children"] == 2
        assert application.answers["youngest_child_id"] == "8001015009087"
    assert format_reference(application.reference, "application") in reply
    [sms] = outbox(directory)
    assert (sms.to, sms.template) == ("+27821234567", "application_submitted")


def test_apply_wrong_id_number_asks_again_with_the_reason(phone):
    phone.dial()
    for label in ("Apply for a service", "Grants and money", "Child support grant", "Yes"):
        phone.choose(label)
    phone.press("2")
    reply = phone.press("8001015009088")
    assert reply.startswith("CON Check your ID number: one of the digits looks mistyped")
    assert "ID number" in reply.splitlines()[1]
    assert phone.press("8001015009087").startswith("CON ")
    assert "mistyped" not in phone.reply


def test_apply_number_question_refuses_words(phone):
    phone.dial()
    for label in ("Apply for a service", "Grants and money", "Child support grant", "Yes"):
        phone.choose(label)
    assert phone.press("two").startswith("CON Enter a whole number, like 3")


def test_track_lists_open_cases_and_shows_the_latest_news(phone, directory):
    apply_for_child_support(phone)
    phone.dial()
    phone.choose("Track my cases")
    assert "Child support grant: received" in phone.reply
    phone.choose("Child support grant")
    assert "Status: received" in phone.reply and "Received" in phone.reply
    assert phone.reply.startswith("CON A ")


def test_track_by_reference_only_for_the_owners_number(phone, directory, store):
    apply_for_child_support(phone)
    with directory.read() as session:
        reference = session.scalars(select(Case.reference)).one()
    stranger = Phone(directory, store, "+27839999999")
    stranger.dial()
    stranger.choose("Track my cases")
    assert "You have no open cases." in stranger.reply
    stranger.choose("Type a reference")
    theirs = stranger.press(format_reference(reference))
    stranger.press("0")
    made_up = stranger.press(format_reference(new_reference()))
    # Someone else's case and no case at all look exactly alike.
    assert theirs == made_up
    assert theirs.startswith("CON Not a case of this number. If it has a PIN")
    assert stranger.press("1234").startswith("CON That reference and PIN do not match")
    phone.dial()
    phone.choose("Track my cases")
    phone.choose("Type a reference")
    assert phone.press(f"#{format_reference(reference)}").startswith("CON A ")


def test_track_an_anonymous_complaint_with_its_pin(phone, directory, store):
    reply = complain(phone, anonymous=True)
    reference, pin = reply.split("Reference ")[1][:14], reply.split("PIN ")[1][:4]
    other = Phone(directory, store, "+27830001111")  # any phone: the PIN is the key
    other.dial()
    other.choose("Track my cases")
    other.choose("Type a reference")
    other.press(reference)
    wrong = f"{(int(pin) + 1) % 10000:04d}"
    assert other.press(wrong).startswith("CON That reference and PIN do not match")
    opened = other.press(pin)
    assert opened.startswith(f"CON {reference}\nDelay in a service\nStatus: received")


def test_track_shows_a_status_change(phone, directory):
    apply_for_child_support(phone)
    with directory.read() as session:
        case = session.scalars(select(Case)).one()
        sassa = session.get(Agency, case.agency_id)
    officer = create_staff_user(directory, sassa, "case_officer")
    transition(directory, case.id, "under_review", Actor.staff(officer))
    phone.dial()
    phone.choose("Track my cases")
    assert "Child support grant: being reviewed" in phone.reply


def complain(phone: Phone, *, anonymous: bool, description="Nobody answered my calls") -> str:
    phone.dial()
    phone.choose("Make a complaint")
    phone.choose("Delay in a service")
    phone.choose("eThekwini")
    phone.press("2")  # the first office in the list
    phone.press(description)
    phone.choose("stay anonymous" if anonymous else "use my number")
    assert "Check your complaint" in phone.reply
    return phone.choose("Send complaint")


def test_complaint_named_ends_with_the_reference(phone, directory):
    reply = complain(phone, anonymous=False)
    assert reply.startswith("END Complaint sent. Your reference is G ")
    with directory.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        assert grievance.citizen.phone == "+27821234567"
        assert grievance.office_id is not None and grievance.district == "eThekwini"
        assert grievance.description == "Nobody answered my calls"
    [sms] = outbox(directory)
    assert sms.template == "grievance_lodged"


def test_complaint_anonymous_gives_reference_and_pin_and_keeps_no_number(phone, directory):
    reply = complain(phone, anonymous=True)
    assert reply.startswith("END Complaint sent. Reference G ") and ", PIN " in reply
    pin = reply.split("PIN ")[1][:4]
    assert pin.isdigit()
    with directory.read() as session:
        grievance = session.scalars(select(Grievance)).one()
        assert grievance.citizen_id is None and grievance.anonymous
        assert session.scalar(select(func.count(Citizen.id))) == 0
    [sms] = outbox(directory)
    assert sms.template == "grievance_lodged_anonymous" and sms.params["pin"] == pin


def test_complaint_description_keeps_the_stars_people_type(phone, directory):
    complain(phone, anonymous=False, description="Paid R50 * 3 times, no receipt*")
    with directory.read() as session:
        grievance = session.scalars(select(Grievance)).one()
    assert grievance.description == "Paid R50 * 3 times, no receipt*"


def test_complaint_description_too_long_is_asked_again(phone):
    phone.dial()
    for label in ("Make a complaint", "Delay in a service", "eThekwini"):
        phone.choose(label)
    phone.press("1")
    reply = phone.press("x" * 161)
    assert reply.startswith("CON Use 160 letters or fewer\nWhat happened?")


def test_find_a_service_shows_documents_and_offices(phone):
    phone.dial()
    phone.choose("Find a service")
    phone.choose("Grants and money")
    phone.choose("Older persons grant")
    phone.choose("Documents to bring")
    assert "ID" in phone.reply
    phone.press("0")
    phone.choose("Where to go")
    phone.press("1")
    assert "Mon-Fri" in phone.reply and "08:00" in phone.reply


def test_find_a_service_leads_into_the_application(phone):
    phone.dial()
    for label in ("Find a service", "Grants and money", "Child support grant", "Apply now"):
        phone.choose(label)
    assert "main caregiver" in phone.reply


def test_language_choice_is_saved_and_used_next_time(phone, directory):
    phone.dial()
    phone.choose("Language")
    assert all(name in phone.reply for name in ("isiZulu", "Afrikaans", "English"))
    phone.choose("isiZulu")
    with directory.read() as session:
        assert session.scalars(select(Citizen.language)).one() == "zu"
    phone.dial()
    with directory.read() as session:
        assert session.scalars(select(Citizen.language)).one() == "zu"
    assert phone.store.get(f"session:{phone.session_id}")["state"]["language"] == "zu"
