"""Conversations: starting one, read markers, typing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.permissions import is_business_owner, require_verified_email
from accounts.selectors import verified_bankers
from b2bbank.domain_errors import Forbidden, NotFound
from b2bbank.realtime import publish, publish_on_commit

from .. import events, selectors
from ..models import Conversation, Message
from ..permissions import can_chat, conversation_is_read_only
from .send import NOT_A_CHAT_USER, READ_ONLY, message_send


def _locked_conversation(*, user: Any, conversation_id: int) -> Conversation:
    """The viewer's conversation, row-locked so sends and read markers of one
    conversation serialize (message ids then grow in commit order)."""
    if not can_chat(user):
        raise Forbidden(NOT_A_CHAT_USER)
    conversation = (
        Conversation.objects.visible_to(user).select_for_update().filter(pk=conversation_id).first()
    )
    if conversation is None:
        raise NotFound("Conversation not found.")
    return conversation


@transaction.atomic
def conversation_start(
    *, owner: Any, banker_id: int, message: str | None = None, client_id: str = ""
) -> tuple[Conversation, bool]:
    """Open (or return the existing) conversation of a business owner with a
    verified banker, optionally with a first message (sent by message_send, so
    under the same send limit). Returns (conversation, created); a refused
    first message leaves no new conversation behind."""
    if not is_business_owner(owner):
        raise Forbidden("Only business owners can start a conversation.")
    require_verified_email(owner)
    if not verified_bankers().filter(user_id=banker_id).exists():
        raise ValidationError({"banker": ["No verified banker with this id."]})
    conversation = Conversation.objects.filter(owner=owner, banker_id=banker_id).first()
    created = False
    if conversation is None:
        conversation = Conversation(owner=owner, banker_id=banker_id)
        conversation.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():  # a racing start surfaces as the existing row
                conversation.save()
            created = True
        except IntegrityError:
            conversation = Conversation.objects.get(owner=owner, banker_id=banker_id)
    if created:
        publish_on_commit([owner.pk, banker_id], events.conversation_new(conversation))
    if message:
        message_send(sender=owner, conversation_id=conversation.pk, body=message, client_id=client_id)
        conversation.refresh_from_db()
    return conversation, created


@transaction.atomic
def conversation_mark_read(*, user: Any, conversation_id: int, message_id: int) -> Conversation:
    """Move the viewer's read marker forward to `message_id` (never back) and
    tell both sides, so the other one can show "Seen"."""
    conversation = _locked_conversation(user=user, conversation_id=conversation_id)
    if not Message.objects.filter(conversation=conversation, pk=message_id).exists():
        raise ValidationError({"message": ["No message with this id in this conversation."]})
    field = "owner_last_read" if user.pk == conversation.owner_id else "banker_last_read"
    if message_id > getattr(conversation, field):
        setattr(conversation, field, message_id)
        conversation.save(update_fields=[field])
        publish_on_commit(
            [conversation.owner_id, conversation.banker_id],
            events.read(conversation, user_id=user.pk, message_id=message_id),
        )
    return conversation


def typing_recipient(*, user: Any, conversation_id: int) -> int:
    """Who hears that `user` is typing in this conversation: the other
    participant, while the conversation takes messages."""
    conversation = selectors.conversation_get(user=user, conversation_id=conversation_id)
    if conversation_is_read_only(conversation):
        raise Forbidden(READ_ONLY, code="conversation_read_only")
    return conversation.other_id(user.pk)


def typing_send(*, user: Any, conversation_id: int) -> None:
    """Tell the other participant that `user` is typing. Nothing is stored,
    so there is no commit to wait for: the `typing` frame goes out now."""
    recipient = typing_recipient(user=user, conversation_id=conversation_id)
    publish([recipient], events.typing_frame(conversation_id, user_id=user.pk))
