"""chat.per_loop: one object per running event loop."""

from __future__ import annotations

import asyncio

from chat.per_loop import PerLoop


def test_one_object_per_loop_made_with_that_loop() -> None:
    made: list[asyncio.AbstractEventLoop] = []

    def make(loop: asyncio.AbstractEventLoop) -> object:
        made.append(loop)
        return object()

    for_loop = PerLoop(make)

    async def twice() -> tuple[object, object, asyncio.AbstractEventLoop]:
        return for_loop(), for_loop(), asyncio.get_running_loop()

    first, again, loop = asyncio.run(twice())
    other, _, other_loop = asyncio.run(twice())
    assert first is again
    assert other is not first
    assert made == [loop, other_loop]
