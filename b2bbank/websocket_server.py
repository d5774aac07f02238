"""The ASGI server: Daphne, with its two sweeps over every connection spread out.

Run it as Daphne, with the same arguments:

    python -m b2bbank.websocket_server -b 127.0.0.1 -p 8000 b2bbank.asgi:application

Daphne's server walks every open connection in two periodic sweeps on its one
event loop: every second it reaps finished application instances
(`application_checker`), and every two seconds it checks timeouts and sends
pings (`timeout_checker`). With 10,000 idle sockets the two took 6 to 8 ms and
about 10 ms (measured on 10,000 protocol objects), and nothing else runs on
the loop meanwhile, so a chat message arriving during a sweep waits for it: the
20 active pairs' p99 went from 34 ms to 50 ms with 10,000 sockets held
(docs/performance.md, "Idle sockets").

`SpreadSweepServer` runs the same checks on each connection at the same period,
but a twentieth of the connections at a time, twenty times as often, so no
sweep holds the loop for more than a twentieth of the time. It is the one place
that depends on Daphne's internals (its sweeps, `connections` and the
`CommandLineInterface.server_class` hook): `tests/test_websocket_server.py`
fails when the installed Daphne's sweeps are not the ones this copies.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from collections.abc import Iterable
from concurrent.futures import CancelledError
from typing import Any, cast

from daphne.cli import CommandLineInterface
from daphne.server import Server, logger
from twisted.internet import reactor as _reactor

reactor = cast(Any, _reactor)  # Twisted's global reactor, untyped as a module attribute

# Each sweep is done in this many slices, over the same period as Daphne's.
SLICES = 20
APPLICATION_PERIOD = 1.0  # Daphne: application_checker every second
TIMEOUT_PERIOD = 2.0  # Daphne: timeout_checker every two seconds


class Rotation:
    """A walk over a snapshot of the connections, one slice per tick; the
    next snapshot is taken when the walk ends, so every connection open at a
    snapshot is visited once per period and a new one within two periods."""

    def __init__(self, slices: int = SLICES) -> None:
        self.slices = slices
        self._pending: list[Any] = []
        self._position = 0

    def next_slice(self, connections: Iterable[Any]) -> list[Any]:
        if self._position >= len(self._pending):
            self._pending, self._position = list(connections), 0
        size = max(1, -(-len(self._pending) // self.slices))
        part = self._pending[self._position : self._position + size]
        self._position += size
        return part


class SpreadSweepServer(Server):  # type: ignore[misc] # Daphne is untyped
    """Daphne's `Server`, its sweeps done a slice at a time (module docstring),
    and what it built to start frozen out of the garbage collector's way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._application_rotation = Rotation()
        self._timeout_rotation = Rotation()

    def run(self) -> None:
        """Serve, once what the process built to start is frozen.

        By now Django is set up and the application loaded: about 135,000
        objects that live as long as the process. Each of Python's full
        collections walked them all while no message was handled: 53 ms
        in-process, best of 7 (85 to 135 ms of wall time in `make
        bench-chat-idle` before its sockets were opened). `gc.freeze()` moves
        them to a generation the collector never walks (the standard library's
        advice for a process that starts, then serves); what is made later is
        collected as before."""
        gc.freeze()
        super().run()

    def application_checker(self) -> None:
        """Daphne's `application_checker`, on one slice of the connections."""
        for protocol in self._application_rotation.next_slice(self.connections):
            details = self.connections.get(protocol)
            if details is not None:
                self._check_application(protocol, details)
        reactor.callLater(APPLICATION_PERIOD / SLICES, self.application_checker)

    def _check_application(self, protocol: Any, details: dict[str, Any]) -> None:
        """Daphne 4.2's loop body, for one connection: cancel an application that
        outlived its connection too long, reap a finished one (logging its
        error), and forget a connection whose application and socket are done."""
        disconnected = details.get("disconnected")
        application_instance = details.get("application_instance")
        outlived = disconnected and time.time() - disconnected > self.application_close_timeout
        if outlived and application_instance and not application_instance.done():
            logger.warning(
                "Application instance %r for connection %s took too long to shut down and was killed.",
                application_instance,
                repr(protocol),
            )
            application_instance.cancel()
        if application_instance and application_instance.done():
            self._reap(protocol, details, application_instance, disconnected)
            application_instance = None
        if not application_instance and disconnected:
            del self.connections[protocol]

    def _reap(self, protocol: Any, details: dict[str, Any], instance: Any, disconnected: Any) -> None:
        try:
            exception = instance.exception()
        except (CancelledError, asyncio.CancelledError):
            pass  # cancelled: nothing to report
        else:
            if exception:
                if isinstance(exception, KeyboardInterrupt):
                    self.stop()  # the protocol asks the server to exit (tests)
                else:
                    logger.error("Exception inside application: %s", exception, exc_info=exception)
                    if not disconnected:
                        protocol.handle_exception(exception)
        del details["application_instance"]

    def timeout_checker(self) -> None:
        """Daphne's `timeout_checker`, on one slice of the connections."""
        for protocol in self._timeout_rotation.next_slice(self.connections):
            if protocol in self.connections:
                protocol.check_timeouts()
        reactor.callLater(TIMEOUT_PERIOD / SLICES, self.timeout_checker)


class WebsocketServerCommandLine(CommandLineInterface):  # type: ignore[misc] # Daphne is untyped
    """Daphne's command line, serving with `SpreadSweepServer`."""

    server_class = SpreadSweepServer


def command(port: int, app: str = "b2bbank.asgi:application") -> list[str]:
    """The command that serves `app` on 127.0.0.1:`port` with this server, as
    `make run` starts it (prod-local and the tests that need a real server)."""
    return [sys.executable, "-m", "b2bbank.websocket_server", "-b", "127.0.0.1", "-p", str(port), app]


def main() -> None:
    WebsocketServerCommandLine.entrypoint()


if __name__ == "__main__":
    main()
