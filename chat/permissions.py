"""Who may do what in chat: the one place these rules live."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.choices import VerificationStatus
from accounts.permissions import is_banker, is_business_owner

from .models import Conversation

VERIFIED = VerificationStatus.VERIFIED


def can_chat(user: Any) -> bool:
    """Business owners and bankers have an inbox; staff and others do not."""
    return is_business_owner(user) or is_banker(user)


def can_start_conversation(user: Any) -> bool:
    return is_business_owner(user)


def conversation_is_read_only(conversation: Conversation) -> bool:
    """A conversation whose banker is no longer verified (or no longer active)
    keeps its history but takes no new messages from either side. Reads the
    banker and their profile, which the conversation selectors load."""
    banker = conversation.banker
    profile = getattr(banker, "banker_profile", None)
    return not (banker.is_active and profile is not None and profile.verification_status == VERIFIED)


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    return can_chat(user) and conversation.is_participant(user.pk)


class CanChat(BasePermission):
    message = "Only business owners and bankers can use chat."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_chat(request.user)
