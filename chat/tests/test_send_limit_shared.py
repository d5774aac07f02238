"""The send limit on Redis is one limit for every server process: a user
sending through two processes gets it once. A send batch is decided in one
round trip whatever its users; the buckets refill one message per interval
after a burst and expire once full. Redis unreachable: each process counts on
its own (chat keeps working, still limited) and asks Redis again later."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from b2bbank.domain_errors import RateLimited
from chat import rate_limit, services
from chat.models import Message
from chat.services import MessageSendRequest
from chat.tests.conftest import DEAD_REDIS, redis_cache_setting
from chat.tests.factories import ConversationFactory
from tests.redis_trips import recording_round_trips

pytestmark = pytest.mark.django_db


def send_rate(rate: str) -> Any:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "chat_send": rate}  # type: ignore[index]
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})  # type: ignore[dict-item]


@pytest.fixture
def two_per_minute() -> Iterator[None]:
    with send_rate("2/min"):
        yield


def send_through(process: rate_limit.SendLimit, monkeypatch: pytest.MonkeyPatch, **send: Any) -> Any:
    """message_send as the server process whose limit state is `process`."""
    monkeypatch.setattr(rate_limit, "_process", process)
    try:
        services.message_send(**send)
    except RateLimited as refused:
        return refused
    return None


def test_two_server_processes_share_one_limit_on_redis(
    cache_on_redis: Any,
    two_per_minute: None,
    owner_a: Any,
    banker_x: Any,
    conversation: Any,
    monkeypatch: Any,
) -> None:
    daphne, gunicorn = rate_limit.SendLimit(), rate_limit.SendLimit()
    send = {"sender": owner_a, "conversation_id": conversation.pk}
    assert send_through(daphne, monkeypatch, body="one", **send) is None
    assert send_through(gunicorn, monkeypatch, body="two", **send) is None
    refused = [send_through(p, monkeypatch, body="three", **send) for p in (daphne, gunicorn)]
    assert all(isinstance(r, RateLimited) for r in refused), "each process would have allowed 2 on its own"
    assert all(1 <= r.retry_after <= 30 for r in refused)  # 2/min: a token every 30 s
    assert (
        send_through(gunicorn, monkeypatch, sender=banker_x, conversation_id=conversation.pk, body="mine")
        is None
    )
    assert Message.objects.count() == 3


def test_a_batch_of_many_users_is_one_round_trip(
    cache_on_redis: Any,
    two_per_minute: None,
    fresh_send_limit: Any,
    owner_a: Any,
    banker_x: Any,
    banker_y: Any,
) -> None:
    client, _prefix = cache_on_redis
    client.script_load(rate_limit._TAKE)  # as after the process's first send (redis-py loads it on NOSCRIPT)
    other = ConversationFactory(owner=owner_a, banker=banker_y)
    senders = [
        (owner_a, other),
        (banker_x, ConversationFactory(owner=owner_a, banker=banker_x)),
        (banker_y, other),
    ]
    requests = [
        MessageSendRequest(sender=sender, conversation_id=c.pk, body=f"{sender.pk}-{n}")
        for n in range(3)
        for sender, c in senders
    ]
    with recording_round_trips(client) as trips:
        results = services.messages_send_batch(requests=requests)
    assert trips == [["EVALSHA"]], "one round trip for the batch, not one per message or user"
    refused = [type(r.error).__name__ if r.error else None for r in results]
    assert refused == [None] * 6 + ["RateLimited"] * 3
    assert Message.objects.count() == 6


def test_after_a_burst_one_message_per_interval(
    cache_on_redis: Any, two_per_minute: None, fresh_send_limit: Any
) -> None:
    """A token bucket, not a fixed window (which would allow a whole new burst
    at its boundary, twice the rate across it)."""
    client, prefix = cache_on_redis
    first = rate_limit.send_refusals([1, 1, 1])
    [key] = client.keys(f"{prefix}:*")
    client.incrby(key, -31_000_000)  # the bucket as it will be 31 s on (Redis's clock is not ours to move)
    again = rate_limit.send_refusals([1, 1])
    assert [r is None for r in first] == [True, True, False]
    assert [r is None for r in again] == [True, False]  # one interval (30 s) passed: one token back, not two
    assert first[2] is not None
    assert again[1] is not None
    assert first[2].retry_after == 30
    assert 28 <= again[1].retry_after <= 30  # the next token is 29 s away


def test_a_bucket_expires_once_full(cache_on_redis: Any, fresh_send_limit: Any) -> None:
    client, prefix = cache_on_redis
    with send_rate("2/min"):
        rate_limit.send_refusals([7])
    [key] = client.keys(f"{prefix}:*")
    assert key.decode().endswith(":chat-send:2/min:7")
    assert 29_000 < client.pttl(key) <= 30_000  # one message taken: full again in one interval
    with send_rate("20/s"):
        rate_limit.send_refusals([7])
        time.sleep(0.15)  # the interval is 50 ms
    assert client.keys(f"{prefix}:*:20/s:7") == []


def test_redis_down_still_limits_in_the_process_and_says_so_once(
    two_per_minute: None, fresh_send_limit: Any, owner_a: Any, conversation: Any, caplog: Any
) -> None:
    caplog.set_level(logging.WARNING)
    with override_settings(CACHES=redis_cache_setting(DEAD_REDIS)):
        for n in range(2):
            services.message_send(sender=owner_a, conversation_id=conversation.pk, body=f"m{n}")
        with pytest.raises(RateLimited):
            services.message_send(sender=owner_a, conversation_id=conversation.pk, body="m2")
    assert Message.objects.count() == 2
    assert caplog.text.count("chat send limit is counted per process") == 1
    assert caplog.text.count("run_script degraded") == 1, "Redis is not asked again at once"


def test_redis_is_asked_again_after_an_outage(
    cache_on_redis: Any, two_per_minute: None, fresh_send_limit: Any, monkeypatch: Any
) -> None:
    client, prefix = cache_on_redis
    monkeypatch.setattr(rate_limit, "REDIS_RETRY_SECONDS", 0.0)
    with override_settings(CACHES=redis_cache_setting(DEAD_REDIS, prefix)):
        assert rate_limit.send_refusals([3]) == [None]  # counted in this process
    assert client.keys(f"{prefix}:*") == []
    assert rate_limit.send_refusals([3, 3]) == [None, None]  # Redis again: a fresh shared bucket
    assert len(client.keys(f"{prefix}:*:3")) == 1


def test_without_redis_nothing_is_asked_of_the_cache(
    two_per_minute: None, fresh_send_limit: Any, monkeypatch: Any
) -> None:
    """The development cache (LocMemCache) has no run_script: the process counts."""
    monkeypatch.setattr(redis.Redis, "execute_command", lambda *a, **k: pytest.fail("Redis asked"))
    refusals = rate_limit.send_refusals([4, 4, 4])
    assert [r is None for r in refusals] == [True, True, False]
