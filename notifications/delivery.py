"""Sending a notification by email, from the worker: what the message says,
whether the recipient wants it, and recording that it went."""

from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from .models import Notification
from .selectors import email_wanted

logger = logging.getLogger(__name__)


def email_link(link: str) -> str:
    """An absolute link that lands on `link` after sign-in: the login page with
    `next`, which sends a signed-in user straight on."""
    if not link:
        return ""
    if link.startswith(("http://", "https://")):
        return link
    query = urlencode({"next": link})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('authentication:login')}?{query}"


def email_body(notification: Notification) -> str:
    url = email_link(notification.link)
    return f"{notification.body}\n\nOpen it: {url}" if url else notification.body


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt, so a receiving server can drop a
    copy sent again after a worker died between sending and recording it."""
    host = urlsplit(settings.SITE_URL).hostname or "b2bbank.local"
    return f"<notification-{notification.pk}@{host}>"


def notification_email_send(*, notification_id: int) -> bool:
    """Email the notification unless it is gone, already emailed, or its
    recipient has no address or turned this kind of email off. Returns whether a
    message was sent; a mail server error propagates, so the job is retried."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    # A closed account still hears about its own closing (account.* notices); nothing else.
    if not recipient.email or (not recipient.is_active and not notification.kind.startswith("account.")):
        return False
    # Read when the job runs, so turning a kind off also stops emails still queued.
    if not email_wanted(user_id=recipient.pk, kind=notification.kind):
        return False
    message = EmailMessage(
        subject=notification.title,
        body=email_body(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Message-ID": message_id(notification)},
    )
    message.send()
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    logger.info("notification %s emailed", notification.pk)
    return True
