"""When each socket's session must be read again: one timer per event loop
for every socket it serves, not one sleeping task each.

A task per socket put 10,000 timers in the event loop's heap when 10,000
sockets were open. asyncio only sweeps cancelled timers out of its heap when
they are over half of it, so behind those 10,000 long timers every short
timeout that was cancelled stayed in the heap until its own deadline, 4 to 5 s
later. Thousands of them lived that long, long enough for the garbage
collector to move them into older generations; its gen1 collections took 4.0
and 6.3 ms during a held chat, 3.4 ms once they were gone (docs/performance.md,
Chat, session 10).

Deadlines are gathered in buckets of `RESOLUTION` seconds. A bucket holds its
sockets weakly, so a socket that is gone never waits in it, and one that
disconnects leaves at once (`forget`).
"""

from __future__ import annotations

import asyncio
import heapq
import math
import time
import weakref
from typing import Protocol

from .per_loop import PerLoop

RESOLUTION = 0.25  # seconds: a check may run up to this much after its deadline


class Watched(Protocol):
    def session_due(self) -> None:
        """The deadline has passed: read the session again."""


class SessionDeadlines:
    """The sockets of one event loop, by when their session is read again."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._buckets: dict[int, weakref.WeakSet[Watched]] = {}
        self._keys: list[int] = []  # a heap of the buckets' keys
        self._timer: asyncio.TimerHandle | None = None
        self._timer_key: int | None = None

    def watch(self, socket: Watched, deadline: float) -> int:
        """Call `socket.session_due()` once `deadline` (a time.time()) has
        passed. Returns the key to `forget` it by."""
        key = math.ceil(deadline / RESOLUTION)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = weakref.WeakSet()
            heapq.heappush(self._keys, key)
        bucket.add(socket)
        self._arm()
        return key

    def forget(self, socket: Watched, key: int) -> None:
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.discard(socket)

    def __len__(self) -> int:
        return sum(len(bucket) for bucket in self._buckets.values())

    def _arm(self) -> None:
        """One timer, for the earliest bucket."""
        if not self._keys or self._timer_key == self._keys[0]:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_key = self._keys[0]
        delay = max(0.0, self._timer_key * RESOLUTION - time.time())
        self._timer = self._loop.call_later(delay, self._fire)

    def _fire(self) -> None:
        self._timer = self._timer_key = None
        now = time.time()
        while self._keys and self._keys[0] * RESOLUTION <= now:
            key = heapq.heappop(self._keys)
            for socket in list(self._buckets.pop(key)):
                socket.session_due()
        self._arm()


# The deadlines of the running event loop.
deadlines_for_loop = PerLoop(SessionDeadlines)
