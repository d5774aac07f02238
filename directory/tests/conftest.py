"""Directory tests count their matches: PostgreSQL's estimates depend on the
statistics whatever ran before left behind (an ANALYZE's row count outlives
its transaction), so a test asserting a count would pass or fail by order.
`test_estimates.py` tests the estimates themselves (it overrides this)."""

from __future__ import annotations

from typing import Any

import pytest

from directory import selectors
from tests.redis_trips import recording_round_trips


@pytest.fixture(autouse=True)
def exact_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "EXACT_COUNT_BELOW", 10**9)


@pytest.fixture
def redis_round_trips(settings: Any) -> Any:
    """The production cache (Redis db 7, flushed) and a list that records each
    round trip to it: a pipeline's commands, or a single command."""
    settings.CACHES = {
        "default": {
            "BACKEND": "b2bbank.resilient_cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/7",
        }
    }
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    client.flushdb()
    with recording_round_trips(client) as trips:
        yield trips
    client.flushdb()
