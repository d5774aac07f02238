"""Reads of conversations and messages, always scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet

from b2bbank.domain_errors import NotFound

from .models import Conversation, Message

PAGE_SIZE = 30
PAGE_MAX = 100


def _unread_filter(user_id: int) -> Q:
    """Messages from the other side newer than the viewer's read marker."""
    mine = Q(owner_id=user_id)
    return ~Q(messages__sender_id=user_id) & (
        (mine & Q(messages__id__gt=F("owner_last_read")))
        | (~mine & Q(messages__id__gt=F("banker_last_read")))
    )


def conversation_list(*, user: Any) -> QuerySet[Conversation]:
    """The viewer's conversations, newest activity first, with both people,
    the last message and the viewer's unread count, in one query."""
    return (
        Conversation.objects.visible_to(user)
        .select_related(
            "owner",
            "owner__owner_profile",
            "banker",
            "banker__banker_profile",
            "last_message",
            "last_message__attachment",
        )
        .annotate(unread=Count("messages", filter=_unread_filter(user.pk)))
        .order_by("-last_activity_at", "-id")
    )


def unread_total(*, user: Any) -> int:
    """All unread messages of the viewer, for the navigation badge."""
    mine = Q(conversation__owner_id=user.pk)
    return (
        Message.objects.filter(Q(conversation__owner_id=user.pk) | Q(conversation__banker_id=user.pk))
        .exclude(sender_id=user.pk)
        .filter(
            (mine & Q(id__gt=F("conversation__owner_last_read")))
            | (~mine & Q(id__gt=F("conversation__banker_last_read")))
        )
        .count()
    )


def conversation_get(*, user: Any, conversation_id: int) -> Conversation:
    """One of the viewer's conversations, or NotFound (never revealing others)."""
    conversation = (
        Conversation.objects.visible_to(user)
        .select_related("owner", "owner__owner_profile", "banker", "banker__banker_profile")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound("Conversation not found.")
    return conversation


def conversation_between(*, owner_id: int, banker_id: int) -> Conversation | None:
    return Conversation.objects.filter(owner_id=owner_id, banker_id=banker_id).first()


def message_page(
    *,
    conversation: Conversation,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[Message], bool]:
    """Messages newest first. `before` is a message id, so a page never shifts
    when new messages arrive meanwhile; `after` (for backfill after a reconnect)
    keeps only newer ones. Returns the page and whether older ones remain."""
    limit = max(1, min(limit, PAGE_MAX))
    messages = Message.objects.filter(conversation=conversation).select_related("attachment")
    if before is not None:
        messages = messages.filter(id__lt=before)
    if after is not None:
        messages = messages.filter(id__gt=after)
    rows = list(messages.order_by("-id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def conversations_with_unread(*, user: Any) -> list[Conversation]:
    """The viewer's conversations holding unread messages, newest activity
    first, each with its `unread` count (one query, for the dashboards)."""
    return list(conversation_list(user=user).filter(Q(unread__gt=0)))
