"""What is overdue in documents, for the reminder sweep (jobs.reminders): a
request the owner has not answered by its due date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from jobs.reminders import Due

from .models import DocumentRequest, Kind, RequestStatus


def requests_past_due(now: datetime) -> Iterator[Due]:
    """Open requests whose due date has passed: the owner hears once per request."""
    today = timezone.localdate(now)
    requests = DocumentRequest.objects.filter(status=RequestStatus.OPEN, due_date__lt=today).select_related(
        "application__owner"
    )
    for request in requests:
        application = request.application
        label = Kind(request.kind).label
        yield Due(
            subject_id=request.pk,
            recipient=application.owner,
            title=f"A document for {application.reference} is overdue",
            body=f"Your banker asked for {label.lower()} by {request.due_date:%b %d, %Y}. Upload it when you can.",
            link=reverse("loans:detail", args=[application.pk]),
        )
