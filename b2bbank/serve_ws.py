"""Daphne on uvloop: `python -m b2bbank.serve_ws <daphne arguments>`.

Daphne installs Twisted's asyncio reactor on a loop it creates when
daphne.server is imported, so the loop policy must be set before that import;
`python -m daphne` cannot do it. Falls back to the standard loop when uvloop is
not installed."""

import asyncio
import importlib.util

if importlib.util.find_spec("uvloop") is not None:
    import uvloop

    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

from daphne.cli import CommandLineInterface

if __name__ == "__main__":
    CommandLineInterface.entrypoint()
