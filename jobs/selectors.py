"""Reads of the job queue (procrastinate's tables, through its Django models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob


@dataclass(frozen=True)
class QueueSummary:
    """Jobs due and not yet started, how long the oldest has waited, and jobs
    that failed for good (they wait in admin for a retry)."""

    waiting: int
    oldest_waiting_seconds: float | None
    failed: int


def queue_summary(*, now: datetime | None = None) -> QueueSummary:
    """One look at the queue: a due job waits since it was deferred, or since
    its scheduled time (a retry's backoff or a `schedule_at`) passed."""
    now = now or timezone.now()
    deferred_at = ProcrastinateEvent.objects.filter(job=OuterRef("pk"), type="deferred").values("at")[:1]
    due = (
        ProcrastinateJob.objects.filter(status="todo")
        .filter(Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now))
        .annotate(waiting_since=Coalesce("scheduled_at", Subquery(deferred_at)))
        .aggregate(waiting=Count("id"), oldest=Min("waiting_since"))
    )
    failed = ProcrastinateJob.objects.filter(status="failed").count()
    oldest = due["oldest"]
    return QueueSummary(
        waiting=due["waiting"],
        oldest_waiting_seconds=None if oldest is None else max(0.0, (now - oldest).total_seconds()),
        failed=failed,
    )
