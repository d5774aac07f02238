"""The ASGI server (b2bbank/websocket_server.py): applications reaped as they
finish, closing sockets and handshakes under way checked every second,
Daphne's sweeps done a slice at a time; and a canary that fails when the
installed Daphne's sweeps, or the methods the server builds on, change."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import socket
import time
from functools import partial
from typing import Any

import daphne
import pytest
from daphne.cli import CommandLineInterface
from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.internet.interfaces import ISystemHandle, ITCPTransport
from zope.interface import implementer

from b2bbank import websocket_server
from b2bbank.websocket_server import (
    SLICES,
    TIMEOUT_PERIOD,
    Rotation,
    SpreadSweepServer,
    WebsocketServerCommandLine,
)

# What SpreadSweepServer copies, as Daphne 4.2.3 has it. A new Daphne fails here:
# read its sweeps, bring SpreadSweepServer in line, then record the new digests.
DAPHNE_SWEEPS = {
    "application_checker": "ccb688341a7d0bc13647a7d86815adb6a88af08299e4b0460379ea4d55ade79d",
    "timeout_checker": "6b70373a3a77cb2b1c580905af57d9c1c7ae09e7608c0677b8209e7bffe5b4cb",
    # Overridden to reap on completion: the future stored in `connections`, and
    # `disconnected` set once, on a protocol that must still be there.
    "create_application": "f1e300b4ecf636c85e1a66250e32af2ebb67728f01919678d43e80c794a79a87",
    "protocol_disconnected": "c1f5fe8cdedc09dce1531ec21751083fd33ec723d856a491752667d3ae3811b5",
}
# A websocket's checks: its lifetime, its ping, and its handshake's deadline
# (the one due within seconds, which handshake_checker runs every second).
DAPHNE_WEBSOCKET_TIMEOUTS = "0e2ee6816a93a598d1fa50782417ae1126bf16ef86d8c718aac7e92c4f692e8e"


def digest(function: Any) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def test_daphne_sweeps_are_the_ones_copied() -> None:
    assert daphne.__version__ == "4.2.3"
    for name, expected in DAPHNE_SWEEPS.items():
        assert digest(getattr(Server, name)) == expected, f"Daphne's {name} changed"
    assert digest(WebSocketProtocol.check_timeouts) == DAPHNE_WEBSOCKET_TIMEOUTS
    run = inspect.getsource(Server.run)
    assert "reactor.callLater(1, self.application_checker)" in run
    assert "reactor.callLater(2, self.timeout_checker)" in run
    assert "self.connections = {}" in run
    on_connect = inspect.getsource(WebSocketProtocol.onConnect)
    assert "self.server.protocol_connected(self)" in on_connect
    assert "self.last_ping = time.time()" in on_connect  # what stagger_pings moves back
    assert "self.server_class(" in inspect.getsource(CommandLineInterface.run)


def test_the_command_line_serves_with_the_spread_server() -> None:
    assert WebsocketServerCommandLine.server_class is SpreadSweepServer
    assert issubclass(WebsocketServerCommandLine, CommandLineInterface)


class Protocol:
    """A connection as the sweeps see it."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.checked = 0
        self.handled: list[BaseException] = []

    def check_timeouts(self) -> None:
        self.checked += 1

    def handle_exception(self, exception: BaseException) -> None:
        self.handled.append(exception)

    def __repr__(self) -> str:
        return f"<Protocol {self.number}>"


@pytest.fixture
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, Any]]:
    calls: list[tuple[float, Any]] = []

    def call_later(delay: float, function: Any, *args: Any) -> None:
        calls.append((delay, partial(function, *args) if args else function))

    monkeypatch.setattr(websocket_server.reactor, "callLater", call_later)
    monkeypatch.setattr("daphne.server.reactor.callLater", call_later)
    return calls


def websocket(state: int) -> Any:
    """A Daphne websocket protocol in `state`: its own timeout checks run, and
    refusing its handshake is recorded."""
    protocol = WebSocketProtocol.__new__(WebSocketProtocol)
    protocol.state = state
    protocol.client_addr, protocol.path = ["127.0.0.1", 1], b"/ws/"
    protocol.socket_opened = protocol.last_ping = time.time()
    protocol.refused = 0

    def refuse() -> None:
        protocol.refused += 1

    protocol.serverReject = refuse
    return protocol


def server(cls: type[Server], **options: Any) -> Any:
    """A server of `cls` with no connections yet (application_close_timeout 10
    unless `options` say otherwise)."""
    made = cls(
        application=None,
        endpoints=["tcp:port=0:interface=127.0.0.1"],
        **{"application_close_timeout": 10, **options},
    )
    made.connections = {}
    return made


def test_a_handshake_not_accepted_in_time_is_refused_within_a_second_not_at_the_next_sweep(
    scheduled: list[Any],
) -> None:
    made = server(SpreadSweepServer, websocket_connect_timeout=5)
    stuck, accepted, plain = (
        websocket(WebSocketProtocol.STATE_CONNECTING),
        websocket(WebSocketProtocol.STATE_CONNECTING),
        Protocol(0),
    )
    for protocol in (stuck, accepted, plain):
        protocol.server = made
        made.protocol_connected(protocol)
    assert made.handshaking == {stuck, accepted}  # websockets only

    made.handshake_checker()  # within the deadline: nothing refused
    accepted.state = WebSocketProtocol.STATE_OPEN
    for protocol in (stuck, accepted):
        protocol.socket_opened -= 5.5  # the deadline has passed
    made.handshake_checker()

    assert (stuck.refused, accepted.refused) == (1, 0)
    assert made.handshaking == {stuck}  # the accepted one is no longer watched
    assert plain.checked == 0
    assert scheduled == [(websocket_server.HANDSHAKE_PERIOD, made.handshake_checker)] * 2


def test_every_connection_is_checked_once_per_period_a_slice_at_a_time(scheduled: list[Any]) -> None:
    spread = server(SpreadSweepServer)
    protocols = [Protocol(n) for n in range(1003)]
    spread.connections = {p: {} for p in protocols}

    largest = 0
    for _ in range(SLICES):
        before = sum(p.checked for p in protocols)
        spread.timeout_checker()
        largest = max(largest, sum(p.checked for p in protocols) - before)

    assert [p.checked for p in protocols] == [1] * len(protocols)
    assert largest == -(-1003 // SLICES)  # 6, not 1,003
    assert {delay for delay, _ in scheduled} == {TIMEOUT_PERIOD / SLICES}


def test_a_connection_gone_before_its_slice_is_skipped(scheduled: list[Any]) -> None:
    spread = server(SpreadSweepServer)
    protocols = [Protocol(n) for n in range(40)]
    spread.connections = {p: {} for p in protocols}
    spread.timeout_checker()  # the snapshot is taken here
    del spread.connections[protocols[-1]]
    for _ in range(SLICES - 1):
        spread.timeout_checker()
    assert protocols[-1].checked == 0
    assert all(p.checked == 1 for p in protocols[:-1])


@pytest.mark.parametrize(("count", "slices"), [(0, 5), (3, 200), (199, 200), (1003, 200), (10_000, 200)])
def test_a_walk_visits_each_connection_once_in_exactly_its_ticks_none_more_than_its_share(
    count: int, slices: int
) -> None:
    rotation = Rotation(slices=slices)
    parts = [rotation.next_slice(range(count)) for _ in range(slices)]
    assert sorted(n for part in parts for n in part) == list(range(count))
    assert max(len(part) for part in parts) == -(-count // slices)
    assert rotation.next_slice(["new"]) == ["new"]  # the next walk starts from a new snapshot


def test_a_new_connection_joins_at_the_next_snapshot() -> None:
    rotation = Rotation(slices=2)
    assert rotation.next_slice(["a", "b", "c"]) == ["a", "b"]
    assert rotation.next_slice(["a", "b", "c", "d"]) == ["c"]
    assert rotation.next_slice(["a", "b", "c", "d"]) == ["a", "b"]
    assert rotation.next_slice([]) == ["c", "d"]
    assert rotation.next_slice([]) == []


def connections(loop: asyncio.AbstractEventLoop) -> dict[Any, dict[str, Any]]:
    """One of every state the application sweep tells apart."""

    def finished(result: Any = None, error: BaseException | None = None) -> asyncio.Future[Any]:
        future = loop.create_future()
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
        return future

    cancelled = loop.create_future()
    cancelled.cancel()
    long_gone = time.time() - 60
    states = [
        {"application_instance": loop.create_future()},  # running, connected
        {"application_instance": finished()},  # done, connected
        {"application_instance": finished(error=ValueError("boom"))},  # failed, connected
        {"application_instance": finished(error=ValueError("late")), "disconnected": long_gone},
        {"application_instance": finished(), "disconnected": time.time()},  # done, disconnected
        {"application_instance": loop.create_future(), "disconnected": long_gone},  # outlived its socket
        {"application_instance": loop.create_future(), "disconnected": time.time()},  # closing
        {"application_instance": cancelled, "disconnected": time.time()},
        {"disconnected": time.time()},  # no application at all
    ]
    return {Protocol(n): dict(state) for n, state in enumerate(states * 7)}


def outcome(made: Any) -> tuple[Any, ...]:
    return (
        sorted(p.number for p in made.connections),
        sorted((p.number, sorted(d)) for p, d in made.connections.items()),
        sorted((p.number, [str(e) for e in p.handled]) for p in made.connections),
    )


def test_the_application_sweep_does_what_daphnes_does(scheduled: list[Any]) -> None:
    """Daphne's own sweep once, and the spread one over a period, from the same
    states: the same connections forgotten, applications reaped, cancelled and
    errors handed to their protocols."""
    loop = asyncio.new_event_loop()
    try:
        results = []
        for cls, ticks in ((Server, 1), (SpreadSweepServer, SLICES)):
            made = server(cls)
            made.connections = connections(loop)
            instances = [d.get("application_instance") for d in made.connections.values()]
            protocols = list(made.connections)
            for _ in range(ticks):
                made.application_checker()
            handled = sorted((p.number, [str(e) for e in p.handled]) for p in protocols)
            cancelled = [i is not None and i.cancelled() for i in instances]
            results.append((outcome(made), handled, cancelled))
        assert results[0] == results[1]
        assert results[0][1].count((2, ["boom"])) == 1  # the states did exercise the error path
        assert any(results[0][2])  # and the cancel path
    finally:
        loop.close()


def test_what_the_server_built_to_start_is_frozen_before_it_serves(
    monkeypatch: pytest.MonkeyPatch, scheduled: list[Any]
) -> None:
    """The application and Django are loaded before `run`; a full collection
    then no longer walks them while messages wait (SpreadSweepServer.run)."""
    import gc

    frozen_when_serving: list[int] = []
    monkeypatch.setattr(Server, "run", lambda self: frozen_when_serving.append(gc.get_freeze_count()))
    server = SpreadSweepServer.__new__(SpreadSweepServer)  # no sockets: only `run` is under test
    gc.unfreeze()
    try:
        server.run()
    finally:
        gc.unfreeze()
    assert frozen_when_serving
    assert frozen_when_serving[0] > 1000


class App:
    """An ASGI application whose instances finish when told to."""

    def __init__(self) -> None:
        self.finish: dict[str, asyncio.Future[None]] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.finish[scope["name"]] = asyncio.get_running_loop().create_future()
        await self.finish[scope["name"]]


@pytest.fixture
def loop() -> Any:
    made = asyncio.new_event_loop()
    asyncio.set_event_loop(made)
    yield made
    pending = asyncio.all_tasks(made)
    for task in pending:
        task.cancel()
    made.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    asyncio.set_event_loop(None)
    made.close()


def serving(app: App, loop: asyncio.AbstractEventLoop, *names: str) -> tuple[Any, dict[str, Protocol]]:
    made = SpreadSweepServer(
        application=app, endpoints=["tcp:port=0:interface=127.0.0.1"], application_close_timeout=10
    )
    made.connections = {}
    protocols = {name: Protocol(n) for n, name in enumerate(names)}
    for name, protocol in protocols.items():
        made.protocol_connected(protocol)
        made.create_application(protocol, {"type": "websocket", "name": name})
    loop.run_until_complete(asyncio.sleep(0))  # the instances start
    return made, protocols


def settle(loop: asyncio.AbstractEventLoop) -> None:
    loop.run_until_complete(asyncio.sleep(0.01))  # done callbacks run


def test_an_application_is_reaped_as_it_finishes_with_no_sweep(loop: Any, scheduled: list[Any]) -> None:
    app = App()
    made, protocols = serving(app, loop, "done", "failed", "running")
    app.finish["done"].set_result(None)
    app.finish["failed"].set_exception(ValueError("boom"))
    settle(loop)

    assert "application_instance" not in made.connections[protocols["done"]]
    assert "application_instance" not in made.connections[protocols["failed"]]
    assert [str(e) for e in protocols["failed"].handled] == ["boom"]  # at once, as Daphne's sweep would
    assert "application_instance" in made.connections[protocols["running"]]
    assert not scheduled  # no sweep ran: the callbacks did it


def test_a_disconnected_connection_is_forgotten_when_its_application_is_done(
    loop: Any, scheduled: list[Any]
) -> None:
    app = App()
    made, protocols = serving(app, loop, "finished first", "still running")
    app.finish["finished first"].set_result(None)
    settle(loop)

    made.protocol_disconnected(protocols["finished first"])
    made.protocol_disconnected(protocols["finished first"])  # Daphne tells some protocols twice
    made.protocol_disconnected(protocols["still running"])
    assert protocols["finished first"] not in made.connections
    assert made.closing == {protocols["still running"]}

    app.finish["still running"].set_result(None)
    settle(loop)
    assert made.connections == {}
    assert made.closing == set()


def test_an_application_that_outlives_its_socket_is_cancelled_by_the_closing_check(
    loop: Any, scheduled: list[Any]
) -> None:
    app = App()
    made, protocols = serving(app, loop, "slow", "closing")
    for protocol in protocols.values():
        made.protocol_disconnected(protocol)
    made.connections[protocols["slow"]]["disconnected"] = time.time() - 11  # past application_close_timeout
    instance = made.connections[protocols["slow"]]["application_instance"]

    made.closing_checker()
    settle(loop)

    assert instance.cancelled()
    assert protocols["slow"] not in made.connections
    assert made.closing == {protocols["closing"]}  # not yet outlived: left running
    assert scheduled == [(websocket_server.CLOSING_PERIOD, made.closing_checker)]


@implementer(ITCPTransport, ISystemHandle)
class TCPTransport:
    """The two public Twisted methods `keep_alive` uses, over a real socket."""

    def __init__(self, handle: socket.socket) -> None:
        self.handle = handle

    def setTcpKeepAlive(self, enabled: bool) -> None:
        self.handle.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, enabled)

    def getHandle(self) -> socket.socket:
        return self.handle


def test_keep_alive_sets_the_kernels_probe_timings_on_a_tcp_socket() -> None:
    with socket.socket() as handle:
        assert handle.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
        websocket_server.keep_alive(TCPTransport(handle))
        assert handle.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        timings = [
            handle.getsockopt(socket.IPPROTO_TCP, option)
            for option in (socket.TCP_KEEPIDLE, socket.TCP_KEEPINTVL, socket.TCP_KEEPCNT)
        ]
    assert timings == [60, 10, 3]  # dropped within 60 + 10 x 3 = 90 s of silence


def test_keep_alive_leaves_what_is_not_tcp_alone() -> None:
    websocket_server.keep_alive(None)  # a test's stand-in protocol has no transport
    websocket_server.keep_alive(Protocol(0))


def test_sockets_accepted_together_get_their_first_pings_spread_over_one_interval(
    scheduled: list[Any],
) -> None:
    made = server(SpreadSweepServer, ping_interval=300)
    accepted = [websocket(WebSocketProtocol.STATE_OPEN) for _ in range(1000)]
    waiting = websocket(WebSocketProtocol.STATE_CONNECTING)
    opened = time.time()
    for protocol in (*accepted, waiting):
        protocol.server = made
        protocol.socket_opened = protocol.last_ping = opened
        made.protocol_connected(protocol)
    made.handshake_checker()

    first_pings = sorted(protocol.last_ping + 300 - opened for protocol in accepted)
    assert first_pings[0] >= 0
    assert first_pings[-1] <= 300
    # Even over the interval: each tenth of it holds about a tenth of them.
    tenths = [sum(1 for due in first_pings if 30 * n <= due < 30 * (n + 1)) for n in range(10)]
    assert min(tenths) > 50, tenths
    assert waiting.last_ping == opened  # not yet accepted: still watched, not moved
    assert made.handshaking == {waiting}
