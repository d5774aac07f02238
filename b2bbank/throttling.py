"""DRF's throttles, counting with one atomic counter per client and window.

DRF's own throttles keep a list of every request time in the window and write
it back whole on each request: at the user rate (1,200/min) that is a 10 KB
pickle read and written per API call, and two concurrent requests can each
write back a list that misses the other's entry. Here a request is one
`incr` of a counter that expires with its window (a fixed window: a client can
send up to twice the rate across a window boundary, which these limits
tolerate). The rates, scopes and cache keys are DRF's; `Retry-After` says when
the window ends.

A view that reads the cache on every request can have that read sent with the
count, so the request waits for Redis once: it names the keys in
`throttle_cache_reads(request)` (called after authentication and permissions,
when the throttle runs) and finds the values with `cache_reads_found(request)`,
which is None when no throttle ran the reads (throttling off for the request):
the view then reads them itself."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from rest_framework import throttling

from b2bbank.client_address import client_ip

_READS_FOUND = "_throttle_cache_reads_found"


def count_in_window(
    cache: Any, key: str, timeout: int, read: Sequence[str] = ()
) -> tuple[int, dict[str, Any]]:
    """This request's number in the window, and the cache values of `read`: one
    round trip on Redis (`ResilientRedisCache.incr_window_get_many`),
    `add`/`incr`/`get_many` on other caches."""
    if hasattr(cache, "incr_window_get_many"):
        count, found = cache.incr_window_get_many(key, timeout, read)
        return int(count), found
    found = cache.get_many(read) if read else {}
    try:
        return int(cache.incr(key)), found
    except ValueError:  # the window's first request
        if cache.add(key, 1, timeout):
            return 1, found
        return int(cache.incr(key)), found  # another request started the window meanwhile


def cache_reads_found(request: Any) -> dict[str, Any] | None:
    """The values a throttle read for the view's `throttle_cache_reads`, or None
    if no throttle read them."""
    found: dict[str, Any] | None = getattr(request, _READS_FOUND, None)
    return found


def _reads_for(request: Any, view: Any) -> Sequence[str]:
    """The view's keys, for the first counter of the request only."""
    wanted = getattr(view, "throttle_cache_reads", None)
    if wanted is None or cache_reads_found(request) is not None:
        return ()
    return list(wanted(request))


class FixedWindowCounter(throttling.SimpleRateThrottle):
    """`SimpleRateThrottle` with a counter instead of its request log. Listed
    after DRF's class in each throttle below, so DRF's own steps (the scoped
    throttle picking its rate from the view) still run first."""

    duration: int
    num_requests: int

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        window_start = int(self.timer() // self.duration) * self.duration
        read = _reads_for(request, view)
        count, found = count_in_window(self.cache, f"{ident}:{window_start}", self.duration + 1, read)
        if read:
            setattr(request, _READS_FOUND, found)
        return count <= self.num_requests

    def get_ident(self, request: Any) -> str:
        """The client address from b2bbank.client_address (DRF's own trusts any
        X-Forwarded-For unless NUM_PROXIES is set)."""
        return client_ip(request.META)

    def wait(self) -> float:
        """Seconds until the current window ends."""
        return float(self.duration - self.timer() % self.duration)


class AnonRateThrottle(throttling.AnonRateThrottle, FixedWindowCounter):
    pass


class UserRateThrottle(throttling.UserRateThrottle, FixedWindowCounter):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, FixedWindowCounter):
    pass


def auth_budget_wait(request: Any, scope: str = "auth") -> float | None:
    """Count a page request that trades in credentials (sign-up, sign-in, a
    resend) against the same per-address budget as the API's endpoints of that
    scope, so every way in shares one limit. None when allowed, else the
    seconds to wait."""
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):
        return None
    return throttle.wait()
