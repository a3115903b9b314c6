"""The USSD load generator: a process of its own, replaying sessions over loopback HTTP.

`python -m bench.loadgen < spec.json > result.json`. It posts each hop as Africa's
Talking does (a form: sessionId, serviceCode, phoneNumber, networkCode, text with every
input so far joined by `*`) on hand-written HTTP/1.1 over asyncio streams, so that a hop
costs it far less than it costs the server. A fixed number of sessions run at once; each
starts another when it ends (a closed loop), with `think_ms` between hops (0: as fast as
the server answers). After `warmup` seconds it counts for `seconds` more: hops finished,
their latency, errors, and its own CPU time.

Any non-200, any reply not starting `CON `/`END `, and any session that does not reach
the screen its journey expects is an error (the first few are returned as examples).
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench.ussd_sessions import NETWORK, SERVICE_CODE, Journey, choose, journeys

PAGE_TURNS_MAX = 5
EXAMPLES_KEPT = 5


class HopError(Exception):
    pass


@dataclass
class Stats:
    counting: bool = False
    hops: int = 0
    sessions: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # see hop_kind
    examples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1  # warming up or not: any error fails the benchmark
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append(what[:400])


class Connection:
    """One HTTP/1.1 connection, reopened whenever the server closes it (gunicorn's sync
    workers close after every answer, as Africa's Talking's own client may expect)."""

    def __init__(self, host: str, port: int, path: str) -> None:
        self.host, self.port = host, port
        self.head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
        ).encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self.close()
            raise HopError(f"connection dropped: {type(error).__name__}") from None
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        text = (await self.reader.readexactly(length)).decode("utf-8")
        if close:
            self.close()
        return status, text

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Pools:
    """Where each session gets its phone number and the cases it may track."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.next_phone = int(spec["phone_start"])
        self.own = [tuple(x) for x in spec["own_cases"]]  # (phone, reference)
        self.anonymous = [tuple(x) for x in spec["anonymous_cases"]]  # (reference, pin)
        self.own_at = int(spec.get("own_start", 0))
        self.anonymous_at = int(spec.get("anonymous_start", 0))

    def fresh_phone(self) -> str:
        # South African mobile numbers, a new one for every session that needs none seeded.
        self.next_phone += 1
        return f"+2782{self.next_phone:07d}"

    def session(self, journey: Journey) -> tuple[str, dict[str, str]]:
        if "{pin}" in journey.ends or any("{pin}" in key for key, _ in journey.steps):
            reference, pin = self.anonymous[self.anonymous_at % len(self.anonymous)]
            self.anonymous_at += 1
            return self.fresh_phone(), {"reference": reference, "pin": pin}
        if "{reference}" in journey.ends:
            phone, reference = self.own[self.own_at % len(self.own)]
            self.own_at += 1
            return phone, {"reference": reference}
        return self.fresh_phone(), {}


async def walk(
    journey: Journey,
    phone: str,
    values: dict[str, str],
    session_id: str,
    connection: Connection,
    stats: Stats,
    think: float,
    rng: random.Random,
) -> None:
    inputs: list[str] = []
    screen = ""
    last = len(journey.steps) - 1
    for position, (typed, expected) in enumerate(journey.steps):
        if position:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5) if think else 0)
        if typed.startswith("@"):
            key = choose(screen, typed[1:])
            turns = 0
            while key is None and "\n98 " in screen and turns < PAGE_TURNS_MAX:
                screen = await hop(connection, session_id, phone, [*inputs, "98"], stats)
                inputs.append("98")
                key, turns = choose(screen, typed[1:]), turns + 1
            if key is None:
                raise HopError(f"{journey.kind}: no {typed[1:]!r} on {screen!r}")
        else:
            key = typed.format(**values)
        if position:
            inputs.append(key)
        screen = await hop(connection, session_id, phone, inputs, stats)
        if expected not in screen:
            raise HopError(f"{journey.kind}: expected {expected!r}, got {screen!r}")
        if position < last and not screen.startswith("CON "):
            raise HopError(f"{journey.kind}: ended early with {screen!r}")
    if not screen.startswith(journey.ends.format(**values)):
        raise HopError(f"{journey.kind}: ended on {screen!r}")


async def hop(
    connection: Connection, session_id: str, phone: str, inputs: list[str], stats: Stats
) -> str:
    body = urlencode(
        {
            "sessionId": session_id,
            "serviceCode": SERVICE_CODE,
            "phoneNumber": phone,
            "networkCode": NETWORK,
            "text": "*".join(inputs),
        }
    ).encode()
    started = time.perf_counter()
    status, text = await connection.post(body)
    took = time.perf_counter() - started
    if status != 200:
        raise HopError(f"HTTP {status}: {text[:100]!r}")
    if not text.startswith(("CON ", "END ")):
        raise HopError(f"not a USSD reply: {text[:100]!r}")
    if stats.counting:
        stats.hops += 1
        stats.latencies.append(took)
        stats.by_kind.setdefault(hop_kind(inputs, text), []).append(took)
    return text


def hop_kind(inputs: list[str], reply: str) -> str:
    """first (dialled), send (an application or complaint sent), menu (any other)."""
    if not inputs:
        return "first"
    return "send" if reply.startswith("END ") and " sent" in reply else "menu"


async def bare_walk(
    journey: Journey, phone: str, session_id: str, connection: Connection, stats: Stats
) -> None:
    """The same number of hops and the same form, to an app that answers one fixed screen."""
    inputs: list[str] = []
    for position, (typed, _) in enumerate(journey.steps):
        if position:
            inputs.append(typed[1:2] if typed.startswith("@") else typed)
        await hop(connection, session_id, phone, inputs, stats)


async def session_loop(
    spec: dict[str, Any], worker: int, pools: Pools, stats: Stats, stop_at: float
) -> None:
    rng = random.Random(worker)  # noqa: S311 (think times, not a secret)
    connection = Connection("127.0.0.1", int(spec["port"]), spec.get("path", "/ussd"))
    think = float(spec.get("think_ms", 0)) / 1000
    order = journeys(worker)
    number = 0
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # don't start every session in step
    while time.perf_counter() < stop_at:
        journey = next(order)
        phone, values = pools.session(journey)
        number += 1
        session_id = f"ATUid_{spec['run']}_{worker}_{number}"
        try:
            if spec["mode"] == "bare":
                await bare_walk(journey, phone, session_id, connection, stats)
            else:
                await walk(journey, phone, values, session_id, connection, stats, think, rng)
        except (HopError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            connection.close()
            stats.error(f"{type(error).__name__}: {error}")
            continue
        if stats.counting:
            stats.sessions += 1
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    connection.close()


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    pools, stats = Pools(spec), Stats()
    warmup, seconds = float(spec["warmup"]), float(spec["seconds"])
    started = time.perf_counter()
    stop_at = started + warmup + seconds
    loops = [
        asyncio.create_task(session_loop(spec, worker, pools, stats, stop_at))
        for worker in range(int(spec["concurrency"]))
    ]
    await asyncio.sleep(warmup)
    stats.counting = True
    cpu_from, counted_from = _cpu(), time.perf_counter()
    await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
    stats.counting = False
    cpu, elapsed = _cpu() - cpu_from, time.perf_counter() - counted_from
    for loop in loops:
        loop.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    latencies = sorted(stats.latencies)
    return {
        "hops": stats.hops,
        "sessions": stats.sessions,
        "errors": stats.errors,
        "examples": stats.examples,
        "seconds": elapsed,
        "hops_per_second": stats.hops / elapsed,
        "cpu_seconds": cpu,
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": _percentile(latencies, 95),
        "p99_ms": _percentile(latencies, 99),
        "max_ms": latencies[-1] * 1000 if latencies else 0.0,
        # What the slowest hops were: each kind's share of hops, and its p50 and p99.
        "kinds": {
            kind: {
                "share": len(took) / max(stats.hops, 1),
                "p50_ms": _percentile(sorted(took), 50),
                "p99_ms": _percentile(sorted(took), 99),
            }
            for kind, took in sorted(stats.by_kind.items())
        },
        "own_used": pools.own_at,
        "anonymous_used": pools.anonymous_at,
        "phones_used": pools.next_phone - int(spec["phone_start"]),
    }


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    spec = json.load(sys.stdin)
    json.dump(asyncio.run(run(spec)), sys.stdout)


if __name__ == "__main__":
    main()
