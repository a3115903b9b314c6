"""Agencies' API keys: shown once, kept only as a hash, refused once revoked."""

from __future__ import annotations

from sqlalchemy import select

from casework.actors import Actor
from casework.api_keys import authenticate, issue_key, revoke_key
from casework.models import ApiKey, AuditLog
from tests.factories import create_agency


def test_a_key_is_kept_only_as_a_hash_and_acts_as_its_agency_and_role(db):
    agency = create_agency(db, code="sassa")
    issued = issue_key(db, Actor.system(), agency_code="sassa", role="case_officer", name="SOCPEN")
    secret = issued.key.split("_", 2)[2]
    with db.read() as session:
        row = session.scalars(select(ApiKey)).one()
        stored = [str(value) for value in (row.prefix, row.secret_hash, row.name)]
    assert not any(secret in value for value in stored)
    actor = authenticate(db, issued.key)
    assert actor is not None
    assert (actor.type, actor.role, actor.agency_id, actor.channel) == (
        "api",
        "case_officer",
        agency.id,
        "api",
    )


def test_a_wrong_secret_an_unknown_prefix_and_a_revoked_key_open_nothing(db):
    create_agency(db, code="sassa")
    issued = issue_key(db, Actor.system(), agency_code="sassa", role="supervisor", name="BI")
    wrong = issued.key[:-4] + ("aaaa" if not issued.key.endswith("aaaa") else "bbbb")
    for presented in (wrong, "thusa_ffffffffffff_" + "x" * 43, "", "Bearer", issued.prefix):
        assert authenticate(db, presented) is None
    revoke_key(db, Actor.system(), issued.prefix)
    assert authenticate(db, issued.key) is None
    with db.read() as session:
        actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["api_key.issued", "api_key.revoked"]


def test_a_key_records_when_it_was_last_used(db):
    create_agency(db, code="sassa")
    issued = issue_key(db, Actor.system(), agency_code="sassa", role="supervisor", name="BI")
    authenticate(db, issued.key)
    with db.read() as session:
        assert session.scalars(select(ApiKey.last_used_at)).one() is not None


def test_the_command_prints_the_key_once_and_lists_it_without_its_secret(app, db):
    create_agency(db, code="sassa")
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=["api-keys", "create", "--agency", "sassa", "--role", "case_officer", "--name", "X"]
    )
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert authenticate(db, key) is not None
    listed = runner.invoke(args=["api-keys", "list"])
    assert key.split("_")[1] in listed.output and key.split("_", 2)[2] not in listed.output
    refused = runner.invoke(
        args=["api-keys", "create", "--agency", "nobody", "--role", "case_officer", "--name", "X"]
    )
    assert refused.exit_code != 0 and "agency" in refused.output


def test_revoking_a_key_ends_the_webhooks_it_subscribed(db):
    from casework.webhooks import list_subscriptions, subscribe

    create_agency(db, code="sassa")
    issued = issue_key(db, Actor.system(), agency_code="sassa", role="supervisor", name="BI")
    actor = authenticate(db, issued.key)
    subscribe(db, actor, url="https://bi.sassa.example/hooks", events=[])
    revoke_key(db, Actor.system(), issued.prefix)
    other = issue_key(db, Actor.system(), agency_code="sassa", role="supervisor", name="New")
    assert list_subscriptions(db, authenticate(db, other.key)) == []
