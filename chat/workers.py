"""How the consumer's async code calls the sync services: in a worker thread,
with the event loop handed along so what the service publishes after commit
goes back to that loop (b2bbank.realtime.loop_handoff) instead of making the
thread wait for Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.db import connection

from b2bbank.realtime import loop_handoff

T = TypeVar("T")


def in_worker(function: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """Run a service in one of the executor's threads (not Channels' one
    shared thread, which serialized all database work of the server). The
    connection goes back (to the pool under Daphne) when the call ends, so no
    thread keeps one checked out while its sockets are idle."""

    def call(loop: asyncio.AbstractEventLoop, kwargs: dict[str, Any]) -> T:
        try:
            with loop_handoff(loop):
                return function(**kwargs)
        finally:
            connection.close()

    in_thread = database_sync_to_async(call, thread_sensitive=False)

    async def run(**kwargs: Any) -> T:
        return await in_thread(asyncio.get_running_loop(), kwargs)

    return run
