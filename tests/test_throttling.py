"""API throttles count with one atomic counter per client and window
(b2bbank/throttling.py): the limit holds exactly, under concurrency too, and a
new window starts afresh."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from b2bbank import throttling
from conftest import client_for
from tests.concurrency import run_concurrently
from tests.redis_trips import recording_round_trips

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three requests a minute per user, for this test only. monkeypatch removes
    the class attribute afterwards (assigning the old value back would leave a
    copy on the subclass that hides later patches of the base class)."""
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/min"}
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", rates)


def test_the_rate_is_enforced_with_retry_after(user_rate: Any, owner_a: Any, owner_b: Any) -> None:
    client = client_for(owner_a)
    codes = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/me/")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client_for(owner_b).get("/api/v1/me/").status_code == 200  # per user


def test_a_new_window_starts_afresh(user_rate: Any, owner_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_040.0]  # 20 s into a minute window (windows start at multiples of 60 s)
    monkeypatch.setattr(throttling.UserRateThrottle, "timer", lambda self: now[0])
    client = client_for(owner_a)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get("/api/v1/me/")["Retry-After"] == "40"
    now[0] += 40
    assert client.get("/api/v1/me/").status_code == 200


def test_concurrent_requests_are_counted_exactly(owner_a: Any) -> None:
    """20 threads at once against a limit of 5: exactly 5 get through."""
    throttle_class = type("FiveAMinute", (throttling.UserRateThrottle,), {"rate": "5/min"})
    request = APIRequestFactory().get("/")
    request.user = owner_a

    def attempt() -> bool:
        return throttle_class().allow_request(request, None)

    allowed = run_concurrently(20, attempt)
    assert sum(allowed) == 5


def test_the_redis_counter_takes_one_round_trip_and_expires() -> None:
    """The production cache (Redis on 127.0.0.1:6379, as the chat tests need)."""
    from b2bbank.resilient_cache import ResilientRedisCache

    redis_cache = ResilientRedisCache("redis://127.0.0.1:6379/7", {})
    redis_cache.delete("throttle-test")
    client = redis_cache._cache.get_client(write=True)
    with recording_round_trips(client) as trips:
        counts = [redis_cache.incr_window("throttle-test", 5) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert trips == [["SET", "INCRBY"]] * 3  # SET NX + INCR, sent together; nothing outside the pipelines
    assert 0 < client.ttl(redis_cache.make_and_validate_key("throttle-test")) <= 5
    redis_cache.delete("throttle-test")


def test_the_redis_counter_relaxes_when_redis_is_down() -> None:
    from b2bbank.resilient_cache import ResilientRedisCache

    dead = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.incr_window("throttle-test", 5) == 1


def test_the_redis_counter_reads_other_keys_in_the_same_round_trip() -> None:
    from b2bbank.resilient_cache import ResilientRedisCache

    redis_cache = ResilientRedisCache("redis://127.0.0.1:6379/7", {})
    redis_cache.delete_many(["throttle-test", "read-a", "read-b"])
    redis_cache.set("read-a", {"answer": 42})
    with recording_round_trips(redis_cache._cache.get_client(write=True)) as trips:
        first = redis_cache.incr_window_get_many("throttle-test", 5, ["read-a", "read-b"])
        second = redis_cache.incr_window_get_many("throttle-test", 5, [])
    assert first == (1, {"read-a": {"answer": 42}})  # a missing key is absent, as in get_many
    assert second == (2, {})
    assert trips == [["SET", "INCRBY", "MGET"], ["SET", "INCRBY"]]  # together; no MGET when nothing is read
    redis_cache.delete_many(["throttle-test", "read-a"])


def test_a_dead_redis_relaxes_the_count_and_finds_nothing() -> None:
    from b2bbank.resilient_cache import ResilientRedisCache

    dead = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.incr_window_get_many("throttle-test", 5, ["read-a"]) == (1, {})


def test_a_view_can_read_the_cache_with_the_count(owner_a: Any) -> None:
    """The view names keys in throttle_cache_reads; the first counter of the
    request reads them (here on the test cache, without incr_window_get_many)."""
    from django.core.cache import cache

    cache.set("wanted", "value")
    view = type("View", (), {"throttle_cache_reads": lambda self, request: ["wanted", "absent"]})()
    request = APIRequestFactory().get("/")
    request.user = owner_a
    assert throttling.cache_reads_found(request) is None
    assert throttling.UserRateThrottle().allow_request(request, view)
    assert throttling.cache_reads_found(request) == {"wanted": "value"}
    cache.set("wanted", "changed")
    assert throttling.UserRateThrottle().allow_request(request, view)  # a second counter reads nothing more
    assert throttling.cache_reads_found(request) == {"wanted": "value"}
