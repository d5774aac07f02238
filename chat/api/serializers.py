"""Input and output shapes for chat. The websocket consumer validates its frames
with the same input serializers (the frame variants only add `type` and
`conversation`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from b2bbank.strict_input import StrictInput
from chat.events import message_payload
from chat.models import BODY_MAX, CLIENT_ID_MAX, Conversation, Message
from chat.permissions import conversation_is_read_only


class ConversationStartInput(StrictInput):
    banker = serializers.IntegerField(min_value=1)
    message = serializers.CharField(max_length=BODY_MAX, required=False)
    client_id = serializers.CharField(max_length=CLIENT_ID_MAX, required=False)


class MessageSendInput(StrictInput):
    body = serializers.CharField(max_length=BODY_MAX)
    client_id = serializers.CharField(max_length=CLIENT_ID_MAX, required=False)


class MessageSendWithFileInput(StrictInput):
    """Multipart: one `file` (checked like documents: 413 too large, 415 not an
    accepted type), the body optional."""

    body = serializers.CharField(max_length=BODY_MAX, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    client_id = serializers.CharField(max_length=CLIENT_ID_MAX, required=False)


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class ReadInput(StrictInput):
    message = serializers.IntegerField(min_value=1)


class MessagePageInput(StrictInput):
    before = serializers.IntegerField(min_value=1, required=False)
    after = serializers.IntegerField(min_value=0, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False)


# Websocket frames: the REST inputs plus the frame's `type` and `conversation`.
class _Frame(StrictInput):
    type = serializers.CharField()
    conversation = serializers.IntegerField(min_value=1)


class MessageSendFrame(_Frame, MessageSendInput):
    pass


_SEND_FRAME_KEYS = frozenset(MessageSendFrame().fields)


def message_send_frame_fast(frame: dict[str, Any]) -> dict[str, Any] | None:
    """MessageSendFrame's validated data for the common well-formed frame, in a
    few microseconds instead of a serializer's hundreds; None for anything
    else, which then goes through MessageSendFrame for the exact same answer
    (its error messages included). Accepts only what the serializer accepts and
    returns what it returns: trimmed strings, no NUL, ASCII only (the
    serializer's surrogate check is a per-character Python loop), lengths
    within the limits, conversation a positive int, no unknown keys."""
    if not _SEND_FRAME_KEYS.issuperset(frame):
        return None
    conversation = frame.get("conversation")
    if type(conversation) is not int or conversation < 1:
        return None
    body = _plain_text(frame.get("body"), BODY_MAX)
    if body is None:
        return None
    data: dict[str, Any] = {"type": frame["type"], "conversation": conversation, "body": body}
    if "client_id" in frame:
        client_id = _plain_text(frame["client_id"], CLIENT_ID_MAX)
        if client_id is None:
            return None
        data["client_id"] = client_id
    return data


def _plain_text(value: Any, max_length: int) -> str | None:
    """`value` trimmed, if it is a non-empty ASCII string within max_length
    without NUL; None for anything the serializer must look at."""
    if type(value) is not str:
        return None
    value = value.strip()
    if not 0 < len(value) <= max_length or not value.isascii() or "\x00" in value:
        return None
    return value


class ReadFrame(_Frame, ReadInput):
    pass


class TypingFrame(_Frame):
    pass


class MessageOutput(serializers.Serializer):
    """The `message` of a `message.new` frame; the same shape over REST."""

    id = serializers.IntegerField()
    conversation = serializers.IntegerField()
    sender = serializers.IntegerField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    client_id = serializers.CharField(allow_null=True)
    attachment = AttachmentOutput(allow_null=True)

    def to_representation(self, instance: Message) -> dict[str, Any]:
        return message_payload(instance)


class MessagePageOutput(serializers.Serializer):
    results = MessageOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next (older) page: same query with `before`.")


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField()


def person(user: Any) -> dict[str, Any]:
    if user.is_banker:
        profile = getattr(user, "banker_profile", None)
        subtitle = profile.institution if profile else ""
    else:
        profile = getattr(user, "owner_profile", None)
        subtitle = profile.company_name if profile else ""
    return {"id": user.pk, "name": user.get_full_name() or user.email, "organisation": subtitle}


class ConversationOutput(serializers.Serializer):
    """Seen from the viewer (context["user"]): counterpart, unread count, and
    both read markers (`my_last_read`, `their_last_read`) for "Seen"."""

    id = serializers.IntegerField()
    owner = serializers.IntegerField()
    banker = serializers.IntegerField()
    counterpart = PersonOutput()
    last_message = MessageOutput(allow_null=True)
    unread = serializers.IntegerField()
    my_last_read = serializers.IntegerField()
    their_last_read = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()
    # The contract's name; DRF's metaclass takes declared fields off the class, so
    # it does not shadow Field.read_only at run time (mypy cannot know that).
    read_only = serializers.BooleanField(  # type: ignore[assignment]
        help_text="True when the banker is no longer verified: no new messages."
    )

    def to_representation(self, instance: Conversation) -> dict[str, Any]:
        viewer_id = self.context["user"].pk
        other_id = instance.other_id(viewer_id)
        counterpart = instance.banker if other_id == instance.banker_id else instance.owner
        last = instance.last_message
        return {
            "id": instance.pk,
            "owner": instance.owner_id,
            "banker": instance.banker_id,
            "counterpart": person(counterpart),
            "last_message": message_payload(last) if last is not None else None,
            "unread": getattr(instance, "unread", 0),
            "my_last_read": instance.last_read_of(viewer_id),
            "their_last_read": instance.last_read_of(other_id),
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
            "last_activity_at": serializers.DateTimeField().to_representation(instance.last_activity_at),
            "read_only": conversation_is_read_only(instance),
        }


class TicketOutput(serializers.Serializer):
    ticket = serializers.CharField()
    expires_at = serializers.DateTimeField()
    url = serializers.CharField()


class UnreadOutput(serializers.Serializer):
    unread = serializers.IntegerField()
