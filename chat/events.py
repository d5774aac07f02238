"""The frames chat sends (DESIGN.md, Realtime): one place builds them, so REST
and websocket sends produce identical events, and FRAME_SCHEMAS below
describes each one's shape."""

from __future__ import annotations

from typing import Any

from b2bbank.frame_schema import ID, closed_object

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
    return {"type": SESSION_CLOSED}


SESSION_CLOSED = "session.closed"


def error_frame(code: str, detail: Any) -> dict[str, Any]:
    """The consumer's answer to a frame it refused (`code` is the domain
    error's stable code, or the frame check's: invalid_json, unknown_type...)."""
    return {"type": "error", "code": code, "detail": detail}


# The shape of every frame chat sends, once (b2bbank.frames gathers every
# app's; chat/tests/test_frame_schemas.py
# checks each frame as a socket receives it).
ATTACHMENT_SCHEMA = closed_object(
    {
        "id": ID,
        "name": {"type": "string", "minLength": 1},
        "size": {"type": "integer", "minimum": 1},
        "content_type": {"type": "string", "minLength": 1},
    }
)
MESSAGE_SCHEMA = closed_object(
    {
        "id": ID,
        "conversation": ID,
        "sender": ID,
        "body": {"type": "string", "maxLength": 5000},
        "created_at": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"},
        "client_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 64},
        "attachment": {"oneOf": [{"type": "null"}, ATTACHMENT_SCHEMA]},
    }
)
FRAME_SCHEMAS: dict[str, dict[str, Any]] = {
    "message.new": closed_object(
        {"type": {"const": "message.new"}, "conversation": ID, "message": MESSAGE_SCHEMA}
    ),
    "read": closed_object({"type": {"const": "read"}, "conversation": ID, "user": ID, "message": ID}),
    "typing": closed_object({"type": {"const": "typing"}, "conversation": ID, "user": ID}),
    "conversation.new": closed_object({"type": {"const": "conversation.new"}, "conversation": ID}),
    # Never reaches a client: the consumer closes the socket (code 4001) instead.
    SESSION_CLOSED: closed_object({"type": {"const": SESSION_CLOSED}}),
    "error": closed_object(
        {
            "type": {"const": "error"},
            "code": {"type": "string", "pattern": "^[a-z_]+$"},
            "detail": {"type": ["string", "object", "array"]},
        }
    ),
}
