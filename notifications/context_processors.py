"""The unread-notification count for the navigation (one COUNT per page, and
none for anonymous visitors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: pages that do not render the nav (errors, fragments) pay nothing.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
