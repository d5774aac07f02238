"""The frames chat services publish (DESIGN.md, Realtime). One place builds
them so REST and websocket sends produce identical events."""

from __future__ import annotations

from typing import Any

from .models import Conversation, Message


def attachment_payload(message: Message) -> dict[str, Any] | None:
    """The file sent with a message, or None (readers select_related it)."""
    if message.attachment_id is None:
        return None
    attachment = message.attachment
    assert attachment is not None  # noqa: S101 - the id says it exists
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
    }


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": message.sender_id,
        "body": message.body,
        "created_at": message.created_at.isoformat().replace("+00:00", "Z"),
        "client_id": message.client_id or None,
        "attachment": attachment_payload(message),
    }


def message_new(message: Message) -> dict[str, Any]:
    return {
        "type": "message.new",
        "conversation": message.conversation_id,
        "message": message_payload(message),
    }


def read(conversation: Conversation, *, user_id: int, message_id: int) -> dict[str, Any]:
    return {"type": "read", "conversation": conversation.pk, "user": user_id, "message": message_id}


def typing_frame(conversation_id: int, *, user_id: int) -> dict[str, Any]:
    return {"type": "typing", "conversation": conversation_id, "user": user_id}


def conversation_new(conversation: Conversation) -> dict[str, Any]:
    return {"type": "conversation.new", "conversation": conversation.pk}


def session_closed() -> dict[str, Any]:
    """Internal: tells every socket of a user to close (logout)."""
    return {"type": "session.closed"}
