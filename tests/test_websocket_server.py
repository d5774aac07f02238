"""The ASGI server's spread-out sweeps (b2bbank/websocket_server.py): the same
checks as Daphne's on every connection at the same period, a slice at a time;
and a canary that fails when the installed Daphne's sweeps change."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import time
from typing import Any

import daphne
import pytest
from daphne.cli import CommandLineInterface
from daphne.server import Server

from b2bbank import websocket_server
from b2bbank.websocket_server import SLICES, Rotation, SpreadSweepServer, WebsocketServerCommandLine

# What SpreadSweepServer copies, as Daphne 4.2.3 has it. A new Daphne fails here:
# read its sweeps, bring SpreadSweepServer in line, then record the new digests.
DAPHNE_SWEEPS = {
    "application_checker": "ccb688341a7d0bc13647a7d86815adb6a88af08299e4b0460379ea4d55ade79d",
    "timeout_checker": "6b70373a3a77cb2b1c580905af57d9c1c7ae09e7608c0677b8209e7bffe5b4cb",
}


def test_daphne_sweeps_are_the_ones_copied() -> None:
    assert daphne.__version__ == "4.2.3"
    for name, digest in DAPHNE_SWEEPS.items():
        source = inspect.getsource(getattr(Server, name))
        assert hashlib.sha256(source.encode()).hexdigest() == digest, f"Daphne's {name} changed"
    run = inspect.getsource(Server.run)
    assert "reactor.callLater(1, self.application_checker)" in run
    assert "reactor.callLater(2, self.timeout_checker)" in run
    assert "self.connections = {}" in run
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
    monkeypatch.setattr(websocket_server.reactor, "callLater", lambda delay, f: calls.append((delay, f)))
    monkeypatch.setattr("daphne.server.reactor.callLater", lambda delay, f: calls.append((delay, f)))
    return calls


def server(cls: type[Server]) -> Any:
    made = cls(application=None, endpoints=["tcp:port=0:interface=127.0.0.1"], application_close_timeout=10)
    made.connections = {}
    return made


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
    assert largest == -(-1003 // SLICES)  # 51, not 1,003
    assert {delay for delay, _ in scheduled} == {2.0 / SLICES}


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


def test_what_the_server_built_to_start_is_frozen_before_it_serves(monkeypatch: pytest.MonkeyPatch) -> None:
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
