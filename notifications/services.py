"""Every write to notifications, and delivery by email after commit."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from b2bbank.domain_errors import NotFound

from .models import BODY_MAX, TITLE_MAX, Notification

logger = logging.getLogger(__name__)


def _send_email(*, to: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except Exception:  # the in-app notification is the record; mail is best-effort
        logger.exception("notification email to %s failed", to)


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
    """Store a notification for `recipient` and, after commit, email it (through
    Django's email backend: console by default, SMTP by settings)."""
    # Title and body are built from user input (names, notes, conditions): they are
    # shortened to fit, never validated against it, so a valid long name or note
    # can never make the action that caused the notification fail.
    title = Truncator(title).chars(TITLE_MAX)
    body = Truncator(body).chars(BODY_MAX)
    notification = Notification(recipient=recipient, kind=kind, title=title, body=body, link=link)
    notification.full_clean(exclude=["recipient"])  # the caller holds the user row
    notification.save()
    if email and recipient.email:
        text = body
        if link:
            url = link if link.startswith("http") else settings.SITE_URL.rstrip("/") + link
            text = f"{body}\n\nOpen it: {url}"
        transaction.on_commit(lambda: _send_email(to=recipient.email, subject=title, body=text))
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
