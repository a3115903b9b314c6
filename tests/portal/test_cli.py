from sqlalchemy import func, select

from casework.models import Agency, Office, Service, StaffUser
from casework.passwords import verify_secret
from portal.services import get_db


def test_db_upgrade_migrates_an_empty_sqlite_database(make_app, tmp_path):
    app = make_app()  # the embedded default: SQLite in the instance folder
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "instance" / "thusa.sqlite3").exists()
    assert app.test_client().get("/healthz").status_code == 200
    assert app.test_client().get("/").status_code == 200


def test_seed_demo_fills_a_realistic_directory_and_prints_staff_passwords(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context(), get_db().read() as session:
        assert session.scalar(select(func.count(Service.id))) >= 14
        assert session.scalar(select(func.count(Agency.id))) >= 5
        assert session.scalar(select(func.count(func.distinct(Office.district)))) >= 3
        assert session.scalar(select(func.count(Agency.id)).where(Agency.intake)) == 1
        staff = session.scalars(select(StaffUser)).all()
        for service in session.scalars(select(Service)):
            assert service.text("en").eligibility and service.text("en").required_documents
            assert service.offices, service.code
    assert {user.role for user in staff} == {
        "triage_officer",
        "case_officer",
        "supervisor",
        "administrator",
    }
    # Every printed password signs its account in.
    printed = {line.split()[0]: line.split()[1] for line in result.output.splitlines()[1:]}
    for user in staff:
        assert verify_secret(user.password_hash, printed[user.username]), user.username

    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "already has data" in again.output
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0


def test_create_staff_makes_an_account_that_its_password_unlocks(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(
        args=[
            "create-staff",
            "--username",
            "Thandi.M",
            "--name",
            "Thandi Mokoena",
            "--role",
            "case_officer",
            "--agency",
            "sassa",
        ],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context(), get_db().read() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.username == "thandi.m")).one()
        assert user.role == "case_officer" and user.agency.code == "sassa"
        assert verify_secret(user.password_hash, "a long enough password")


def test_create_staff_generates_a_password_when_none_is_given(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(
        args=[
            "create-staff",
            "--username",
            "sipho",
            "--name",
            "Sipho Dlamini",
            "--role",
            "supervisor",
            "--agency",
            "dsd",
            "--password",
            "",
        ],
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("Password (shown once): ")[1].strip()
    with app.app_context(), get_db().read() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.username == "sipho")).one()
        assert verify_secret(user.password_hash, password)


def test_create_staff_explains_bad_input(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    short = runner.invoke(
        args=[
            "create-staff",
            "--username",
            "sipho",
            "--name",
            "S",
            "--role",
            "supervisor",
            "--agency",
            "dsd",
            "--password",
            "short",
        ],
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    unknown = runner.invoke(
        args=[
            "create-staff",
            "--username",
            "sipho",
            "--name",
            "S",
            "--role",
            "supervisor",
            "--agency",
            "nowhere",
            "--password",
            "a long enough password",
        ],
    )
    assert unknown.exit_code != 0 and "agency" in unknown.output
