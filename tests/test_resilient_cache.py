"""ResilientRedisCache.run_script: a Lua script on cache keys in one round
trip (the script sent only when Redis does not know it), None when Redis is
unreachable. Redis db 7 is shared: the keys here have a prefix of their own
and are removed; the database is never flushed."""

from __future__ import annotations

import uuid

import redis

from b2bbank.resilient_cache import ResilientRedisCache
from tests.redis_trips import recording_round_trips

REDIS_URL = "redis://127.0.0.1:6379/7"


def test_a_script_runs_on_cache_keys_in_one_round_trip() -> None:
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    cache = ResilientRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    client = redis.Redis.from_url(REDIS_URL)
    # A script Redis has never seen (its own comment), so the first run loads it.
    source = f"-- {prefix}\nreturn {{redis.call('INCR', KEYS[1]), KEYS[1], ARGV[1]}}"
    try:
        with recording_round_trips(client) as trips:
            first = cache.run_script(source, ["counter"], ["x"])
            second = cache.run_script(source, ["counter"], ["y"], version=2)
        assert first == [1, f"{prefix}:1:counter".encode(), b"x"]  # the key made as every cache key
        assert second == [1, f"{prefix}:2:counter".encode(), b"y"]
        assert trips == [["EVALSHA"], ["SCRIPT LOAD"], ["EVALSHA"], ["EVALSHA"]]
    finally:
        client.delete(f"{prefix}:1:counter", f"{prefix}:2:counter")
        client.close()


def test_a_script_answers_none_when_redis_is_down() -> None:
    dead = ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.run_script("return 1", ["key"], []) is None
