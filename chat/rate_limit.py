"""The per-user limit on sending messages (settings: the `chat_send` throttle
rate, e.g. "60/min"), applied by the send service (chat.services.send) so every
entry point counts: socket frames, REST sends with or without a file, the
conversation page, and a conversation started with a first message.

A token bucket per user: a burst of N messages, then N per period. On Redis
(the production cache) the buckets are shared by every server process (the
Daphne processes and the gunicorn workers), so a user has one limit however
their sends are spread; a send batch is decided in one round trip, whatever its
size and however many users it holds (a Lua script, `_TAKE`).

Without Redis (the development cache) the buckets live in the server process's
memory (`SendLimiter`), and a user sending through several processes gets the
limit once per process. The same happens while Redis is unreachable: chat keeps
working with the limit counted per process, and Redis is tried again after
`REDIS_RETRY_SECONDS` (so a dead Redis costs a failed round trip every few
seconds, not one per batch).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache

from b2bbank.domain_errors import RateLimited

logger = logging.getLogger(__name__)

SCOPE = "chat_send"
DEFAULT_RATE = "60/min"  # the settings' default too (B2BBANK_THROTTLE_CHAT_SEND)
TOO_MANY = "Too many messages. Wait a moment, then send again."
# DRF's rate periods, so the setting reads as every other throttle rate.
_PERIODS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
REDIS_RETRY_SECONDS = 5.0
KEY_PREFIX = "chat-send"

# GCRA, the token bucket kept as one number per user: the time (in
# microseconds of Redis's clock, so the processes' clocks need not agree; whole
# numbers, so the arithmetic is exact) at which the bucket will be full again.
# A message costs one interval (period / N, rounded down) and may be sent if
# the bucket is then full at most one period from now: N at once, then one per
# interval. A refused message costs nothing. The key expires when the bucket
# is full, when it would say nothing anyway. Answers per key (one per message,
# a user's key repeated), in order: 0 if sent, else the microseconds until it
# could be.
_TAKE = """
local interval, period = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local waits = {}
for i, key in ipairs(KEYS) do
    local full_at = math.max(tonumber(redis.call('GET', key) or 0), now) + interval
    local wait = full_at - now - period
    if wait > 0 then
        waits[i] = wait
    else
        redis.call('SET', key, string.format('%.0f', full_at), 'PX', math.ceil((full_at - now) / 1000))
        waits[i] = 0
    end
end
return waits
"""


def configured_rate() -> str:
    """The `chat_send` rate; settings that list their own rates without it
    (some tests do) get the default rather than an error on every send."""
    rates: dict[str, str] = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})  # type: ignore[attr-defined,assignment]
    return rates.get(SCOPE, DEFAULT_RATE)


def parse_rate(rate: str) -> tuple[int, float]:
    """(messages, seconds) from a DRF rate such as "60/min"."""
    num, _, period = rate.partition("/")
    if not num.isdigit() or period[:1] not in _PERIODS:
        raise ValueError(f"chat_send needs a rate such as 60/min, not {rate!r}")
    return int(num), _PERIODS[period[0]]


class SendLimiter:
    """Token buckets per user id in this process's memory (no Redis, or Redis
    unreachable). Full buckets are forgotten now and then, so memory follows
    the users sending right now, not every user ever seen."""

    SWEEP_EVERY = 10_000

    def __init__(self, capacity: int, period: float) -> None:
        self.capacity = float(capacity)
        self.per_second = capacity / period
        self._buckets: dict[int, tuple[float, float]] = {}  # user id -> (tokens, at)
        self._calls = 0

    def allow(self, user_id: int, now: float | None = None) -> bool:
        return self.take(user_id, now) == 0.0

    def take(self, user_id: int, now: float | None = None) -> float:
        """Take one token: 0.0 if there was one, else the seconds until there is."""
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.get(user_id, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.per_second)
        allowed = tokens >= 1
        self._buckets[user_id] = (tokens - 1 if allowed else tokens, now)
        self._calls += 1
        if self._calls % self.SWEEP_EVERY == 0:
            self._sweep(now)
        return 0.0 if allowed else (1 - tokens) / self.per_second

    def _sweep(self, now: float) -> None:
        refill = self.capacity / self.per_second
        self._buckets = {u: (t, at) for u, (t, at) in self._buckets.items() if now - at < refill}


class SendLimit:
    """One server process's way to the limit: the shared buckets on Redis when
    the cache is Redis and answers, else its own `SendLimiter`."""

    def __init__(self) -> None:
        self._local: SendLimiter | None = None
        self._local_rate = ""
        self._redis_retry_at = 0.0  # monotonic; until then Redis is not asked
        self._redis_lost = False  # so an outage is logged once, not per batch

    def waits(self, user_ids: Sequence[int]) -> list[float]:
        """Take one token per message (a user once per message), in order: 0.0
        if it may be sent, else the seconds until it could be."""
        rate = configured_rate()
        waits = self._shared_waits(user_ids, rate)
        if waits is None:
            local = self._local_limiter(rate)
            waits = [local.take(user_id) for user_id in user_ids]
        return waits

    def _shared_waits(self, user_ids: Sequence[int], rate: str) -> list[float] | None:
        """The waits from the shared buckets, in one round trip; None without
        Redis, or when it did not answer (then it is not asked for a while)."""
        if not hasattr(cache, "run_script") or time.monotonic() < self._redis_retry_at:
            return None
        capacity, period = parse_rate(rate)
        period_us = round(period * 1_000_000)
        keys = [f"{KEY_PREFIX}:{rate}:{user_id}" for user_id in user_ids]
        answer = cache.run_script(_TAKE, keys, [max(1, period_us // capacity), period_us])
        if answer is None:  # unreachable (ResilientRedisCache degrades to None)
            self._redis_retry_at = time.monotonic() + REDIS_RETRY_SECONDS
            if not self._redis_lost:
                logger.warning("Redis unavailable: the chat send limit is counted per process meanwhile")
            self._redis_lost = True
            return None
        if self._redis_lost:
            logger.info("Redis is back: the chat send limit is shared again")
            self._redis_lost = False
        return [int(wait) / 1_000_000 for wait in answer]

    def _local_limiter(self, rate: str) -> SendLimiter:
        if self._local is None or rate != self._local_rate:  # rebuilt if the rate changes
            self._local, self._local_rate = SendLimiter(*parse_rate(rate)), rate
        return self._local


_process = SendLimit()  # this server process's


def send_refusals(user_ids: Sequence[int]) -> list[RateLimited | None]:
    """One answer per message to send, by its sender's id (a sender may send
    several): None if it may be sent (and counts it), else the refusal, saying
    when to try again. One round trip to Redis for the lot."""
    if not user_ids:
        return []
    return [
        None if wait == 0.0 else RateLimited(TOO_MANY, retry_after=max(1, math.ceil(wait)))
        for wait in _process.waits(user_ids)
    ]
