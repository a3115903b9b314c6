"""SMS relay throughput: a burst of queued messages drained by two relays.

A fresh PostgreSQL database, the fake Africa's Talking server (`bench.fake_gateway`, a
process of its own on loopback), and two `flask --app portal notifications relay`
processes using it through the real SDK, with Redis for the doorbell and the shared send
rate (SMS_RATE_PER_SECOND set far above what they reach, so it is not the limit). Once
both relays wait on the doorbell, one transaction queues the burst (citizens, and an
outbox row each as casework's `queue_sms` writes it: status updates in six languages);
the clock runs from its commit until the database has every row `sent`.

Then both sides are checked: every row is `sent` with the gateway's message id, and the
gateway took exactly one message per recipient, with the text the template renders.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import redis
from sqlalchemy import func, insert, select

from bench import servers
from bench.report import Figure
from casework.database import Database
from casework.models import Citizen, OutboundMessage
from casework.privacy import privacy_shortcut
from casework.references import format_reference, new_reference
from notifications.doorbell import CHANNEL, RedisDoorbell, ring_on_commit
from notifications.templates import render

SECTION = "relay"
DATABASE = "thusa_bench_load_relay"
RELAYS = 2
TARGET = 300.0  # messages a second
USSD_CODE = "*120*3210#"
LANGUAGES = ("en", "zu", "xh", "af", "st", "sw")
# Status updates as casework queues them (reference, and what each template names).
TEMPLATES = (
    ("grievance_lodged", "grievance", {}),
    ("grievance_acknowledged", "grievance", {}),
    ("grievance_in_progress", "grievance", {}),
    ("grievance_resolved", "grievance", {}),
    ("application_submitted", "application", {"service": "Child support grant"}),
    ("application_under_review", "application", {}),
    ("application_approved", "application", {}),
    ("referral_accepted", "referral", {}),
    ("case_message", "grievance", {}),
)


def run(args: argparse.Namespace) -> list[Figure]:
    count = 2_000 if getattr(args, "quick", False) else 20_000
    servers.flush_redis()
    url = servers.fresh_database(DATABASE)
    fake = subprocess.Popen(
        [sys.executable, "-m", "bench.fake_gateway"],
        cwd=servers.REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert fake.stdin is not None and fake.stdout is not None
        gateway = json.loads(fake.stdout.readline())
        env = servers.app_env(
            DATABASE_URL=url,
            REDIS_URL=servers.redis_url(),
            PORTAL_ENV="production",
            AT_CALLBACK_TOKEN=secrets.token_urlsafe(16),
            AT_USERNAME=gateway["username"],
            AT_API_KEY=gateway["api_key"],
            AT_API_URL=gateway["url"],
            SMS_RATE_PER_SECOND="100000",
            USSD_CODE=USSD_CODE,
        )
        _say("migrating %s", DATABASE)
        servers.flask(env, "db", "upgrade")
        result = drain(url, env, count, fake)
    finally:
        fake.stdin.close()  # type: ignore[union-attr]
        servers.stop(fake)
    servers.drop_database(url)
    return figures(result, count)


def drain(url: str, env: dict[str, str], count: int, fake: subprocess.Popen[str]) -> dict[str, Any]:
    relay_args = [sys.executable, "-m", "flask", "--app", "portal", "notifications", "relay"]
    db = Database(url)
    client = redis.Redis.from_url(servers.redis_url())
    ring_on_commit(db, RedisDoorbell(client))  # as a web worker's commit rings it
    try:
        with servers.started(relay_args, env) as first, servers.started(relay_args, env) as second:
            _wait_for_listeners(client, RELAYS)
            expected = queue_burst(db, count)
            started = time.monotonic()
            relays = [first.pid, second.pid]
            cpu_before = servers.cpu_seconds(relays)
            busy_before = servers.machine_busy_seconds()
            backends = servers.database_backends(DATABASE)
            database_before = servers.cpu_seconds(backends)
            fake_before = servers.cpu_seconds([fake.pid])
            sent = _wait_until_sent(db, count, timeout=120 + count / 50)
            elapsed = time.monotonic() - started
            relay_cpu = servers.cpu_seconds(relays) - cpu_before
            busy = servers.machine_busy_seconds() - busy_before
            database_cpu = servers.cpu_seconds(backends) - database_before
            fake_cpu = servers.cpu_seconds([fake.pid]) - fake_before
            time.sleep(1.0)  # anything sent twice would have reached the gateway by now
        problems = check(db, fake, expected)
    finally:
        client.close()
        db.dispose()
    _say(
        "  %d of %d sent in %.1f s: %.0f msg/s; CPU per message: relays %.2f ms, PostgreSQL"
        " %.2f ms, fake gateway %.2f ms, whole machine %.2f ms",
        sent,
        count,
        elapsed,
        sent / elapsed,
        1000 * relay_cpu / count,
        1000 * database_cpu / count,
        1000 * fake_cpu / count,
        1000 * busy / count,
    )
    for problem in problems[:10]:
        _say("  problem: %s", problem)
    return {"sent": sent, "seconds": elapsed, "problems": problems}


def queue_burst(db: Database, count: int) -> dict[str, str]:
    """`count` citizens and one queued status update each, in one transaction: the text
    each recipient must receive, by phone number."""
    _say("queueing %d messages", count)
    citizens, messages, expected = [], [], {}
    for n in range(count):
        phone = f"+2786{n:07d}"
        language = LANGUAGES[n % len(LANGUAGES)]
        template, kind, extra = TEMPLATES[n % len(TEMPLATES)]
        params = {"reference": format_reference(new_reference(), kind), **extra}
        citizens.append({"phone": phone, "language": language})
        messages.append(
            OutboundMessage(to=phone, template=template, params=params, language=language)
        )
        defaults = {"ussd": USSD_CODE, "privacy": privacy_shortcut(USSD_CODE)}
        expected[phone] = render(template, language, {**defaults, **params})
    with db.transaction() as session:
        session.execute(insert(Citizen), citizens)
        session.add_all(messages)
    return expected


def _wait_for_listeners(client: redis.Redis, relays: int, timeout: float = 30.0) -> None:
    """Until every relay has started and waits on the doorbell."""
    deadline = time.monotonic() + timeout
    while client.pubsub_numsub(CHANNEL)[0][1] < relays:
        if time.monotonic() > deadline:
            raise RuntimeError("the relays never started listening for the doorbell")
        time.sleep(0.05)


def _wait_until_sent(db: Database, count: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    sent = 0
    while time.monotonic() < deadline:
        with db.read() as session:
            sent = session.scalar(select(func.count()).where(OutboundMessage.status == "sent")) or 0
        if sent >= count:
            break
        time.sleep(0.05)
    return sent


def check(db: Database, fake: subprocess.Popen[str], expected: dict[str, str]) -> list[str]:
    """What is wrong, seen from the outbox and from the gateway; empty when nothing is."""
    assert fake.stdin is not None and fake.stdout is not None
    fake.stdin.write("dump\n")
    fake.stdin.flush()
    received = json.loads(fake.stdout.readline())
    problems = []
    with db.read() as session:
        rows = session.execute(
            select(OutboundMessage.to, OutboundMessage.status, OutboundMessage.gateway_message_id)
        ).all()
    unsent = [row for row in rows if row.status != "sent" or not row.gateway_message_id]
    if unsent:
        problems.append(f"{len(unsent)} outbox rows not sent with a gateway id")
    per_phone = Counter(to for to, _, _ in received)
    twice = [phone for phone, times in per_phone.items() if times > 1]
    if twice:
        problems.append(f"{len(twice)} recipients got their message more than once")
    missing = set(expected) - set(per_phone)
    if missing:
        problems.append(f"{len(missing)} recipients got nothing")
    if len(received) != len(expected):
        problems.append(f"the gateway took {len(received)} messages, not {len(expected)}")
    wrong = [to for to, text, _ in received if expected.get(to) != text]
    if wrong:
        problems.append(f"{len(wrong)} messages did not say what their template says")
    issued = {message_id for _, _, message_id in received}
    recorded = {row.gateway_message_id for row in rows}
    if recorded - issued:
        problems.append(f"{len(recorded - issued)} rows record an id the gateway never issued")
    return problems


def figures(result: dict[str, Any], count: int) -> list[Figure]:
    rate = result["sent"] / result["seconds"]
    note = (
        f"{count:,} queued, {RELAYS} relays, PostgreSQL + Redis, fake gateway on loopback, "
        "SMS_RATE_PER_SECOND=100000"
    )
    problems = result["problems"]
    return [
        Figure(
            SECTION,
            "burst drained",
            rate,
            "msg/s",
            target=f">= {TARGET:.0f} msg/s",
            met=rate >= TARGET,
            note=f"{note}; {result['seconds']:.1f} s from commit to all sent",
        ),
        Figure(
            SECTION,
            "messages lost or sent twice",
            len(problems),
            "",
            target="0",
            met=not problems,
            note="; ".join(problems)
            or "every row sent once, checked at the gateway and the outbox",
        ),
    ]


def _say(message: str, *params: Any) -> None:
    print(message % params, file=sys.stderr, flush=True)
