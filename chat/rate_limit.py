"""The per-user limit on sending messages (settings: the `chat_send` throttle
rate, e.g. "60/min").

REST applies it with the API's throttle (b2bbank.throttling: a counter in the shared cache, so across
all workers). Sockets apply it here, in the server process's memory, as a token
bucket of the same size: a burst of N messages, then N per period. A check
costs a dictionary lookup instead of a cache round trip per frame; the price
is that a user with sockets on several server processes gets the limit once
per process.
"""

from __future__ import annotations

import time

from django.conf import settings

from b2bbank.throttling import UserRateThrottle

SCOPE = "chat_send"


class ChatSendThrottle(UserRateThrottle):
    """REST message sends (HTTP 429 with the API's error shape)."""

    scope = SCOPE

    def get_rate(self) -> str:
        # Read where the socket reads it (DRF's class attribute is frozen at import).
        return configured_rate()


DEFAULT_RATE = "60/min"  # the settings' default too (B2BBANK_THROTTLE_CHAT_SEND)


def configured_rate() -> str:
    """The `chat_send` rate; settings that list their own rates without it
    (some tests do) get the default rather than an error on every send."""
    rates: dict[str, str] = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})  # type: ignore[attr-defined,assignment]
    return rates.get(SCOPE, DEFAULT_RATE)


def parse_rate(rate: str) -> tuple[int, float]:
    """(messages, seconds) from a DRF rate such as "60/min"."""
    num, duration = ChatSendThrottle().parse_rate(rate)
    if num is None or duration is None:
        raise ValueError(f"chat_send needs a rate, not {rate!r}")
    return num, float(duration)


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
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.get(user_id, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - at) * self.per_second)
        allowed = tokens >= 1
        self._buckets[user_id] = (tokens - 1 if allowed else tokens, now)
        self._calls += 1
        if self._calls % self.SWEEP_EVERY == 0:
            self._sweep(now)
        return allowed

    def _sweep(self, now: float) -> None:
        refill = self.capacity / self.per_second
        self._buckets = {u: (t, at) for u, (t, at) in self._buckets.items() if now - at < refill}


_limiter: SendLimiter | None = None
_limiter_rate = ""


def socket_send_allowed(user_id: int) -> bool:
    """The socket check: False once the user's bucket in this process is empty."""
    global _limiter, _limiter_rate  # one limiter per process, rebuilt if the rate changes
    rate = configured_rate()
    if _limiter is None or rate != _limiter_rate:
        _limiter, _limiter_rate = SendLimiter(*parse_rate(rate)), rate
    return _limiter.allow(user_id)
