"""The staff console's door: sign-in, lockout, time limits, roles and scope."""

import io
import time

import pytest
from sqlalchemy import select

from casework.documents import documents_of_case, store
from casework.models import AuditLog, Role
from casework.services import lodge_grievance, submit_application
from tests.casework.scenes import build_world
from tests.factories import STAFF_PASSWORD, create_staff_user
from tests.portal.web import submit, token

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def staff_sign_in(client, username, password=STAFF_PASSWORD):
    return submit(client, "/staff/sign-in", {"username": username, "password": password})


@pytest.fixture
def world(db, app, tmp_path):
    world = build_world(db)
    world.grievance = lodge_grievance(
        db,
        phone=world.citizen.phone,
        category="payment",
        description="Late payment.",
        channel="ussd",
        language="en",
        country="ZA",
        district="eThekwini",
    ).grievance  # owned by the intake agency
    stored = store(
        __import__("pathlib").Path(app.config["DOCUMENTS_DIR"]), io.BytesIO(PNG), "id.png"
    )
    world.application = submit_application(
        db,
        phone=world.citizen.phone,
        service_id=world.service.id,
        answers={"children": 1},
        channel="web",
        language="en",
        documents=[stored.as_dict()],
    )  # owned by the other agency
    return world


def test_staff_sign_in_shows_the_cases_in_scope(client, world):
    response = staff_sign_in(client, world.staff["case_officer"].username)
    assert response.headers["Location"] == "/staff"
    page = client.get("/staff").get_data(as_text=True)
    assert world.grievance.reference[:4] in page  # their agency's
    assert world.application.reference[:4] not in page  # another agency's


def test_wrong_password_unknown_user_and_locked_account_fail_alike(client, world, db):
    user = world.staff["supervisor"].username
    wrong = staff_sign_in(client, user, "not the password").get_data(as_text=True)
    unknown = staff_sign_in(client, "nobody.here", "not the password").get_data(as_text=True)
    message = "The username or password is wrong, or the account is locked"
    assert message in wrong and message in unknown
    for _ in range(4):
        staff_sign_in(client, user, "still wrong")
    locked = staff_sign_in(client, user)  # the right password, but now locked
    assert locked.status_code == 200 and message in locked.get_data(as_text=True)


def test_idle_and_absolute_time_limits_sign_staff_out(client, world):
    staff_sign_in(client, world.staff["triage_officer"].username)
    assert client.get("/staff").status_code == 200
    with client.session_transaction() as session:
        session["staff_seen_at"] = time.time() - 31 * 60
    idle = client.get("/staff")
    assert idle.headers["Location"].startswith("/staff/sign-in?expired=1")
    staff_sign_in(client, world.staff["triage_officer"].username)
    with client.session_transaction() as session:
        session["staff_signed_in_at"] = time.time() - 12 * 3600 - 1
    assert client.get("/staff").headers["Location"].startswith("/staff/sign-in?expired=1")


@pytest.mark.parametrize(
    ("role", "sees_grievance", "sees_application"),
    [
        ("triage_officer", True, False),
        ("case_officer", True, False),
        ("supervisor", True, False),
        ("administrator", True, True),
        ("other_officer", False, True),
    ],
)
def test_every_staff_url_answers_404_for_a_case_out_of_scope(
    client, world, db, role, sees_grievance, sees_application
):
    user = world.other_officer if role == "other_officer" else world.staff[role]
    staff_sign_in(client, user.username)
    document_id = documents_of_case(db, world.application.id)[0].id
    expectations = {
        f"/staff/cases/{world.grievance.reference}": sees_grievance,
        f"/staff/cases/{world.application.reference}": sees_application,
        f"/staff/documents/{document_id}": sees_application,
    }
    for url, visible in expectations.items():
        with client.get(url) as response:
            assert response.status_code == (200 if visible else 404), (role, url)
    # Nor can an action reach a case out of scope.
    page = client.get("/staff").get_data(as_text=True)
    hidden = world.application if not sees_application else world.grievance
    if not (sees_grievance and sees_application):
        posted = client.post(
            f"/staff/cases/{hidden.reference}",
            data={"action": "note", "csrf_token": token(page), "note-note": "Looking around."},
        )
        assert posted.status_code == 404
    with client.get("/staff/cases/4827193506") as missing:
        assert missing.status_code == 404


def test_a_staff_read_of_a_case_is_audited(client, world, db):
    staff_sign_in(client, world.staff["administrator"].username)
    page = client.get(f"/staff/cases/{world.grievance.reference}").get_data(as_text=True)
    assert "Late payment." in page and world.citizen.phone in page
    with db.read() as session:
        viewed = session.scalars(select(AuditLog).where(AuditLog.action == "case.viewed")).one()
    assert viewed.actor_staff_id == world.staff["administrator"].id
    assert viewed.case_id == world.grievance.id


def test_administrators_manage_staff_accounts(client, world, db):
    staff_sign_in(client, world.staff["administrator"].username)
    added = submit(
        client,
        "/staff/users",
        {
            "username": "Lindiwe.N",
            "display_name": "Lindiwe Nkosi",
            "role": "case_officer",
            "agency": "sassa",
            "password": "a long enough password",
        },
    )
    assert added.headers["Location"] == "/staff/users"
    other = client.application.test_client()
    assert staff_sign_in(other, "lindiwe.n", "a long enough password").status_code == 302
    # Switching an account off stops its sign-in.
    page = client.get("/staff/users").get_data(as_text=True)

    user_id = next(
        u.id
        for u in __import__("casework.staff_sign_in", fromlist=["x"]).staff_list(db)
        if u.username == "lindiwe.n"
    )
    client.post(f"/staff/users/{user_id}/deactivate", data={"csrf_token": token(page)})
    third = client.application.test_client()
    assert staff_sign_in(third, "lindiwe.n", "a long enough password").status_code == 200


def test_only_administrators_reach_staff_accounts(client, world, db):
    officer = create_staff_user(db, world.intake, Role.CASE_OFFICER.value)
    staff_sign_in(client, officer.username)
    assert client.get("/staff/users").status_code == 403
    assert client.get("/staff").status_code == 200
