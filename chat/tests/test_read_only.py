"""A conversation whose banker is no longer verified keeps its history but
takes no new messages or typing from either side, on every entry point."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.choices import VerificationStatus
from accounts.models import BankerProfile
from b2bbank.domain_errors import Forbidden
from chat import services
from chat.models import Message
from chat.tests.factories import MessageFactory
from chat.tests.test_consumers import Sockets, socket_for, with_sockets

pytestmark = pytest.mark.django_db


def unverify(banker: Any) -> None:
    BankerProfile.objects.filter(user=banker).update(verification_status=VerificationStatus.REJECTED)


@pytest.mark.parametrize("who", ["owner", "banker"])
def test_service_refuses_a_message_in_a_read_only_conversation(
    conversation: Any, owner_a: Any, banker_x: Any, who: str
) -> None:
    unverify(banker_x)
    sender = owner_a if who == "owner" else banker_x
    with pytest.raises(Forbidden) as refused:
        services.message_send(sender=sender, conversation_id=conversation.pk, body="Still there?")
    assert refused.value.code == "conversation_read_only"
    assert not Message.objects.exists()


def test_a_batch_refuses_only_the_read_only_conversations_messages(
    owner_a: Any, banker_x: Any, banker_y: Any
) -> None:
    from chat.tests.factories import ConversationFactory

    closed = ConversationFactory(owner=owner_a, banker=banker_x)
    live = ConversationFactory(owner=owner_a, banker=banker_y)
    unverify(banker_x)
    results = services.messages_send_batch(
        requests=[
            services.MessageSendRequest(sender=owner_a, conversation_id=closed.pk, body="a"),
            services.MessageSendRequest(sender=owner_a, conversation_id=live.pk, body="b"),
        ]
    )
    assert isinstance(results[0].error, Forbidden)
    assert results[1].created
    assert list(Message.objects.values_list("body", flat=True)) == ["b"]


def test_deactivated_banker_makes_the_conversation_read_only_too(
    conversation: Any, owner_a: Any, banker_x: Any
) -> None:
    account_services.user_deactivate(user_id=banker_x.pk)
    with pytest.raises(Forbidden):
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body="Hello?")


def test_api_answers_403_and_lists_the_conversation_as_read_only(
    api_as: Any, conversation: Any, owner_a: Any, banker_x: Any
) -> None:
    MessageFactory(conversation=conversation, sender=owner_a, body="Earlier")
    unverify(banker_x)
    url = reverse("api:conversation-messages", kwargs={"conversation_id": conversation.pk})
    response = api_as(banker_x).post(url, {"body": "Reply"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "conversation_read_only"
    history = api_as(owner_a).get(url).json()["results"]
    assert [m["body"] for m in history] == ["Earlier"]
    listed = api_as(owner_a).get(reverse("api:conversations")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [c["read_only"] for c in rows] == [True]


def test_api_lists_an_open_conversation_as_not_read_only(
    api_as: Any, conversation: Any, owner_a: Any
) -> None:
    listed = api_as(owner_a).get(reverse("api:conversations")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [c["read_only"] for c in rows] == [False]


def test_page_shows_the_notice_and_no_message_box(conversation: Any, owner_a: Any, banker_x: Any) -> None:
    unverify(banker_x)
    client = Client()
    client.force_login(owner_a)
    url = reverse("chat:conversation", kwargs={"conversation_id": conversation.pk})
    html = client.get(url).content.decode()
    assert "is no longer a verified banker on b2bbank, so this conversation is read-only" in html
    assert "data-chat-form" not in html
    response = client.post(url, {"body": "Hello?", "client_id": ""})
    assert response.status_code == 403
    assert "read-only" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_socket_answers_error_frames_for_send_and_typing(
    conversation: Any, owner_a: Any, banker_x: Any
) -> None:
    unverify(banker_x)

    async def scenario(sockets: Sockets) -> None:
        banker = await sockets.connect(await socket_for(banker_x))
        owner = await sockets.connect(await socket_for(owner_a))
        await banker.send_json_to({"type": "message.send", "conversation": conversation.pk, "body": "Hi"})
        assert (await banker.receive_json_from())["code"] == "conversation_read_only"
        await banker.send_json_to({"type": "typing", "conversation": conversation.pk})
        assert (await banker.receive_json_from())["code"] == "conversation_read_only"
        assert await owner.receive_nothing(timeout=0.2)

    async_to_sync(with_sockets)(scenario)
    assert not Message.objects.exists()
