"""Reads of notifications, always scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .kinds import kinds_for
from .models import EmailOptOut, Notification


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk).unread().count()


def email_preferences(*, user: Any) -> dict[str, bool]:
    """Email on or off for each kind of notification the user can receive."""
    off = set(EmailOptOut.objects.filter(user_id=user.pk).values_list("kind", flat=True))
    return {kind.key: kind.key not in off for kind in kinds_for(user)}


def email_wanted(*, user_id: int, kind: str) -> bool:
    return not EmailOptOut.objects.filter(user_id=user_id, kind=kind).exists()
