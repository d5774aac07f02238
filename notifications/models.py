"""In-app notifications: one row per thing a user should know about."""

from __future__ import annotations

from django.conf import settings
from django.db import models

TITLE_MAX = 200
BODY_MAX = 4000


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message for one user (e.g. "your application was approved"), with a link
    to the thing it is about. `read_at` is set when the user has seen it,
    `emailed_at` when its email went out."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(blank=True, max_length=BODY_MAX)
    link = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set by the email job once the mail server took the message (notifications.delivery).
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.title}"


class EmailOptOut(models.Model):
    """A kind of notification this user does not want by email (still in the
    app). No row means the email is on, so every kind starts on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user_id} opts out of {self.kind} emails"
