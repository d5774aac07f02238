"""Every write in chat. Events go out after commit through b2bbank.realtime, so
a message sent over REST and one sent over the socket reach both sides the
same way, and nothing is sent for a write that rolls back."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ApiToken
from accounts.permissions import is_business_owner
from accounts.selectors import verified_bankers
from b2bbank.domain_errors import Forbidden, NotFound
from b2bbank.realtime import publish_on_commit

from . import events
from .models import Conversation, Message, RealtimeTicket
from .permissions import can_chat

TICKET_TTL = timedelta(seconds=30)
logger = logging.getLogger(__name__)


def _locked_conversation(*, user: Any, conversation_id: int) -> Conversation:
    """The viewer's conversation, row-locked so sends and read markers of one
    conversation serialize (message ids then grow in commit order)."""
    if not can_chat(user):
        raise Forbidden("Only business owners and bankers can use chat.")
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
    verified banker, optionally with a first message. Returns (conversation,
    created)."""
    if not is_business_owner(owner):
        raise Forbidden("Only business owners can start a conversation.")
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
def message_send(
    *, sender: Any, conversation_id: int, body: str, client_id: str = ""
) -> tuple[Message, bool]:
    """Store a message and publish `message.new` to both participants (every
    tab, the sender's too). A repeated `client_id` returns the stored message
    (created=False) and re-sends its event to the sender only."""
    conversation = _locked_conversation(user=sender, conversation_id=conversation_id)
    client_id = client_id or ""
    if client_id:
        existing = Message.objects.filter(
            conversation=conversation, sender=sender, client_id=client_id
        ).first()
        if existing is not None:
            publish_on_commit([sender.pk], events.message_new(existing))
            return existing, False
    message = Message(conversation=conversation, sender=sender, body=body, client_id=client_id)
    message.full_clean(exclude=["conversation", "sender"], validate_constraints=False)
    message.save()
    conversation.last_message = message
    conversation.last_activity_at = message.created_at
    # The sender has read everything up to their own message.
    if sender.pk == conversation.owner_id:
        conversation.owner_last_read = message.pk
    else:
        conversation.banker_last_read = message.pk
    conversation.save(
        update_fields=["last_message", "last_activity_at", "owner_last_read", "banker_last_read"]
    )
    publish_on_commit([conversation.owner_id, conversation.banker_id], events.message_new(message))
    return message, True


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


@transaction.atomic
def ticket_issue(*, user: Any, token: ApiToken | None = None) -> tuple[str, RealtimeTicket]:
    """A single-use websocket ticket, valid for TICKET_TTL. Returns the raw key
    (shown once) and the stored row; expired tickets are swept here. `token` is
    the API token of the request, so revoking it closes the socket."""
    now = timezone.now()
    RealtimeTicket.objects.filter(expires_at__lt=now - TICKET_TTL).delete()
    key = secrets.token_urlsafe(32)
    ticket = RealtimeTicket.objects.create(
        user=user, token=token, key_hash=RealtimeTicket.hash_key(key), expires_at=now + TICKET_TTL
    )
    return key, ticket


def ticket_redeem(*, key: str) -> RealtimeTicket | None:
    """The ticket (with its user) if the key is live and unused; marks it used in
    the same UPDATE so two sockets can never redeem one ticket."""
    now = timezone.now()
    key_hash = RealtimeTicket.hash_key(key)
    used = RealtimeTicket.objects.filter(
        key_hash=key_hash, used_at__isnull=True, expires_at__gt=now, user__is_active=True
    ).update(used_at=now)
    if not used:
        return None
    return RealtimeTicket.objects.select_related("user").get(key_hash=key_hash)


def sockets_close_for(*, user_id: int) -> None:
    """Close every websocket of a user (after logout), once the logout commits."""
    publish_on_commit([user_id], events.session_closed())


def token_group(token_id: int) -> str:
    return f"token.{token_id}"


def sockets_close_for_token(*, token_id: int) -> None:
    """Close the websockets opened with tickets issued under an API token (call
    it when the token is revoked), once the revocation commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            async_to_sync(layer.group_send)(
                token_group(token_id), {"type": "realtime.event", "event": events.session_closed()}
            )
        except Exception:  # best-effort like b2bbank.realtime; the token is revoked regardless
            logger.warning("closing sockets of token %s failed", token_id)

    transaction.on_commit(send)
