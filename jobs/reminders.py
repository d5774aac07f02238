"""Reminders: a declared list, one sweep.

Each entry names a notification kind and a function that lists what is overdue
at `now` (`Due` rows, built by the app that owns the data). The sweep
(`reminders_send`, a periodic job) notifies each one once: a `ReminderSent` row
per (kind, subject) is inserted in the same transaction as the notification and
its email job. Adding a reminder (an offer expiring within 48 hours, a document
request past its due date) is one function in the owning app and one line in
`jobs.tasks.REMINDERS`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from notifications.services import notification_create

from .models import ReminderSent


@dataclass(frozen=True)
class Due:
    """One reminder to send: about `subject_id`, to `recipient`."""

    subject_id: int
    recipient: Any
    title: str
    body: str
    link: str


@dataclass(frozen=True)
class Reminder:
    """A declared reminder: its notification kind and what is overdue at a time."""

    kind: str
    due: Callable[[datetime], Iterable[Due]]


@transaction.atomic
def _send_once(kind: str, due: Due) -> bool:
    _, created = ReminderSent.objects.get_or_create(
        kind=kind, subject_id=due.subject_id, defaults={"recipient": due.recipient}
    )
    if created:
        notification_create(recipient=due.recipient, kind=kind, title=due.title, body=due.body, link=due.link)
    return created


def reminders_send(*, reminders: Iterable[Reminder], now: datetime | None = None) -> int:
    """Send every reminder that is due and was never sent; returns how many went."""
    now = now or timezone.now()
    sent = 0
    for reminder in reminders:
        candidates = list(reminder.due(now))
        done = set(
            ReminderSent.objects.filter(
                kind=reminder.kind, subject_id__in=[due.subject_id for due in candidates]
            ).values_list("subject_id", flat=True)
        )
        sent += sum(_send_once(reminder.kind, due) for due in candidates if due.subject_id not in done)
    return sent
