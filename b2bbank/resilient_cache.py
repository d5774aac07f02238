"""Redis cache that degrades instead of failing.

The cache holds throttle counters and other disposable state; PostgreSQL holds
everything that matters. If Redis is unreachable, reads miss and writes are
dropped (logged), so every HTTP path keeps working with throttling relaxed until
Redis is back, rather than answering 500."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a new `redis.Redis` for every cache call, and building one
    (its table of response callbacks) cost more than the round trip to Redis.
    A client is thread-safe (it borrows a connection from its pool per
    command), so one per pool serves every call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined] # Django's, unstubbed
            client = self._clients[write] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._scripts: dict[str, Any] = {}  # Lua source -> redis-py Script (its SHA1)

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

    def incr_window(self, key: str, timeout: int, version: int | None = None) -> int:
        """Add one to a counter that starts at 0 and expires `timeout` seconds
        after it was created, in one round trip (Django's `add` then `incr` take
        three). Redis down: 1, i.e. rate limits relax rather than fail."""
        count, _ = self.incr_window_get_many(key, timeout, (), version=version)
        return count

    @_degrade(lambda key, timeout, read, version=None: (1, {}))
    def incr_window_get_many(
        self, key: str, timeout: int, read: Sequence[str], version: int | None = None
    ) -> tuple[int, dict[str, Any]]:
        """`incr_window(key, timeout)` and `get_many(read)`, sent together: a
        throttled request that also reads the cache waits for Redis once.
        Redis down: (1, {}), a relaxed count and nothing found."""
        counter = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(counter, write=True)  # type: ignore[attr-defined] # Django's, unstubbed
        pipeline = client.pipeline(transaction=False)
        pipeline.set(counter, 0, ex=timeout, nx=True)
        pipeline.incr(counter)
        if read:
            pipeline.mget([self.make_and_validate_key(name, version=version) for name in read])
        replies = pipeline.execute()
        loads = self._cache._serializer.loads  # type: ignore[attr-defined] # Django's, unstubbed
        found = (
            {name: loads(value) for name, value in zip(read, replies[2], strict=True) if value is not None}
            if read
            else {}
        )
        return int(replies[1]), found

    @_degrade(lambda source, keys, args, version=None: None)
    def run_script(
        self, source: str, keys: Sequence[str], args: Sequence[Any], version: int | None = None
    ) -> Any:
        """Run a Lua script on `keys` (cache keys: prefixed and versioned as
        every other) in one round trip: EVALSHA, the script itself sent only
        if Redis does not know it yet (redis-py's `register_script`). Values
        are Redis's replies, not unpickled. Redis down: None, so a script run
        here should always answer something (nil reads as an outage)."""
        names = [self.make_and_validate_key(key, version=version) for key in keys]
        client = self._cache.get_client(write=True)  # type: ignore[attr-defined] # Django's, unstubbed
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = client.register_script(source)
        return script(keys=names, args=list(args), client=client)

    clear = _degrade(lambda *a, **k: False)(RedisCache.clear)
