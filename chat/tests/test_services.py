from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from b2bbank.domain_errors import Forbidden, NotFound
from chat import services
from chat.models import Conversation, Message, RealtimeTicket
from chat.tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def test_conversation_start_creates_and_publishes_after_commit(
    owner_a: Any, banker_x: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        convo, created = services.conversation_start(owner=owner_a, banker_id=banker_x.pk, message="Hi there")
    assert created
    assert len(callbacks) == 2
    assert [e["type"] for _, e in published] == ["conversation.new", "message.new"]
    assert published[1][0] == sorted([owner_a.pk, banker_x.pk])
    assert convo.last_message.body == "Hi there"
    assert convo.owner_last_read == convo.last_message.pk


def test_conversation_start_returns_existing_when_already_started(owner_a: Any, banker_x: Any) -> None:
    first, _ = services.conversation_start(owner=owner_a, banker_id=banker_x.pk)
    again, created = services.conversation_start(owner=owner_a, banker_id=banker_x.pk)
    assert again.pk == first.pk
    assert not created
    assert Conversation.objects.count() == 1


def test_conversation_start_refused_when_banker_not_verified(owner_a: Any, pending_banker: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.conversation_start(owner=owner_a, banker_id=pending_banker.pk, message="Hi")
    assert "banker" in exc.value.message_dict
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()


def test_conversation_start_refused_when_target_is_an_owner(owner_a: Any, owner_b: Any) -> None:
    with pytest.raises(ValidationError):
        services.conversation_start(owner=owner_a, banker_id=owner_b.pk)
    assert not Conversation.objects.exists()


def test_conversation_start_refused_when_starter_is_a_banker(banker_x: Any, banker_y: Any) -> None:
    with pytest.raises(Forbidden):
        services.conversation_start(owner=banker_x, banker_id=banker_y.pk)
    assert not Conversation.objects.exists()


def test_message_send_stores_updates_conversation_and_publishes(
    conversation: Any, banker_x: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message, created = services.message_send(
            sender=banker_x, conversation_id=conversation.pk, body="Happy to help", client_id="c-1"
        )
    assert created
    conversation.refresh_from_db()
    assert conversation.last_message_id == message.pk
    assert conversation.banker_last_read == message.pk
    assert conversation.owner_last_read == 0
    [(users, event)] = published
    assert users == sorted([conversation.owner_id, banker_x.pk])
    assert event["type"] == "message.new"
    assert event["conversation"] == conversation.pk
    assert event["message"]["body"] == "Happy to help"
    assert event["message"]["client_id"] == "c-1"


def test_message_send_with_repeated_client_id_returns_the_stored_message(
    conversation: Any, owner_a: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    first, _ = services.message_send(
        sender=owner_a, conversation_id=conversation.pk, body="Hi", client_id="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        again, created = services.message_send(
            sender=owner_a, conversation_id=conversation.pk, body="Hi", client_id="x"
        )
    assert again.pk == first.pk
    assert not created
    assert Message.objects.count() == 1
    assert published == [([owner_a.pk], published[0][1])], "the retry's event goes to the sender only"


def test_message_send_without_client_id_never_collides(conversation: Any, owner_a: Any) -> None:
    services.message_send(sender=owner_a, conversation_id=conversation.pk, body="one")
    services.message_send(sender=owner_a, conversation_id=conversation.pk, body="two")
    assert Message.objects.count() == 2


@pytest.mark.parametrize("body", ["", "x" * 5001])
def test_message_send_refused_when_body_empty_or_too_long(
    conversation: Any, owner_a: Any, body: str, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.message_send(sender=owner_a, conversation_id=conversation.pk, body=body)
    assert "body" in exc.value.message_dict
    assert not Message.objects.exists()
    assert published == []


def test_message_send_accepts_5000_characters(conversation: Any, owner_a: Any) -> None:
    message, _ = services.message_send(sender=owner_a, conversation_id=conversation.pk, body="x" * 5000)
    assert len(message.body) == 5000


@pytest.mark.parametrize("actor", ["owner_b", "banker_y"])
def test_message_send_refused_when_not_a_participant(conversation: Any, actor: str, request: Any) -> None:
    with pytest.raises(NotFound):
        services.message_send(
            sender=request.getfixturevalue(actor), conversation_id=conversation.pk, body="Hi"
        )
    assert not Message.objects.exists()


def test_message_send_refused_for_staff(conversation: Any, staff: Any) -> None:
    with pytest.raises(Forbidden):
        services.message_send(sender=staff, conversation_id=conversation.pk, body="Hi")


def test_mark_read_moves_forward_only_and_publishes(
    conversation: Any, owner_a: Any, banker_x: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    first = MessageFactory(conversation=conversation, sender=banker_x)
    second = MessageFactory(conversation=conversation, sender=banker_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_mark_read(user=owner_a, conversation_id=conversation.pk, message_id=second.pk)
        services.conversation_mark_read(user=owner_a, conversation_id=conversation.pk, message_id=first.pk)
    conversation.refresh_from_db()
    assert conversation.owner_last_read == second.pk
    assert conversation.banker_last_read == 0
    assert [e for _, e in published] == [
        {"type": "read", "conversation": conversation.pk, "user": owner_a.pk, "message": second.pk}
    ]


def test_mark_read_refused_for_a_message_of_another_conversation(conversation: Any, owner_a: Any) -> None:
    elsewhere = MessageFactory()
    with pytest.raises(ValidationError) as exc:
        services.conversation_mark_read(
            user=owner_a, conversation_id=conversation.pk, message_id=elsewhere.pk
        )
    assert "message" in exc.value.message_dict
    conversation.refresh_from_db()
    assert conversation.owner_last_read == 0


def test_ticket_is_single_use(owner_a: Any) -> None:
    key, ticket = services.ticket_issue(user=owner_a)
    assert ticket.key_hash != key
    redeemed = services.ticket_redeem(key=key)
    assert redeemed is not None
    assert redeemed.user == owner_a
    assert services.ticket_redeem(key=key) is None


def test_ticket_refused_when_expired_or_unknown(owner_a: Any) -> None:
    key, ticket = services.ticket_issue(user=owner_a)
    RealtimeTicket.objects.filter(pk=ticket.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.ticket_redeem(key=key) is None
    assert services.ticket_redeem(key="not-a-ticket") is None


def test_ticket_refused_when_user_deactivated(owner_a: Any) -> None:
    key, _ = services.ticket_issue(user=owner_a)
    owner_a.is_active = False
    owner_a.save()
    assert services.ticket_redeem(key=key) is None


def test_typing_send_tells_the_other_participant_only_and_now(
    owner_a: Any, banker_x: Any, conversation: Any, published: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.typing_send(user=banker_x, conversation_id=conversation.pk)
    assert callbacks == [], "nothing stored, so nothing waits for a commit"
    assert published == [
        ([owner_a.pk], {"type": "typing", "conversation": conversation.pk, "user": banker_x.pk})
    ]


def test_typing_send_refuses_outsiders_and_read_only_conversations(
    owner_b: Any, banker_x: Any, conversation: Any, published: list
) -> None:
    from chat.tests.test_read_only import unverify

    with pytest.raises(NotFound):
        services.typing_send(user=owner_b, conversation_id=conversation.pk)
    unverify(banker_x)
    with pytest.raises(Forbidden):
        services.typing_send(user=banker_x, conversation_id=conversation.pk)
    assert published == []
