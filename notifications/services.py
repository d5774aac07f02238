"""Every write to notifications. Email goes through a durable job deferred in
the same transaction (notifications.tasks), so a rolled-back change sends
nothing and a committed one is emailed even if the mail server is down now."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from b2bbank.display import excerpt
from b2bbank.domain_errors import NotFound
from jobs.defer import defer

from .kinds import kinds_for
from .models import BODY_MAX, TITLE_MAX, EmailOptOut, Notification
from .tasks import send_email


@transaction.atomic
def notification_create(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> Notification:
    """Store a notification for `recipient` and, in the same transaction, defer
    the job that emails it (through Django's email backend: console by default,
    SMTP by settings; the recipient's preferences are read when it runs)."""
    # Title and body are built from user input (names, notes, conditions): they are
    # shortened to fit, never validated against it, so a valid long name or note
    # can never make the action that caused the notification fail.
    title = excerpt(title, TITLE_MAX)
    body = excerpt(body, BODY_MAX)
    notification = Notification(recipient=recipient, kind=kind, title=title, body=body, link=link)
    notification.full_clean(exclude=["recipient"])  # the caller holds the user row
    notification.save()
    if email and recipient.email:
        defer(send_email, notification_id=notification.pk)
    return notification


@transaction.atomic
def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (idempotent). Another user's
    notification is NotFound."""
    notification = (
        Notification.objects.select_for_update().filter(pk=notification_id, recipient_id=user.pk).first()
    )
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient_id=user.pk).unread().update(read_at=timezone.now())


def notifications_mark_read_for_link(*, user: Any, link: str) -> int:
    """Seeing the page a notification points to counts as reading it (one UPDATE,
    a no-op when nothing is unread)."""
    return (
        Notification.objects.filter(recipient_id=user.pk, link=link).unread().update(read_at=timezone.now())
    )


@transaction.atomic
def email_preferences_set(*, user: Any, preferences: Mapping[str, bool]) -> None:
    """Turn email on or off for the given kinds (others unchanged). A kind this
    user cannot receive is refused and nothing changes."""
    known = {kind.key for kind in kinds_for(user)}
    unknown = sorted(set(preferences) - known)
    if unknown:
        raise ValidationError({"email_notifications": [f"Unknown notification kind: {', '.join(unknown)}."]})
    off = [key for key, wanted in preferences.items() if not wanted]
    on = [key for key, wanted in preferences.items() if wanted]
    EmailOptOut.objects.filter(user_id=user.pk, kind__in=on).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user_id=user.pk, kind=key) for key in off], ignore_conflicts=True
    )
