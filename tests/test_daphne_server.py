"""The ASGI server as `make run` starts it (Daphne, no extra settings),
probed over real sockets: database connections stay bounded under a burst,
the websocket origin check compares scheme, host and port, an over-sized
frame closes the socket cleanly, an over-long address gets an answer, and the
kernel keeps a websocket's connection alive."""

from __future__ import annotations

import http.client
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from b2bbank import websocket_server
from tests.servers import free_port, wait_for_port
from tests.test_websocket_gateway import session_cookie_for

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


class Server:
    def __init__(self, port: int, app_name: str) -> None:
        self.port = port
        self.app_name = app_name

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def connections(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [self.app_name]
            )
            return int(cursor.fetchone()[0])


@pytest.fixture
def daphne(transactional_db: Any) -> Iterator[Server]:
    """Daphne on the test database with the environment `make run` gives it:
    no DJANGO_DB_POOL, so the ASGI default decides. PGAPPNAME tags its
    connections so pg_stat_activity can count them."""
    port = free_port()
    app_name = f"daphne-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DB_POOL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "b2bbank.settings.test",
        "B2BBANK_SERVE_DATABASE": connection.settings_dict["NAME"],
        "PGAPPNAME": app_name,
    }
    process = subprocess.Popen(
        websocket_server.command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield Server(port, app_name)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_burst_of_100_concurrent_requests_keeps_connections_bounded(daphne: Server) -> None:
    with ThreadPoolExecutor(max_workers=100) as pool:
        statuses = list(pool.map(lambda _: daphne.get("/healthz")[0], range(100)))
    assert statuses == [200] * 100
    # The pool's max_size, plus the API token cache's one listening connection.
    held = daphne.connections()
    assert held <= settings.DB_POOL_MAX_SIZE + 1, f"{held} connections after the burst"


def test_an_over_long_address_is_refused_with_414_and_a_huge_one_with_400(daphne: Server) -> None:
    status, body = daphne.get("/healthz?" + "a" * 10_000)
    assert status == 414
    assert b"too long" in body
    status, _ = daphne.get("/healthz?" + "a" * 20_000)
    assert status == 400
    assert daphne.get("/healthz?" + "a" * 100)[0] == 200


def socket(daphne: Server, cookie: str, origin: str) -> Any:
    return connect(
        f"ws://127.0.0.1:{daphne.port}/ws/",
        additional_headers={"Origin": origin, "Cookie": cookie},
        open_timeout=10,
        max_size=None,
    )


@pytest.mark.parametrize(
    "origin", ["http://127.0.0.1:1", "https://127.0.0.1:{port}", "http://localhost:{port}"]
)
def test_socket_from_another_scheme_or_port_is_refused(daphne: Server, owner_a: Any, origin: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        socket(daphne, session_cookie_for(owner_a), origin.format(port=daphne.port))
    assert refused.value.response.status_code == 403


def test_socket_from_the_sites_own_origin_opens(daphne: Server, owner_a: Any) -> None:
    with socket(daphne, session_cookie_for(owner_a), daphne.origin) as ws:
        ws.send('{"type": "nothing"}')
        assert '"unknown_type"' in ws.recv(timeout=5)


def test_a_1_mb_frame_closes_the_socket_with_an_application_code(daphne: Server, owner_a: Any) -> None:
    with socket(daphne, session_cookie_for(owner_a), daphne.origin) as ws:
        ws.send("x" * 1_000_000)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4009
    # The server lives on.
    assert daphne.get("/healthz")[0] == 200


def kernel_timer(local_port: int, remote_port: int) -> tuple[int, float]:
    """The kernel's timer on the loopback connection from `local_port` to
    `remote_port`, read from /proc/net/tcp: its kind (`tr`: 0 none, 1
    retransmit, 2 keepalive) and the seconds until it fires."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, timer = fields[1], fields[2], fields[5]
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == remote_port:
            kind, ticks = timer.split(":")
            return int(kind, 16), int(ticks, 16) / os.sysconf("SC_CLK_TCK")
    raise AssertionError(f"no connection from {local_port} to {remote_port}")


def test_the_kernel_keeps_an_idle_websocket_alive_with_the_servers_timings(
    daphne: Server, owner_a: Any
) -> None:
    """A dead client is found by TCP keepalive, not by Daphne's pings (module
    docstring of b2bbank.websocket_server): the server's end of an idle socket
    carries a keepalive timer due within KEEPALIVE_IDLE seconds; the client's
    end, which the server does not control, carries none."""
    with socket(daphne, session_cookie_for(owner_a), daphne.origin) as ws:
        ws.send('{"type": "nothing"}')
        ws.recv(timeout=5)
        client_port = ws.socket.getsockname()[1]
        deadline = time.monotonic() + 5
        while (server_end := kernel_timer(daphne.port, client_port))[0] != 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # a retransmit timer until the last frame is acknowledged
        kind, seconds = server_end
        assert kind == 2, "no keepalive timer on the server's end"
        assert websocket_server.KEEPALIVE_IDLE - 6 < seconds <= websocket_server.KEEPALIVE_IDLE
        assert kernel_timer(client_port, daphne.port)[0] == 0
