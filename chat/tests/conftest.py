from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import override_settings

from chat import rate_limit

# Redis db 7 is shared with other runs on this machine: each test that uses it
# has a key prefix of its own and removes its keys afterwards (never a flush).
REDIS_URL = "redis://127.0.0.1:6379/7"
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def conversation(owner_a: Any, banker_x: Any) -> Any:
    from chat.tests.factories import ConversationFactory

    return ConversationFactory(owner=owner_a, banker=banker_x)


def redis_cache_setting(location: str, prefix: str = "") -> dict[str, Any]:
    """The production cache (as b2bbank/settings/base.py builds it) at `location`."""
    return {
        "default": {
            "BACKEND": "b2bbank.resilient_cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def fresh_send_limit(monkeypatch: pytest.MonkeyPatch) -> Any:
    """This process's send limit as a newly started server process has it."""
    monkeypatch.setattr(rate_limit, "_process", rate_limit.SendLimit())
    return rate_limit._process


@pytest.fixture
def cache_on_redis() -> Iterator[tuple[redis.Redis, str]]:
    """The default cache on Redis for this test, and a plain client of its
    database with the test's key prefix, to look at the keys."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        with override_settings(CACHES=redis_cache_setting(REDIS_URL, prefix)):
            yield client, prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()
