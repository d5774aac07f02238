"""Who may do what in chat: the one place these rules live."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.permissions import is_banker, is_business_owner

from .models import Conversation


def can_chat(user: Any) -> bool:
    """Business owners and bankers have an inbox; staff and others do not."""
    return is_business_owner(user) or is_banker(user)


def can_start_conversation(user: Any) -> bool:
    return is_business_owner(user)


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    return can_chat(user) and conversation.is_participant(user.pk)


class CanChat(BasePermission):
    message = "Only business owners and bankers can use chat."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_chat(request.user)
