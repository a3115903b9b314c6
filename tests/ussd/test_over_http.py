"""Done when: a session speaking only the Africa's Talking protocol over HTTP applies,
tracks and lodges a complaint in every language with a catalog, each ending with a
reference whose SMS reaches the (fake) gateway."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from werkzeug.serving import make_server

from casework.directory import categories, service_detail, services_in_category
from casework.i18n import LANGUAGE_NAMES, languages_with_catalogs
from casework.references import parse_reference
from casework.seed_demo import seed_demo
from ussd.screens.apply import ussd_questions

ANSWERS = {
    "yes_no": "1",
    "choice": "1",
    "id_number": "8001015009087",
    "date": "27032024",
    "text": "Test",
}


@pytest.fixture
def server(make_app, db, database_url, fake) -> Iterator[str]:
    seed_demo(db, with_staff=False)
    app = make_app(
        {
            "DATABASE_URL": database_url,
            "AT_USERNAME": fake.username,
            "AT_API_KEY": fake.api_key,
            "AT_API_URL": fake.url,
            "SMS_RELAY_THREAD": "true",
            "AT_CALLBACK_TOKEN": "tok",
        }
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/ussd?token=tok"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


class HttpPhone:
    def __init__(self, url: str, number: str) -> None:
        self.url, self.number, self.count = url, number, 0

    def dial(self) -> str:
        self.count += 1
        self.session, self.inputs = f"ATUid_http_{self.number}_{self.count}", []
        return self._post()

    def press(self, key: str) -> str:
        self.inputs.append(key)
        return self._post()

    def _post(self) -> str:
        with requests.Session() as http:
            response = http.post(
                self.url,
                timeout=10,
                data={
                    "sessionId": self.session,
                    "serviceCode": "*120*3210#",
                    "phoneNumber": self.number,
                    "networkCode": "65501",
                    "text": "*".join(self.inputs),
                },
            )
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(
            "text/plain"
        )
        self.reply = response.text
        assert self.reply.startswith(("CON ", "END ")) and len(self.reply) <= 182
        return self.reply


def reference_in(reply: str) -> str:
    for start in range(len(reply)):
        for end in (start + 16, start + 14):  # "G 4827 1935 06" or "4827 1935 06"
            try:
                return parse_reference(reply[start:end])[0]
            except Exception:
                continue
    raise AssertionError(f"no reference in {reply!r}")


@pytest.mark.parametrize("language", languages_with_catalogs())
def test_apply_track_and_complain_over_http_in_every_language(server, db, fake, language):
    number = "+27821230000"
    phone = HttpPhone(server, number)
    phone.dial()
    phone.press("5")  # Language
    phone.press(str(list(LANGUAGE_NAMES).index(language) + 1))

    # Apply for a child support grant, answering each question by its type.
    phone.dial()
    phone.press("1")
    phone.press(str(categories(db, channel="ussd").index("grants") + 1))
    services = services_in_category(db, "grants", language, channel="ussd")
    service = next(s for s in services if s.code == "child-support-grant")
    phone.press(str(services.index(service) + 1))
    detail = service_detail(db, service.id, language)
    for field in ussd_questions(detail.application_fields):
        phone.press(ANSWERS.get(field["type"]) or str(max(field.get("min", 0), 1)))
    applied = phone.press("1")
    assert applied.startswith("END ")
    application_ref = reference_in(applied)

    # Track: the new application is the first open case.
    phone.dial()
    phone.press("2")
    assert reference_in(phone.press("1")) == application_ref

    # Complain about a delay, at no office in the first district.
    phone.dial()
    for key in ("3", "1", "1", "1", "Nobody called me back", "1"):
        phone.press(key)
    complained = phone.press("1")
    assert complained.startswith("END ")
    complaint_ref = reference_in(complained)

    # Track it by typing the reference from the SMS.
    phone.dial()
    phone.press("2")
    phone.press(str(phone.reply.count("\n") - 1))  # "Type a reference", last before nav
    assert reference_in(phone.press(complaint_ref)) == complaint_ref

    # An anonymous complaint: the reference and PIN on screen and by SMS, and the PIN
    # opens it from any phone.
    phone.dial()
    for key in ("3", "2", "1", "1", "Asked for a bribe", "2"):
        phone.press(key)
    anonymous = phone.press("1")
    anonymous_ref, pin = reference_in(anonymous), anonymous.split("PIN ")[1][:4]
    other = HttpPhone(phone.url, "+27829870000")
    other.dial()
    for key in ("2", "1", anonymous_ref, pin):
        other.press(key)
    assert reference_in(other.reply) == anonymous_ref

    sent = fake.wait_for(3, timeout=5)
    texts = " ".join(sms.message.replace(" ", "") for sms in sent if sms.to == number)
    assert application_ref in texts and complaint_ref in texts
    assert anonymous_ref in texts and f"PIN{pin}" in texts
