"""DRF's throttles, counting with one atomic counter per client and window.

DRF's own throttles keep a list of every request time in the window and write
it back whole on each request: at the user rate (1,200/min) that is a 10 KB
pickle read and written per API call, and two concurrent requests can each
write back a list that misses the other's entry. Here a request is one
`incr` of a counter that expires with its window (a fixed window: a client can
send up to twice the rate across a window boundary, which these limits
tolerate). The rates, scopes and cache keys are DRF's; `Retry-After` says when
the window ends."""

from __future__ import annotations

from typing import Any

from rest_framework import throttling


def count_in_window(cache: Any, key: str, timeout: int) -> int:
    """This request's number in the window: one round trip on Redis
    (`ResilientRedisCache.incr_window`), `add`/`incr` on other caches."""
    if hasattr(cache, "incr_window"):
        return int(cache.incr_window(key, timeout))
    try:
        return int(cache.incr(key))
    except ValueError:  # the window's first request
        if cache.add(key, 1, timeout):
            return 1
        return int(cache.incr(key))  # another request started the window meanwhile


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
        count = count_in_window(self.cache, f"{ident}:{window_start}", self.duration + 1)
        return count <= self.num_requests

    def wait(self) -> float:
        """Seconds until the current window ends."""
        return float(self.duration - self.timer() % self.duration)


class AnonRateThrottle(throttling.AnonRateThrottle, FixedWindowCounter):
    pass


class UserRateThrottle(throttling.UserRateThrottle, FixedWindowCounter):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, FixedWindowCounter):
    pass
