"""chat.session_deadlines: every socket's session deadline behind one timer
per event loop, instead of a sleeping task per socket."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

import pytest

from chat.session_deadlines import RESOLUTION, SessionDeadlines, deadlines_for_loop
from chat.tests.test_consumers import Sockets, run, session_client, socket_for, with_sockets


class Socket:
    def __init__(self, name: str, due: list[str]) -> None:
        self.name, self.due = name, due

    def session_due(self) -> None:
        self.due.append(self.name)


class CountingLoop:
    """The running loop's call_later, counting the timers still live."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop, self.handles = loop, []

    def call_later(self, delay: float, callback: Any) -> asyncio.TimerHandle:
        handle = self.loop.call_later(delay, callback)
        self.handles.append(handle)
        return handle

    def live(self) -> int:
        return sum(1 for handle in self.handles if not handle.cancelled())


def test_sockets_are_due_in_deadline_order_each_once() -> None:
    async def scenario() -> list[str]:
        due: list[str] = []
        deadlines = SessionDeadlines(asyncio.get_running_loop())
        now = time.time()
        sockets = [Socket(name, due) for name in ("late", "past", "soon")]
        for socket, deadline in zip(sockets, (now + 0.6, now - 5, now + 0.2), strict=True):
            deadlines.watch(socket, deadline)
        await asyncio.sleep(0.1)
        assert due == ["past"]
        await asyncio.sleep(0.6 + RESOLUTION)
        return due

    assert asyncio.run(scenario()) == ["past", "soon", "late"]


def test_never_due_before_the_deadline() -> None:
    async def scenario() -> list[float]:
        seen: list[float] = []
        deadlines = SessionDeadlines(asyncio.get_running_loop())

        class Timed:
            def session_due(self) -> None:
                seen.append(time.time())

        timed = Timed()
        deadline = time.time() + 0.3
        deadlines.watch(timed, deadline)
        await asyncio.sleep(0.3 + 2 * RESOLUTION)
        return [at - deadline for at in seen]

    [late_by] = asyncio.run(scenario())
    assert 0 <= late_by < RESOLUTION + 0.1


def test_forgotten_and_dropped_sockets_are_not_called() -> None:
    async def scenario() -> tuple[list[str], int]:
        due: list[str] = []
        deadlines = SessionDeadlines(asyncio.get_running_loop())
        soon = time.time() + 0.1
        kept, left, dropped = (Socket(name, due) for name in ("kept", "left", "dropped"))
        deadlines.watch(kept, soon)
        deadlines.forget(left, deadlines.watch(left, soon))
        deadlines.watch(dropped, soon)
        del dropped
        gc.collect()
        watched = len(deadlines)
        await asyncio.sleep(0.1 + 2 * RESOLUTION)
        return due, watched

    assert asyncio.run(scenario()) == (["kept"], 1)


@pytest.mark.parametrize("order", ["later and later", "sooner and sooner"])
def test_a_thousand_sockets_hold_one_live_timer(order: str) -> None:
    async def scenario() -> tuple[int, int]:
        loop = CountingLoop(asyncio.get_running_loop())
        deadlines = SessionDeadlines(loop)  # type: ignore[arg-type]
        now = time.time()
        offsets = range(1, 1001) if order == "later and later" else range(1000, 0, -1)
        sockets = [Socket(str(n), []) for n in offsets]
        tasks_before = len(asyncio.all_tasks())
        for socket, offset in zip(sockets, offsets, strict=True):
            deadlines.watch(socket, now + 60 + offset)
        return loop.live(), len(asyncio.all_tasks()) - tasks_before

    assert asyncio.run(scenario()) == (1, 0)


def test_a_consumer_is_watched_while_connected_and_forgotten_when_it_leaves(owner_a: Any) -> None:
    client = session_client(owner_a)

    async def scenario(sockets: Sockets) -> None:
        for _ in range(3):
            await sockets.connect(await socket_for(client=client))
        assert len(deadlines_for_loop()) == 3
        await sockets.close()
        sockets.open.clear()
        assert len(deadlines_for_loop()) == 0

    run(with_sockets, scenario)
