"""Socket sends through the group-commit queue, the send rate limit, and the
socket closing when its session expires."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client, override_settings

from authentication.session_limits import LAST_SEEN
from chat import rate_limit, send_queue
from chat.consumers import SESSION_EXPIRED
from chat.models import Message
from chat.tests.factories import ConversationFactory
from chat.tests.test_consumers import Sockets, run, session_client, socket_for, with_sockets

pytestmark = pytest.mark.django_db(transaction=True)


def with_send_rate(rate: str) -> Any:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "chat_send": rate}  # type: ignore[index]
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})  # type: ignore[dict-item]


@pytest.fixture(autouse=True)
def fresh_limiter(fresh_send_limit: Any) -> None:
    """Each test starts with this process's send limit as a new process has it."""


def test_sends_from_many_sockets_share_a_batch_and_all_arrive(
    owner_a: Any, banker_x: Any, banker_y: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    store = send_queue.store_batch_in_worker

    async def counting_store(*, requests: Any) -> Any:
        batches.append(len(requests))
        return await store(requests=requests)

    monkeypatch.setattr(send_queue, "store_batch_in_worker", counting_store)
    conversations = [ConversationFactory(owner=owner_a, banker=b) for b in (banker_x, banker_y)]

    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        bankers = [await sockets.connect(await socket_for(b)) for b in (banker_x, banker_y)]
        frames = [
            (
                banker,
                {"type": "message.send", "conversation": c.pk, "body": f"from {n}", "client_id": f"k{n}"},
            )
            for n, (banker, c) in enumerate(zip(bankers, conversations, strict=True))
        ]
        await asyncio.gather(*(banker.send_json_to(frame) for banker, frame in frames))
        got = sorted([(await owner.receive_json_from())["message"]["body"] for _ in frames])
        assert got == ["from 0", "from 1"]
        for banker in bankers:
            assert (await banker.receive_json_from())["type"] == "message.new"
            assert await banker.receive_nothing()

    run(with_sockets, scenario)
    assert Message.objects.count() == 2
    assert sum(batches) == 2
    assert len(batches) <= 2


def test_burst_from_one_socket_is_stored_and_delivered_in_order(
    owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        for n in range(20):
            await owner.send_json_to(
                {"type": "message.send", "conversation": conversation.pk, "body": f"m{n}"}
            )
        bodies = [(await banker.receive_json_from())["message"]["body"] for _ in range(20)]
        assert bodies == [f"m{n}" for n in range(20)]

    run(with_sockets, scenario)
    assert [m.body for m in Message.objects.order_by("id")] == [f"m{n}" for n in range(20)]


def test_failed_message_gets_an_error_frame_and_the_socket_stays_open(
    owner_a: Any, banker_x: Any, conversation: Any
) -> None:
    """A NUL byte passes the frame rules only if a client bypasses them; here the
    serializer refuses it, so force it through the queue directly."""

    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        banker = await sockets.connect(await socket_for(banker_x))
        good, bad = await asyncio.gather(
            send_queue.queue_for_loop().send(
                send_queue.MessageSendRequest(sender=owner_a, conversation_id=conversation.pk, body="fine")
            ),
            send_queue.queue_for_loop().send(
                send_queue.MessageSendRequest(sender=owner_a, conversation_id=conversation.pk, body="no\x00")
            ),
        )
        assert good.created
        assert bad.error is not None
        assert bad.error.code == "send_failed"  # type: ignore[attr-defined]
        assert (await banker.receive_json_from())["message"]["body"] == "fine"
        assert (await owner.receive_json_from())["message"]["body"] == "fine"
        await owner.send_json_to({"type": "message.send", "conversation": conversation.pk, "body": "\u0000"})
        error = await owner.receive_json_from()
        assert error["type"] == "error"
        assert error["code"] == "invalid"
        assert "body" in error["detail"]

    run(with_sockets, scenario)
    assert [m.body for m in Message.objects.all()] == ["fine"]


@pytest.mark.parametrize("counted_in", ["redis", "process"])
def test_socket_sends_over_the_rate_get_an_error_frame_and_the_socket_stays_open(
    owner_a: Any, banker_x: Any, conversation: Any, counted_in: str, request: pytest.FixtureRequest
) -> None:
    if counted_in == "redis":
        request.getfixturevalue("cache_on_redis")

    async def scenario(sockets: Sockets) -> None:
        owner = await sockets.connect(await socket_for(owner_a))
        for n in range(3):
            await owner.send_json_to(
                {"type": "message.send", "conversation": conversation.pk, "body": f"m{n}"}
            )
            assert (await owner.receive_json_from())["type"] == "message.new"
        await owner.send_json_to(
            {"type": "message.send", "conversation": conversation.pk, "body": "too many"}
        )
        error = await owner.receive_json_from()
        assert error == {
            "type": "error",
            "code": "rate_limited",
            "detail": "Too many messages. Wait a moment, then send again.",
        }
        # Still open: other frames work.
        await owner.send_json_to({"type": "read", "conversation": conversation.pk, "message": 1})
        assert (await owner.receive_json_from())["type"] == "error"  # no message 1 here, but answered

    with with_send_rate("3/min"):
        run(with_sockets, scenario)
    assert Message.objects.count() == 3


def test_send_limiter_refills_over_time() -> None:
    limiter = rate_limit.SendLimiter(2, 60)
    assert [limiter.allow(1, now=0.0) for _ in range(3)] == [True, True, False]
    assert limiter.allow(2, now=0.0), "each user has their own bucket"
    assert not limiter.allow(1, now=20.0)
    assert limiter.allow(1, now=31.0)


def session_expiring_in(user: Any, seconds_left: float, monkeypatch: pytest.MonkeyPatch) -> Client:
    """A signed-in client whose session goes idle-expired in `seconds_left`,
    with sockets rechecking their session every 0.1 s."""
    monkeypatch.setattr("chat.consumers.SESSION_CHECK_SLACK", 0.1)
    client = session_client(user)
    session = client.session
    session[LAST_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() + seconds_left
    session.save()
    return client


def test_socket_closes_when_its_session_expires(owner_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = session_expiring_in(owner_a, 0.5, monkeypatch)

    async def scenario(sockets: Sockets) -> None:
        socket = await sockets.connect(await socket_for(client=client))
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": SESSION_EXPIRED}

    run(with_sockets, scenario)


def test_socket_closes_when_its_session_was_logged_out_elsewhere(
    owner_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = session_expiring_in(owner_a, 0.5, monkeypatch)

    async def scenario(sockets: Sockets) -> None:
        socket = await sockets.connect(await socket_for(client=client))
        await sync_to_async(client.session.flush)()
        closed = await socket.receive_output(timeout=5)
        assert closed["code"] == SESSION_EXPIRED

    run(with_sockets, scenario)


def test_socket_activity_keeps_its_session_alive(
    owner_a: Any, conversation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = session_expiring_in(owner_a, 0.5, monkeypatch)

    async def scenario(sockets: Sockets) -> None:
        socket = await sockets.connect(await socket_for(client=client))
        await socket.send_json_to({"type": "typing", "conversation": conversation.pk})
        await asyncio.sleep(1.0)  # past the old deadline: the recheck saw the frame
        assert await socket.receive_nothing(timeout=0.2), await socket.receive_output()
        await socket.send_json_to({"type": "message.send", "conversation": conversation.pk, "body": "alive"})
        assert (await socket.receive_json_from())["type"] == "message.new"

    run(with_sockets, scenario)
    assert client.session[LAST_SEEN] > time.time() - 5


def test_ticket_socket_is_not_closed_by_an_unrelated_session_cookie(
    owner_a: Any, owner_b: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chat import services

    other = session_expiring_in(owner_b, 0.3, monkeypatch)
    key, _ = services.ticket_issue(user=owner_a)

    async def scenario(sockets: Sockets) -> None:
        socket = await sockets.connect(await socket_for(client=other, path=f"/ws/?ticket={key}"))
        assert await socket.receive_nothing(timeout=1.0), "closed by owner B's session"

    run(with_sockets, scenario)
