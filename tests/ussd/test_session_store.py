"""Both session stores behave alike: JSON values, TTLs, and a per-session lock."""

import json
import threading
import time

import pytest
import redis

from tests.ussd.phone import Phone
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


def test_redis_store_keeps_a_hops_writes_until_it_lets_go_of_the_session(redis_url):
    client, other = redis.Redis.from_url(redis_url), redis.Redis.from_url(redis_url)
    store = RedisSessionStore(client)
    store.put("session:z", {"seen": ""}, ttl=60)
    with store.lock("session:z", timeout=5) as acquired:
        assert acquired and store.get("session:z") == {"seen": ""}
        store.put("session:z", {"seen": "1"}, ttl=60)
        store.delete("resume:+27820000001")
        assert store.get("session:z") == {"seen": "1"}  # this hop reads its own write
        assert json.loads(other.get("thusa:ussd:session:z")) == {"seen": ""}
    assert json.loads(other.get("thusa:ussd:session:z")) == {"seen": "1"}
    assert other.get("thusa:ussd:lock:session:z") is None
    client.close()
    other.close()


class CountingRedis(redis.Redis):
    """Counts the trips to Redis: a command, or a pipeline of them."""

    trips = 0

    def execute_command(self, *args, **options):
        CountingRedis.trips += 1
        return super().execute_command(*args, **options)

    def pipeline(self, *args, **options):
        pipe = super().pipeline(*args, **options)
        execute = pipe.execute

        def counted(*a, **k):
            CountingRedis.trips += 1
            return execute(*a, **k)

        pipe.execute = counted
        return pipe


def test_a_hop_goes_to_redis_twice(directory, redis_url):
    client = CountingRedis.from_url(redis_url)
    phone = Phone(directory, RedisSessionStore(client))
    phone.dial()
    trips = []
    for label in ("Apply for a service", "Grants and money", "Child support grant", "Yes"):
        CountingRedis.trips = 0
        phone.choose(label)
        trips.append(CountingRedis.trips)
    # Take the lock and read the session; write it (and the resumable form) and let go.
    assert trips == [2, 2, 2, 2]
    client.close()
