"""Both session stores behave alike: JSON values, TTLs, and a per-session lock."""

import threading
import time

import pytest
import redis

from ussd.session_store import MemorySessionStore, RedisSessionStore


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        yield MemorySessionStore()
        return
    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisSessionStore(client)
    client.close()


def test_store_keeps_a_value_until_its_ttl(store):
    store.put("session:a", {"seen": "1*2", "state": {"screen": "home"}}, ttl=0.3)
    assert store.get("session:a") == {"seen": "1*2", "state": {"screen": "home"}}
    time.sleep(0.4)
    assert store.get("session:a") is None


def test_store_delete_and_overwrite(store):
    store.put("k", {"n": 1}, ttl=10)
    store.put("k", {"n": 2}, ttl=10)
    assert store.get("k") == {"n": 2}
    store.delete("k")
    assert store.get("k") is None
    store.delete("k")  # deleting what is gone is fine


def test_store_lock_lets_one_hop_of_a_session_run_at_a_time(store):
    inside, most, failures = [0], [0], []
    guard = threading.Lock()

    def hop():
        for _ in range(20):
            with store.lock("session:x", timeout=10) as acquired:
                if not acquired:
                    failures.append("timed out")
                    continue
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.001)
                with guard:
                    inside[0] -= 1

    threads = [threading.Thread(target=hop) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1 and not failures


def test_store_lock_gives_up_after_its_timeout(store):
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with store.lock("session:y", timeout=5):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    with store.lock("session:y", timeout=0.2) as acquired:
        assert acquired is False
    release.set()
    thread.join()


def test_memory_store_uses_its_clock_for_ttls():
    now = [0.0]
    store = MemorySessionStore(clock=lambda: now[0])
    store.put("k", {"v": 1}, ttl=600)
    now[0] = 599.9
    assert store.get("k") == {"v": 1}
    now[0] = 600.0
    assert store.get("k") is None
