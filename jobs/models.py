"""What the job runner itself records (the queue is procrastinate's tables)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderSent(models.Model):
    """A reminder that went out. One row per (kind, subject): the unique pair is
    what makes every reminder fire once, however often the sweep runs and however
    many workers run it. `subject_id` is the row the reminder is about (the info
    request's event, the submitted application...)."""

    kind = models.CharField(max_length=64)
    subject_id = models.BigIntegerField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "subject_id"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.subject_id} to {self.recipient_id}"
