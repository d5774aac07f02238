"""The per-user limit on sending messages (settings: the `chat_send` throttle
rate, e.g. "60/min"), applied by the send service (chat.services.send) so every
entry point counts: socket frames, REST sends with or without a file, the
conversation page, and a conversation started with a first message.

A token bucket per user in the server process's memory: a burst of N messages,
then N per period. A check costs a dictionary lookup instead of a cache round
trip per message; the price is that a user sending through several server
processes gets the limit once per process.
"""

from __future__ import annotations

import math
import time

from django.conf import settings

from b2bbank.domain_errors import RateLimited

SCOPE = "chat_send"
DEFAULT_RATE = "60/min"  # the settings' default too (B2BBANK_THROTTLE_CHAT_SEND)
TOO_MANY = "Too many messages. Wait a moment, then send again."
# DRF's rate periods, so the setting reads as every other throttle rate.
_PERIODS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


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
    """Token buckets per user id. Full buckets are forgotten now and then, so
    memory follows the users sending right now, not every user ever seen."""

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


_limiter: SendLimiter | None = None
_limiter_rate = ""


def send_refusal(user_id: int) -> RateLimited | None:
    """None if the user may send one more message now (and counts it), else
    the refusal, saying when to try again."""
    global _limiter, _limiter_rate  # one limiter per process, rebuilt if the rate changes
    rate = configured_rate()
    if _limiter is None or rate != _limiter_rate:
        _limiter, _limiter_rate = SendLimiter(*parse_rate(rate)), rate
    wait = _limiter.take(user_id)
    if wait == 0.0:
        return None
    return RateLimited(TOO_MANY, retry_after=max(1, math.ceil(wait)))
