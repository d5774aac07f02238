"""The audit trail."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditRecord(models.Model):
    """One security-relevant event: who did what to which object, when, from
    where, with the state before and after. Append-only: a database trigger
    refuses UPDATE and DELETE (migration 0002), so not even a bug or a stolen
    app credential can rewrite history. The actor is a plain id plus an email
    snapshot, not a foreign key, so deleting a user never touches the trail."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_email = models.CharField(max_length=254, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_email or 'anonymous'}"
