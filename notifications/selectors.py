"""Reads of notifications, always scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk).unread().count()
