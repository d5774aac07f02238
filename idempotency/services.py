"""Writes to stored idempotent answers other than the decorator's own."""

from __future__ import annotations

from datetime import datetime

from .models import IdempotentRequest


def idempotent_requests_delete_before(*, cutoff: datetime) -> int:
    """Forget answers stored before `cutoff` (a client retries within minutes,
    not days); returns how many. Run daily by a periodic job (jobs.tasks)."""
    return IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()[0]
