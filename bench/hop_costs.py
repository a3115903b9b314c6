"""Where a USSD hop's CPU goes: `python -m bench.hop_costs [--journeys 150]`.

Not a target of `make bench` but the breakdown behind its USSD ratio: the real app and
the bare endpoint are called in this process (Flask's test client, no HTTP server, no
load generator), on PostgreSQL and Redis with production settings, and each hop's CPU
time, SQL statements and Redis round trips are counted by what kind of hop it was: the
first of a session, a menu step, or the one that sends an application or a complaint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import redis.client
from sqlalchemy import event

from bench.bare_app import create_app as create_bare_app
from bench.servers import drop_database, flush_redis, fresh_database, redis_url
from bench.ussd_sessions import (
    APPLY_CHILD_SUPPORT,
    APPLY_OLDER_PERSONS,
    GRIEVANCE_NAMED,
    NETWORK,
    SERVICE_CODE,
    choose,
)

JOURNEYS = (APPLY_CHILD_SUPPORT, GRIEVANCE_NAMED, APPLY_OLDER_PERSONS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=150)
    args = parser.parse_args()
    url = fresh_database("thusa_bench_hops")
    flush_redis()
    try:
        _run(url, args.journeys)
    finally:
        drop_database(url)


def _run(url: str, journeys: int) -> None:
    from casework.migrate import upgrade
    from casework.seed_demo import seed_demo
    from portal import create_app

    upgrade(url)
    os.environ.update(DATABASE_URL=url, REDIS_URL=redis_url(), SECRET_KEY="bench-" + "k" * 40)
    app = create_app()
    seed_demo(app.extensions["casework.db"], with_staff=False)
    counts = {"sql": 0, "redis": 0}

    @event.listens_for(app.extensions["casework.db"].engine, "before_cursor_execute")
    def _statement(*_: Any) -> None:
        counts["sql"] += 1

    _count_round_trips(counts)
    client = app.test_client()
    costs: dict[str, list[tuple[float, int, int]]] = defaultdict(list)

    def hop(session_id: str, phone: str, inputs: list[str]) -> str:
        before = (time.process_time(), counts["sql"], counts["redis"])
        answer = client.post("/ussd", data=_form(session_id, phone, inputs))
        took = time.process_time() - before[0]
        screen = answer.get_data(as_text=True)
        kind = "first" if not inputs else "send" if _sent(screen) else "menu"
        costs[kind].append((took, counts["sql"] - before[1], counts["redis"] - before[2]))
        return screen

    for n in range(journeys // 5):  # warm every cache first, as a running server has
        _walk(JOURNEYS[n % len(JOURNEYS)], f"W{n}", f"+2785{n:07d}", hop)
    costs.clear()
    for n in range(journeys):
        _walk(JOURNEYS[n % len(JOURNEYS)], f"H{n}", f"+2786{n:07d}", hop)
    bare = _bare_cpu(2000)
    _report(costs, bare)


def _walk(journey: Any, session_id: str, phone: str, hop: Callable[..., str]) -> None:
    inputs: list[str] = []
    screen = ""
    for position, (typed, expected) in enumerate(journey.steps):
        key = choose(screen, typed[1:]) if typed.startswith("@") else typed
        while key is None and "\n98 " in screen:
            inputs.append("98")
            screen = hop(session_id, phone, inputs)
            key = choose(screen, typed[1:])
        if position:
            inputs.append(key or "")
        screen = hop(session_id, phone, inputs)
        if expected not in screen:
            raise SystemExit(f"{journey.kind}: expected {expected!r}, got {screen!r}")


def _form(session_id: str, phone: str, inputs: list[str]) -> dict[str, str]:
    return {
        "sessionId": session_id,
        "serviceCode": SERVICE_CODE,
        "phoneNumber": phone,
        "networkCode": NETWORK,
        "text": "*".join(inputs),
    }


def _sent(screen: str) -> bool:
    return screen.startswith("END") and " sent" in screen


def _count_round_trips(counts: dict[str, int]) -> None:
    """Count each command or pipeline sent to Redis (a pipeline is one round trip)."""
    command, pipeline = redis.client.Redis.execute_command, redis.client.Pipeline.execute

    def counted_command(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["redis"] += 1
        return command(self, *args, **kwargs)

    def counted_pipeline(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["redis"] += 1
        return pipeline(self, *args, **kwargs)

    redis.client.Redis.execute_command = counted_command  # type: ignore[method-assign]
    redis.client.Pipeline.execute = counted_pipeline  # type: ignore[method-assign]


def _bare_cpu(hops: int) -> float:
    client = create_bare_app().test_client()
    form = _form("B", "+27820000001", [])
    started = time.process_time()
    for _ in range(hops):
        client.post("/ussd", data=form)
    return (time.process_time() - started) / hops


def _report(costs: dict[str, list[tuple[float, int, int]]], bare: float) -> None:
    total = sum(len(rows) for rows in costs.values())
    print(f"{'hop':<6} {'share':>6} {'CPU ms':>7} {'p90 ms':>7} {'SQL':>5} {'Redis':>6}")
    for kind in ("first", "menu", "send"):
        rows = costs.get(kind, [])
        if not rows:
            continue
        cpu = sorted(row[0] * 1000 for row in rows)
        print(
            f"{kind:<6} {len(rows) / total:>6.0%} {statistics.fmean(cpu):>7.2f}"
            f" {cpu[int(len(cpu) * 0.9)]:>7.2f} {statistics.fmean(r[1] for r in rows):>5.1f}"
            f" {statistics.fmean(r[2] for r in rows):>6.1f}"
        )
    mean = sum(row[0] for rows in costs.values() for row in rows) / total
    print(f"all hops: {mean * 1000:.2f} ms CPU each; the bare endpoint {bare * 1000:.2f} ms")
    print(f"this process alone: a hop costs {mean / bare:.1f}x a bare request")


if __name__ == "__main__":
    main()
