"""The ASGI server: Daphne, without its two sweeps over every connection each second or two.

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

`SpreadSweepServer` does the same work without walking every connection so often:

- An application is reaped when it finishes (a done callback on its future).
  Only the connections whose socket left while their application still ran
  are checked every second, so one that outlives its socket is cancelled when
  Daphne would cancel it. A slow sweep every 10 s still runs Daphne's checks on
  every connection, for anything no callback saw.
- Timeouts are checked every 10 s instead of every 2 s. What they enforce is
  minutes apart: a ping a minute (as deployed), a socket's lifetime (a day),
  and HTTP's timeout (none, as deployed); a ping goes out up to 10 s late
  instead of up to 2 s. The one short deadline, a websocket handshake the
  application has not accepted within `websocket_connect_timeout` (5 s), is
  checked every second on the handshakes under way only.
- Each sweep is done a 200th of the connections at a time, every 50 ms, so
  none holds the loop for long and the pings that fall due go out a few at a
  time. (In 500-socket slices every half second, about 80 pings a slice, a
  thread timing the loop saw it late by more than 8 ms 24 and 27 times in 15 s
  of chat, up to 25 ms; in 50-socket slices, 10 times, up to 14 ms.)

A dead client is found by the kernel, not by pings. Each websocket's TCP
connection has keepalive on (`keep_alive`): after 60 s without a packet the
kernel probes it every 10 s and drops it after 3 unanswered probes, so a
client that vanished without closing is gone within 90 s, as Daphne's ping a
minute with its 30 s timeout did, and the event loop does none of the work.
Daphne's own pings (a Python write and a Python read per socket, on the loop
that carries every chat message) are then a backstop, every 5 minutes as
deployed (docs/deploy.md), and each socket's first one is staggered
(`stagger_pings`) so sockets opened together are not pinged together. With
10,000 sockets opened within 80 s, the idle server used 3.7 to 5.8 % of a
core in five runs; at a ping a minute, unstaggered, 3.4 to 13.5 % in eight,
the highest when a wave of pings fell in the measured 20 s
(docs/performance.md, Chat, session 11).

It is the one place that depends on Daphne's internals (its sweeps,
`create_application`, `protocol_connected` and `protocol_disconnected`,
`connections`, a websocket's `last_ping`, and the
`CommandLineInterface.server_class` hook):
`tests/test_websocket_server.py` fails when the installed Daphne's are not the
ones this builds on.
"""

from __future__ import annotations

import asyncio
import gc
import random
import socket
import sys
import time
from collections.abc import Iterable
from concurrent.futures import CancelledError
from functools import partial
from typing import Any, cast

from daphne.cli import CommandLineInterface
from daphne.server import Server, logger
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet import reactor as _reactor
from twisted.internet.interfaces import ISystemHandle, ITCPTransport

reactor = cast(Any, _reactor)  # Twisted's global reactor, untyped as a module attribute

# Each sweep is done in this many slices over its period (50 ms apart).
SLICES = 200
# Daphne sweeps every application every second; here a done callback reaps
# them, the closing ones are checked every second, and this sweep over them
# all is the safety net.
APPLICATION_PERIOD = 10.0
CLOSING_PERIOD = 1.0
TIMEOUT_PERIOD = 10.0  # Daphne: every two seconds
HANDSHAKE_PERIOD = 1.0  # the handshakes under way: Daphne refuses one after 5 s
# TCP keepalive on every websocket: the first probe after this much silence,
# then one every interval; the connection is dropped after `count` unanswered.
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 60, 10, 3
# Where in its first ping interval each socket's first ping falls (stagger_pings).
PING_STAGGER = random.Random()  # noqa: S311 - spreads load, not a secret


def keep_alive(transport: Any) -> None:
    """Turn on TCP keepalive, with this module's timings, on a connection's
    transport (Twisted's public `ITCPTransport` and `ISystemHandle`); one that
    is not TCP (a test's stand-in, a Unix socket) is left as it is."""
    if not ITCPTransport.providedBy(transport):
        return
    transport.setTcpKeepAlive(True)
    handle = transport.getHandle() if ISystemHandle.providedBy(transport) else None
    if not isinstance(handle, socket.socket):
        return  # under TLS the handle is OpenSSL's connection: the system's timings stay
    timings = (
        ("TCP_KEEPIDLE", KEEPALIVE_IDLE),
        ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL),
        ("TCP_KEEPCNT", KEEPALIVE_COUNT),
    )
    for name, value in timings:
        option = getattr(socket, name, None)  # Linux's names; a development Mac lacks TCP_KEEPIDLE
        if option is not None:
            handle.setsockopt(socket.IPPROTO_TCP, option, value)


class Rotation:
    """A walk over a snapshot of the connections in `slices` ticks (a slice
    may be empty when there are fewer connections than ticks); the next
    snapshot is taken when the walk ends, so every connection open at a
    snapshot is visited once per period and a new one within two periods."""

    def __init__(self, slices: int = SLICES) -> None:
        self.slices = slices
        self._pending: list[Any] = []
        self._tick = slices  # the first call takes the first snapshot

    def next_slice(self, connections: Iterable[Any]) -> list[Any]:
        if self._tick >= self.slices:
            self._pending, self._tick = list(connections), 0
        count, tick = len(self._pending), self._tick
        self._tick += 1
        return self._pending[-(-tick * count // self.slices) : -(-(tick + 1) * count // self.slices)]


class SpreadSweepServer(Server):  # type: ignore[misc] # Daphne is untyped
    """Daphne's `Server`: applications reaped as they finish, sweeps done
    rarely and a slice at a time (module docstring), and what it built to
    start frozen out of the garbage collector's way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._application_rotation = Rotation()
        self._timeout_rotation = Rotation()
        # Disconnected, their application still running (protocol_disconnected).
        self.closing: set[Any] = set()
        # Websockets whose handshake is not yet accepted (protocol_connected).
        self.handshaking: set[Any] = set()

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
        reactor.callLater(CLOSING_PERIOD, self.closing_checker)
        reactor.callLater(HANDSHAKE_PERIOD, self.handshake_checker)
        super().run()

    def create_application(self, protocol: Any, scope: dict[str, Any]) -> Any:
        """Daphne's, and the application is reaped the moment it finishes."""
        queue = super().create_application(protocol, scope)
        instance = self.connections.get(protocol, {}).get("application_instance")
        if instance is not None:
            instance.add_done_callback(partial(self._application_finished, protocol))
        return queue

    def _application_finished(self, protocol: Any, instance: Any) -> None:
        details = self.connections.get(protocol)
        if details is not None and details.get("application_instance") is instance:
            self._check_application(protocol, details)

    def protocol_disconnected(self, protocol: Any) -> None:
        """Daphne's; then the connection is forgotten at once if its
        application is done, or watched every second until it is (`closing`),
        so one that outlives its socket is cancelled when Daphne would."""
        details = self.connections.get(protocol)
        if details is None:
            return  # already forgotten: Daphne tells some protocols twice
        super().protocol_disconnected(protocol)
        self._check_application(protocol, details)
        if protocol in self.connections:
            self.closing.add(protocol)

    def closing_checker(self) -> None:
        """Every second, Daphne's checks on the connections whose socket left
        while their application still ran (a few, not all of them)."""
        for protocol in list(self.closing):
            details = self.connections.get(protocol)
            if details is not None:
                self._check_application(protocol, details)
            else:
                self.closing.discard(protocol)
        reactor.callLater(CLOSING_PERIOD, self.closing_checker)

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
            self.closing.discard(protocol)

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

    def protocol_connected(self, protocol: Any) -> None:
        """Daphne's; a websocket is also watched while its handshake lasts,
        and the kernel keeps its connection alive (module docstring)."""
        super().protocol_connected(protocol)
        if isinstance(protocol, WebSocketProtocol):
            self.handshaking.add(protocol)
            keep_alive(getattr(protocol, "transport", None))

    def handshake_checker(self) -> None:
        """Every second, Daphne's timeout checks on the websockets whose
        handshake the application has not yet accepted (a few, not all of
        them), so one it never accepts is refused within a second of
        `websocket_connect_timeout`, as Daphne's two-second sweep would. One
        accepted leaves the watch with its first ping staggered."""
        for protocol in list(self.handshaking):
            if protocol not in self.connections:
                self.handshaking.discard(protocol)
            elif protocol.state == WebSocketProtocol.STATE_CONNECTING:
                protocol.check_timeouts()
            else:
                self.handshaking.discard(protocol)
                self.stagger_pings(protocol)
        reactor.callLater(HANDSHAKE_PERIOD, self.handshake_checker)

    def stagger_pings(self, protocol: Any) -> None:
        """Move a newly accepted socket's first ping to a random moment within
        one ping interval. Daphne pings a socket a whole interval after it
        opened, so sockets that open together (every client reconnecting
        after a deploy) would be pinged together, in a wave every interval,
        for as long as they stay; staggered, they go out at an even rate, one
        per socket per interval, from the start."""
        protocol.last_ping -= PING_STAGGER.uniform(0, self.ping_interval)


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
