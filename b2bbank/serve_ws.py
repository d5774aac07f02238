"""Daphne on uvloop: `python -m b2bbank.serve_ws <daphne arguments>`.

Daphne installs Twisted's asyncio reactor on a loop it creates when
daphne.server is imported, so the loop policy must be set before that import;
`python -m daphne` cannot do it. Falls back to the standard loop when uvloop is
not installed."""

import asyncio

try:
    import uvloop
except ImportError:  # pragma: no cover - optional speed-up
    uvloop = None

if uvloop is not None:
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

from daphne.cli import CommandLineInterface  # noqa: E402

if __name__ == "__main__":
    CommandLineInterface.entrypoint()
