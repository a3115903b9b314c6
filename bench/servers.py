"""The real parts a benchmark starts and stops: a fresh PostgreSQL database, a Redis
database of its own, `flask` commands, gunicorn, and the CPU each process used.

Everything runs on loopback and is stopped by the benchmark that started it, even when
the benchmark fails half-way.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
# Where the benchmarks make their databases (a server and an existing database to connect
# to), and the Redis database they may flush: never the test suite's.
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def flush_redis() -> None:
    """Empty the benchmarks' Redis database: abuse-limit counts and sessions of an earlier
    run must not be what a run measures."""
    client = redis.Redis.from_url(redis_url())
    try:
        client.flushdb()
    finally:
        client.close()


def fresh_database(name: str) -> str:
    """Drop and create PostgreSQL database `name` on the benchmarks' server; its URL."""
    server = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = (
        make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')


def app_env(**settings: str) -> dict[str, str]:
    """The environment of the app's processes: this one's, less anything of a developer's
    own configuration, plus `settings`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AT_", "SMS_", "RATE_LIMIT_", "PORTAL_"))
        and key not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")
    }
    # The relays talk to a fake gateway on loopback: never through a proxy.
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return {**env, "SECRET_KEY": "bench-" + "k" * 40, **settings}


def flask(env: Mapping[str, str], *args: str) -> None:
    """Run `flask --app portal ARGS` to the end; its output only if it fails."""
    done = subprocess.run(  # noqa: S603 (this interpreter, our own app's commands)
        [sys.executable, "-m", "flask", "--app", "portal", *args],
        env=dict(env),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process {process.args!r} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} within {timeout} s")


@contextmanager
def started(
    args: Sequence[str], env: Mapping[str, str], *, port: int | None = None, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A process of ours for the length of the block (its port answering, if given);
    SIGTERM and a wait afterwards, SIGKILL if it will not go."""
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 (the benchmark's own commands)
        list(args), env=dict(env), cwd=REPO, stdout=output, stderr=subprocess.STDOUT
    )
    try:
        if port is not None:
            wait_for_port(port, process)
        yield process
    finally:
        stop(process)
        if log:
            output.close()  # type: ignore[union-attr]


def stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# gunicorn as `make bench` runs both apps: the same settings for the real and the bare one.
GUNICORN_WORKERS = 2
GUNICORN_WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
GUNICORN_THREADS = int(os.environ.get("BENCH_THREADS", "1"))


def gunicorn_args(app: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(GUNICORN_WORKERS),
        "--worker-class",
        GUNICORN_WORKER_CLASS,
        "--threads",
        str(GUNICORN_THREADS),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        app,
    ]


def gunicorn_settings() -> str:
    return f"gunicorn {GUNICORN_WORKERS} {GUNICORN_WORKER_CLASS} workers"


def process_tree(pid: int) -> list[int]:
    """`pid` and every descendant (gunicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def database_backends(name: str) -> list[int]:
    """PostgreSQL's server processes serving database `name` (their titles name it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and f" {name} ".encode() in title:
            found.append(int(entry.name))
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User and system CPU the processes used so far (those still alive)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS
