"""Bench-only: hold N authenticated, idle sockets open on the chat server
(one of several holder processes, so the client side is not one event loop
with 10,000 sockets). Reads {"port", "cookie", "sessions", "count"} as JSON on
stdin's first line, prints "ready <opened> <retries>" once every socket is
open, answers the server's pings while it waits, and closes everything when
stdin closes (or says "close")."""

import asyncio
import json
import sys

from bench.chat.run import RETRIES, close_all, open_many, raise_open_files_limit


async def main() -> None:
    raise_open_files_limit()
    spec = json.loads(sys.stdin.readline())
    sessions = [spec["sessions"][n % len(spec["sessions"])] for n in range(spec["count"])]
    sockets = await open_many(spec["port"], sessions, spec["cookie"], limit=25)
    print(f"ready {len(sockets)} {RETRIES['count']}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await close_all(sockets)


if __name__ == "__main__":
    asyncio.run(main())
