"""Running one request many times at once, from real threads with their own
database connections, released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_concurrently(count: int, action: Callable[[], T], *, timeout: float = 60) -> list[T]:
    barrier = threading.Barrier(count)
    results: list[T] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        try:
            result = action()
            with lock:
                results.append(result)
        finally:
            connection.close()  # each thread opened its own

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
