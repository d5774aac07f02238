"""Redis cache that degrades instead of failing.

The cache holds throttle counters and other disposable state; PostgreSQL holds
everything that matters. If Redis is unreachable, reads miss and writes are
dropped (logged), so every HTTP path keeps working with throttling relaxed until
Redis is back, rather than answering 500."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrade(default: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                logger.warning("cache unavailable (%s); %s degraded", type(exc).__name__, method.__name__)
                return default(*args, **kwargs)

        return wrapped

    return decorator


def _default_get(key: str, default: Any = None, version: int | None = None) -> Any:
    return default


class ResilientRedisCache(RedisCache):
    get = _degrade(_default_get)(RedisCache.get)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrade(lambda *a, **k: False)(RedisCache.has_key)
    set = _degrade(lambda *a, **k: None)(RedisCache.set)
    set_many = _degrade(lambda *a, **k: [])(RedisCache.set_many)
    add = _degrade(lambda *a, **k: False)(RedisCache.add)
    touch = _degrade(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrade(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _degrade(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _degrade(lambda key, delta=1, version=None: delta)(RedisCache.incr)
    clear = _degrade(lambda *a, **k: False)(RedisCache.clear)
