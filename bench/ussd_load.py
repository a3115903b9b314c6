"""USSD under load: the real app against a bare Flask endpoint, in the same run.

Both apps run under the same gunicorn settings (2 sync workers, loopback). The real one
has a fresh migrated PostgreSQL database with the demo directory and cases to track,
Redis for sessions and abuse limits, and production settings (callback token included).
The load generator (`bench.loadgen`, a process of its own) replays whole sessions:
applications, complaints, tracking by list, by reference and by reference and PIN.

1. Throughput: a closed loop of sessions with no think time, the same number for both
   apps; USSD hops per second against the bare endpoint's requests per second. Also,
   not a target: the bare endpoint keeping a session in Redis (`bench.bare_app`), the
   floor any hop with a session has, to show how much of the gap is the session alone.
2. Latency: 64 sessions with a think time between hops chosen so they offer a little over
   half the USSD capacity just measured; p99 of a hop's latency.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from typing import Any

from bench import servers
from bench.report import Figure
from bench.ussd_sessions import hops_per_session
from casework.database import Database
from casework.directory import list_services
from casework.references import format_reference
from casework.services import lodge_grievance, submit_application

SECTION = "ussd"
DATABASE = "thusa_bench_load_ussd"
THROUGHPUT_SESSIONS = 16  # enough to keep both workers busy with hops queued behind them
LATENCY_SESSIONS = 64
LATENCY_SHARE = 0.55  # of the USSD capacity just measured, offered in the latency phase
RATIO_TARGET = 0.6
P99_TARGET_MS = 25.0


def run(args: argparse.Namespace) -> list[Figure]:
    quick = bool(getattr(args, "quick", False))
    warmup, seconds = (3.0, 6.0) if quick else (8.0, 30.0)
    own_count, anonymous_count = (150, 60) if quick else (800, 300)
    servers.flush_redis()
    url = servers.fresh_database(DATABASE)
    token = secrets.token_urlsafe(16)
    env = servers.app_env(
        DATABASE_URL=url,
        REDIS_URL=servers.redis_url(),
        PORTAL_ENV="production",
        AT_CALLBACK_TOKEN=token,
        # Required in production; the web workers never send an SMS themselves.
        AT_USERNAME="bench",
        AT_API_KEY="bench-key",
    )
    _say("migrating and seeding %s", DATABASE)
    servers.flask(env, "db", "upgrade")
    servers.flask(env, "seed-demo")
    own, anonymous = seed_cases(url, own_count, anonymous_count)
    real_port, bare_port = servers.free_port(), servers.free_port()
    real = servers.started(
        servers.gunicorn_args("portal:create_app()", real_port), env, port=real_port
    )
    bare = servers.started(
        servers.gunicorn_args("bench.bare_app:create_app()", bare_port), env, port=bare_port
    )
    pools = {"own_cases": own, "anonymous_cases": anonymous}
    with real as real_process, bare as bare_process:
        common = {"warmup": warmup, "seconds": seconds, **pools}
        _say("bare endpoint, %d sessions, no think time", THROUGHPUT_SESSIONS)
        bare_result = measure(
            bare_process,
            {
                **common,
                "run": "bare",
                "mode": "bare",
                "port": bare_port,
                "path": "/ussd",
                "concurrency": THROUGHPUT_SESSIONS,
                "phone_start": 0,
            },
        )
        _say("bare endpoint with a Redis session, %d sessions", THROUGHPUT_SESSIONS)
        session_result = measure(
            bare_process,
            {
                **common,
                "run": "bare-session",
                "mode": "bare",
                "port": bare_port,
                "path": "/ussd-session",
                "concurrency": THROUGHPUT_SESSIONS,
                "phone_start": 0,
            },
        )
        _say("USSD, %d sessions, no think time", THROUGHPUT_SESSIONS)
        real_result = measure(
            real_process,
            {
                **common,
                "run": "throughput",
                "mode": "ussd",
                "port": real_port,
                "path": f"/ussd?token={token}",
                "concurrency": THROUGHPUT_SESSIONS,
                "phone_start": 1_000_000,
            },
        )
        capacity = real_result["hops_per_second"]
        # Each session offers one hop per (think + latency): a little under the share, as
        # the latency comes on top of the think time.
        think_ms = 1000 * LATENCY_SESSIONS / (LATENCY_SHARE * capacity)
        _say("USSD, %d sessions, think %.0f ms", LATENCY_SESSIONS, think_ms)
        latency = measure(
            real_process,
            {
                **common,
                "run": "latency",
                "mode": "ussd",
                "port": real_port,
                "path": f"/ussd?token={token}",
                "concurrency": LATENCY_SESSIONS,
                "think_ms": think_ms,
                "phone_start": 2_000_000,
                "own_start": real_result["own_used"],
                "anonymous_start": real_result["anonymous_used"],
            },
        )
    servers.drop_database(url)
    return figures(bare_result, session_result, real_result, latency, think_ms)


def measure(server: subprocess.Popen[bytes], spec: dict[str, Any]) -> dict[str, Any]:
    """Run the load generator; add what the server and the machine used while it counted."""
    server_pids = servers.process_tree(server.pid)
    loadgen = subprocess.Popen(
        [sys.executable, "-m", "bench.loadgen"],
        cwd=servers.REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert loadgen.stdin is not None and loadgen.stdout is not None
    loadgen.stdin.write(json.dumps(spec))
    loadgen.stdin.close()
    time.sleep(spec["warmup"])
    backends = servers.database_backends(DATABASE)
    busy, served = servers.machine_busy_seconds(), servers.cpu_seconds(server_pids)
    database = servers.cpu_seconds(backends)
    time.sleep(spec["seconds"])
    busy = servers.machine_busy_seconds() - busy
    served = servers.cpu_seconds(server_pids) - served
    database = servers.cpu_seconds(backends) - database
    result: dict[str, Any] = json.loads(loadgen.stdout.read())
    if loadgen.wait():
        raise RuntimeError("the load generator failed")
    result.update(machine_busy=busy, server_cpu=served, database_cpu=database)
    hops = max(result["hops"], 1)
    _say(
        "  %.0f hops/s, p50 %.1f ms, p99 %.1f ms, %d errors; CPU per hop: gunicorn %.2f ms,"
        " PostgreSQL %.2f ms, load generator %.2f ms, whole machine %.2f ms",
        result["hops_per_second"],
        result["p50_ms"],
        result["p99_ms"],
        result["errors"],
        1000 * served / hops,
        1000 * database / hops,
        1000 * result["cpu_seconds"] / hops,
        1000 * busy / hops,
    )
    for kind, figures in result["kinds"].items():
        _say(
            "    %s hops: %.0f%%, p50 %.1f ms, p99 %.1f ms",
            kind,
            100 * figures["share"],
            figures["p50_ms"],
            figures["p99_ms"],
        )
    for example in result["examples"]:
        _say("  error: %s", example)
    return result


def seed_cases(
    url: str, own_count: int, anonymous_count: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Cases for the tracking sessions, made by casework's own service functions: an
    application for each of `own_count` phones, and anonymous complaints with their PINs."""
    _say("seeding %d applications and %d anonymous complaints", own_count, anonymous_count)
    db = Database(url)
    try:
        service = next(s for s in list_services(db, "en") if s.code == "child-support-grant")
        own = []
        for n in range(own_count):
            phone = f"+2783{n:07d}"
            application = submit_application(
                db,
                phone=phone,
                service_id=service.id,
                answers={
                    "primary_caregiver": True,
                    "children": 1 + n % 3,
                    "youngest_child_id": "8001015009087",
                    "monthly_income": 1200 + n % 900,
                    "married": n % 2 == 0,
                },
                channel="ussd",
                language="en",
                privacy_consent=True,
            )
            own.append((phone, format_reference(application.reference, application.kind)))
        anonymous = []
        for n in range(anonymous_count):
            lodged = lodge_grievance(
                db,
                phone=f"+2784{n:07d}",
                category="payment",
                description="My grant was not paid this month and nobody explains why",
                channel="ussd",
                language="en",
                country="ZA",
                district="eThekwini",
                anonymous=True,
                privacy_consent=True,
            )
            assert lodged.pin is not None
            anonymous.append(
                (format_reference(lodged.grievance.reference, "grievance"), lodged.pin)
            )
        return own, anonymous
    finally:
        db.dispose()


def figures(
    bare: dict[str, Any],
    session: dict[str, Any],
    real: dict[str, Any],
    latency: dict[str, Any],
    think_ms: float,
) -> list[Figure]:
    settings = servers.gunicorn_settings()
    closed = f"{THROUGHPUT_SESSIONS} sessions, no think time, {settings}"
    ratio = real["hops_per_second"] / bare["hops_per_second"]
    errors = bare["errors"] + session["errors"] + real["errors"] + latency["errors"]
    offered = LATENCY_SESSIONS / (think_ms / 1000)
    share = latency["hops_per_second"] / real["hops_per_second"]
    loaded = (
        f"{LATENCY_SESSIONS} sessions, think {think_ms:.0f} ms: offered <= {offered:.0f}, "
        f"achieved {latency['hops_per_second']:.0f} hops/s ({share:.0%} of capacity)"
    )
    loadgen_share = max(
        result["cpu_seconds"] / max(result["machine_busy"], 1e-9) for result in (bare, real)
    )
    return [
        Figure(SECTION, "bare Flask endpoint", bare["hops_per_second"], "req/s", note=closed),
        Figure(
            SECTION,
            "bare endpoint + Redis session",
            session["hops_per_second"],
            "req/s",
            note=f"{closed}; lock+read, write+release: 2 Redis round trips",
        ),
        Figure(
            SECTION,
            "bare + session / bare requests",
            session["hops_per_second"] / bare["hops_per_second"],
            "x",
            note="the floor of any hop that keeps a session in Redis",
        ),
        Figure(
            SECTION,
            "USSD hops (apply, track, complaint)",
            real["hops_per_second"],
            "hops/s",
            note=f"{closed}; {hops_per_session():.1f} hops a session",
        ),
        Figure(
            SECTION,
            "USSD hops / bare requests",
            ratio,
            "x",
            target=f">= {RATIO_TARGET}x",
            met=ratio >= RATIO_TARGET,
            note="same run, same gunicorn settings",
        ),
        Figure(SECTION, "hop latency p50", latency["p50_ms"], "ms", note=loaded),
        Figure(SECTION, "hop latency p95", latency["p95_ms"], "ms", note=loaded),
        Figure(
            SECTION,
            "hop latency p99",
            latency["p99_ms"],
            "ms",
            target=f"<= {P99_TARGET_MS:.0f} ms",
            met=latency["p99_ms"] <= P99_TARGET_MS,
            note=loaded,
        ),
        Figure(
            SECTION,
            "failed hops and sessions",
            errors,
            "",
            target="0",
            met=errors == 0,
            note="non-200, not CON/END, or a session ending off its journey",
        ),
        Figure(
            SECTION,
            "load generator's share of busy CPU",
            100 * loadgen_share,
            "%",
            note=f"one asyncio process; the machine has {os.cpu_count()} cores",
        ),
    ]


def _say(message: str, *params: Any) -> None:
    print(message % params, file=sys.stderr, flush=True)
