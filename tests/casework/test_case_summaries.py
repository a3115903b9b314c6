"""What a citizen reads of their own cases: each application named by its service in the
reader's language, in English where the service has no words in it yet."""

from __future__ import annotations

from casework.case_queries import open_cases_for_phone, own_case
from casework.models import ServiceText
from casework.services import submit_application
from tests.factories import create_agency, create_service, lodge

PHONE = "+27821234567"


def _text(language: str, short_name: str) -> ServiceText:
    return ServiceText(
        language=language,
        name=short_name,
        short_name=short_name,
        description="-",
        eligibility="-",
        required_documents=[],
        cost="-",
    )


def test_case_summaries_name_the_service_in_the_readers_language_else_english(db):
    agency = create_agency(db, intake=True)  # complaints come in here too
    service = create_service(
        db, agency, texts=[_text("en", "Child grant"), _text("zu", "Isibonelelo sengane")]
    )
    application = submit_application(
        db,
        phone=PHONE,
        service_id=service.id,
        answers={"children": 2},
        channel="ussd",
        language="en",
        privacy_consent=True,
    )
    lodge(db, phone=PHONE, language="en")
    lodge(db, phone="+27829999999", language="en")  # someone else's

    in_zulu = open_cases_for_phone(db, PHONE, "zu")
    assert len(in_zulu) == 2
    assert "Isibonelelo sengane" in {case.subject for case in in_zulu}
    in_xhosa = open_cases_for_phone(db, PHONE, "xh")  # no words in Xhosa yet
    assert "Child grant" in {case.subject for case in in_xhosa}

    view = own_case(db, PHONE, "zu", case_id=application.id)
    assert view is not None and view.summary.subject == "Isibonelelo sengane"
    assert view.latest is not None
    assert own_case(db, "+27829999999", "zu", case_id=application.id) is None
