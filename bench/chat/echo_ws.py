"""Bench-only: a bare `websockets` echo server, the floor for a Python websocket."""

import asyncio
import sys

from websockets.asyncio.server import serve


async def echo(websocket):  # type: ignore[no-untyped-def]
    async for message in websocket:
        await websocket.send(message)


async def main(port: int) -> None:
    async with serve(echo, "127.0.0.1", port, compression=None, ping_interval=None, max_queue=None):
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
