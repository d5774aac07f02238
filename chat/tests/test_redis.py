"""Many processes: events cross Daphne processes through the Redis pub/sub
layer; with Redis down, sending still stores and REST returns the message."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from websockets.sync.client import connect

from b2bbank import realtime, websocket_server
from chat.models import Message
from tests.servers import free_port, listening, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_PORT = 6379


def _start_daphne(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
        websocket_server.command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
    except RuntimeError:
        process.kill()
        raise
    return process


@pytest.fixture
def two_servers(transactional_db: Any) -> Iterator[list[int]]:
    if not listening(REDIS_PORT):
        pytest.fail("Redis must run on 127.0.0.1:6379 for the multi-process test")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "chat.tests.redis_settings",
        "B2BBANK_SERVE_DATABASE": connection.settings_dict["NAME"],
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "B2BBANK_CHANNEL_PREFIX": f"b2bbank-test-{uuid.uuid4().hex[:8]}",
    }
    ports = [free_port(), free_port()]
    processes = [_start_daphne(port, env) for port in ports]
    try:
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _socket(port: int, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    origin = f"http://127.0.0.1:{port}"
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return connect(
        f"ws://127.0.0.1:{port}/ws/", additional_headers={"Origin": origin, "Cookie": cookie}, open_timeout=10
    )


def _wait_until_subscribed(owner: Any, banker: Any, conversation_id: int) -> None:
    """Typing frames (nothing stored) from A until one reaches B: then both
    servers have subscribed their sockets' groups on Redis."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        owner.send(json.dumps({"type": "typing", "conversation": conversation_id}))
        try:
            frame = json.loads(banker.recv(timeout=0.6))
        except TimeoutError:
            continue
        if frame["type"] == "typing":
            return
    pytest.fail("the servers never exchanged an event through Redis")


def test_message_sent_through_one_process_reaches_a_socket_on_the_other(
    two_servers: list[int], owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    port_a, port_b = two_servers
    with _socket(port_a, owner_a) as owner, _socket(port_b, banker_x) as banker:
        _wait_until_subscribed(owner, banker, conversation.pk)
        owner.send(
            json.dumps({"type": "message.send", "conversation": conversation.pk, "body": "Across processes"})
        )
        frame = json.loads(banker.recv(timeout=10))
        assert frame["type"] == "message.new"
        assert frame["message"]["body"] == "Across processes"
        assert frame["message"]["sender"] == owner_a.pk
        # The sender's own tab hears it through the layer too (no echo by the consumer).
        assert json.loads(owner.recv(timeout=10))["message"]["id"] == frame["message"]["id"]
    assert Message.objects.get().body == "Across processes"


DOWN = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [f"redis://127.0.0.1:{free_port()}/0"]},  # nothing listens there
    }
}


@pytest.mark.django_db(transaction=True)
def test_send_succeeds_and_history_returns_it_when_redis_is_down(
    owner_a: Any, banker_x: Any, conversation: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.force_login(owner_a)
    url = reverse("api:conversation-messages", kwargs={"conversation_id": conversation.pk})
    with override_settings(CHANNEL_LAYERS=DOWN), caplog.at_level("WARNING", logger=realtime.__name__):
        response = client.post(
            url, {"body": "Stored anyway", "client_id": "r1"}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
        assert "realtime publish failed" in caplog.text
    banker = Client()
    banker.force_login(banker_x)
    history = banker.get(url).json()["results"]
    assert [m["body"] for m in history] == ["Stored anyway"]
