"""`flask --app portal casework generate`: generated data for test databases, never in
production."""

from sqlalchemy import func, select

from casework.models import Case, Citizen
from casework.seed_demo import seed_demo

PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "k" * 32,
    "AT_CALLBACK_TOKEN": "t",
    "AT_USERNAME": "thusa",
    "AT_API_KEY": "key",
}


def counts(db):
    with db.read() as session:
        return (
            session.scalar(select(func.count(Citizen.id))),
            session.scalar(select(func.count(Case.id))),
        )


def test_generate_fills_the_database_and_says_how_much(app, db):
    seed_demo(db, with_staff=False)
    result = app.test_cli_runner().invoke(
        args=["casework", "generate", "--citizens", "30", "--cases", "90", "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    assert "Generating 30 citizens and 90 cases" in result.output
    assert "Added 30 citizens, 90 cases and" in result.output
    assert counts(db) == (30, 90)


def test_generate_refuses_in_production(make_app, database_url, db):
    seed_demo(db, with_staff=False)
    app = make_app({"DATABASE_URL": database_url, **PRODUCTION})
    result = app.test_cli_runner().invoke(args=["casework", "generate", "--cases", "10"])
    assert result.exit_code != 0
    assert "Refusing to generate data with PORTAL_ENV=production" in result.output
    assert counts(db) == (0, 0)


def test_generate_says_to_seed_the_directory_first(app, db):
    result = app.test_cli_runner().invoke(args=["casework", "generate", "--cases", "10"])
    assert result.exit_code != 0
    assert "seed-demo" in result.output
    assert counts(db) == (0, 0)


def test_generate_wants_citizens_for_the_cases(app, db):
    seed_demo(db, with_staff=False)
    result = app.test_cli_runner().invoke(
        args=["casework", "generate", "--citizens", "0", "--cases", "10"]
    )
    assert result.exit_code != 0 and "Cases need citizens" in result.output
    assert counts(db) == (0, 0)
