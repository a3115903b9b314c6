"""One migration history for SQLite and PostgreSQL, and it matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from casework.migrate import downgrade, upgrade
from casework.models import Base


def test_migrations_build_exactly_the_schema_the_models_describe(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_go_down_to_empty_and_back_up(db, database_url):
    downgrade(database_url, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    db.engine.dispose()
    upgrade(database_url)
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
