"""Django's PostgreSQL backend with a health check that skips busy connections.

With CONN_HEALTH_CHECKS, Django pings a persistent connection (`SELECT 1`) at
the start of every request that uses it: one more round trip on every API call,
which under load was a sixth of a directory search's time (docs/performance.md).
A connection that answered a query moments ago is almost surely alive, so this
backend pings only a connection idle for more than HEALTH_CHECK_IDLE_SECONDS.
One killed within that window (a failover) fails that request with the generic
503 and is replaced for the next (tests/test_database_faults.py)."""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base

HEALTH_CHECK_IDLE_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    last_used: float = float("-inf")

    def close_if_health_check_failed(self) -> None:
        if self.connection is not None and time.monotonic() - self.last_used < HEALTH_CHECK_IDLE_SECONDS:
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _cursor(self, name: Any = None) -> Any:
        cursor = super()._cursor(name)  # type: ignore[misc] # Django's, unstubbed
        self.last_used = time.monotonic()
        return cursor
